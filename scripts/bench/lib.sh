# shellcheck shell=bash disable=SC2034
# (SC2034: the variables set here are read by the scripts that source this file.)
# Shared by scripts/bench.sh, scripts/profile.sh and scripts/soak.sh: building the jar, finding
# and installing the tools, starting the systems under test (backend, nginx, HAProxy, gateway) with
# the configurations of each scenario, stopping everything that was started, and reading the
# process numbers (RSS, peak RSS, CPU time) from /proc.
#
# Sourced, not run. The sourcing script sets ROOT and PROG (its name, for messages), may set the
# variables of the "settings" block below, and calls lib_cleanup from its EXIT trap.
#
# Scenarios (one word each, used everywhere):
#   proxy   HTTP/1.1 keep-alive reverse proxy to the backend
#   static  files from one directory (1 KiB and 1 MiB, written by make_static_files)
#   https   the proxy scenario behind a TLS listener (HTTP/1.1 over TLS, keep-alive)
#   h2      the proxy scenario behind a TLS listener, HTTP/2 by ALPN

JAR="$ROOT/gateway-core/target/gateway.jar"
BACKEND_SRC="$ROOT/scripts/bench/BenchBackend.java"
LAUNCHER="$ROOT/bin/gateway"

# Settings the sourcing script may change (after sourcing, before starting anything).
BUILD=1                # rebuild the jar when a source file is newer
NGINX_KEEPALIVE=1024   # idle upstream connections each nginx worker caches
FORCE_BUILTIN_BACKEND=0
USE_NGINX=1            # 0: no nginx at all (the backend is then the built-in one)
USE_LAUNCHER=auto      # auto: bin/gateway when the tree has it, else java -jar; 1: bin/gateway or fail; 0: java -jar
JVM_OPTS_SET=0         # 1: --jvm-opts was given; JVM_OPTS replaces the shipped JVM options
JVM_OPTS=""            # --jvm-opts: the gateway's JVM options instead of the shipped ones ("" = JVM defaults)
JVM_OPTS_FLAG=--jvm-opts # the option JVM_OPTS came from, for the reports
GATEWAY_EXTRA_OPTS=()  # JVM options added by the script itself (profile.sh: the profiler agent)
KEEP_DIR=""            # copy WORK there on exit
WORK=""                # the private temp directory of this run

STATIC_SIZES=(1k 1m)   # files of the static scenario: NAME.bin under $WORK/static
declare -A STATIC_BYTES=([1k]=1024 [1m]=1048576)
declare -A STATIC_TITLE=([1k]="1 KiB" [1m]="1 MiB")

log() { printf '%s\n' "$*" >&2; }
die() {
    log "$PROG: $*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

seconds_of() { # duration (10s, 2m, 1h, 30) -> seconds
    local d=$1
    case $d in
        *h) echo $((${d%h} * 3600)) ;;
        *m) echo $((${d%m} * 60)) ;;
        *s) echo "${d%s}" ;;
        *) echo "$d" ;;
    esac
}

is_tls() { [[ $1 == https || $1 == h2 ]]; }

# ---------------------------------------------------------------------------------------------
# Build and tools
# ---------------------------------------------------------------------------------------------

# Prints the first source file (or pom) newer than the jar; nothing when the jar is up to date.
newer_source() {
    local sources
    shopt -s nullglob
    sources=("$ROOT"/*/src/main "$ROOT"/pom.xml "$ROOT"/*/pom.xml)
    shopt -u nullglob
    ((${#sources[@]})) || return 0
    find "${sources[@]}" -type f -newer "$JAR" -print -quit 2>/dev/null || true
}

ensure_jar() {
    if ((!BUILD)); then
        [[ -f $JAR ]] || die "$JAR is missing (run without --no-build to build it)"
        return
    fi
    local reason=""
    if [[ ! -f $JAR ]]; then
        reason="it is missing"
    else
        reason=$(newer_source)
        [[ -z $reason ]] || reason="${reason#"$ROOT"/} is newer"
    fi
    if [[ -n $reason ]]; then
        have mvn || die "cannot build $JAR ($reason): mvn is not installed"
        log "building gateway.jar ($reason): mvn -B -q package -DskipTests"
        (cd "$ROOT" && mvn -B -q package -DskipTests) >&2 || die "the build failed"
        [[ -f $JAR ]] || die "the build did not produce $JAR"
    fi
}

# Decides how the gateway is started: the way it ships. bin/gateway (which reads
# config/jvm.options, as the systemd unit, the Docker image and install.sh do) when the tree has
# one, else `java -jar gateway.jar` with the JVM's defaults.
ensure_launcher() {
    case $USE_LAUNCHER in
        auto)
            if [[ -x $LAUNCHER ]]; then USE_LAUNCHER=1; else USE_LAUNCHER=0; fi
            ;;
        1)
            [[ -e $LAUNCHER ]] || die "--launcher: $LAUNCHER is missing (run without --launcher to use java -jar)"
            [[ -x $LAUNCHER ]] || die "--launcher: $LAUNCHER is not executable"
            ;;
    esac
    if ((!JVM_OPTS_SET)) && ((!USE_LAUNCHER)) && [[ -n ${GATEWAY_JAVA_OPTS:-} ]]; then
        JVM_OPTS=$GATEWAY_JAVA_OPTS # the older spelling of --jvm-opts
        JVM_OPTS_SET=1
    fi
    return 0
}

# How the gateway's JVM options are chosen, one line for the reports.
jvm_opts_description() {
    if ((USE_LAUNCHER)); then
        if ((JVM_OPTS_SET)); then
            echo "bin/gateway with $JVM_OPTS_FLAG \"$JVM_OPTS\" in an options file (GATEWAY_JVM_OPTIONS) instead of config/jvm.options"
        else
            echo "bin/gateway with the shipped config/jvm.options"
        fi
    elif ((JVM_OPTS_SET)); then
        echo "java ${JVM_OPTS:+$JVM_OPTS }-jar gateway.jar ($JVM_OPTS_FLAG)"
    else
        echo "java -jar gateway.jar, no JVM options (the JVM's defaults)"
    fi
}

# Debian puts nginx and haproxy in /usr/sbin, which is not on every user's PATH.
sbin_tool() { # name -> its path
    if have "$1"; then
        command -v "$1"
    elif [[ -x /usr/sbin/$1 ]]; then
        echo "/usr/sbin/$1"
    else
        return 1
    fi
}
NGINX=""
HAPROXY=""
find_nginx() { NGINX=$(sbin_tool nginx); }
find_haproxy() { HAPROXY=$(sbin_tool haproxy); }

# apt-get install PACKAGE... when running as root on a machine with apt-get; otherwise nothing
# (the caller then says what is missing and how to get it).
apt_install() {
    (($#)) || return 0
    if ((EUID == 0)) && have apt-get; then
        log "installing $*: apt-get install -y -qq $*"
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >&2; then
            log "apt-get install failed"
        fi
    fi
}

# ---------------------------------------------------------------------------------------------
# Processes: everything started is recorded here and stopped by stop_all / lib_cleanup
# ---------------------------------------------------------------------------------------------

STARTED=()            # names, in start order
declare -A PID=()     # name -> pid
declare -A LOGFILE=() # name -> log file
LOAD_PID=""           # the running wrk or h2load, if any

# The pid and all its descendants, one per line (a launcher script and its JVM, nginx's master
# and its workers).
tree_pids() {
    local pid=$1 f child
    [[ -d /proc/$pid ]] || return 0
    echo "$pid"
    for f in /proc/"$pid"/task/*/children; do
        [[ -r $f ]] || continue
        for child in $(<"$f"); do
            tree_pids "$child"
        done
    done 2>/dev/null
}

stop_process() { # name pid: SIGTERM to the process (then to what is left of its tree), SIGKILL after 10 s
    local name=$1 pid=$2 deadline=$((SECONDS + 10)) tree p left
    tree=$(tree_pids "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop on SIGTERM: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    # A launcher that does not exec its JVM (or forward the signal) would leave it behind.
    left=()
    for p in $tree; do
        [[ $p != "$pid" ]] && kill -TERM "$p" 2>/dev/null && left+=("$p")
    done
    ((${#left[@]})) || return 0
    deadline=$((SECONDS + 10))
    for p in "${left[@]}"; do
        while kill -0 "$p" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.1
        done
        kill -KILL "$p" 2>/dev/null || true
    done
}

start_process() { # name logfile command... (started in the background, stdin closed)
    local name=$1 logfile=$2
    shift 2
    "$@" >"$logfile" 2>&1 </dev/null &
    PID[$name]=$!
    LOGFILE[$name]=$logfile
    STARTED+=("$name")
}

stop_load() {
    if [[ -n $LOAD_PID ]]; then
        kill -TERM "$LOAD_PID" 2>/dev/null || true
        wait "$LOAD_PID" 2>/dev/null || true
        LOAD_PID=""
    fi
}

stop_all() { # in reverse start order: proxies before the backend they talk to
    local i name
    stop_load
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
        name=${STARTED[i]}
        stop_process "$name" "${PID[$name]}"
        unset "PID[$name]"
    done
    STARTED=()
}

# The options every script takes (how the gateway is started and built, --keep): sets TAKEN to
# the number of arguments used, 0 when $1 is not one of them.
TAKEN=0
common_option() {
    TAKEN=1
    case $1 in
        --launcher) USE_LAUNCHER=1 ;;
        --no-launcher) USE_LAUNCHER=0 ;;
        --no-build) BUILD=0 ;;
        --builtin-backend) FORCE_BUILTIN_BACKEND=1 ;;
        --jvm-opts)
            (($# >= 2)) || die "--jvm-opts needs a value, \"\" for the JVM's defaults (see --help)"
            JVM_OPTS=$2
            JVM_OPTS_SET=1
            TAKEN=2
            ;;
        --keep) # an optional directory
            if (($# >= 2)) && [[ $2 != -* ]]; then
                KEEP_DIR=$2
                TAKEN=2
            else
                KEEP_DIR="$PWD/$PROG-results-$(date +%Y%m%d-%H%M%S)"
            fi
            ;;
        *) TAKEN=0 ;;
    esac
}

# Scenario words (--scenario "proxy h2", all, h1) -> the SCENARIOS array, in order.
SCENARIOS=()
parse_scenarios() { # words
    local s words=()
    read -r -a words <<<"$1"
    ((${#words[@]})) || die "--scenario is empty"
    SCENARIOS=()
    for s in "${words[@]}"; do
        case $s in
            all) SCENARIOS+=(proxy static https h2) ;;
            proxy | h1) SCENARIOS+=(proxy) ;;
            static | https | h2) SCENARIOS+=("$s") ;;
            *) die "--scenario must be proxy, h1, static, https, h2 or all, not '$s'" ;;
        esac
    done
}

# The EXIT trap of every script: stop what was started, whichever way the script ends (errors
# under set -e, die, Ctrl-C, SIGTERM), keeping the exit status.
lib_exit_trap() {
    local rc=$?
    trap - EXIT INT TERM
    lib_cleanup
    exit "$rc"
}
install_traps() {
    trap lib_exit_trap EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# Call from the EXIT trap: stops everything and keeps (--keep) or removes the temp directory.
lib_cleanup() {
    stop_all
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ -n $KEEP_DIR ]]; then
            # The nginx instances' empty temp directories are not worth keeping.
            rm -rf "$WORK"/nginx-*/tmp
            mkdir -p "$KEEP_DIR" && cp -a "$WORK/." "$KEEP_DIR/" && log "results kept in $KEEP_DIR"
        fi
        rm -rf "$WORK"
    fi
}

make_work_dir() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-$PROG.XXXXXX")
    # nginx workers run as "nobody" when we are root: let them reach their files.
    chmod 711 "$WORK"
    # 500-1000 client connections through a proxy need twice as many descriptors.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

show_log() {
    local name=$1
    log "---- last lines of the $name log (${LOGFILE[$name]}) ----"
    tail -n 30 "${LOGFILE[$name]}" >&2 || true
    log "----"
}

check_alive() { # dies when a started process has exited: its numbers would be meaningless
    local name
    for name in "${STARTED[@]}"; do
        if ! kill -0 "${PID[$name]}" 2>/dev/null; then
            show_log "$name"
            die "$name (pid ${PID[$name]}) has exited"
        fi
    done
}

# ---------------------------------------------------------------------------------------------
# /proc numbers, summed over a process and its descendants
# ---------------------------------------------------------------------------------------------

CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

status_kib() { # pid field (VmRSS, VmHWM) -> KiB summed over the tree
    local pid=$1 field=$2 total=0 kib p
    for p in $(tree_pids "$pid"); do
        kib=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null || true)
        total=$((total + ${kib:-0}))
    done
    echo "$total"
}
rss_kib() { status_kib "$1" VmRSS; }
hwm_kib() { status_kib "$1" VmHWM; } # peak RSS; summed over processes it is an upper bound

# CPU time in clock ticks used so far by the tree: utime+stime of each process (all its
# threads) plus cutime+cstime (its children that exited and were reaped, e.g. a respawned nginx
# worker). The difference of two readings is the CPU the system used in between.
cpu_ticks() {
    local pid=$1 total=0 p stat rest fields
    for p in $(tree_pids "$pid"); do
        { read -r stat <"/proc/$p/stat"; } 2>/dev/null || continue
        rest=${stat##*) } # the command name may contain spaces and parentheses
        read -r -a fields <<<"$rest"
        # fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17
        total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
    done
    echo "$total"
}

ticks_to_seconds() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }'; }

# The JVM among a process and its descendants (the process itself with java -jar; the child
# of bin/gateway when the launcher does not exec java).
java_pid_of() {
    local p
    for p in $(tree_pids "$1"); do
        if [[ $(cat "/proc/$p/comm" 2>/dev/null) == java ]]; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------------------------------------
# Ports and readiness (bash's /dev/tcp for plain HTTP, curl for TLS)
# ---------------------------------------------------------------------------------------------

USED_PORTS=" "
port_in_use() { (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sets REPLY to the first port from $1 up that nothing listens on and this run has not taken yet.
pick_port() {
    local port=$1
    while port_in_use "$port" || [[ $USED_PORTS == *" $port "* ]]; do
        port=$((port + 1))
        ((port < 65536)) || die "no free port above $1"
    done
    USED_PORTS+="$port "
    REPLY=$port
}

http_status() { # port path -> HTTP status code, or nothing when there is no answer
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
        IFS=' ' read -r -t 5 _ code _ <&3 || true
        printf '%s\n' "${code:-}"
    ) 2>/dev/null || true
}

https_status() { # port path -> status over TLS (HTTP/2 when offered), or nothing
    curl -sk --http2 --max-time 5 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$1$2" 2>/dev/null || true
}

wait_ready() { # name port path timeout-seconds [tls]: polls until GET path answers 200
    local name=$1 port=$2 path=$3 deadline=$((SECONDS + $4)) tls=${5:-} status
    while :; do
        if [[ -n $tls ]]; then status=$(https_status "$port" "$path"); else status=$(http_status "$port" "$path"); fi
        [[ $status != 200 ]] || return 0
        if ! kill -0 "${PID[$name]}" 2>/dev/null; then
            show_log "$name"
            die "$name exited during start-up"
        fi
        if ((SECONDS >= deadline)); then
            show_log "$name"
            die "$name did not answer 200 on ${tls:+https://}127.0.0.1:$port$path within $4 s"
        fi
        sleep 0.1
    done
}

# ---------------------------------------------------------------------------------------------
# Files every system serves: the certificate and the static files
# ---------------------------------------------------------------------------------------------

# One self-signed EC P-256 certificate for every TLS listener: server.crt, server.key (PKCS#8)
# and server.pem (both, as HAProxy's crt wants them).
make_certificate() {
    [[ -f $WORK/server.pem ]] && return 0
    have openssl || die "openssl is not installed: it makes the test certificate of the TLS scenarios"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
        -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
        -keyout "$WORK/server.key" -out "$WORK/server.crt" >/dev/null 2>&1 || die "openssl could not make a certificate"
    cat "$WORK/server.crt" "$WORK/server.key" >"$WORK/server.pem"
    chmod 644 "$WORK/server.key" "$WORK/server.pem" # nginx's workers run as nobody
}

# $WORK/static/1k.bin and 1m.bin: random (incompressible) bytes, the same files for every system.
make_static_files() {
    local size
    mkdir -p "$WORK/static"
    chmod 755 "$WORK/static"
    for size in "${STATIC_SIZES[@]}"; do
        [[ -f $WORK/static/$size.bin ]] || head -c "${STATIC_BYTES[$size]}" /dev/urandom >"$WORK/static/$size.bin"
        chmod 644 "$WORK/static/$size.bin"
    done
}

# ---------------------------------------------------------------------------------------------
# The systems under test. Each start_* function sets PORT[name], URL[name] (scheme://host:port,
# no path) and LABEL[name], and waits until the system answers.
# ---------------------------------------------------------------------------------------------

declare -A PORT=()  # system -> port on 127.0.0.1
declare -A URL=()   # system -> base URL
declare -A LABEL=() # system -> row label
declare -A DESCR=() # system -> one line on how it is configured, for the report
BACKEND_KIND=""
BACKEND_PORT=""
GATEWAY_ADMIN_PORT=""
GATEWAY_CONFIG=""

# The common part of every nginx config, up to the inside of its http block (the caller writes
# the rest and closes it): foreground master (so $! is its pid), everything inside the instance's
# own directory, no access log (the gateway runs with access_log = "off" too), long keep-alive.
nginx_common_conf() { # dir workers
    local dir=$1 workers=$2 user_line=""
    # A root master switches its workers to "nobody"; name the group, which differs by distro.
    if ((EUID == 0)) && id nobody >/dev/null 2>&1; then
        user_line="user nobody $(id -gn nobody);"
    fi
    cat <<EOF
daemon off;
master_process on;
worker_processes $workers;
worker_rlimit_nofile 65536;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
$user_line
events {
    worker_connections 16384;
}
http {
    access_log off;
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
EOF
}

run_nginx() { # name dir: runs nginx with dir/nginx.conf
    local name=$1 dir=$2 args=()
    # -e (nginx >= 1.19.5) keeps even the errors from before the config is read out of the
    # system's /var/log/nginx.
    if "$NGINX" -h 2>&1 | grep -q -- '-e filename'; then
        args+=(-e "$dir/error.log")
    fi
    "$NGINX" -t -p "$dir/" -c "$dir/nginx.conf" "${args[@]}" >"$dir/config-test.log" 2>&1 ||
        { cat "$dir/config-test.log" >&2; die "$name: nginx rejected its config"; }
    start_process "$name" "$dir/stderr.log" "$NGINX" -p "$dir/" -c "$dir/nginx.conf" "${args[@]}"
}

start_backend() {
    pick_port 18081
    BACKEND_PORT=$REPLY
    if ((USE_NGINX && !FORCE_BUILTIN_BACKEND)); then
        # worker_processes 1: the backend is the ceiling, and a single worker leaves the other
        # core(s) to the load generator and the proxy under test; one nginx worker still answers
        # this tiny response far faster than any proxy in front of it can forward it.
        BACKEND_KIND="nginx, worker_processes 1, return 200 \"hello\\n\""
        local dir="$WORK/nginx-backend"
        mkdir -p "$dir/tmp"
        {
            printf '%s\n' '# benchmark backend: answers 200 "hello\n" to everything'
            nginx_common_conf "$dir" 1
            cat <<EOF
    server {
        listen 127.0.0.1:$BACKEND_PORT backlog=4096;
        location / {
            default_type text/plain;
            return 200 "hello\n";
        }
    }
}
EOF
        } >"$dir/nginx.conf"
        run_nginx backend "$dir"
        wait_ready backend "$BACKEND_PORT" / 15
    else
        [[ -f $BACKEND_SRC ]] || die "$BACKEND_SRC is missing"
        BACKEND_KIND="built-in BenchBackend (Netty, 1 event loop)"
        # Source-file mode compiles BenchBackend.java in memory; Netty comes from the fat jar.
        start_process backend "$WORK/backend.log" java -cp "$JAR" "$BACKEND_SRC" "$BACKEND_PORT"
        wait_ready backend "$BACKEND_PORT" / 60
    fi
    PORT[backend]=$BACKEND_PORT
    URL[backend]="http://127.0.0.1:$BACKEND_PORT"
    LABEL[backend]="backend direct (ceiling)"
    DESCR[backend]="$BACKEND_KIND"
    log "backend: $BACKEND_KIND on 127.0.0.1:$BACKEND_PORT"
}

# nginx the way its users configure it for the job: a keep-alive reverse proxy with an upstream
# connection cache (proxy, https, h2), or a file server with sendfile and open_file_cache (static).
start_nginx() { # scenario
    local scenario=$1 port dir="$WORK/nginx-$1" listen server_lines
    pick_port 18082
    port=$REPLY
    listen="127.0.0.1:$port backlog=4096"
    case $scenario in
        static)
            server_lines="root $WORK/static;
        location / {
        }"
            ;;
        *)
            server_lines="location / {
            proxy_pass http://b;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }"
            ;;
    esac
    if is_tls "$scenario"; then
        # nginx < 1.25.1 spells http2 on the listen line; later versions accept it with a warning.
        listen+=" ssl http2"
        server_lines="ssl_certificate $WORK/server.crt;
        ssl_certificate_key $WORK/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:SSL:10m;
        ssl_session_timeout 1h;
        http2_max_concurrent_streams 128;
        $server_lines"
    fi
    mkdir -p "$dir/tmp"
    {
        echo "# nginx for the $scenario scenario of scripts/bench.sh"
        nginx_common_conf "$dir" auto
        echo "    default_type application/octet-stream;"
        if [[ $scenario == static ]]; then
            cat <<EOF
    sendfile on;
    tcp_nopush on;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
EOF
        else
            cat <<EOF
    upstream b {
        server 127.0.0.1:$BACKEND_PORT;
        keepalive $NGINX_KEEPALIVE;
        keepalive_requests 1000000;
        keepalive_timeout 300s;
    }
EOF
        fi
        cat <<EOF
    server {
        listen $listen;
        $server_lines
    }
}
EOF
    } >"$dir/nginx.conf"
    run_nginx nginx "$dir"
    listener_ready nginx "$scenario" "$port"
    LABEL[nginx]="nginx"
    case $scenario in
        static) DESCR[nginx]="worker_processes auto, sendfile on, tcp_nopush on, open_file_cache max=1000 inactive=60s, open_file_cache_valid 60s" ;;
        proxy) DESCR[nginx]="worker_processes auto, upstream keepalive $NGINX_KEEPALIVE" ;;
        *) DESCR[nginx]="worker_processes auto, listen ssl http2, ssl_session_cache shared:SSL:10m, upstream keepalive $NGINX_KEEPALIVE" ;;
    esac
    log "nginx ($scenario): 127.0.0.1:$port, ${DESCR[nginx]}"
}

ready_path() { # scenario -> a path that answers 200
    if [[ $1 == static ]]; then echo "/${STATIC_SIZES[0]}.bin"; else echo /; fi
}

# Waits until system NAME answers 200 on its traffic port; sets PORT[name] and URL[name].
listener_ready() { # name scenario port
    local name=$1 scenario=$2 port=$3
    if is_tls "$scenario"; then
        wait_ready "$name" "$port" / 15 tls
        URL[$name]="https://127.0.0.1:$port"
    else
        wait_ready "$name" "$port" "$(ready_path "$scenario")" 15
        URL[$name]="http://127.0.0.1:$port"
    fi
    PORT[$name]=$port
}

# HAProxy the way its users configure it as a reverse proxy: mode http, keep-alive on both sides,
# idle server connections shared by all clients (http-reuse always), one thread per core, no
# logging. HAProxy serves no files, so it has no static scenario.
start_haproxy() { # scenario
    local scenario=$1 port dir="$WORK/haproxy-$1" bind threads maxconn limit
    threads=$(nproc)
    # Every proxied connection takes two descriptors; HAProxy refuses to start when maxconn
    # cannot fit the open-files limit, so take what fits, up to 10000 (500-1000 are needed here).
    limit=$(ulimit -n)
    [[ $limit == unlimited ]] && limit=1048576
    maxconn=$(((limit - 200) / 2))
    ((maxconn > 10000)) && maxconn=10000
    ((maxconn >= 1100)) || die "haproxy: the open-files limit ($limit) is too low for 500 connections; raise ulimit -n"
    pick_port 18083
    port=$REPLY
    bind="127.0.0.1:$port backlog 4096"
    is_tls "$scenario" && bind+=" ssl crt $WORK/server.pem alpn h2,http/1.1"
    mkdir -p "$dir"
    cat >"$dir/haproxy.cfg" <<EOF
# HAProxy for the $scenario scenario of scripts/bench.sh (no "log" line: nothing is logged)
global
    nbthread $threads
    maxconn $maxconn
    ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
    mode http
    option http-keep-alive
    http-reuse always
    maxconn $maxconn
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    timeout http-request 10s
    timeout http-keep-alive 300s

frontend bench
    bind $bind
    default_backend backend

backend backend
    server b 127.0.0.1:$BACKEND_PORT
EOF
    "$HAPROXY" -c -f "$dir/haproxy.cfg" >"$dir/config-test.log" 2>&1 ||
        { cat "$dir/config-test.log" >&2; die "haproxy rejected its config"; }
    # -db: foreground, one process (so $! is its pid); SIGTERM stops it.
    start_process haproxy "$dir/haproxy.log" "$HAPROXY" -db -f "$dir/haproxy.cfg"
    listener_ready haproxy "$scenario" "$port"
    LABEL[haproxy]="HAProxy"
    DESCR[haproxy]="nbthread $threads, mode http, option http-keep-alive, http-reuse always, maxconn $maxconn"
    is_tls "$scenario" && DESCR[haproxy]+=", bind ssl crt (cert+key) alpn h2,http/1.1"
    log "haproxy ($scenario): 127.0.0.1:$port, ${DESCR[haproxy]}"
}

write_gateway_config() { # scenario file port admin-port
    local scenario=$1 file=$2 port=$3 admin=$4
    {
        cat <<EOF
# generated by scripts/bench/lib.sh for the $scenario scenario
[server]
listen = "127.0.0.1:$port"
shutdown_timeout = "2s"
EOF
        is_tls "$scenario" && echo "http2 = true"
        cat <<EOF

[admin]
listen = "127.0.0.1:$admin"

[logging]
access_log = "off"
level = "warn"
EOF
        if is_tls "$scenario"; then
            printf '\n[server.tls]\ncert = "%s"\nkey = "%s"\n' "$WORK/server.crt" "$WORK/server.key"
        fi
        if [[ $scenario == static ]]; then
            printf '\n[static]\nroot = "%s"\n' "$WORK/static"
        else
            printf '\n[[routes]]\npath = "/*"\ntargets = ["http://127.0.0.1:%s"]\n' "$BACKEND_PORT"
        fi
    } >"$file"
}

GATEWAY_JAVA_PID=""

# NAME (default gateway) is the system's name in PID, URL, LABEL...; bench.sh starts a second one,
# gateway_alt, with other JVM options. GATEWAY_JAVA_PID, GATEWAY_ADMIN_PORT and GATEWAY_CONFIG
# describe the gateway started last.
start_gateway() { # scenario [name]
    local scenario=$1 name=${2:-gateway} port admin conf java_opts=() cmd=()
    conf="$WORK/$name-$scenario.toml"
    pick_port 18080
    port=$REPLY
    pick_port 19901
    admin=$REPLY
    write_gateway_config "$scenario" "$conf" "$port" "$admin"
    if ((USE_LAUNCHER)); then
        # The launcher reads its JVM options from config/jvm.options; GATEWAY_JVM_OPTIONS names
        # another options file (--jvm-opts writes one) and GATEWAY_JAR the jar to run. Options
        # of this script (the profiler agent) go through JAVA_TOOL_OPTIONS, which every JVM reads.
        local env_vars=("GATEWAY_JAR=$JAR")
        if ((JVM_OPTS_SET)); then
            read -r -a java_opts <<<"$JVM_OPTS"
            if ((${#java_opts[@]})); then printf '%s\n' "${java_opts[@]}"; fi >"$WORK/$name-jvm.options"
            env_vars+=("GATEWAY_JVM_OPTIONS=$WORK/$name-jvm.options")
        fi
        if ((${#GATEWAY_EXTRA_OPTS[@]})); then
            env_vars+=("JAVA_TOOL_OPTIONS=${GATEWAY_EXTRA_OPTS[*]}")
        fi
        cmd=(env "${env_vars[@]}" "$LAUNCHER" --config "$conf")
    else
        read -r -a java_opts <<<"$JVM_OPTS"
        cmd=(java "${java_opts[@]}" "${GATEWAY_EXTRA_OPTS[@]}" -jar "$JAR" --config "$conf")
    fi
    start_process "$name" "$WORK/$name-$scenario.log" "${cmd[@]}"
    wait_ready "$name" "$admin" /health 60
    GATEWAY_JAVA_PID=$(java_pid_of "${PID[$name]}") || die "no JVM found under the $name process ${PID[$name]}"
    listener_ready "$name" "$scenario" "$port"
    GATEWAY_ADMIN_PORT=$admin
    GATEWAY_CONFIG=$conf
    check_jvm_opts "$GATEWAY_JAVA_PID"
    LABEL[$name]=$name
    DESCR[$name]=$(jvm_opts_description)
    case $scenario in
        static) DESCR[$name]+=", [static] root" ;;
        proxy) DESCR[$name]+=", one \"/*\" route" ;;
        *) DESCR[$name]+=", one \"/*\" route, [server.tls], http2 = true" ;;
    esac
    log "$name ($scenario): 127.0.0.1:$port (admin $admin), pid ${PID[$name]}, JVM pid $GATEWAY_JAVA_PID"
}

# Warns when an option asked for with --jvm-opts is not on the JVM's command line (a launcher
# that does not read GATEWAY_JVM_OPTIONS would silently measure something else).
check_jvm_opts() { # jvm-pid
    local pid=$1 opt cmdline missing=() java_opts_check=()
    ((JVM_OPTS_SET)) || return 0
    cmdline=" $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) "
    read -r -a java_opts_check <<<"$JVM_OPTS"
    for opt in "${java_opts_check[@]}"; do
        [[ $cmdline == *" $opt "* ]] || missing+=("$opt")
    done
    if ((${#missing[@]})); then
        log "WARNING: the JVM options ${missing[*]} are not on the gateway JVM's command line: $cmdline"
        JVM_OPTS_MISSING="${missing[*]}"
    fi
}
JVM_OPTS_MISSING=""

# The JVM's command line and final flags, for the reports.
gateway_jvm_line() { # jvm-pid
    local pid=$1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | sed -e 's/ $//' -e "s#$WORK/##g" -e "s#$ROOT/##g"
}
gateway_jvm_flags() { # jvm-pid
    local pid=$1
    jcmd "$pid" VM.flags 2>/dev/null | sed -n '2p'
}

# A Prometheus sample summed over its label sets: metric NAME from a scrape in FILE.
metric_sum() { # file name
    awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF; found = 1 } END { if (found) printf "%.0f\n", s }' "$1"
}

# ---------------------------------------------------------------------------------------------
# Load generators: run in the background plus `wait`, so that Ctrl-C or SIGTERM runs the trap at
# once (wrk catches SIGINT and exits normally, and bash does not act on a SIGINT its foreground
# child handled).
# ---------------------------------------------------------------------------------------------

WRK_THREADS=${WRK_THREADS:-1} # the issue's runs: wrk -t1, so the load generator takes one of the 2 cores
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}

run_wrk() { # url conns duration outfile
    local url=$1 conns=$2 duration=$3 out=$4 rc=0
    wrk -t "$WRK_THREADS" -c "$conns" -d "$duration" --timeout "$WRK_TIMEOUT" --latency "$url" >"$out" 2>&1 &
    LOAD_PID=$!
    wait "$LOAD_PID" || rc=$?
    LOAD_PID=""
    ((rc == 0)) || { cat "$out" >&2; die "wrk against $url failed (exit code $rc)"; }
}

run_h2load() { # url conns duration outfile streams
    local url=$1 conns=$2 duration=$3 out=$4 streams=$5 rc=0
    h2load -c "$conns" -m "$streams" -t "$WRK_THREADS" -D "$(seconds_of "$duration")" --log-file "$out.log" \
        "$url" >"$out" 2>&1 &
    LOAD_PID=$!
    wait "$LOAD_PID" || rc=$?
    LOAD_PID=""
    ((rc == 0)) || { cat "$out" >&2; die "h2load against $url failed (exit code $rc)"; }
}

# wrk --latency output -> "rps p50_ms p99_ms requests non2xx errors bytes" (tab-separated);
# errors are wrk's socket errors (connect, read, write, timeout); bytes is what wrk read.
parse_wrk() {
    awk '
        function ms(v,   n, unit) {
            n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
            if (unit == "us") return n / 1000
            if (unit == "s") return n * 1000
            if (unit == "m") return n * 60000
            if (unit == "h") return n * 3600000
            return n
        }
        function bytes(v,   n, unit) {
            n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
            if (unit == "KB") return n * 1024
            if (unit == "MB") return n * 1048576
            if (unit == "GB") return n * 1073741824
            if (unit == "TB") return n * 1099511627776
            return n
        }
        /^ +50% / { p50 = ms($2) }
        /^ +99% / { p99 = ms($2) }
        / requests in / { requests = $1; read = $5 }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ { gsub(/,/, ""); socket = $4 + $6 + $8 + $10 }
        /^Requests\/sec:/ { rps = $2 }
        END {
            if (rps == "") exit 1
            printf "%s\t%.3f\t%.3f\t%d\t%d\t%d\t%.0f\n", rps, p50, p99, requests, non2xx, socket, bytes(read)
        }' "$1"
}

# h2load output and its per-request log -> the same fields as parse_wrk. Latency percentiles
# come from the log (microseconds until the end of each response, third column); errors are
# h2load's errored plus timed-out requests.
parse_h2load() { # output log
    local p50 p99
    read -r p50 p99 < <(cut -f3 "$2" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "0 0"; exit }
        i50 = int(NR * 0.50); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
        printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
    awk -v p50="$p50" -v p99="$p99" '
        /^finished in/ { rps = $4 }
        /^requests:/ { done = $6; errors = $12 + $14 }
        /^status codes:/ { ok = $3 }
        /^traffic:/ { b = $3; gsub(/[()]/, "", b) }
        END {
            if (rps == "") exit 1
            printf "%s\t%s\t%s\t%d\t%d\t%d\t%.0f\n", rps, p50, p99, done, done - ok, errors, b
        }' "$1"
}

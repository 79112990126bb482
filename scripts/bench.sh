#!/usr/bin/env bash
# Throughput/latency benchmark of the gateway as a reverse proxy, next to nginx doing the same job.
#
# Scenario h1 (default): three systems are loaded with wrk over loopback (HTTP/1.1 keep-alive),
# all in front of the same fast backend:
#   backend direct  the backend alone: the ceiling no proxy can beat on this machine
#   nginx proxy     nginx as a keep-alive reverse proxy: the reference to compare against
#   gateway         gateway-core/target/gateway.jar with one "/*" proxy route
# Scenario h2: nginx (listen ssl http2) and the gateway (TLS, h2 by ALPN) are loaded with h2load,
# several streams per connection, in front of the same backend over HTTP/1.1.
# A markdown table per connection count is printed on stdout (progress goes to stderr).
# Run `scripts/bench.sh --help` for the options.
#
# Everything started here (backend, nginx instances, gateway) lives in a private temp directory
# with its own ports, configs and pid files, and is stopped on every exit path.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/gateway-core/target/gateway.jar"
BACKEND_SRC="$ROOT/scripts/bench/BenchBackend.java"

# Defaults (see usage).
ROUNDS=3
CONNECTIONS="50 500"
DURATION=10s
WARMUP=10s
THREADS=2
WRK_TIMEOUT=10s
NGINX_KEEPALIVE=1024
BUILD=1
USE_NGINX=1
FORCE_BUILTIN_BACKEND=0
KEEP_DIR=""
SCENARIO=h1
STREAMS=10

COMMAND_LINE=$(printf '%q ' "$0" "$@")
COMMAND_LINE=${COMMAND_LINE% }

usage() {
    cat <<EOF
usage: scripts/bench.sh [options]

Benchmarks the gateway as a reverse proxy against nginx doing the same job, both in front of the
same fast backend on 127.0.0.1, with wrk. Prints one markdown table per connection count: median
requests/s, p50 and p99 latency for backend direct (the ceiling), nginx proxy and gateway, the
gateway's RSS, and the gateway/nginx ratios.

options:
  --scenario h1|h2      h1 (default): HTTP/1.1 keep-alive with wrk. h2: HTTP/2 over TLS with h2load
                        (-m streams per connection) through nginx (listen ssl http2) and the
                        gateway (h2 by ALPN); both reach the backend over HTTP/1.1 keep-alive;
                        the default connection count is then 50
  --streams N           h2: concurrent streams per connection, h2load -m (default $STREAMS)
  --rounds N            measured rounds per system and connection count (default $ROUNDS); the
                        table shows the median, and the min-max of requests/s
  --connections "A B"   wrk connection counts, space-separated (default "$CONNECTIONS")
  --duration D          length of each measured run, wrk syntax: 10s, 1m (default $DURATION)
  --warmup D            wrk load on the gateway before measuring, so the JIT has compiled the
                        hot paths (default $WARMUP; 0 skips it, which measures the interpreter)
  --threads N           wrk threads (default $THREADS)
  --nginx-keepalive N   idle upstream connections cached per nginx worker (default $NGINX_KEEPALIVE).
                        When more requests are in flight than that, nginx closes the extra
                        upstream connections after use and opens new ones; at 500 connections
                        on 2 cores that costs it roughly a quarter of its throughput, so try
                        e.g. 1024 to see nginx without that handicap
  --no-build            use gateway-core/target/gateway.jar as it is; without this flag the jar
                        is rebuilt (mvn -B -q package -DskipTests) when it is missing or older
                        than any */src/main/** file or pom.xml
  --builtin-backend     use scripts/bench/BenchBackend.java (Netty, 1 event loop) as the backend
                        even when nginx is installed
  --no-nginx            run without nginx at all: built-in backend, no nginx comparison
  --keep [DIR]          keep raw wrk output, configs, logs, results.tsv and report.md in DIR
                        (default ./bench-results-DATE); otherwise nothing is left behind
  -h, --help            show this help

environment:
  GATEWAY_JAVA_OPTS     extra JVM options for the gateway, e.g. "-Xmx512m -XX:+UseParallelGC"

Needs wrk and a JDK; nginx is optional. When wrk or nginx is missing and the script runs as root
with apt-get, it installs them (apt-get install wrk nginx); without nginx the built-in backend is
used and the nginx column stays empty. The system nginx service and its config are never touched.

How to read the numbers: load generator, backend and proxy share this machine's cores, so the
absolute numbers say little; compare the gateway with nginx (the ratio row) on the same run. wrk is
closed-loop (it waits for each answer before sending the next request), so its latencies are
those of a saturated server, not of a fixed request rate. Non-2xx answers (e.g. 502 while proxying
is broken) are counted and reported: such a run does not measure proxying.
EOF
}

log() { printf '%s\n' "$*" >&2; }
die() {
    log "bench: $*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

parse_args() {
    while (($#)); do
        local opt=$1
        # Accept --opt=value as well as --opt value.
        if [[ $opt == --*=* ]]; then
            set -- "${opt%%=*}" "${opt#*=}" "${@:2}"
            opt=$1
        fi
        case $opt in
            --rounds | --connections | --duration | --warmup | --threads | --nginx-keepalive | --scenario | --streams)
                (($# >= 2)) || die "$opt needs a value (see --help)"
                case $opt in
                    --rounds) ROUNDS=$2 ;;
                    --connections) CONNECTIONS=$2 ;;
                    --duration) DURATION=$2 ;;
                    --warmup) WARMUP=$2 ;;
                    --threads) THREADS=$2 ;;
                    --nginx-keepalive) NGINX_KEEPALIVE=$2 ;;
                    --scenario) SCENARIO=$2 ;;
                    --streams) STREAMS=$2 ;;
                esac
                shift 2
                ;;
            --no-build) BUILD=0; shift ;;
            --builtin-backend) FORCE_BUILTIN_BACKEND=1; shift ;;
            --no-nginx) USE_NGINX=0; shift ;;
            --keep)
                if (($# >= 2)) && [[ $2 != -* ]]; then
                    KEEP_DIR=$2
                    shift 2
                else
                    KEEP_DIR="$PWD/bench-results-$(date +%Y%m%d-%H%M%S)"
                    shift
                fi
                ;;
            -h | --help) usage; exit 0 ;;
            *) die "unknown argument '$opt' (see --help)" ;;
        esac
    done

    local c
    [[ $SCENARIO == h1 || $SCENARIO == h2 ]] || die "--scenario must be h1 or h2, not '$SCENARIO'"
    [[ $STREAMS =~ ^[1-9][0-9]*$ ]] || die "--streams must be a positive integer, not '$STREAMS'"
    if [[ $SCENARIO == h2 && $CONNECTIONS == "50 500" ]]; then
        CONNECTIONS=50 # h2load -c 50 -m 10: 500 streams in flight
    fi
    [[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, not '$ROUNDS'"
    [[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, not '$THREADS'"
    [[ $NGINX_KEEPALIVE =~ ^[1-9][0-9]*$ ]] || die "--nginx-keepalive must be a positive integer"
    [[ $DURATION =~ ^[1-9][0-9]*[smh]?$ ]] || die "--duration must look like 10s or 1m, not '$DURATION'"
    [[ $WARMUP =~ ^[0-9]+[smh]?$ ]] || die "--warmup must look like 10s, 1m or 0, not '$WARMUP'"
    read -r -a CONNS <<<"$CONNECTIONS"
    ((${#CONNS[@]})) || die "--connections is empty"
    for c in "${CONNS[@]}"; do
        [[ $c =~ ^[1-9][0-9]*$ ]] || die "--connections: '$c' is not a positive integer"
        ((c >= THREADS)) || die "--connections: wrk needs at least as many connections ($c) as threads ($THREADS)"
    done
}

seconds_of() { # wrk duration (10s, 2m, 1h, 30) -> seconds
    local d=$1
    case $d in
        *h) echo $((${d%h} * 3600)) ;;
        *m) echo $((${d%m} * 60)) ;;
        *s) echo "${d%s}" ;;
        *) echo "$d" ;;
    esac
}

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

NGINX=""
find_nginx() {
    # Debian puts nginx in /usr/sbin, which is not on every user's PATH.
    if have nginx; then
        NGINX=$(command -v nginx)
    elif [[ -x /usr/sbin/nginx ]]; then
        NGINX=/usr/sbin/nginx
    else
        return 1
    fi
}

ensure_tools() {
    have java || die "java is not installed (the gateway needs a JDK 17+)"
    local missing=()
    have wrk || missing+=(wrk)
    [[ $SCENARIO != h2 ]] || have h2load || missing+=(nghttp2-client)
    [[ $SCENARIO != h2 ]] || have openssl || missing+=(openssl)
    if ((USE_NGINX)) && ! find_nginx; then
        missing+=(nginx)
    fi
    if ((${#missing[@]})) && ((EUID == 0)) && have apt-get; then
        log "installing ${missing[*]}: apt-get install -y -qq ${missing[*]}"
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2; then
            log "apt-get install failed"
        fi
    fi
    if ! have wrk; then
        log "wrk is not installed. Install it, e.g.:"
        log "  Debian/Ubuntu: sudo apt-get install wrk    Fedora: sudo dnf install wrk    macOS: brew install wrk"
        log "  or build it: git clone https://github.com/wg/wrk && make -C wrk"
        exit 1
    fi
    if [[ $SCENARIO == h2 ]] && ! have h2load; then
        die "h2load is not installed (Debian/Ubuntu: sudo apt-get install nghttp2-client)"
    fi
    if [[ $SCENARIO == h2 ]] && ! have openssl; then
        die "openssl is not installed: it makes the test certificate of the h2 scenario"
    fi
    if ((USE_NGINX)) && ! find_nginx; then
        log "nginx is not installed: continuing without the nginx comparison, with the built-in backend."
        log "  (Debian/Ubuntu: sudo apt-get install nginx)"
        USE_NGINX=0
    fi
}

# ---------------------------------------------------------------------------------------------
# Processes: everything started is recorded here and stopped by cleanup()
# ---------------------------------------------------------------------------------------------

WORK=""
STARTED=()           # names, in start order
declare -A PID=()    # name -> pid
declare -A LOGFILE=() # name -> log file

cleanup() {
    local rc=$? i name
    trap - EXIT INT TERM
    if [[ -n $WRK_PID ]]; then
        kill -TERM "$WRK_PID" 2>/dev/null || true
        wait "$WRK_PID" 2>/dev/null || true
    fi
    # Stop in reverse order: proxies before the backend they talk to.
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
        name=${STARTED[i]}
        stop_process "$name" "${PID[$name]}"
    done
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ -n $KEEP_DIR ]]; then
            # The nginx instances' empty temp directories are not worth keeping.
            rm -rf "$WORK"/nginx-*/tmp
            mkdir -p "$KEEP_DIR" && cp -a "$WORK/." "$KEEP_DIR/" && log "results kept in $KEEP_DIR"
        fi
        rm -rf "$WORK"
    fi
    exit "$rc"
}

stop_process() { # name pid: SIGTERM, then SIGKILL after 10 s
    local name=$1 pid=$2 deadline=$((SECONDS + 10))
    kill -TERM "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop on SIGTERM: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

start_process() { # name logfile command... (started in the background, stdin closed)
    local name=$1 logfile=$2
    shift 2
    "$@" >"$logfile" 2>&1 </dev/null &
    PID[$name]=$!
    LOGFILE[$name]=$logfile
    STARTED+=("$name")
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
# Ports and readiness (bash's /dev/tcp, so curl is not needed)
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

# Makes the self-signed certificate both TLS listeners of the h2 scenario present.
make_certificate() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
        -keyout "$WORK/server.key" -out "$WORK/server.crt" >/dev/null 2>&1 || die "openssl could not make a certificate"
    chmod 644 "$WORK/server.key" # nginx's workers run as nobody
}

https_status() { # port path -> status over HTTP/2 (curl), or nothing
    curl -sk --http2 --max-time 5 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$1$2" 2>/dev/null || true
}

wait_ready() { # name port path timeout-seconds: polls until GET path answers 200
    local name=$1 port=$2 path=$3 deadline=$((SECONDS + $4))
    until [[ $(http_status "$port" "$path") == 200 ]]; do
        if ! kill -0 "${PID[$name]}" 2>/dev/null; then
            show_log "$name"
            die "$name exited during start-up"
        fi
        if ((SECONDS >= deadline)); then
            show_log "$name"
            die "$name did not answer 200 on 127.0.0.1:$port$path within $4 s"
        fi
        sleep 0.1
    done
}

# ---------------------------------------------------------------------------------------------
# The systems under test
# ---------------------------------------------------------------------------------------------

declare -A PORT=()   # system -> port on 127.0.0.1
declare -A URL=()    # system -> URL wrk loads
declare -A LABEL=()  # system -> row label in the table
SYSTEMS=()           # systems measured, in table order
BACKEND_KIND=""
BACKEND_PORT=""

# The common part of both nginx configs: foreground master (so $! is its pid), everything inside
# the instance's own directory, no access log (the gateway runs with access_log = "off" too).
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
EOF
}

start_nginx() { # name dir: runs nginx with dir/nginx.conf
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
        # core(s) to wrk and the proxy under test; one nginx worker still answers this tiny
        # response far faster than any proxy in front of it can forward it.
        BACKEND_KIND="nginx, worker_processes 1, return 200 \"hello\\n\""
        local dir="$WORK/nginx-backend"
        mkdir -p "$dir/tmp"
        {
            printf '%s\n' '# benchmark backend: answers 200 "hello\n" to everything'
            nginx_common_conf "$dir" 1
            cat <<EOF
http {
    access_log off;
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
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
        start_nginx backend "$dir"
        wait_ready backend "$BACKEND_PORT" / 15
    else
        [[ -f $BACKEND_SRC ]] || die "$BACKEND_SRC is missing"
        BACKEND_KIND="built-in BenchBackend (Netty, 1 event loop)"
        # Source-file mode compiles BenchBackend.java in memory; Netty comes from the fat jar.
        start_process backend "$WORK/backend.log" java -cp "$JAR" "$BACKEND_SRC" "$BACKEND_PORT"
        wait_ready backend "$BACKEND_PORT" / 60
    fi
    PORT[backend]=$BACKEND_PORT
    URL[backend]="http://127.0.0.1:$BACKEND_PORT/"
    LABEL[backend]="backend direct (ceiling)"
    log "backend: $BACKEND_KIND on 127.0.0.1:$BACKEND_PORT"
}

start_nginx_proxy() {
    pick_port 18082
    local port=$REPLY dir="$WORK/nginx-proxy" listen tls_lines=""
    listen="127.0.0.1:$port backlog=4096"
    if [[ $SCENARIO == h2 ]]; then
        # nginx < 1.25.1 spells it on the listen line; later versions accept it with a warning.
        listen+=" ssl http2"
        tls_lines="ssl_certificate $WORK/server.crt; ssl_certificate_key $WORK/server.key;
        http2_max_concurrent_streams 128;"
    fi
    mkdir -p "$dir/tmp"
    {
        echo "# reference reverse proxy: keep-alive to the client and to the backend"
        nginx_common_conf "$dir" auto
        cat <<EOF
http {
    access_log off;
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    upstream b {
        server 127.0.0.1:$BACKEND_PORT;
        keepalive $NGINX_KEEPALIVE;
        keepalive_requests 1000000;
        keepalive_timeout 300s;
    }
    server {
        listen $listen;
        $tls_lines
        location / {
            proxy_pass http://b;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
    } >"$dir/nginx.conf"
    start_nginx nginx "$dir"
    if [[ $SCENARIO == h2 ]]; then
        local deadline=$((SECONDS + 15))
        until [[ $(https_status "$port" /) == 200 ]]; do
            ((SECONDS < deadline)) || { show_log nginx; die "nginx did not answer 200 over h2 on 127.0.0.1:$port"; }
            sleep 0.1
        done
        URL[nginx]="https://127.0.0.1:$port/"
    else
        wait_ready nginx "$port" / 15
        URL[nginx]="http://127.0.0.1:$port/"
    fi
    PORT[nginx]=$port
    LABEL[nginx]="nginx proxy"
    log "nginx proxy: 127.0.0.1:$port, worker_processes auto, upstream keepalive $NGINX_KEEPALIVE"
}

start_gateway() {
    pick_port 18080
    local port=$REPLY admin
    pick_port 19901
    admin=$REPLY
    cat >"$WORK/gateway.toml" <<EOF
# generated by scripts/bench.sh
[server]
listen = "127.0.0.1:$port"
shutdown_timeout = "2s"

[admin]
listen = "127.0.0.1:$admin"

[logging]
access_log = "off"
level = "warn"

[[routes]]
path = "/*"
targets = ["http://127.0.0.1:$BACKEND_PORT"]
EOF
    local scheme=http
    if [[ $SCENARIO == h2 ]]; then
        scheme=https
        printf '\n[server.tls]\ncert = "%s"\nkey = "%s"\n' "$WORK/server.crt" "$WORK/server.key" >>"$WORK/gateway.toml"
    fi
    local java_opts=()
    read -r -a java_opts <<<"${GATEWAY_JAVA_OPTS:-}"
    start_process gateway "$WORK/gateway.log" java "${java_opts[@]}" -jar "$JAR" --config "$WORK/gateway.toml"
    wait_ready gateway "$admin" /health 60
    PORT[gateway]=$port
    URL[gateway]="$scheme://127.0.0.1:$port/"
    LABEL[gateway]="gateway"
    log "gateway: 127.0.0.1:$port (admin $admin), pid ${PID[gateway]}${GATEWAY_JAVA_OPTS:+, GATEWAY_JAVA_OPTS=$GATEWAY_JAVA_OPTS}"
}

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------

# VmRSS in KiB of a process plus its direct children (nginx's workers; the JVM has none).
rss_kib() {
    local pid=$1 total=0 kib p children=()
    read -r -a children <"/proc/$pid/task/$pid/children" 2>/dev/null || true
    for p in "$pid" "${children[@]}"; do
        kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
        total=$((total + ${kib:-0}))
    done
    echo "$total"
}

# wrk --latency output -> "rps p50_ms p99_ms requests non2xx socket_errors" (tab-separated).
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
        /^ +50% / { p50 = ms($2) }
        /^ +99% / { p99 = ms($2) }
        / requests in / { requests = $1 }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ { gsub(/,/, ""); socket = $4 + $6 + $8 + $10 }
        /^Requests\/sec:/ { rps = $2 }
        END {
            if (rps == "") exit 1
            printf "%s\t%.3f\t%.3f\t%d\t%d\t%d\n", rps, p50, p99, requests, non2xx, socket
        }' "$1"
}

RESULTS=""  # TSV: system conns round rps p50_ms p99_ms requests non2xx socket_errors rss_kib

WRK_PID=""

run_wrk() { # system conns duration outfile
    local system=$1 conns=$2 duration=$3 out=$4 rc=0
    # In the background plus `wait`, so that Ctrl-C or SIGTERM runs the trap at once: wrk catches
    # SIGINT and exits normally, and bash does not act on a SIGINT its foreground child handled.
    wrk -t "$THREADS" -c "$conns" -d "$duration" --timeout "$WRK_TIMEOUT" --latency "${URL[$system]}" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    ((rc == 0)) || { cat "$out" >&2; die "wrk against $system failed (exit code $rc)"; }
}

# h2load output and its per-request log -> the same fields as parse_wrk. Latency percentiles
# come from the log (microseconds until the end of each response, third column).
parse_h2load() { # output log
    local p50 p99
    read -r p50 p99 < <(cut -f3 "$2" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "0 0"; exit }
        i50 = int(NR * 0.50); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
        printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
    awk -v p50="$p50" -v p99="$p99" '
        /^finished in/ { rps = $4 }
        /^requests:/ { done = $6; failed = $10 + $12 + $14 }
        /^status codes:/ { ok = $3 }
        END {
            if (rps == "") exit 1
            printf "%s\t%s\t%s\t%d\t%d\t%d\n", rps, p50, p99, done, done - ok, failed
        }' "$1"
}

run_h2load() { # system conns duration outfile
    local system=$1 conns=$2 duration=$3 out=$4 rc=0
    h2load -c "$conns" -m "$STREAMS" -t "$THREADS" -D "$(seconds_of "$duration")" --log-file "$out.log" \
        "${URL[$system]}" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    ((rc == 0)) || { cat "$out" >&2; die "h2load against $system failed (exit code $rc)"; }
}

run_load() { # system conns duration outfile: wrk or h2load, as the scenario says
    if [[ $SCENARIO == h2 ]]; then run_h2load "$@"; else run_wrk "$@"; fi
}

measure() { # system conns round
    local system=$1 conns=$2 round=$3 out fields rss
    out="$WORK/wrk/$system-c$conns-r$round.txt"
    run_load "$system" "$conns" "$DURATION" "$out"
    check_alive
    if [[ $SCENARIO == h2 ]]; then
        fields=$(parse_h2load "$out" "$out.log") || { cat "$out" >&2; die "could not parse the h2load output above"; }
        rm -f "$out.log" # millions of lines; the percentiles are in results.tsv
    else
        fields=$(parse_wrk "$out") || { cat "$out" >&2; die "could not parse the wrk output above"; }
    fi
    # RSS right after the load, while the process still holds its working set.
    rss=$(rss_kib "${PID[$system]}")
    printf '%s\t%s\t%s\t%s\t%s\n' "$system" "$conns" "$round" "$fields" "$rss" >>"$RESULTS"
    awk -F'\t' -v s="$system" -v c="$conns" -v r="$round/$ROUNDS" '{
        printf "  round %-5s c=%-5s %-8s %9.0f req/s  p50 %8.3f ms  p99 %8.3f ms  non-2xx %d  socket errors %d\n",
            r, c, s, $1, $2, $3, $5, $6 }' <<<"$fields" >&2
}

warm_up() {
    local max=0 c system
    [[ $(seconds_of "$WARMUP") -gt 0 ]] || { log "warm-up skipped (--warmup 0)"; return; }
    for c in "${CONNS[@]}"; do ((c > max)) && max=$c; done
    # The JVM starts in the interpreter and compiles hot code after thousands of calls; without
    # this, the first measured gateway runs would measure the JIT, not the gateway. The built-in
    # backend is a JVM too. nginx needs no warm-up. The highest connection count also opens the
    # gateway's upstream connections.
    for system in gateway backend; do
        if [[ $system == backend && $BACKEND_KIND != built-in* ]]; then continue; fi
        log "warm-up: $WARMUP of load at -c $max against $system"
        run_load "$system" "$max" "$WARMUP" "$WORK/wrk/warmup-$system.txt"
        rm -f "$WORK/wrk/warmup-$system.txt.log"
        check_alive
    done
}

run_rounds() {
    local round conns i n=${#SYSTEMS[@]} system
    for ((round = 1; round <= ROUNDS; round++)); do
        for conns in "${CONNS[@]}"; do
            # Systems alternate within each round, and the order rotates from round to round, so
            # that slow drift on a shared machine (other jobs, thermal throttling, page cache)
            # spreads over all systems instead of landing on whichever ran last in a block.
            for ((i = 0; i < n; i++)); do
                system=${SYSTEMS[(round - 1 + i) % n]}
                measure "$system" "$conns" "$round"
            done
        done
    done
}

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

# The markdown table for one connection count, from the results TSV.
report_table() {
    local conns=$1
    awk -F'\t' -v c="$conns" -v rounds="$ROUNDS" -v dur="$DURATION" -v threads="$THREADS" \
        -v has_nginx="$USE_NGINX" -v timeout="$WRK_TIMEOUT" -v scenario="$SCENARIO" -v streams="$STREAMS" \
        -v keepalive="$NGINX_KEEPALIVE" -v workers="$(nproc)" \
        -v lb="${LABEL[backend]}" -v ln="${LABEL[nginx]:-nginx proxy}" -v lg="${LABEL[gateway]}" '
        function sort(a, n,   i, j, t) {
            for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        }
        function median(a, n) { sort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
        function lat(v) { return v >= 1000 ? sprintf("%.2f s", v / 1000) : v >= 1 ? sprintf("%.2f ms", v) : sprintf("%.3f ms", v) }
        function mib(k) { return sprintf("%.1f MiB", k / 1024) }
        $2 == c {
            s = $1; k = ++n[s]
            rps[s, k] = $4; p50[s, k] = $5; p99[s, k] = $6; rss[s, k] = $10
            req[s] += $7; non[s] += $8; sock[s] += $9
        }
        function row(s, label,   k, a, b, d, e, lo, hi) {
            if (!n[s]) { printf "| %s | not run | | | | | | |\n", label; return }
            for (k = 1; k <= n[s]; k++) { a[k] = rps[s, k]; b[k] = p50[s, k]; d[k] = p99[s, k]; e[k] = rss[s, k] }
            R[s] = median(a, n[s]); lo = a[1]; hi = a[n[s]]; P99[s] = median(d, n[s])
            printf "| %s | %.0f | %.0f-%.0f | %s | %s | %d / %d | %d | %s |\n", label, R[s], lo, hi,
                lat(median(b, n[s])), lat(P99[s]), non[s], req[s], sock[s], mib(median(e, n[s]))
        }
        END {
            printf "### %d connections\n\n", c
            if (scenario == "h2")
                printf "HTTP/2 over TLS: median of %d round%s x %s, h2load -c %d -m %d -t%d; non-2xx and failed/errored/timed-out requests summed over the rounds; RSS sampled after each run\n\n", rounds, rounds == 1 ? "" : "s", dur, c, streams, threads
            else
                printf "median of %d round%s x %s, wrk -t%d --timeout %s --latency; non-2xx and socket errors summed over the rounds; RSS sampled after each run\n\n", rounds, rounds == 1 ? "" : "s", dur, threads, timeout
            print "| system | req/s | req/s min-max | p50 | p99 | non-2xx / requests | socket errors | RSS |"
            print "|---|--:|--:|--:|--:|--:|--:|--:|"
            if (scenario != "h2") row("backend", lb)
            if (has_nginx) row("nginx", ln); else printf "| %s | not run (no nginx) | | | | | | |\n", ln
            row("gateway", lg)
            if (n["nginx"] && n["gateway"] && R["nginx"] > 0 && P99["nginx"] > 0)
                printf "| **gateway / nginx** | **%.2fx** | | | **%.2fx** | | | |\n", R["gateway"] / R["nginx"], P99["gateway"] / P99["nginx"]
            else
                print "| **gateway / nginx** | n/a | | | n/a | | | |"
            print ""
            print "req/s ratio: higher is better for the gateway; p99 ratio: lower is better."
            if (has_nginx && scenario != "h2" && c > keepalive * workers)
                printf "\nNote: %d connections exceed the idle upstream connections nginx caches (keepalive %d x %d workers), so nginx keeps closing and re-opening upstream connections, which costs it throughput and p99; --nginx-keepalive 1024 shows nginx without that handicap.\n", c, keepalive, workers
            split("backend nginx gateway", order, " ")
            for (i = 1; i <= 3; i++) if (non[s = order[i]] > 0)
                printf "\n**WARNING: %s answered %d of %d requests with a non-2xx/3xx status: its numbers do not measure proxying.**\n", s, non[s], req[s]
            print ""
        }' "$RESULTS"
}

machine_info() {
    local cpu commit="" java_version nginx_version="not used" wrk_version
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    java_version=$(java -version 2>&1 | head -n 1)
    [[ -z $NGINX ]] || nginx_version=$("$NGINX" -v 2>&1 | head -n 1)
    wrk_version=$(wrk -v 2>&1 | head -n 1 || true)
    if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
        [[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]] || commit+=" + uncommitted changes"
    fi
    cat <<EOF
- command: \`$COMMAND_LINE\`
- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- gateway: ${commit:-unknown commit}, jar built $(date -r "$JAR" '+%Y-%m-%d %H:%M:%S'), peak RSS (VmHWM) $(awk '/^VmHWM:/ { printf "%.1f MiB", $2 / 1024 }' "/proc/${PID[gateway]}/status")${GATEWAY_JAVA_OPTS:+, GATEWAY_JAVA_OPTS=\`$GATEWAY_JAVA_OPTS\`}
- machine: nproc $(nproc), ${cpu:-unknown CPU}, $(uname -sr), load average $LOAD_BEFORE before / $(cut -d' ' -f1-3 /proc/loadavg) after
- java: $java_version
- nginx: $nginx_version
- load: $([[ $SCENARIO == h2 ]] && h2load --version 2>&1 | head -n 1 || echo "$wrk_version")
- backend: $BACKEND_KIND; the nginx proxy has worker_processes auto and upstream keepalive $NGINX_KEEPALIVE
- procedure: warm-up $WARMUP on the gateway, then $ROUNDS round(s) of $DURATION per system and connection count, systems alternating in an order that rotates each round
EOF
}

print_report() {
    local conns
    {
        echo "## Gateway benchmark"
        echo
        machine_info
        echo
        for conns in "${CONNS[@]}"; do
            report_table "$conns"
        done
    } >"$WORK/report.md"
    cat "$WORK/report.md"
}

# ---------------------------------------------------------------------------------------------

main() {
    parse_args "$@"
    ensure_jar
    ensure_tools

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench.XXXXXX")
    # nginx workers run as "nobody" when we are root: let them reach their temp directories.
    chmod 711 "$WORK"
    mkdir -p "$WORK/wrk"
    RESULTS="$WORK/results.tsv"
    : >"$RESULTS"
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

    # 500 client connections through a proxy need ~1000 descriptors in each process.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

    [[ $SCENARIO != h2 ]] || make_certificate
    start_backend
    SYSTEMS=(backend)
    # h2: the backend speaks HTTP/1.1 only, so it is not loaded; both proxies reach it the same way
    [[ $SCENARIO != h2 ]] || SYSTEMS=()
    if ((USE_NGINX)); then
        start_nginx_proxy
        SYSTEMS+=(nginx)
    fi
    start_gateway
    SYSTEMS+=(gateway)

    local system status runs warmups=1 total
    # One request through each system first, so a broken setup shows before minutes of load.
    for system in "${SYSTEMS[@]}"; do
        if [[ $SCENARIO == h2 ]]; then status=$(https_status "${PORT[$system]}" /); else status=$(http_status "${PORT[$system]}" /); fi
        log "check: GET ${URL[$system]} ($system) -> ${status:-no answer}"
    done
    runs=$((ROUNDS * ${#CONNS[@]} * ${#SYSTEMS[@]}))
    [[ $BACKEND_KIND != built-in* ]] || warmups=2
    total=$(($(seconds_of "$WARMUP") * warmups + runs * $(seconds_of "$DURATION")))
    log "$runs measured runs of $DURATION; about $(((total + 59) / 60)) min in all"

    warm_up
    run_rounds
    print_report
}

main "$@"

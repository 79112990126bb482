#!/usr/bin/env bash
# Throughput, latency, CPU and memory of the gateway next to nginx and HAProxy doing the same job,
# every scenario in one interleaved run:
#
#   proxy   HTTP/1.1 keep-alive reverse proxy (wrk), 50 and 500 connections; the backend alone is
#           measured too, as the ceiling
#   static  1 KiB and 1 MiB files from one directory (wrk), nginx with sendfile and open_file_cache
#   https   the proxy over TLS, HTTP/1.1 keep-alive (wrk)
#   h2      the proxy over TLS, HTTP/2 by ALPN (h2load -c 50 -m 10)
#
# `--scenario all` runs them in turn and prints one report: a section per scenario and a summary
# of the gateway/nginx and gateway/HAProxy ratios. Markdown goes to stdout, progress to stderr.
# Run `scripts/bench.sh --help` for the options.
#
# Everything started here (backend, nginx, HAProxy, gateway) lives in a private temp directory
# with its own ports, configs and pid files, and is stopped on every exit path. The systems and
# their configurations come from scripts/bench/lib.sh, shared with profile.sh and soak.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROG=bench
# shellcheck source-path=SCRIPTDIR source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

# Defaults (see usage).
ROUNDS=""      # empty: 5 rounds for cases below 500 connections, 3 from 500 up (what issue 14 used)
CONNECTIONS=""  # empty: each scenario's own default (proxy "50 500", the others 50)
DURATION=10s
WARMUP=""       # empty: each scenario's own default (h2 30s, the others 10s)
STREAMS=10
SCENARIO_ARG=proxy
USE_HAPROXY=1
ALT_JVM_OPTS=""  # --alt-jvm-opts: a second gateway, gateway_alt, with these JVM options
ALT_SET=0

COMMAND_LINE=$(printf '%q ' "$0" "$@")
COMMAND_LINE=${COMMAND_LINE% }

usage() {
    cat <<EOF
usage: scripts/bench.sh [options]

Benchmarks the gateway against nginx and HAProxy doing the same job on 127.0.0.1, all systems
loaded in turn within each round (the order rotating from round to round), and prints markdown
tables: median requests/s and its min-max, p50 and p99 latency, non-2xx answers and socket errors,
the CPU time each system used during the measured runs, requests per CPU-second, RSS after the
runs, and the gateway/nginx and gateway/HAProxy ratios.

scenarios (--scenario):
  proxy (default; h1 is an alias)
                wrk, HTTP/1.1 keep-alive, GET / through a reverse proxy to a fast backend (nginx
                "return 200", or the built-in Netty one), at 50 and 500 connections. Systems:
                backend direct (the ceiling no proxy can beat), nginx (upstream keepalive),
                HAProxy (http-reuse always), gateway (one "/*" route).
  static        wrk, HTTP/1.1 keep-alive, a 1 KiB and a 1 MiB file (random bytes written by the
                script) at 50 connections. Systems: nginx (sendfile on, tcp_nopush on,
                open_file_cache max=1000 inactive=60s, open_file_cache_valid 60s) and the gateway
                ([static] root); HAProxy serves no files. Before the load each system's answer
                is checked against the file (status, Content-Length, body), and the table shows
                the bytes wrk read per response.
  https         the proxy scenario over TLS: wrk, HTTP/1.1 keep-alive, 50 connections. Systems:
                nginx (listen ssl http2, ssl_session_cache), HAProxy (bind ssl crt, alpn
                h2,http/1.1), gateway ([server.tls], http2 = true), all with the same
                self-signed EC P-256 certificate, all proxying to the backend over HTTP/1.1.
  h2            the same TLS listeners loaded with h2load over HTTP/2: -c 50 -m 10 (500 streams
                in flight); p50/p99 from h2load's per-request log.
  all           proxy, static, https and h2 in turn, one report with a section per scenario and
                a summary table at the end.

options:
  --scenario S          proxy | h1 | static | https | h2 | all, or several: "proxy h2"
                        (default $SCENARIO_ARG)
  --rounds N            measured rounds per system and case (default: 5 below 500 connections,
                        3 at 500 and more); tables show medians and the min-max of requests/s
  --connections "A B"   connection counts for every scenario run (default: proxy "50 500",
                        static, https and h2 "50")
  --duration D          length of each measured run: 10s, 1m (default $DURATION)
  --warmup D            load on the gateway before each scenario's measured rounds, per
                        distinct path at the highest connection count, so the JIT has compiled
                        the hot paths (default: 30s for h2, whose path the JIT takes longer to
                        settle, 10s for the others; 0 skips it, which measures the interpreter)
  --threads N           wrk and h2load threads (default $WRK_THREADS)
  --streams N           h2: concurrent streams per connection, h2load -m (default $STREAMS)
  --nginx-keepalive N   idle upstream connections cached per nginx worker (default $NGINX_KEEPALIVE).
                        When more requests are in flight than that, nginx closes the extra
                        upstream connections after use and opens new ones, which costs it
                        throughput and p99 at 500 connections
  --launcher            run the gateway as bin/gateway --config FILE (the shipped launcher, which
                        reads config/jvm.options; GATEWAY_JAR is set to the jar); fail when the
                        tree has no bin/gateway. This is the default whenever bin/gateway exists
  --no-launcher         run java -jar gateway-core/target/gateway.jar --config FILE even when
                        bin/gateway exists (the JVM's defaults; no launcher in the tree: the
                        default)
  --jvm-opts "OPTS"     the gateway's JVM options instead of the shipped ones: with bin/gateway
                        they are written to an options file named by GATEWAY_JVM_OPTIONS, which
                        replaces config/jvm.options; with java -jar they go before -jar.
                        --jvm-opts "" is the JVM's defaults (no options). Run once with and once
                        without it to compare the shipped settings with another JVM setup; the
                        report shows the JVM's actual command line and flags and warns when an
                        option did not reach it
  --alt-jvm-opts "OPTS" also run a second gateway, gateway_alt, started the same way but with
                        these JVM options instead of the shipped ones, as one more system in the
                        same interleaved rounds; each table gets a gateway / gateway_alt row.
                        --alt-jvm-opts "" compares the shipped settings with the JVM's defaults
                        within one run, where run-to-run noise does not blur a 5% difference
  --no-build            use gateway-core/target/gateway.jar as it is; without this flag the jar
                        is rebuilt (mvn -B -q package -DskipTests) when it is missing or older
                        than any */src/main/** file or pom.xml
  --builtin-backend     use scripts/bench/BenchBackend.java (Netty, 1 event loop) as the backend
                        even when nginx is installed
  --no-nginx            run without nginx (built-in backend, no nginx column)
  --no-haproxy          run without HAProxy
  --keep [DIR]          keep configs, logs, raw wrk/h2load output, results.tsv and report.md in
                        DIR (default ./bench-results-DATE); otherwise nothing is left behind
  -h, --help            show this help

environment:
  GATEWAY_JAVA_OPTS     older spelling of --jvm-opts, used only with java -jar and when
                        --jvm-opts is not given

The columns:
  req/s, min-max        median over the rounds, and the lowest and highest round
  p50, p99              medians over the rounds of wrk's --latency percentiles (h2load: computed
                        from its per-request log)
  non-2xx / requests    summed over the rounds; any non-2xx answer means the run did not measure
                        the job (e.g. 502 while proxying is broken) and is flagged
  errors                wrk's socket errors (connect, read, write, timeout) or h2load's errored and
                        timed-out requests, summed; flagged when not 0
  CPU s                 CPU time (user + system) the system used during one measured run, median:
                        utime+stime from /proc/PID/stat of the process and its children (nginx's
                        workers; the JVM under bin/gateway), read before and after the run
  req/CPU-s             requests served per CPU-second, median over the rounds: how much work
                        each system gets out of the CPU it uses, independent of how much of the
                        shared machine it managed to grab
  RSS                   VmRSS of the process and its children right after each run, median;
                        each scenario section also gives the peak (VmHWM)
  bytes/resp            static only: bytes wrk read per response, headers included

Needs wrk and a JDK; h2load (nghttp2-client), openssl and curl for the TLS scenarios; nginx and
HAProxy are optional. When something is missing and the script runs as root with apt-get, it
installs it (apt-get install wrk nginx haproxy nghttp2-client openssl curl). The system nginx
and HAProxy services and their configs are never touched.

How to read the numbers: the load generator, the backend and the system under test share this
machine's cores, so the absolute numbers say little; compare the systems within one run (the
ratio rows). wrk and h2load are closed-loop (each connection waits for an answer before sending
the next request), so latencies are those of a saturated server, not of a fixed request rate.
EOF
}

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
        common_option "$@"
        if ((TAKEN)); then
            shift "$TAKEN"
            continue
        fi
        case $opt in
            --rounds | --connections | --duration | --warmup | --threads | --nginx-keepalive | --scenario | --streams)
                (($# >= 2)) || die "$opt needs a value (see --help)"
                case $opt in
                    --rounds) ROUNDS=$2 ;;
                    --connections) CONNECTIONS=$2 ;;
                    --duration) DURATION=$2 ;;
                    --warmup) WARMUP=$2 ;;
                    --threads) WRK_THREADS=$2 ;;
                    --nginx-keepalive) NGINX_KEEPALIVE=$2 ;;
                    --scenario) SCENARIO_ARG=$2 ;;
                    --streams) STREAMS=$2 ;;
                esac
                shift 2
                ;;
            --alt-jvm-opts)
                (($# >= 2)) || die "--alt-jvm-opts needs a value, \"\" for the JVM's defaults (see --help)"
                ALT_JVM_OPTS=$2
                ALT_SET=1
                shift 2
                ;;
            --no-nginx) USE_NGINX=0; shift ;;
            --no-haproxy) USE_HAPROXY=0; shift ;;
            -h | --help) usage; exit 0 ;;
            *) die "unknown argument '$opt' (see --help)" ;;
        esac
    done

    local c words=()
    parse_scenarios "$SCENARIO_ARG"
    [[ -z $ROUNDS || $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, not '$ROUNDS'"
    [[ $WRK_THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, not '$WRK_THREADS'"
    [[ $STREAMS =~ ^[1-9][0-9]*$ ]] || die "--streams must be a positive integer, not '$STREAMS'"
    [[ $NGINX_KEEPALIVE =~ ^[1-9][0-9]*$ ]] || die "--nginx-keepalive must be a positive integer"
    [[ $DURATION =~ ^[1-9][0-9]*[smh]?$ ]] || die "--duration must look like 10s or 1m, not '$DURATION'"
    [[ -z $WARMUP || $WARMUP =~ ^[0-9]+[smh]?$ ]] || die "--warmup must look like 10s, 1m or 0, not '$WARMUP'"
    if [[ -n $CONNECTIONS ]]; then
        read -r -a words <<<"$CONNECTIONS"
        ((${#words[@]})) || die "--connections is empty"
        for c in "${words[@]}"; do
            [[ $c =~ ^[1-9][0-9]*$ ]] || die "--connections: '$c' is not a positive integer"
            ((c >= WRK_THREADS)) || die "--connections: wrk needs at least as many connections ($c) as threads ($WRK_THREADS)"
        done
    fi
}

uses_scenario() { # true when one of the scenarios run matches the test
    local s
    for s in "${SCENARIOS[@]}"; do
        case $1 in
            tls) is_tls "$s" && return 0 ;;
            proxying) [[ $s != static ]] && return 0 ;;
            *) [[ $s == "$1" ]] && return 0 ;;
        esac
    done
    return 1
}

ensure_tools() {
    have java || die "java is not installed (the gateway needs a JDK 17+)"
    local missing=()
    have wrk || missing+=(wrk)
    if uses_scenario h2; then have h2load || missing+=(nghttp2-client); fi
    if uses_scenario tls; then
        have openssl || missing+=(openssl)
        have curl || missing+=(curl)
    fi
    if uses_scenario static; then have curl || missing+=(curl); fi
    if ((USE_NGINX)) && ! find_nginx; then missing+=(nginx); fi
    if ((USE_HAPROXY)) && uses_scenario proxying && ! find_haproxy; then missing+=(haproxy); fi
    apt_install "${missing[@]}"

    if ! have wrk; then
        log "wrk is not installed. Install it, e.g.:"
        log "  Debian/Ubuntu: sudo apt-get install wrk    Fedora: sudo dnf install wrk    macOS: brew install wrk"
        exit 1
    fi
    if uses_scenario h2 && ! have h2load; then
        die "h2load is not installed (Debian/Ubuntu: sudo apt-get install nghttp2-client)"
    fi
    if uses_scenario tls && ! have openssl; then
        die "openssl is not installed: it makes the test certificate of the TLS scenarios"
    fi
    if { uses_scenario tls || uses_scenario static; } && ! have curl; then
        die "curl is not installed: it checks the answers of the TLS and static scenarios"
    fi
    if ((USE_NGINX)) && ! find_nginx; then
        log "nginx is not installed: continuing without the nginx comparison, with the built-in backend."
        log "  (Debian/Ubuntu: sudo apt-get install nginx)"
        USE_NGINX=0
    fi
    if ((USE_HAPROXY)) && uses_scenario proxying && ! find_haproxy; then
        log "haproxy is not installed: continuing without the HAProxy comparison."
        log "  (Debian/Ubuntu: sudo apt-get install haproxy)"
        USE_HAPROXY=0
    fi
}

# ---------------------------------------------------------------------------------------------
# Cases: one table each (a scenario, a path, a connection count)
# ---------------------------------------------------------------------------------------------

CASES=()
declare -A CASE_SCENARIO=() CASE_TITLE=() CASE_PATH=() CASE_CONNS=() CASE_BYTES=() CASE_ROUNDS=()
MAX_ROUNDS=0

add_case() { # id scenario title path conns [expected body bytes]
    CASES+=("$1")
    CASE_SCENARIO[$1]=$2
    CASE_TITLE[$1]=$3
    CASE_PATH[$1]=$4
    CASE_CONNS[$1]=$5
    CASE_BYTES[$1]=${6:-}
    if [[ -n $ROUNDS ]]; then
        CASE_ROUNDS[$1]=$ROUNDS
    elif (($5 >= 500)); then
        CASE_ROUNDS[$1]=3
    else
        CASE_ROUNDS[$1]=5
    fi
    ((CASE_ROUNDS[$1] > MAX_ROUNDS)) && MAX_ROUNDS=${CASE_ROUNDS[$1]}
    return 0
}

conns_of() { # scenario -> its connection counts
    if [[ -n $CONNECTIONS ]]; then
        echo "$CONNECTIONS"
    elif [[ $1 == proxy ]]; then
        echo "50 500"
    else
        echo 50
    fi
}

plan_cases() {
    local s c size list=()
    for s in "${SCENARIOS[@]}"; do
        read -r -a list <<<"$(conns_of "$s")"
        case $s in
            proxy)
                for c in "${list[@]}"; do add_case "proxy-c$c" proxy "proxy \`/\`, $c connections" / "$c"; done
                ;;
            static)
                for size in "${STATIC_SIZES[@]}"; do
                    for c in "${list[@]}"; do
                        add_case "static-$size-c$c" static "static ${STATIC_TITLE[$size]} file, $c connections" \
                            "/$size.bin" "$c" "${STATIC_BYTES[$size]}"
                    done
                done
                ;;
            https)
                for c in "${list[@]}"; do add_case "https-c$c" https "https (HTTP/1.1 over TLS), $c connections" / "$c"; done
                ;;
            h2)
                for c in "${list[@]}"; do add_case "h2-c$c" h2 "h2 (TLS, -m $STREAMS), $c connections" / "$c"; done
                ;;
        esac
    done
}

warmup_of() { # scenario -> its warm-up duration
    if [[ -n $WARMUP ]]; then
        echo "$WARMUP"
    elif [[ $1 == h2 ]]; then
        echo 30s
    else
        echo 10s
    fi
}

cases_of() { # scenario -> its case ids
    local id
    for id in "${CASES[@]}"; do
        [[ ${CASE_SCENARIO[$id]} == "$1" ]] && echo "$id"
    done
    return 0
}

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------

RESULTS=""  # TSV: case system round rps p50_ms p99_ms requests non2xx errors rss_kib cpu_s bytes
SYSTEMS=()  # systems of the current scenario, in table order

run_load() { # scenario url conns duration outfile
    if [[ $1 == h2 ]]; then run_h2load "$2" "$3" "$4" "$5" "$STREAMS"; else run_wrk "$2" "$3" "$4" "$5"; fi
}

measure() { # case system round
    local id=$1 system=$2 round=$3 scenario out fields rss before after cpu
    scenario=${CASE_SCENARIO[$id]}
    out="$WORK/load/$id-$system-r$round.txt"
    before=$(cpu_ticks "${PID[$system]}")
    run_load "$scenario" "${URL[$system]}${CASE_PATH[$id]}" "${CASE_CONNS[$id]}" "$DURATION" "$out"
    after=$(cpu_ticks "${PID[$system]}")
    check_alive
    if [[ $scenario == h2 ]]; then
        fields=$(parse_h2load "$out" "$out.log") || { cat "$out" >&2; die "could not parse the h2load output above"; }
        rm -f "$out.log" # hundreds of thousands of lines; the percentiles are in results.tsv
    else
        fields=$(parse_wrk "$out") || { cat "$out" >&2; die "could not parse the wrk output above"; }
    fi
    # RSS right after the load, while the process still holds its working set.
    rss=$(rss_kib "${PID[$system]}")
    cpu=$(ticks_to_seconds $((after - before)))
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$system" "$round" "$fields" "$rss" "$cpu" |
        awk -F'\t' -v OFS='\t' '{ b = $10; $10 = $11; $11 = $12; $12 = b; print }' >>"$RESULTS"
    awk -F'\t' -v s="$system" -v c="$id" -v r="$round/${CASE_ROUNDS[$id]}" -v cpu="$cpu" '{
        printf "  round %-5s %-16s %-8s %9.0f req/s  p50 %8.3f ms  p99 %8.3f ms  CPU %6.2f s  non-2xx %d  errors %d\n",
            r, c, s, $1, $2, $3, cpu, $5, $6 }' <<<"$fields" >&2
}

warm_up() { # scenario
    local scenario=$1 max=0 id system paths=() path seen=" " warmup
    warmup=$(warmup_of "$scenario")
    [[ $(seconds_of "$warmup") -gt 0 ]] || { log "warm-up skipped (--warmup 0)"; return 0; }
    for id in $(cases_of "$scenario"); do
        ((CASE_CONNS[$id] > max)) && max=${CASE_CONNS[$id]}
        if [[ $seen != *" ${CASE_PATH[$id]} "* ]]; then
            paths+=("${CASE_PATH[$id]}")
            seen+="${CASE_PATH[$id]} "
        fi
    done
    # The JVM starts in the interpreter and compiles hot code after thousands of calls; without
    # this, the first measured gateway runs would measure the JIT, not the gateway. The built-in
    # backend is a JVM too (measured directly in the proxy scenario). nginx and HAProxy need no
    # warm-up. The highest connection count also opens the gateway's upstream connections.
    for system in gateway gateway_alt backend; do
        [[ -n ${PID[$system]:-} ]] || continue
        if [[ $system == backend ]] && [[ $scenario != proxy || $BACKEND_KIND != built-in* ]]; then continue; fi
        for path in "${paths[@]}"; do
            log "warm-up: $warmup of load at -c $max against $system $path"
            run_load "$scenario" "${URL[$system]}$path" "$max" "$warmup" "$WORK/load/warmup-$scenario-$system.txt"
            rm -f "$WORK/load/warmup-$scenario-$system.txt.log"
            check_alive
        done
    done
}

run_rounds() { # scenario
    local round id i n=${#SYSTEMS[@]} system ids=()
    read -r -a ids <<<"$(cases_of "$1" | tr '\n' ' ')"
    for ((round = 1; round <= MAX_ROUNDS; round++)); do
        for id in "${ids[@]}"; do
            ((round <= CASE_ROUNDS[$id])) || continue
            # Systems alternate within each round, and the order rotates from round to round, so
            # that slow drift on a shared machine (other jobs, thermal throttling, page cache)
            # spreads over all systems instead of landing on whichever ran last in a block.
            for ((i = 0; i < n; i++)); do
                system=${SYSTEMS[(round - 1 + i) % n]}
                measure "$id" "$system" "$round"
            done
        done
    done
}

# ---------------------------------------------------------------------------------------------
# Checks before the load: one request through every system, answers compared with the files
# ---------------------------------------------------------------------------------------------

CHECK_PROBLEMS=0

# Negotiated TLS version, cipher and ALPN protocol, as openssl s_client sees them. wrk offers no
# ALPN (HTTP/1.1); h2load offers h2.
tls_summary() { # port scenario
    local alpn=()
    [[ $2 == h2 ]] && alpn=(-alpn "h2,http/1.1")
    timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername localhost "${alpn[@]}" </dev/null 2>/dev/null |
        awk '/^New, / { gsub(/,/, ""); v = $2; c = $NF }
             /^ALPN protocol:/ { a = $3 }
             END { if (v == "") print "no TLS handshake"; else printf "%s %s, ALPN %s\n", v, c, a == "" ? "none" : a }' || true
}

check_system() { # scenario system path [expected bytes] -> one markdown list line
    local scenario=$1 system=$2 path=$3 bytes=${4:-} url result code version size length body hdr args=(-s --max-time 20)
    url="${URL[$system]}$path"
    case $scenario in
        h2) args+=(-k --http2) ;;
        https) args+=(-k --http1.1) ;;
    esac
    body="$WORK/check-body" hdr="$WORK/check-headers"
    result=$(curl "${args[@]}" -o "$body" -D "$hdr" -w '%{http_code} %{http_version} %{size_download}' "$url" 2>/dev/null) || true
    read -r code version size <<<"${result:-000 - 0}"
    local line="$system GET $path: $code, HTTP/$version" ok=1
    [[ $code == 200 ]] || ok=0
    [[ $scenario != h2 || $version == 2 ]] || ok=0
    if [[ -n $bytes ]]; then
        length=$(awk -F': *' 'tolower($1) == "content-length" { gsub(/\r/, "", $2); print $2 }' "$hdr" 2>/dev/null)
        line+=", Content-Length ${length:-none}, $size bytes"
        [[ $length == "$bytes" && $size == "$bytes" ]] || ok=0
        if cmp -s "$body" "$WORK/static${path}"; then line+=", body identical to the file"; else line+=", body differs from the file"; ok=0; fi
    fi
    if is_tls "$scenario"; then line+=", $(tls_summary "${PORT[$system]}" "$scenario")"; fi
    rm -f "$body" "$hdr"
    if ((ok)); then
        echo "- $line"
    else
        echo "- **CHECK FAILED: $line**"
        CHECK_PROBLEMS=$((CHECK_PROBLEMS + 1))
    fi
}

# ---------------------------------------------------------------------------------------------
# One scenario: start its systems, check, warm up, measure, note the peaks, stop everything
# ---------------------------------------------------------------------------------------------

GW_CMDLINE="" GW_FLAGS="" ALT_CMDLINE="" ALT_FLAGS="" ALT_DESCR=""

# gateway_alt: the gateway with --alt-jvm-opts instead of the main gateway's JVM options.
start_gateway_alt() { # scenario
    local main_opts=$JVM_OPTS main_set=$JVM_OPTS_SET
    JVM_OPTS=$ALT_JVM_OPTS
    JVM_OPTS_SET=1
    JVM_OPTS_FLAG=--alt-jvm-opts
    start_gateway "$1" gateway_alt
    ALT_DESCR=$(jvm_opts_description)
    JVM_OPTS_FLAG=--jvm-opts
    if [[ -z $ALT_CMDLINE ]]; then
        ALT_CMDLINE=$(gateway_jvm_line "$GATEWAY_JAVA_PID")
        ALT_FLAGS=$(gateway_jvm_flags "$GATEWAY_JAVA_PID")
    fi
    JVM_OPTS=$main_opts
    JVM_OPTS_SET=$main_set
}

run_scenario() {
    local s=$1 system id section seen=" " path engine
    section="$WORK/section-$s.md"
    log ""
    log "=== scenario $s ==="
    SYSTEMS=()
    if [[ $s != static ]]; then
        start_backend
        [[ $s == proxy ]] && SYSTEMS+=(backend)
    fi
    if ((USE_NGINX)); then
        start_nginx "$s"
        SYSTEMS+=(nginx)
    fi
    if ((USE_HAPROXY)) && [[ $s != static ]]; then
        start_haproxy "$s"
        SYSTEMS+=(haproxy)
    fi
    start_gateway "$s"
    SYSTEMS+=(gateway)
    local gw_admin=$GATEWAY_ADMIN_PORT
    if [[ -z $GW_CMDLINE ]]; then
        GW_CMDLINE=$(gateway_jvm_line "$GATEWAY_JAVA_PID")
        GW_FLAGS=$(gateway_jvm_flags "$GATEWAY_JAVA_PID")
    fi
    if ((ALT_SET)); then
        start_gateway_alt "$s"
        SYSTEMS+=(gateway_alt)
    fi

    {
        echo "## $s"
        echo
        for system in "${SYSTEMS[@]}"; do
            echo "- ${LABEL[$system]}: ${DESCR[$system]}"
        done
        [[ $s == static ]] || echo "- behind the proxies: $BACKEND_KIND"
        if is_tls "$s"; then
            engine=$(curl -s --max-time 5 "http://127.0.0.1:$gw_admin/status" |
                awk -F'"' '/"engine"/ { print $4; exit }') || true
            echo "- gateway TLS engine: ${engine:-unknown}"
        fi
        echo
        echo "Checks before the load:"
        echo
        for id in $(cases_of "$s"); do
            path=${CASE_PATH[$id]}
            [[ $seen == *" $path "* ]] && continue
            seen+="$path "
            for system in "${SYSTEMS[@]}"; do
                check_system "$s" "$system" "$path" "${CASE_BYTES[$id]}"
            done
        done
        echo
    } >"$section"
    sed -n '/^Checks before the load/,$p' "$section" | sed '/^$/d' >&2

    warm_up "$s"
    run_rounds "$s"

    {
        printf 'Peak RSS (VmHWM, summed over each process and its children) over the scenario:'
        local sep=" "
        for system in "${SYSTEMS[@]}"; do
            printf '%s%s %s' "$sep" "${LABEL[$system]}" "$(awk -v k="$(hwm_kib "${PID[$system]}")" 'BEGIN { printf "%.1f MiB", k / 1024 }')"
            sep=", "
        done
        printf '.\n\n'
    } >>"$section"
    stop_all
}

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

# The markdown table for one case, from the results TSV; appends the case's summary row to
# $WORK/summary.md.
report_case() {
    local id=$1 scenario=${CASE_SCENARIO[$1]} tool
    if [[ $scenario == h2 ]]; then
        tool="h2load -c ${CASE_CONNS[$id]} -m $STREAMS -t $WRK_THREADS"
    else
        tool="wrk -t$WRK_THREADS -c${CASE_CONNS[$id]} --timeout $WRK_TIMEOUT --latency"
    fi
    awk -F'\t' -v id="$id" -v title="${CASE_TITLE[$id]}" -v scenario="$scenario" -v tool="$tool" \
        -v rounds="${CASE_ROUNDS[$id]}" -v dur="$DURATION" -v expect="${CASE_BYTES[$id]}" -v conns="${CASE_CONNS[$id]}" \
        -v keepalive="$NGINX_KEEPALIVE" -v workers="$(nproc)" -v summary="$WORK/summary.md" \
        -v systems="${SCENARIO_SYSTEMS[$scenario]}" -v labels="$LABELS" '
        function sort(a, n,   i, j, t) {
            for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        }
        function median(a, n) { sort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
        function lat(v) { return v >= 1000 ? sprintf("%.2f s", v / 1000) : v >= 1 ? sprintf("%.2f ms", v) : sprintf("%.3f ms", v) }
        function mib(k) { return sprintf("%.1f MiB", k / 1024) }
        function size(b) { return b >= 1048576 ? sprintf("%.3f MiB", b / 1048576) : b >= 10240 ? sprintf("%.1f KiB", b / 1024) : sprintf("%.0f B", b) }
        function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "n/a" }
        $1 == id {
            s = $2; k = ++n[s]
            rps[s, k] = $4; p50[s, k] = $5; p99[s, k] = $6; rss[s, k] = $10; cpu[s, k] = $11
            eff[s, k] = $11 > 0 ? $7 / $11 : 0; bpr[s, k] = $7 > 0 ? $12 / $7 : 0
            req[s] += $7; non[s] += $8; err[s] += $9
        }
        function row(s,   k, a, b, d, e, f, g, h, lo, hi) {
            if (!n[s]) { printf "| %s | not run | | | | | | | | |%s\n", L[s], expect != "" ? " |" : ""; return }
            for (k = 1; k <= n[s]; k++) { a[k] = rps[s, k]; b[k] = p50[s, k]; d[k] = p99[s, k]; e[k] = rss[s, k]; f[k] = cpu[s, k]; g[k] = eff[s, k]; h[k] = bpr[s, k] }
            R[s] = median(a, n[s]); lo = a[1]; hi = a[n[s]]; P99[s] = median(d, n[s]); RSS[s] = median(e, n[s])
            CPU[s] = median(f, n[s]); EFF[s] = median(g, n[s]); BPR[s] = median(h, n[s])
            printf "| %s | %.0f | %.0f-%.0f | %s | %s | %d / %d | %d | %.2f | %.0f | %s |", L[s], R[s], lo, hi,
                lat(median(b, n[s])), lat(P99[s]), non[s], req[s], err[s], CPU[s], EFF[s], mib(RSS[s])
            if (expect != "") printf " %s |", size(BPR[s])
            printf "\n"
        }
        function ratio_row(o) {
            if (!n["gateway"] || !n[o]) return
            printf "| **gateway / %s** | **%s** | | | **%s** | | | %s | **%s** | %s |%s\n", L[o], ratio(R["gateway"], R[o]),
                ratio(P99["gateway"], P99[o]), ratio(CPU["gateway"], CPU[o]), ratio(EFF["gateway"], EFF[o]),
                ratio(RSS["gateway"], RSS[o]), expect != "" ? " |" : ""
        }
        END {
            split(labels, lp, "|"); for (i in lp) { split(lp[i], kv, "="); L[kv[1]] = kv[2] }
            ns = split(systems, sys, " ")
            printf "### %s\n\n", title
            printf "median of %d round%s x %s, %s; non-2xx, requests and errors summed over the rounds; CPU s, req/CPU-s and RSS per run, median\n\n", rounds, rounds == 1 ? "" : "s", dur, tool
            printf "| system | req/s | req/s min-max | p50 | p99 | non-2xx / requests | errors | CPU s | req/CPU-s | RSS |%s\n", expect != "" ? " bytes/resp |" : ""
            printf "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|%s\n", expect != "" ? "--:|" : ""
            for (i = 1; i <= ns; i++) row(sys[i])
            ratio_row("nginx"); ratio_row("haproxy"); ratio_row("gateway_alt")
            print ""
            print "Ratios: req/s and req/CPU-s higher is better for the gateway; p99, CPU s and RSS lower is better."
            if (n["nginx"] && scenario != "static" && conns > keepalive * workers)
                printf "\nNote: %d connections exceed the idle upstream connections nginx caches (keepalive %d x %d workers), so nginx keeps closing and re-opening upstream connections, which costs it throughput and p99; --nginx-keepalive shows nginx without that handicap.\n", conns, keepalive, workers
            bad = 0
            for (i = 1; i <= ns; i++) {
                s = sys[i]
                if (!n[s]) continue
                if (non[s] > 0) { printf "\n**WARNING: %s answered %d of %d requests with a non-2xx/3xx status: its numbers do not measure the job.**\n", L[s], non[s], req[s]; bad = 1 }
                if (err[s] > 0) { printf "\n**WARNING: %s had %d socket errors / failed requests.**\n", L[s], err[s]; bad = 1 }
                if (req[s] == 0) { printf "\n**WARNING: %s served no request.**\n", L[s]; bad = 1 }
                if (expect != "" && BPR[s] < expect * 0.99) { printf "\n**WARNING: %s sent %s per response, less than the %d-byte file: responses were cut short.**\n", L[s], size(BPR[s]), expect; bad = 1 }
            }
            print ""
            # summary row
            cell_n = n["nginx"] ? sprintf("%.0f", R["nginx"]) : "-"
            cell_h = n["haproxy"] ? sprintf("%.0f", R["haproxy"]) : "-"
            cell_g = n["gateway"] ? sprintf("%.0f", R["gateway"]) : "-"
            rn = n["nginx"] && n["gateway"]; rh = n["haproxy"] && n["gateway"]
            printf "| %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s |\n", title, bad ? " (**warnings**)" : "",
                cell_n, cell_h, cell_g,
                rn ? "**" ratio(R["gateway"], R["nginx"]) "**" : "-", rh ? "**" ratio(R["gateway"], R["haproxy"]) "**" : "-",
                rn ? ratio(P99["gateway"], P99["nginx"]) : "-", rh ? ratio(P99["gateway"], P99["haproxy"]) : "-",
                rn ? ratio(EFF["gateway"], EFF["nginx"]) : "-", rh ? ratio(EFF["gateway"], EFF["haproxy"]) : "-",
                n["nginx"] ? mib(RSS["nginx"]) : "-", n["haproxy"] ? mib(RSS["haproxy"]) : "-", n["gateway"] ? mib(RSS["gateway"]) : "-" >> summary
        }' "$RESULTS"
}

rounds_description() { # "5 rounds (c50), 3 rounds (c500)" or "3 rounds"
    local id out="" seen=" "
    if [[ -n $ROUNDS ]]; then
        echo "$ROUNDS round(s)"
        return
    fi
    for id in "${CASES[@]}"; do
        [[ $seen == *" ${CASE_CONNS[$id]} "* ]] && continue
        seen+="${CASE_CONNS[$id]} "
        out+="${out:+, }${CASE_ROUNDS[$id]} rounds at -c ${CASE_CONNS[$id]}"
    done
    echo "$out"
}

machine_info() {
    local cpu commit="" java_version nginx_version="not used" haproxy_version="not used" wrk_version h2load_version="not used"
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    java_version=$(java -version 2>&1 | head -n 1)
    [[ -z $NGINX ]] || nginx_version=$("$NGINX" -v 2>&1 | head -n 1)
    [[ -z $HAPROXY ]] || ((!USE_HAPROXY)) || haproxy_version=$("$HAPROXY" -v 2>&1 | head -n 1)
    wrk_version=$(wrk -v 2>&1 | head -n 1 || true)
    if uses_scenario h2; then h2load_version=$(h2load --version 2>&1 | head -n 1); fi
    if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
        [[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]] || commit+=" + uncommitted changes"
    fi
    cat <<EOF
- command: \`$COMMAND_LINE\`
- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- commit: ${commit:-unknown} (git rev-parse --short HEAD), jar built $(date -r "$JAR" '+%Y-%m-%d %H:%M:%S')
- gateway started as: $(jvm_opts_description)
- gateway JVM command line: \`$GW_CMDLINE\`
- gateway JVM flags (jcmd VM.flags): \`${GW_FLAGS:-unknown}\`
- machine: nproc $(nproc), ${cpu:-unknown CPU}, kernel $(uname -sr), $(awk '/^MemTotal:/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), load average $LOAD_BEFORE before / $(cut -d' ' -f1-3 /proc/loadavg) after
- java: $java_version
- nginx: $nginx_version
- haproxy: $haproxy_version
- wrk: $wrk_version
- h2load: $h2load_version
- procedure: per scenario, warm-up on the gateway per path ($(for s in "${SCENARIOS[@]}"; do printf '%s %s, ' "$s" "$(warmup_of "$s")"; done | sed 's/, $//')), then $(rounds_description) of $DURATION per system and case, systems alternating in an order that rotates each round
EOF
    if ((ALT_SET)); then
        echo "- gateway_alt started as: $ALT_DESCR"
        echo "- gateway_alt JVM command line: \`$ALT_CMDLINE\`"
        echo "- gateway_alt JVM flags (jcmd VM.flags): \`${ALT_FLAGS:-unknown}\`"
    fi
}

print_report() {
    local s id
    {
        echo "# Gateway benchmark: ${SCENARIOS[*]}"
        echo
        machine_info
        echo
        if [[ -n $JVM_OPTS_MISSING ]]; then
            echo "**WARNING: the JVM options $JVM_OPTS_MISSING did not reach the gateway JVM's command line: the gateway ran with other settings than asked for.**"
            echo
        fi
        if ((CHECK_PROBLEMS)); then
            echo "**WARNING: $CHECK_PROBLEMS check(s) before the load failed; see the scenario sections.**"
            echo
        fi
        for s in "${SCENARIOS[@]}"; do
            cat "$WORK/section-$s.md"
            for id in $(cases_of "$s"); do
                report_case "$id"
            done
        done
        echo "## Summary"
        echo
        echo "Medians of req/s; ratios are the gateway's over nginx's and HAProxy's: req/s and req/CPU-s higher is better for the gateway, p99 lower is better."
        echo
        echo "| case | nginx req/s | HAProxy req/s | gateway req/s | gateway / nginx | gateway / HAProxy | p99 vs nginx | p99 vs HAProxy | req/CPU-s vs nginx | req/CPU-s vs HAProxy | RSS nginx / HAProxy / gateway |"
        echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
        cat "$WORK/summary.md"
    } >"$WORK/report.md"
    cat "$WORK/report.md"
}

# ---------------------------------------------------------------------------------------------

declare -A SCENARIO_SYSTEMS=()
LABELS=""

main() {
    parse_args "$@"
    ensure_jar
    ensure_launcher
    ensure_tools
    plan_cases

    install_traps
    make_work_dir
    mkdir -p "$WORK/load"
    RESULTS="$WORK/results.tsv"
    : >"$RESULTS"
    : >"$WORK/summary.md"
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

    uses_scenario tls && make_certificate
    uses_scenario static && make_static_files

    local s id n runs=0 paths total
    for s in "${SCENARIOS[@]}"; do
        n=$((1 + ALT_SET)) # the gateway(s)
        ((USE_NGINX)) && n=$((n + 1))
        [[ $s == proxy ]] && n=$((n + 1))
        ((USE_HAPROXY)) && [[ $s != static ]] && n=$((n + 1))
        paths=$(for id in $(cases_of "$s"); do echo "${CASE_PATH[$id]}"; done | sort -u | wc -l)
        for id in $(cases_of "$s"); do runs=$((runs + CASE_ROUNDS[$id] * n)); done
        total=$((${total:-0} + $(seconds_of "$(warmup_of "$s")") * paths))
    done
    total=$((total + runs * $(seconds_of "$DURATION")))
    log "${#CASES[@]} cases, $runs measured runs of $DURATION; about $(((total + 59) / 60)) min of load in all"

    for s in "${SCENARIOS[@]}"; do
        run_scenario "$s"
        SCENARIO_SYSTEMS[$s]="${SYSTEMS[*]}"
    done
    LABELS="backend=${LABEL[backend]:-backend direct (ceiling)}|nginx=nginx|haproxy=HAProxy|gateway=${LABEL[gateway]}|gateway_alt=gateway_alt"
    print_report
}

main "$@"

#!/usr/bin/env bash
# CPU, allocation and lock flame graphs of the gateway under load, and the bytes it allocates per
# request. The gateway runs with the configuration of the matching scripts/bench.sh scenario
# (the same backend, the same files), with async-profiler loaded as an agent at JVM start;
# after a warm-up the profiler is started and stopped around each measured wrk run through the
# attach API (scripts/bench/JvmControl.java), one run per event. Run `scripts/profile.sh --help`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROG=profile
# shellcheck source-path=SCRIPTDIR source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

AP_VERSION=4.2
AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
CONTROL_SRC="$ROOT/scripts/bench/JvmControl.java"

SCENARIO_ARG="proxy static"
DURATION=30s
WARMUP=15s
CONNECTIONS=50
STATIC_PATH=/1k.bin
EVENTS="cpu alloc lock"
CPU_INTERVAL=1000000 # ns between CPU samples: 1 ms
OUT_PARENT="$ROOT/docs/perf"
OUT_DIR_ARG=""
STREAMS=10

COMMAND_LINE=$(printf '%q ' "$0" "$@")
COMMAND_LINE=${COMMAND_LINE% }

usage() {
    cat <<EOF
usage: scripts/profile.sh [options]

Starts the gateway the way scripts/bench.sh does (bin/gateway when the tree has it, else
java -jar gateway.jar; the same generated config as the bench scenario) with async-profiler
$AP_VERSION loaded as a JVM agent (-agentpath, from the Maven artifact
tools.profiler:async-profiler:$AP_VERSION in ~/.m2, fetched with mvn dependency:copy when absent and
extracted to a temp dir). It warms the gateway up with wrk, then for each event runs wrk for
--duration with the profiler started just before and stopped just after, and writes into
OUT/<scenario>-<commit>/:

  cpu.html          CPU flame graph (event=cpu, interval=${CPU_INTERVAL} ns)
  alloc.html        allocation flame graph (event=alloc), and alloc.collapsed: the same stacks
                    with the bytes each allocated (collapsed,total)
  lock.html         lock contention flame graph (event=lock)
  wrk-EVENT.txt     the wrk output of each profiled run
  summary.md        command, commit, JVM command line, requests, and bytes allocated per request

Bytes allocated per request are measured two ways and printed for every scenario:
  - exactly, during the CPU run: the JVM's allocated-bytes counters of all threads
    (com.sun.management.ThreadMXBean.getThreadAllocatedBytes, read over JMX through the attach
    API) before and after the run, divided by the requests wrk completed;
  - estimated by async-profiler, during the allocation run: the sum of alloc.collapsed (sampled
    TLAB and outside-TLAB allocations, weighted to bytes) divided by that run's requests.

options:
  --scenario S        proxy | static | https | h2, several in quotes, or all (default "$SCENARIO_ARG")
  --duration D        length of each profiled run (default $DURATION)
  --warmup D          wrk load before the first profiled run (default $WARMUP)
  --connections N     wrk -c (default $CONNECTIONS; wrk -t$WRK_THREADS)
  --path P            static: the file requested, /1k.bin or /1m.bin (default $STATIC_PATH)
  --events "E..."     which profiles, from cpu alloc lock (default "$EVENTS")
  --out DIR           write into DIR/<scenario>-<commit>/ (default docs/perf/<scenario>-<commit>/);
                      an existing directory of that name is replaced
  --jvm-opts "OPTS"   the gateway's JVM options instead of the shipped ones (as in bench.sh)
  --launcher          bin/gateway or fail; --no-launcher: java -jar (default: bin/gateway if present)
  --no-build          use gateway-core/target/gateway.jar as it is (default: rebuild when stale)
  --builtin-backend   the built-in Netty backend instead of nginx "return 200"
  --keep DIR          also keep the temp directory (configs, logs) in DIR
  -h, --help          show this help

<commit> is git rev-parse --short HEAD, with "-dirty" when tracked files are modified. Needs a
JDK (jdk.attach), wrk, and nginx for the backend (else the built-in one); h2load for h2.
The flame graphs open in a browser; numbers on this shared 2-core machine are noisy, the
shapes are what matters.
EOF
}

parse_args() {
    while (($#)); do
        local opt=$1
        if [[ $opt == --*=* ]]; then # --opt=value as well as --opt value
            set -- "${opt%%=*}" "${opt#*=}" "${@:2}"
            opt=$1
        fi
        common_option "$@"
        if ((TAKEN)); then
            shift "$TAKEN"
            continue
        fi
        case $opt in
            --scenario | --duration | --warmup | --connections | --path | --events | --out)
                (($# >= 2)) || die "$opt needs a value (see --help)"
                case $opt in
                    --scenario) SCENARIO_ARG=$2 ;;
                    --duration) DURATION=$2 ;;
                    --warmup) WARMUP=$2 ;;
                    --connections) CONNECTIONS=$2 ;;
                    --path) STATIC_PATH=$2 ;;
                    --events) EVENTS=$2 ;;
                    --out) OUT_DIR_ARG=$2 ;;
                esac
                shift 2
                ;;
            -h | --help) usage; exit 0 ;;
            *) die "unknown argument '$opt' (see --help)" ;;
        esac
    done
    local e
    parse_scenarios "$SCENARIO_ARG"
    read -r -a EVENT_LIST <<<"$EVENTS"
    ((${#EVENT_LIST[@]})) || die "--events is empty"
    for e in "${EVENT_LIST[@]}"; do
        [[ $e == cpu || $e == alloc || $e == lock ]] || die "--events: '$e' is not cpu, alloc or lock"
    done
    [[ $DURATION =~ ^[1-9][0-9]*[smh]?$ ]] || die "--duration must look like 30s or 1m, not '$DURATION'"
    [[ $WARMUP =~ ^[0-9]+[smh]?$ ]] || die "--warmup must look like 15s or 0, not '$WARMUP'"
    [[ $CONNECTIONS =~ ^[1-9][0-9]*$ ]] || die "--connections must be a positive integer"
    [[ $STATIC_PATH == /* ]] || die "--path must start with /"
}

# ---------------------------------------------------------------------------------------------

AP_LIB=""

# Extracts libasyncProfiler.so for this machine from the Maven artifact into the temp dir.
prepare_profiler() {
    local arch jar=$AP_JAR
    case $(uname -m) in
        x86_64 | amd64) arch=linux-x64 ;;
        aarch64 | arm64) arch=linux-arm64 ;;
        *) die "async-profiler $AP_VERSION has no library for $(uname -m)" ;;
    esac
    if [[ ! -f $jar ]]; then
        have mvn || die "$jar is missing and mvn is not installed to fetch it"
        log "fetching tools.profiler:async-profiler:$AP_VERSION with mvn dependency:copy"
        mkdir -p "$WORK/ap-jar"
        (cd "$WORK" && mvn -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" \
            -DoutputDirectory="$WORK/ap-jar") >&2 || die "mvn could not fetch tools.profiler:async-profiler:$AP_VERSION"
        jar="$WORK/ap-jar/async-profiler-$AP_VERSION.jar"
    fi
    mkdir -p "$WORK/async-profiler"
    (cd "$WORK/async-profiler" && unzip -q -o "$jar" "$arch/libasyncProfiler.so") ||
        die "could not extract $arch/libasyncProfiler.so from $jar"
    AP_LIB="$WORK/async-profiler/$arch/libasyncProfiler.so"
}

control() { # jvm-control arguments...
    java "$CONTROL_SRC" "$@"
}

profiler() { # agent command, e.g. start,event=cpu
    control agent "$GATEWAY_JAVA_PID" "$AP_LIB" "$1" 2>>"$WORK/profiler.log"
}

allocated_bytes() {
    control allocated "$GATEWAY_JAVA_PID" 2>>"$WORK/profiler.log" || die "could not read the gateway's allocated bytes (see $WORK/profiler.log)"
}

target_url() { # scenario -> URL of the load
    local path=/
    [[ $1 == static ]] && path=$STATIC_PATH
    echo "${URL[gateway]}$path"
}

run_load() { # scenario duration outfile
    if [[ $1 == h2 ]]; then
        run_h2load "$(target_url "$1")" "$CONNECTIONS" "$2" "$3" "$STREAMS"
    else
        run_wrk "$(target_url "$1")" "$CONNECTIONS" "$2" "$3"
    fi
}

requests_of() { # scenario outfile -> requests completed in that run
    local fields
    if [[ $1 == h2 ]]; then fields=$(parse_h2load "$2" "$2.log"); else fields=$(parse_wrk "$2"); fi ||
        { cat "$2" >&2; die "could not parse the load generator output above"; }
    cut -f4 <<<"$fields"
}

rps_of() { # scenario outfile
    if [[ $1 == h2 ]]; then parse_h2load "$2" "$2.log"; else parse_wrk "$2"; fi | cut -f1
}

commit_tag() {
    local c
    c=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
    [[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]] || c+=-dirty
    echo "$c"
}

profile_scenario() {
    local s=$1 out event file rps req before after exact="" estimate="" cpu_event=cpu summary
    out="${OUT_DIR_ARG:-$OUT_PARENT}/$s-$(commit_tag)"
    log ""
    log "=== profiling scenario $s -> $out ==="
    [[ $s == static ]] || start_backend
    start_gateway "$s"
    if ((${WARMUP%[smh]} > 0)); then
        log "warm-up: $WARMUP of wrk -c $CONNECTIONS against $(target_url "$s")"
        run_load "$s" "$WARMUP" "$WORK/warmup-$s.txt"
        check_alive
    fi
    # The first JMX read starts the JVM's local management agent: do it before any measured run.
    allocated_bytes >/dev/null

    rm -rf "$out"
    mkdir -p "$out"
    summary="$out/summary.md"
    {
        echo "# Profile: $s"
        echo
        echo "- command: \`$COMMAND_LINE\`"
        echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "- commit: $(commit_tag)"
        echo "- machine: nproc $(nproc), kernel $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
        echo "- gateway: $(jvm_opts_description); JVM command line: \`$(gateway_jvm_line "$GATEWAY_JAVA_PID")\`"
        echo "- load: $( [[ $s == h2 ]] && echo "h2load -c $CONNECTIONS -m $STREAMS -t $WRK_THREADS" || echo "wrk -t$WRK_THREADS -c$CONNECTIONS") $(target_url "$s" | sed 's#^[a-z]*://127.0.0.1:[0-9]*##'), $DURATION per event after $WARMUP of warm-up"
        echo "- async-profiler $AP_VERSION, loaded with -agentpath at JVM start, started/stopped per run through the attach API"
        echo "- gateway config:"
        echo
        echo '```toml'
        sed -e "s#$WORK/##g" "$GATEWAY_CONFIG"
        echo '```'
        echo
        echo "| event | file | req/s during the run | requests |"
        echo "|---|---|--:|--:|"
    } >"$summary"

    for event in "${EVENT_LIST[@]}"; do
        file="$out/wrk-$event.txt"
        case $event in
            cpu)
                if ! profiler "start,event=cpu,interval=$CPU_INTERVAL"; then
                    log "event=cpu did not start (perf_events not allowed?): using event=itimer"
                    cpu_event=itimer
                    profiler "start,event=itimer,interval=$CPU_INTERVAL" || die "async-profiler did not start (see $WORK/profiler.log)"
                fi
                ;;
            alloc) profiler "start,event=alloc" || die "async-profiler did not start event=alloc (see $WORK/profiler.log)" ;;
            lock) profiler "start,event=lock" || die "async-profiler did not start event=lock (see $WORK/profiler.log)" ;;
        esac
        log "profiling $event: $DURATION of load"
        [[ $event == cpu ]] && before=$(allocated_bytes)
        run_load "$s" "$DURATION" "$file"
        [[ $event == cpu ]] && after=$(allocated_bytes)
        check_alive
        if [[ $event == alloc ]]; then
            profiler "dump,collapsed,total,file=$out/alloc.collapsed" || die "async-profiler dump failed (see $WORK/profiler.log)"
        fi
        profiler "stop,file=$out/$event.html" || die "async-profiler stop failed (see $WORK/profiler.log)"
        req=$(requests_of "$s" "$file")
        rps=$(rps_of "$s" "$file")
        rm -f "$file.log"
        printf '| %s | %s.html | %.0f | %s |\n' "$event" "$event" "$rps" "$req" >>"$summary"
        log "  $event: $req requests, $rps req/s -> $out/$event.html"
        case $event in
            cpu) exact=$(awk -v b="$before" -v a="$after" -v r="$req" 'BEGIN { if (r > 0) printf "%.0f", (a - b) / r }') ;;
            alloc) estimate=$(awk -v r="$req" '{ s += $NF } END { if (r > 0) printf "%.0f", s / r }' "$out/alloc.collapsed") ;;
        esac
    done
    [[ $cpu_event == cpu ]] || sed -i "s/^| cpu | cpu.html/| cpu (itimer: perf_events unavailable) | cpu.html/" "$summary"
    {
        echo
        echo "Bytes allocated per request:"
        echo
        if [[ -n $exact ]]; then
            echo "- $exact B/request: JVM thread allocation counters (ThreadMXBean.getThreadAllocatedBytes, all threads) over the CPU run, $(awk -v b="$before" -v a="$after" 'BEGIN { printf "%.1f MiB", (a - b) / 1048576 }') for its requests"
        fi
        if [[ -n $estimate ]]; then
            echo "- $estimate B/request: async-profiler's estimate (sum of alloc.collapsed, event=alloc,total) over the alloc run"
        fi
    } >>"$summary"
    RESULT_LINES+=("$s: bytes allocated per request ${exact:-?} (JVM counters), ${estimate:-?} (async-profiler estimate); flame graphs in ${out#"$ROOT"/}/")
    stop_all
}

RESULT_LINES=()

main() {
    parse_args "$@"
    ensure_jar
    ensure_launcher
    have java || die "java is not installed"
    have jcmd || die "a JDK is needed (jcmd, jdk.attach), not only a JRE"
    have wrk || die "wrk is not installed (Debian/Ubuntu: apt-get install wrk)"
    have unzip || die "unzip is not installed"
    local s
    for s in "${SCENARIOS[@]}"; do
        if [[ $s == h2 ]] && ! have h2load; then die "h2load is not installed (apt-get install nghttp2-client)"; fi
    done
    find_nginx || USE_NGINX=0

    install_traps
    make_work_dir
    prepare_profiler
    GATEWAY_EXTRA_OPTS=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints "-agentpath:$AP_LIB")
    for s in "${SCENARIOS[@]}"; do
        is_tls "$s" && make_certificate
        [[ $s == static ]] && make_static_files
    done

    for s in "${SCENARIOS[@]}"; do
        profile_scenario "$s"
    done
    log ""
    printf '%s\n' "${RESULT_LINES[@]}"
}

main "$@"

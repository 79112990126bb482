#!/usr/bin/env bash
# Soak test: the gateway with its shipped settings under 1,000 keep-alive connections for 10
# minutes, sampled every 10 s (RSS, open descriptors, GC counts, old gen, queued timers,
# throughput), with a verdict on whether memory, descriptors, timers and old-gen GCs stay flat.
# Long by design: not run in CI. Run `scripts/soak.sh --help` for the options.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROG=soak
# shellcheck source-path=SCRIPTDIR source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

SCENARIO_ARG=proxy
DURATION=10m
WARMUP=30s
INTERVAL=10
CONNECTIONS=1000
RSS_SLACK=10   # percent
FD_SLACK=10    # descriptors
MAX_OLD_GC=0   # full GCs allowed during the sampled part

COMMAND_LINE=$(printf '%q ' "$0" "$@")
COMMAND_LINE=${COMMAND_LINE% }

usage() {
    cat <<EOF
usage: scripts/soak.sh [options]

Starts the backend and the gateway the way scripts/bench.sh does (bin/gateway with its shipped
config/jvm.options when the tree has it, as the systemd unit and Docker image run it, else java
-jar gateway.jar with no JVM options), loads it with wrk -t$WRK_THREADS -c$CONNECTIONS (keep-alive) for
--warmup plus --duration, and every --interval seconds of the duration samples:

  RSS          VmRSS of the gateway JVM (/proc/PID/status)
  fds          open file descriptors (ls /proc/PID/fd | wc -l)
  YGC FGC CGC  young, full and concurrent-cycle GC counts (jstat -gcutil PID); with G1 an
               old-gen collection shows up as concurrent cycles (CGC, two pauses each) and, when
               those cannot keep up, as full GCs (FGC)
  old MiB      old generation in use (jstat -gc PID: OU)
  timers       connection and request deadlines with a check in an event loop's timer queue:
               gateway_timer_queued from the admin /metrics endpoint; it follows the open
               connections and requests in flight, so under steady load it must stay flat
  conns        gateway_open_connections (/metrics)
  req/s        gateway_requests_total (/metrics) over the interval

then prints the table (markdown, stdout) and a verdict:

  RSS flat     max RSS of the last third of the samples <= max of the first third + $RSS_SLACK%
  fds flat     max fds of the last third <= max of the first third + $FD_SLACK
  old-gen GC   full GCs during the sampled part <= --max-old-gc (default $MAX_OLD_GC), or any
               number when each leaves the old gen within +20% + 2 MiB of the first sample
               (promoted garbage collected; a leak would keep its objects)
  timers flat  max queued timers of the last third <= max of the first third + 10% + 50
  load         wrk saw no socket errors and no non-2xx answers

Exit status 0 when every verdict passes, 1 otherwise (or on an error).

options:
  --duration D        sampled part of the soak: 10m, 40s (default $DURATION)
  --warmup D          load before the first sample, so the JIT, heap sizing and connection
                      set-up are behind (default $WARMUP)
  --interval N        seconds between samples (default $INTERVAL); the t column is the actual
                      time since the warm-up ended (sampling takes about a second)
  --connections N     wrk -c (default $CONNECTIONS)
  --scenario S        proxy (default), static (GET /1k.bin) or https
  --max-old-gc N      full GCs allowed (default $MAX_OLD_GC)
  --jvm-opts "OPTS"   JVM options instead of the shipped ones (as in bench.sh)
  --launcher          bin/gateway or fail; --no-launcher: java -jar (default: bin/gateway if present)
  --no-build          use gateway-core/target/gateway.jar as it is (default: rebuild when stale)
  --builtin-backend   the built-in Netty backend instead of nginx "return 200"
  --keep DIR          keep the temp directory (configs, logs, samples.tsv, wrk output) in DIR
  -h, --help          show this help

Needs a JDK (jstat), wrk, curl, and nginx for the backend (else the built-in one).
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
            --duration | --warmup | --interval | --connections | --scenario | --max-old-gc)
                (($# >= 2)) || die "$opt needs a value (see --help)"
                case $opt in
                    --duration) DURATION=$2 ;;
                    --warmup) WARMUP=$2 ;;
                    --interval) INTERVAL=$2 ;;
                    --connections) CONNECTIONS=$2 ;;
                    --scenario) SCENARIO_ARG=$2 ;;
                    --max-old-gc) MAX_OLD_GC=$2 ;;
                esac
                shift 2
                ;;
            -h | --help) usage; exit 0 ;;
            *) die "unknown argument '$opt' (see --help)" ;;
        esac
    done
    parse_scenarios "$SCENARIO_ARG"
    ((${#SCENARIOS[@]} == 1)) || die "--scenario: one of proxy, static, https"
    SCENARIO=${SCENARIOS[0]}
    [[ $SCENARIO != h2 ]] || die "--scenario h2 is not supported (wrk speaks HTTP/1.1)"
    [[ $DURATION =~ ^[1-9][0-9]*[smh]?$ ]] || die "--duration must look like 10m or 40s, not '$DURATION'"
    [[ $WARMUP =~ ^[0-9]+[smh]?$ ]] || die "--warmup must look like 30s or 0, not '$WARMUP'"
    [[ $INTERVAL =~ ^[1-9][0-9]*$ ]] || die "--interval must be a whole number of seconds"
    [[ $CONNECTIONS =~ ^[1-9][0-9]*$ ]] || die "--connections must be a positive integer"
    [[ $MAX_OLD_GC =~ ^[0-9]+$ ]] || die "--max-old-gc must be a number"
    (($(seconds_of "$DURATION") >= 3 * INTERVAL)) || die "--duration must cover at least 3 intervals ($((3 * INTERVAL)) s) for the first/last third comparison"
}

# One sample: t rss_kib fds ygc fgc cgc old_kib timers conns requests_total (tab-separated)
sample() { # t
    local t=$1 pid=$GATEWAY_JAVA_PID rss fds gc old scrape="$WORK/metrics.txt" timers conns reqs
    rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status")
    fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    # jstat -gcutil columns: S0 S1 E O M CCS YGC YGCT FGC FGCT CGC CGCT GCT (CGC: "-" if none)
    gc=$(jstat -gcutil "$pid" 2>/dev/null | awk 'NR == 2 { print $7 "\t" $9 "\t" ($11 == "-" ? 0 : $11) }')
    # jstat -gc: OU (old used, KiB) is the column named OU
    old=$(jstat -gc "$pid" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "OU") c = i } NR == 2 && c { printf "%.0f", $c }')
    if curl -s --max-time 5 -o "$scrape" "http://127.0.0.1:$GATEWAY_ADMIN_PORT/metrics"; then
        timers=$(metric_sum "$scrape" gateway_timer_queued)
        conns=$(metric_sum "$scrape" gateway_open_connections)
        reqs=$(metric_sum "$scrape" gateway_requests_total)
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${rss:-0}" "$fds" "${gc:-?	?	?}" "${old:-?}" \
        "${timers:-?}" "${conns:-?}" "${reqs:-?}"
}

report() { # samples.tsv wrk-output
    local fields non2xx errors requests rps
    fields=$(parse_wrk "$2") || { cat "$2" >&2; die "could not parse the wrk output above"; }
    IFS=$'\t' read -r rps _ _ requests non2xx errors _ <<<"$fields"
    cat <<EOF
# Gateway soak: $SCENARIO, $CONNECTIONS connections, $DURATION

- command: \`$COMMAND_LINE\`
- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$( [[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]] || echo " + uncommitted changes")
- machine: nproc $(nproc), kernel $(uname -sr)
- gateway: $(jvm_opts_description); JVM command line: \`$(gateway_jvm_line "$GATEWAY_JAVA_PID")\`
- gateway JVM flags: \`$(gateway_jvm_flags "$GATEWAY_JAVA_PID")\`
- load: wrk -t$WRK_THREADS -c$CONNECTIONS --timeout $WRK_TIMEOUT ${URL[gateway]}$(ready_path "$SCENARIO") for $WARMUP warm-up + $DURATION (stopped after the last sample); samples every $INTERVAL s after the warm-up
- wrk over the whole run: $requests requests, $(printf '%.0f' "$rps") req/s, non-2xx $non2xx, socket errors $errors

| t (s) | RSS MiB | fds | YGC | FGC | CGC | old gen MiB | queued timers | open conns | req/s |
|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
EOF
    awk -F'\t' -v iv="$INTERVAL" '
        function mib(k) { return k == "?" ? "?" : sprintf("%.1f", k / 1024) }
        {
            rate = (NR > 1 && $10 != "?" && prev != "?") ? sprintf("%.0f", ($10 - prev) / ($1 - pt)) : "-"
            prev = $10; pt = $1
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, mib($2), $3, $4, $5, $6, mib($7), $8, $9, rate
        }' "$1"
    echo
    awk -F'\t' -v rss_slack="$RSS_SLACK" -v fd_slack="$FD_SLACK" -v max_gc="$MAX_OLD_GC" \
        -v non2xx="$non2xx" -v errors="$errors" '
        { t[NR] = $1; rss[NR] = $2; fds[NR] = $3; fgc[NR] = $5; cgc[NR] = $6; old[NR] = $7; timers[NR] = $8 }
        function maxof(a, from, to,   i, m) { m = a[from]; for (i = from; i <= to; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
        END {
            n = NR; third = int(n / 3); if (third < 1) third = 1
            first_rss = maxof(rss, 1, third); last_rss = maxof(rss, n - third + 1, n)
            first_fd = maxof(fds, 1, third); last_fd = maxof(fds, n - third + 1, n)
            full = fgc[n] - fgc[1]; conc = cgc[n] - cgc[1]
            first_tm = maxof(timers, 1, third); last_tm = maxof(timers, n - third + 1, n)
            ok_rss = last_rss <= first_rss * (1 + rss_slack / 100)
            ok_fd = last_fd <= first_fd + fd_slack
            # Old gen right after each full GC (the first sample that shows it) against the start:
            # a leak keeps what it holds through the collection; promoted garbage does not.
            worst_after = 0
            for (i = 2; i <= n; i++) if (fgc[i] > fgc[i - 1] && old[i] + 0 > worst_after) worst_after = old[i]
            ok_after = full == 0 || worst_after <= old[1] * 1.2 + 2048
            ok_gc = full <= max_gc || ok_after
            ok_load = non2xx == 0 && errors == 0
            ok_tm = last_tm <= first_tm * 1.1 + 50
            printf "Verdict (%d samples, thirds of %d):\n\n", n, third
            printf "- RSS flat: **%s**: last-third max %.1f MiB vs first-third max %.1f MiB (limit +%d%%: %.1f MiB)\n",
                ok_rss ? "PASS" : "FAIL", last_rss / 1024, first_rss / 1024, rss_slack, first_rss * (1 + rss_slack / 100) / 1024
            printf "- fds flat: **%s**: last-third max %d vs first-third max %d (limit +%d)\n", ok_fd ? "PASS" : "FAIL", last_fd, first_fd, fd_slack
            printf "- old-gen GC: **%s**: %d full GCs during the sampled part (limit %d, or any number when each leaves the old gen within +20%% + 2 MiB of the first sample: %.1f MiB, worst after a full GC %.1f MiB); %d concurrent-cycle pauses (G1 marking, informational)\n",
                ok_gc ? "PASS" : "FAIL", full, max_gc, old[1] / 1024, worst_after / 1024, conc
            printf "- load: **%s**: %d non-2xx, %d socket errors\n", ok_load ? "PASS" : "FAIL", non2xx, errors
            printf "- timers flat: **%s**: last-third max %d vs first-third max %d queued (limit +10%% + 50)\n", ok_tm ? "PASS" : "FAIL", last_tm, first_tm
            printf "\n**%s**\n", (ok_rss && ok_fd && ok_gc && ok_load && ok_tm) ? "SOAK PASSED" : "SOAK FAILED"
            exit (ok_rss && ok_fd && ok_gc && ok_load && ok_tm) ? 0 : 1
        }' "$1"
}

main() {
    parse_args "$@"
    ensure_jar
    ensure_launcher
    have java || die "java is not installed"
    have jstat || die "jstat is not installed (a JDK is needed, not only a JRE)"
    have wrk || die "wrk is not installed (Debian/Ubuntu: apt-get install wrk)"
    have curl || die "curl is not installed"
    find_nginx || USE_NGINX=0

    install_traps
    make_work_dir
    is_tls "$SCENARIO" && make_certificate
    [[ $SCENARIO == static ]] && make_static_files
    local limit
    limit=$(ulimit -n)
    [[ $limit == unlimited ]] || ((limit > 2 * CONNECTIONS + 200)) ||
        die "the open-files limit ($limit) is too low for $CONNECTIONS connections through a proxy; raise ulimit -n"

    [[ $SCENARIO == static ]] || start_backend
    start_gateway "$SCENARIO"

    local warm dur total url wrk_out="$WORK/wrk.txt" samples="$WORK/samples.tsv" start next t rc=0
    warm=$(seconds_of "$WARMUP")
    dur=$(seconds_of "$DURATION")
    # wrk gets time to spare and is stopped with SIGINT after the last sample (it then prints its
    # statistics as at the end of a run): sampling takes a moment, so the samples drift a little.
    total=$((warm + dur + 120))
    url="${URL[gateway]}$(ready_path "$SCENARIO")"
    log "soak: wrk -t$WRK_THREADS -c$CONNECTIONS $url ($WARMUP warm-up, then a sample every ${INTERVAL}s for $DURATION)"
    wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${total}s" --timeout "$WRK_TIMEOUT" --latency "$url" >"$wrk_out" 2>&1 &
    LOAD_PID=$!
    start=$((SECONDS + warm))
    : >"$samples"
    for ((t = 0; t <= dur; t += INTERVAL)); do
        next=$((start + t))
        while ((SECONDS < next)); do sleep 0.2; done
        check_alive
        kill -0 "$LOAD_PID" 2>/dev/null || { cat "$wrk_out" >&2; die "wrk ended early"; }
        sample "$((SECONDS - start))" | tee -a "$samples" | awk -F'\t' '{ printf "  t=%4ss  RSS %7.1f MiB  fds %5s  YGC %5s  FGC %3s  CGC %3s  old %7.1f MiB  timers %s  conns %s\n",
            $1, $2 / 1024, $3, $4, $5, $6, $7 / 1024, $8, $9 }' >&2
    done
    kill -INT "$LOAD_PID" 2>/dev/null || true
    wait "$LOAD_PID" || rc=$?
    LOAD_PID=""
    ((rc == 0)) || { cat "$wrk_out" >&2; die "wrk failed (exit code $rc)"; }
    report "$samples" "$wrk_out" | tee "$WORK/report.md"
}

main "$@"

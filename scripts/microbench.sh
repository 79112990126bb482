#!/usr/bin/env bash
# JMH microbenchmarks of the hot paths that must stay lock-free and allocation-free:
# circuit breaker admit+record, every strategy's pick with 3 and 100 targets, route lookup,
# rate-limit check, metrics recording, tracing off and on. They live in test scope next to the package-private classes
# they measure (gateway-balancer/src/test/java/**/*Benchmark.java,
#  gateway-core/src/test/java/**/*Benchmark.java) and run with the GC profiler,
# so every benchmark reports gc.alloc.rate.norm (B/op) next to its time.
# Run `scripts/microbench.sh --help` for the options.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULES=(gateway-balancer gateway-core)
OUT="$ROOT/target/microbench"
# Short but meaningful on a small, noisy machine; any JMH option given on the command line wins.
DEFAULTS=(-f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc)

usage() {
    cat <<USAGE
usage: scripts/microbench.sh [--no-build] [JMH args...]

Builds the test classes of ${MODULES[*]} (mvn test-compile) and runs their JMH benchmarks with
the GC profiler. Defaults: ${DEFAULTS[*]}
Other arguments go to org.openjdk.jmh.Main unchanged; options given there override the
defaults. Examples:
  scripts/microbench.sh                                   all benchmarks
  scripts/microbench.sh CircuitBreakerBenchmark           one class (a regex over benchmark names)
  scripts/microbench.sh PickerBenchmark.pick -p targets=100 -p strategy=RANDOM
  scripts/microbench.sh -l                                list the benchmarks
  scripts/microbench.sh -h                                JMH's own options
After the run a summary (ns/op and B/op per benchmark) is printed from $OUT/results.csv.

  --no-build   reuse the classes and classpath of the previous run
  --help       this text
USAGE
}

BUILD=1
ARGS=()
for arg in "$@"; do
    case "$arg" in
        --help) usage; exit 0 ;;
        --no-build) BUILD=0 ;;
        *) ARGS+=("$arg") ;;
    esac
done

cd "$ROOT"
mkdir -p "$OUT/META-INF"
if [[ $BUILD == 1 ]]; then
    echo "building test classes of ${MODULES[*]} ..." >&2
    # One reactor run, so sibling modules resolve to their target/classes without being installed.
    mvn -B -q -pl "$(IFS=,; echo "${MODULES[*]}")" -am test-compile dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/microbench.classpath
fi

# Each module's annotation processor wrote its own META-INF/BenchmarkList; JMH reads only the
# first one on the classpath, so a merged copy goes first.
: > "$OUT/META-INF/BenchmarkList"
: > "$OUT/META-INF/CompilerHints"
CLASSPATH="$OUT"
for module in "${MODULES[@]}"; do
    dir="$ROOT/$module/target"
    if [[ ! -f $dir/microbench.classpath || ! -f $dir/test-classes/META-INF/BenchmarkList ]]; then
        echo "microbench: $module has no compiled benchmarks (run without --no-build)" >&2
        exit 1
    fi
    cat "$dir/test-classes/META-INF/BenchmarkList" >> "$OUT/META-INF/BenchmarkList"
    if [[ -f $dir/test-classes/META-INF/CompilerHints ]]; then
        cat "$dir/test-classes/META-INF/CompilerHints" >> "$OUT/META-INF/CompilerHints"
    fi
    CLASSPATH="$CLASSPATH:$dir/test-classes:$dir/classes:$(cat "$dir/microbench.classpath")"
done

# JMH rejects an option given twice, so a default is dropped when the command line sets it.
EFFECTIVE=()
for ((i = 0; i < ${#DEFAULTS[@]}; i += 2)); do
    option=${DEFAULTS[i]}
    if [[ " ${ARGS[*]-} " != *" $option "* ]]; then
        EFFECTIVE+=("$option" "${DEFAULTS[i + 1]}")
    fi
done

rm -f "$OUT/results.csv"
java -cp "$CLASSPATH" org.openjdk.jmh.Main ${EFFECTIVE[@]+"${EFFECTIVE[@]}"} -rf csv -rff "$OUT/results.csv" ${ARGS[@]+"${ARGS[@]}"}

[[ -s $OUT/results.csv ]] || exit 0
# Summary: one row per benchmark and parameter set, time next to allocation.
awk -F, '
    { sub(/\r$/, ""); for (i = 1; i <= NF; i++) { gsub(/^"|"$/, "", $i) } }
    NR == 1 {
        for (i = 8; i <= NF; i++) { sub(/^Param: /, "", $i); params[i] = $i }
        next
    }
    {
        name = $1; secondary = ""
        if (index(name, ":") > 0) { secondary = substr(name, index(name, ":") + 1); name = substr(name, 1, index(name, ":") - 1) }
        n2 = split(name, parts, "."); bench = parts[n2 - 1] "." parts[n2]
        p = ""
        for (i = 8; i <= NF; i++) { if ($i != "") { p = p (p == "" ? "" : " ") params[i] "=" $i } }
        key = bench SUBSEP p
        if (secondary == "") {
            order[++n] = key; label[key] = bench (p == "" ? "" : " (" p ")")
            err = ($6 == "NaN" || $6 == "") ? "?" : sprintf("%.1f", $6 + 0)
            time[key] = sprintf("%.1f ± %s %s", $5 + 0, err, $7)
        } else if (secondary == "gc.alloc.rate.norm") {
            alloc[key] = sprintf("%.1f", $5 + 0)
        }
    }
    END {
        printf "\n| benchmark | time | B/op |\n|---|---:|---:|\n"
        for (i = 1; i <= n; i++) {
            k = order[i]
            printf "| %s | %s | %s |\n", label[k], time[k], (k in alloc ? alloc[k] : "?")
        }
    }
' "$OUT/results.csv"

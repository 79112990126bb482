#!/usr/bin/env bash
# On-the-fly compression of a 100 KiB HTML page: the gateway (gzip, br, zstd) next to nginx (gzip on,
# the same gzip level), both serving the same file from disk over loopback.
#
#   scripts/bench-compression.sh [--no-build] [--rounds 3] [--duration 10s] [--connections 50] [--gzip-level 6]
#
# For each system and coding: wrk -t1 -c<connections> -d<duration> -H 'Accept-Encoding: <coding>'
# gives requests/s, and curl -w '%{size_download}' the bytes of one response body on the wire.
# Rounds interleave the runs (nginx gzip, gateway gzip, br, zstd, then again); the medians are
# printed as a markdown table. The page is generated here, deterministically: prose-like HTML of
# varied words, so it compresses like a real page rather than like a repeated line. Everything runs
# in a private temp directory and is stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/gateway-core/target/gateway.jar"
NGINX=${NGINX:-/usr/sbin/nginx}
ROUNDS=3
DURATION=10s
CONNECTIONS=50
LEVEL=6
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --gzip-level) LEVEL=$2; shift ;;
        -h|--help) sed -n 2,12p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
for tool in wrk curl java python3 "$NGINX"; do
    command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install wrk curl nginx python3)" >&2; exit 1; }
done
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mkdir "$WORK/public"
python3 - "$WORK/public/index.html" <<'PY'
import random, sys
random.seed(15)
words = ("gateway route upstream target request response header body stream connection client server "
         "compression brotli zstandard gzip window level content encoding negotiation quality value "
         "cache proxy origin policy token bucket limit health check breaker retry timeout latency "
         "the a of and to in is for on with as by at from this that it be are was or an which").split()
out = ['<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Benchmark page</title>'
       '<link rel="stylesheet" href="/site.css"></head>\n<body>\n<nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>\n']
n = 0
while sum(map(len, out)) < 100 * 1024 - 200:
    n += 1
    sentence = " ".join(random.choice(words) for _ in range(random.randint(8, 30)))
    out.append('<section id="s%d" class="%s"><h2>%s %d</h2>\n<p>%s. <a href="/docs/%s#%d">%s</a></p></section>\n'
               % (n, random.choice(words), random.choice(words).title(), n, sentence.capitalize(),
                  random.choice(words), random.randint(1, 999), random.choice(words)))
out.append("</body></html>\n")
page = "".join(out)
open(sys.argv[1], "w").write(page[:100 * 1024 - 15] + "</body></html>\n")
PY
SIZE=$(stat -c %s "$WORK/public/index.html")
chmod -R a+rX "$WORK" # nginx workers run as another user when this runs as root

NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    gzip on;
    gzip_comp_level $LEVEL;
    gzip_types text/html;
    gzip_min_length 1024;
    gzip_vary on;
    types { text/html html; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/public;
    }
}
CONF
"$NGINX" -c "$WORK/nginx.conf" -g 'daemon off;' -e "$WORK/nginx-error.log" &
PIDS+=($!)

GATEWAY_PORT=$(free_port)
cat > "$WORK/app_config.toml" <<TOML
[server]
listen = "127.0.0.1:$GATEWAY_PORT"
[admin]
listen = "127.0.0.1:0"
[logging]
access_log = "off"
level = "warn"
[static]
root = "public"
[compression]
enabled = true
level = { gzip = $LEVEL }
TOML
java ${GATEWAY_JAVA_OPTS:-} -jar "$JAR" --config "$WORK/app_config.toml" > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)

for port in "$NGINX_PORT" "$GATEWAY_PORT"; do
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" && break
        sleep 0.1
    done
    curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" || { echo "nothing answers on $port" >&2; cat "$WORK"/*.log >&2; exit 1; }
done

RUNS=("nginx gzip $NGINX_PORT" "gateway gzip $GATEWAY_PORT" "gateway br $GATEWAY_PORT" "gateway zstd $GATEWAY_PORT")
# Warm-up (the JIT compiles the gateway's hot paths), not measured.
for run in "${RUNS[@]}"; do
    read -r _ coding port <<<"$run"
    wrk -t1 -c"$CONNECTIONS" -d5s -H "Accept-Encoding: $coding" "http://127.0.0.1:$port/index.html" > /dev/null
done
: > "$WORK/results.tsv"
for round in $(seq 1 "$ROUNDS"); do
    for run in "${RUNS[@]}"; do
        read -r system coding port <<<"$run"
        rps=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H "Accept-Encoding: $coding" "http://127.0.0.1:$port/index.html" \
            | awk '/^Requests\/sec:/ { print $2 }')
        bytes=$(curl -s -o /dev/null -H "Accept-Encoding: $coding" -w '%{size_download}' "http://127.0.0.1:$port/index.html")
        encoding=$(curl -s -o /dev/null -D - -H "Accept-Encoding: $coding" "http://127.0.0.1:$port/index.html" \
            | awk -F': ' 'tolower($1) == "content-encoding" { gsub(/\r/, "", $2); print $2 }')
        [ "$encoding" = "$coding" ] || { echo "$system answered '$encoding' to Accept-Encoding: $coding" >&2; exit 1; }
        printf '%s\t%s\t%s\t%s\t%s\n' "$system" "$coding" "$round" "$rps" "$bytes" >> "$WORK/results.tsv"
        echo "round $round: $system $coding $rps req/s, $bytes bytes" >&2
    done
done

echo
echo "100 KiB page ($SIZE bytes), wrk -t1 -c$CONNECTIONS -d$DURATION, gzip level $LEVEL, median of $ROUNDS interleaved rounds"
echo
echo "| server | coding | req/s | bytes per response | of the page |"
echo "|---|---|---:|---:|---:|"
for run in "${RUNS[@]}"; do
    read -r system coding _ <<<"$run"
    median() { awk -F'\t' -v s="$system" -v c="$coding" -v col="$1" '$1 == s && $2 == c { print $col }' "$WORK/results.tsv" \
        | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    rps=$(median 4)
    bytes=$(median 5)
    awk -v s="$system" -v c="$coding" -v r="$rps" -v b="$bytes" -v size="$SIZE" \
        'BEGIN { printf "| %s | %s | %.0f | %d | %.1f%% |\n", s, c, r, b, 100 * b / size }'
done

#!/usr/bin/env bash
# TLS cost of the gateway with each engine: full handshakes per second and keep-alive HTTPS request
# throughput, JDK vs OpenSSL (BoringSSL), measured with wrk over loopback against a small static file.
#
#   scripts/tls-bench.sh [--no-build] [--rounds N] [--duration 10s] [--connections 32]
#
# Handshakes/s: wrk with "Connection: close", so every request is a new connection and a full
# TLS 1.3 handshake (wrk keeps no sessions). Requests/s: wrk with keep-alive over TLS. Rounds
# alternate the engines; medians are printed as a markdown table. The certificate is an EC P-256
# one made here with openssl. Everything runs in a private temp directory and is stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/gateway-core/target/gateway.jar"
ROUNDS=3
DURATION=10s
CONNECTIONS=32
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        -h|--help) sed -n 2,11p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
for tool in wrk openssl java; do
    command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }
done
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
fi

WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=bench.test \
    -addext subjectAltName=DNS:bench.test -keyout "$WORK/server.key" -out "$WORK/server.crt" 2>/dev/null
mkdir "$WORK/public"
head -c 1024 /dev/urandom | base64 > "$WORK/public/index.html"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

run_gateway() {
    cat > "$WORK/app_config.toml" <<TOML
[server]
listen = "127.0.0.1:$PORT"
[server.tls]
cert = "server.crt"
key = "server.key"
provider = "$1"
[admin]
listen = "127.0.0.1:0"
[logging]
access_log = "off"
level = "warn"
[static]
root = "public"
TOML
    java -Xmx256m -jar "$JAR" --config "$WORK/app_config.toml" 2>"$WORK/gateway-$1.log" &
    PID=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "gateway ($1) did not start" >&2; cat "$WORK/gateway-$1.log" >&2; exit 1
}

stop_gateway() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

rate() { awk '/Requests\/sec/ {print int($2)}'; }

URL="https://127.0.0.1:$PORT/index.html"
declare -A HS RS
for round in $(seq "$ROUNDS"); do
    for engine in jdk openssl; do
        run_gateway "$engine"
        wrk -t1 -c"$CONNECTIONS" -d5s "$URL" >/dev/null                       # warm-up (JIT)
        hs=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H 'Connection: close' "$URL" | rate)
        rs=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$URL" | rate)
        echo "round $round $engine: $hs handshakes/s, $rs req/s" >&2
        HS[$engine]+="$hs "; RS[$engine]+="$rs "
        stop_gateway
    done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| engine | full handshakes/s (Connection: close) | HTTPS req/s (keep-alive) |"
echo "|---|--:|--:|"
for engine in jdk openssl; do
    echo "| $engine | $(echo "${HS[$engine]}" | median) | $(echo "${RS[$engine]}" | median) |"
done

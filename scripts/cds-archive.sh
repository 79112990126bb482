#!/usr/bin/env bash
# Creates the AppCDS archive that bin/gateway uses to start faster: a training run of the jar
# (start, one static and one proxied request, SIGTERM) after which the JVM writes the classes it
# loaded, already parsed and verified, to a file it can map at the next start (JDK 13+).
#
#   scripts/cds-archive.sh [JAR [ARCHIVE]]
#     JAR      default: gateway-core/target/gateway.jar
#     ARCHIVE  default: gateway.jsa next to the jar, where bin/gateway looks for it
#
# The archive is only valid for the exact jar and JVM it was made with; the JVM checks that and
# ignores a stale one (bin/gateway also skips an archive older than the jar). Needs only bash
# (HTTP over /dev/tcp), so it runs in the JRE-only Docker image too.
set -eu

home=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$home/gateway-core/target/gateway.jar}
archive=${2:-$(dirname "$jar")/gateway.jsa}
[ -f "$jar" ] || { echo "cds-archive: no $jar (build it with 'mvn -B -q package -DskipTests')" >&2; exit 1; }
if [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
archive=$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Free ports: ask the kernel with python3 when there is one; else fixed ones (a Docker build).
if command -v python3 > /dev/null; then
    ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
else
    ports="18080 18081 18082"
fi
read -r listen admin dead <<< "$ports"

# GET over bash's /dev/tcp; prints the status line.
get() {
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$2" >&3
    local status
    read -r status <&3 || true
    cat <&3 > /dev/null || true
    exec 3<&-
    echo "$status"
}
mkdir "$work/site"
echo "<h1>training</h1>" > "$work/site/index.html"
cat > "$work/train.toml" <<TOML
[server]
listen = "127.0.0.1:$listen"
[admin]
listen = "127.0.0.1:$admin"
[logging]
level = "warn"
access_log = "off"
[static]
root = "$work/site"
[[routes]]
path = "/api/*"
targets = ["http://127.0.0.1:$dead"]
TOML

rm -f "$archive"
"$java" -XX:ArchiveClassesAtExit="$archive" -Xshare:auto -jar "$jar" --config "$work/train.toml" \
    > "$work/out.log" 2>&1 &
pid=$!
tries=0
until [[ $(get "$listen" / 2> /dev/null) == *' 200 '* ]]; do
    tries=$((tries + 1))
    if [ $tries -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "cds-archive: the training run did not start:" >&2
        cat "$work/out.log" >&2
        exit 1
    fi
    sleep 0.1
done
get "$listen" /api/x > /dev/null || true    # 502: the proxy path's classes
get "$admin" /metrics > /dev/null || true
kill -TERM "$pid"
wait "$pid" || true
pid=
[ -s "$archive" ] || { echo "cds-archive: the JVM wrote no archive:" >&2; cat "$work/out.log" >&2; exit 1; }
echo "wrote $archive ($(du -k "$archive" | cut -f1) KiB)"

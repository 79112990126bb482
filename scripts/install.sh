#!/bin/sh
# Installs the gateway as a systemd service:
#   /opt/gateway/bin/gateway, /opt/gateway/lib/       the launcher, the jar and its AppCDS archive
#   /opt/gateway/public/                              the demo site
#   /etc/gateway/app_config.toml, jvm.options         config and JVM settings (never overwritten;
#                                                     newer shipped ones go to .new)
#   /etc/systemd/system/gateway.service               the unit (scripts/gateway.service)
# and the `gateway` system user. Run from the repository after `mvn -B -q package -DskipTests`.
#
#   sudo scripts/install.sh                 install, then: systemctl enable --now gateway
#   scripts/install.sh --dry-run            print what would be done, change nothing
#   DESTDIR=/tmp/root scripts/install.sh    stage files under /tmp/root for a package (no user,
#                                           no ownership changes, no systemctl)
# Paths: PREFIX (/opt/gateway), CONFDIR (/etc/gateway), UNITDIR (/etc/systemd/system),
# JAVA (/usr/bin/java) from the environment; the unit is rewritten to match them.
set -eu

PREFIX=${PREFIX:-/opt/gateway}
CONFDIR=${CONFDIR:-/etc/gateway}
UNITDIR=${UNITDIR:-/etc/systemd/system}
JAVA=${JAVA:-/usr/bin/java}
DESTDIR=${DESTDIR:-}
SERVICE_USER=gateway
DRY_RUN=false

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        -n|--dry-run) DRY_RUN=true ;;
        --destdir) [ $# -ge 2 ] || { echo "--destdir needs a directory" >&2; exit 2; }; DESTDIR=$2; shift ;;
        --destdir=*) DESTDIR=${1#--destdir=} ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
JAR="$REPO/gateway-core/target/gateway.jar"
STAGING=false
[ -n "$DESTDIR" ] && STAGING=true

# Prints the command; runs it unless --dry-run.
run() {
    echo "+ $*"
    if [ "$DRY_RUN" = false ]; then
        "$@"
    fi
}

# Writes stdin to a file (or only says so under --dry-run).
write() {
    echo "+ write $1"
    if [ "$DRY_RUN" = false ]; then
        cat > "$1"
    else
        cat > /dev/null
    fi
}

[ -f "$JAR" ] || { echo "missing $JAR: build it first with 'mvn -B -q package -DskipTests'" >&2; exit 1; }
if [ "$STAGING" = false ] && [ "$DRY_RUN" = false ] && [ "$(id -u)" -ne 0 ]; then
    echo "run as root (or use --dry-run, or DESTDIR=... to stage files)" >&2
    exit 1
fi
if [ "$STAGING" = false ] && [ ! -x "$JAVA" ]; then
    echo "warning: $JAVA is not executable; install a Java 17+ runtime or set JAVA=/path/to/java" >&2
fi

# 1. The service user (a package creates it in its postinst instead).
if [ "$STAGING" = false ]; then
    if id "$SERVICE_USER" > /dev/null 2>&1; then
        echo "user $SERVICE_USER exists"
    else
        run useradd --system --user-group --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin --comment "gateway reverse proxy" "$SERVICE_USER"
    fi
fi

# 2. Launcher, jar and demo site: root-owned, world-readable; the service cannot modify its own code.
run install -d -m 0755 "$DESTDIR$PREFIX" "$DESTDIR$PREFIX/bin" "$DESTDIR$PREFIX/lib" "$DESTDIR$PREFIX/public"
run install -m 0755 "$REPO/bin/gateway" "$DESTDIR$PREFIX/bin/gateway"
run install -m 0644 "$JAR" "$DESTDIR$PREFIX/lib/gateway.jar"
for file in "$REPO"/public/*; do
    run install -m 0644 "$file" "$DESTDIR$PREFIX/public/"
done
# AppCDS archive for a faster start, made with the JVM the service runs (optional).
if [ "$STAGING" = false ] && [ -x "$JAVA" ]; then
    if [ "$DRY_RUN" = true ]; then
        echo "+ $REPO/scripts/cds-archive.sh $PREFIX/lib/gateway.jar $PREFIX/lib/gateway.jsa"
    else
        JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
            "$REPO/scripts/cds-archive.sh" "$PREFIX/lib/gateway.jar" "$PREFIX/lib/gateway.jsa" \
            || echo "warning: no AppCDS archive; the gateway starts without it, a little slower" >&2
    fi
fi

# 3. Config: readable by the service group only (it may hold an admin token). The shipped file's
# relative static root ("public", next to the config) becomes the installed site.
run install -d -m 0750 "$DESTDIR$CONFDIR"
config="$DESTDIR$CONFDIR/app_config.toml"
if [ -e "$config" ]; then
    echo "keeping existing $config; the shipped one goes to app_config.toml.new for comparison"
    config="$config.new"
fi
grep -q '^root = "public"' "$REPO/app_config.toml" \
    || { echo "app_config.toml has no 'root = \"public\"' line any more: update install.sh" >&2; exit 1; }
sed "s|^root = \"public\"|root = \"$PREFIX/public\"|" "$REPO/app_config.toml" | write "$config"
run chmod 0640 "$config"
options="$DESTDIR$CONFDIR/jvm.options"
if [ -e "$options" ]; then
    echo "keeping existing $options; the shipped one goes to jvm.options.new for comparison"
    options="$options.new"
fi
write "$options" < "$REPO/config/jvm.options"
run chmod 0644 "$options"
if [ "$STAGING" = false ]; then
    run chown "root:$SERVICE_USER" "$DESTDIR$CONFDIR" "$config"
fi

# 4. The unit, with the paths chosen above.
run install -d -m 0755 "$DESTDIR$UNITDIR"
java_home=$(dirname "$(dirname "$(readlink -f "$JAVA" 2> /dev/null || echo "$JAVA")")")
sed -e "s|/opt/gateway/|$PREFIX/|g" \
    -e "s|/etc/gateway/|$CONFDIR/|g" \
    -e "s|^Environment=JAVA_OPTS=\$|Environment=JAVA_HOME=$java_home\nEnvironment=JAVA_OPTS=|" \
    "$REPO/scripts/gateway.service" | write "$DESTDIR$UNITDIR/gateway.service"
run chmod 0644 "$DESTDIR$UNITDIR/gateway.service"

# 5. Validate the config the service will use, read as the service user.
if [ "$STAGING" = false ] && [ -x "$JAVA" ]; then
    run runuser -u "$SERVICE_USER" -- "$JAVA" -jar "$PREFIX/lib/gateway.jar" --config "$CONFDIR/app_config.toml" --check \
        || echo "warning: $CONFDIR/app_config.toml does not validate; fix it before starting the service" >&2
fi

# 6. Tell systemd, unless staging or systemd is not running (e.g. in a container).
if [ "$DRY_RUN" = true ]; then
    echo "dry run: nothing was changed"
elif [ "$STAGING" = false ] && [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
    echo "installed. Start it with: systemctl enable --now gateway; logs: journalctl -u gateway"
elif [ "$STAGING" = false ]; then
    echo "installed; systemd is not running here, so no daemon-reload"
else
    echo "staged under $DESTDIR (create the '$SERVICE_USER' user and chown root:$SERVICE_USER $CONFDIR on the target)"
fi

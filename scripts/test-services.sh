#!/usr/bin/env bash
# Run a command (the test suite, the benchmarks) with PostgreSQL, Redis and Chromium at hand.
#
#   scripts/test-services.sh .venv/bin/pytest -q
#
# PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/alliedup) and Redis
# (REDIS_URL, default redis://127.0.0.1:6379/0) are used as they are when they answer.
# When one does not, a throwaway instance is started in a temporary folder on a free port
# (installing the Debian package first if needed) and DATABASE_URL / REDIS_URL point at it for
# the command. Chromium (e2e tests), WeasyPrint's system libraries and gettext are installed when
# missing. Everything started here is stopped and removed on exit, and the script exits with
# the command's exit code.
set -euo pipefail

log() { echo "test-services: $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $# -gt 0 ]] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alliedup}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"

PG_FIRST_PORT=54329
REDIS_FIRST_PORT=63799
# Debian packages for Chromium (e2e tests) and WeasyPrint (PDF rendering).
BROWSER_PACKAGES=(chromium)
WEASYPRINT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

# A Python for the small helpers below (python3 is needed by the project anyway).
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=""
for candidate in python3 python3.11 "$script_dir/../.venv/bin/python"; do
    if command -v "$candidate" >/dev/null 2>&1; then PY="$(command -v "$candidate")"; break; fi
done
[[ -n "$PY" ]] || die "python3 is required"

# --- helpers ----------------------------------------------------------------------------

# url_host_port URL DEFAULT_PORT -> two lines: host (may be empty or a socket dir), port.
url_host_port() {
    "$PY" - "$1" "$2" <<'EOF'
import sys
from urllib.parse import parse_qs, unquote, urlsplit

url, default_port = sys.argv[1], sys.argv[2]
parts = urlsplit(url)
host = unquote(parts.hostname or "")
query = parse_qs(parts.query)
if not host and query.get("host"):  # postgres:///db?host=/var/run/postgresql
    host = query["host"][0]
try:
    port = parts.port or int(query.get("port", [default_port])[0])
except ValueError:
    sys.exit(f"bad port in {url!r}")
print(host)
print(port)
EOF
}

# tcp_open HOST PORT: something accepts connections there (HOST may be a socket dir for PG).
tcp_open() {
    "$PY" - "$1" "$2" <<'EOF'
import socket, sys

host, port = sys.argv[1] or "127.0.0.1", int(sys.argv[2])
try:
    if host.startswith("/"):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(2)
        s.connect(f"{host}/.s.PGSQL.{port}")
    else:
        s = socket.create_connection((host, port), timeout=2)
    s.close()
except OSError:
    sys.exit(1)
EOF
}

# port_free PORT: nothing listens on 127.0.0.1:PORT (or the wildcard address). SO_REUSEADDR
# as the servers use it, so that connections left in TIME_WAIT do not count.
port_free() {
    "$PY" - "$1" <<'EOF'
import socket, sys

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

free_port() {
    local port=$1 last=$(($1 + 200))
    while ((port <= last)); do
        if port_free "$port"; then echo "$port"; return 0; fi
        port=$((port + 1))
    done
    die "no free port in $1..$last"
}

postgres_ready() { # HOST PORT
    if command -v pg_isready >/dev/null 2>&1; then
        local args=(-p "$2" -t 3)
        [[ -n "$1" ]] && args+=(-h "$1")
        pg_isready -q "${args[@]}"
    else
        tcp_open "$1" "$2"
    fi
}

redis_ready() { # HOST PORT
    local host=${1:-127.0.0.1} reply=""
    if command -v redis-cli >/dev/null 2>&1; then
        reply="$(timeout 5 redis-cli -h "$host" -p "$2" ping 2>/dev/null || true)"
    else
        reply="$(timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "PING\r\n" >&3 && head -c 7 <&3' \
            "$host" "$2" 2>/dev/null || true)"
    fi
    # A password-protected server answers NOAUTH: it is up; the URL carries the password.
    [[ "$reply" == *PONG* || "$reply" == *NOAUTH* ]]
}

postgres_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir; return 0
    fi
    dir="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
    if [[ -x "$dir/initdb" ]]; then echo "$dir"; fi  # prints nothing when not installed
}

package_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

APT_UPDATED=0
# apt_install PACKAGE...: install with apt-get (as root or through sudo), or explain and fail.
apt_install() {
    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "missing Debian packages; install them and retry: sudo apt-get install -y $*"
        fi
    fi
    command -v apt-get >/dev/null 2>&1 || die "no apt-get here; install the equivalent of: $*"
    if ((APT_UPDATED == 0)); then
        log "apt-get update"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        APT_UPDATED=1
    fi
    log "installing $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# as_postgres CMD...: PostgreSQL refuses to run as root; run as the postgres user then.
as_postgres() {
    if ((EUID == 0)); then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# --- cleanup ------------------------------------------------------------------------------

WORKDIR=""
PG_BINDIR=""
PG_DATA=""
REDIS_PORT_STARTED=""

cleanup() {
    local rc=$?
    set +e
    if [[ -n "$PG_DATA" ]]; then
        as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 \
            && log "stopped throwaway PostgreSQL"
    fi
    if [[ -n "$REDIS_PORT_STARTED" ]]; then
        # By its pid, never by port: after a lost port race the port may be another Redis.
        local pid
        pid="$(cat "$WORKDIR/redis/redis.pid" 2>/dev/null)"
        if [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; then
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            log "stopped throwaway Redis"
        fi
    fi
    [[ -n "$WORKDIR" ]] && rm -rf "$WORKDIR"
    exit "$rc"
}
CHILD=""
# SIGTERM (CI cancel, `timeout`) goes to the command too; then cleanup runs on exit. SIGINT is
# not forwarded: Ctrl-C already reaches the command through the terminal.
on_signal() { # SIGNAL EXIT_CODE
    if [[ -n "$CHILD" ]]; then
        [[ "$1" == TERM ]] && kill -TERM "$CHILD" 2>/dev/null
        return 0  # the wait loop below collects the command's exit code
    fi
    exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

workdir() {
    if [[ -z "$WORKDIR" ]]; then
        WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/test-services.XXXXXX")"
        chmod 755 "$WORKDIR"  # the postgres user must reach its folders inside
    fi
}

# --- decide what is missing ---------------------------------------------------------------

{ read -r PG_HOST; read -r PG_PORT; } < <(url_host_port "$DATABASE_URL" 5432)
{ read -r REDIS_HOST; read -r REDIS_PORT; } < <(url_host_port "$REDIS_URL" 6379)
[[ -n "$PG_PORT" && -n "$REDIS_PORT" ]] || die "cannot parse DATABASE_URL or REDIS_URL"

need_pg=0 need_redis=0 packages=()
if postgres_ready "$PG_HOST" "$PG_PORT"; then
    log "using PostgreSQL at ${PG_HOST:-local socket}:$PG_PORT"
else
    need_pg=1
    log "no PostgreSQL at ${PG_HOST:-local socket}:$PG_PORT; will start a throwaway one"
    [[ -n "$(postgres_bindir)" ]] || packages+=(postgresql)
fi
if redis_ready "$REDIS_HOST" "$REDIS_PORT"; then
    log "using Redis at ${REDIS_HOST:-127.0.0.1}:$REDIS_PORT"
else
    need_redis=1
    log "no Redis at ${REDIS_HOST:-127.0.0.1}:$REDIS_PORT; will start a throwaway one"
    command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
fi
# gettext's msgfmt compiles the translations (make messages) before the command runs.
command -v msgfmt >/dev/null 2>&1 || packages+=(gettext)
if [[ ! -x /usr/bin/chromium ]]; then
    log "no /usr/bin/chromium"
    packages+=("${BROWSER_PACKAGES[@]}")
fi
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${WEASYPRINT_PACKAGES[@]}"; do
        package_installed "$pkg" || packages+=("$pkg")
    done
fi
if ((${#packages[@]})); then
    apt_install "${packages[@]}"  # one apt-get call for everything missing
fi

# --- start what is missing ----------------------------------------------------------------

if ((need_pg)); then
    started=$SECONDS
    PG_BINDIR="$(postgres_bindir)"
    [[ -n "$PG_BINDIR" ]] || die "PostgreSQL server binaries not found after install"
    if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    workdir
    mkdir -p "$WORKDIR/pg/data" "$WORKDIR/pg/sock"
    ((EUID == 0)) && chown -R postgres: "$WORKDIR/pg"
    chmod 700 "$WORKDIR/pg/data"
    if ! as_postgres "$PG_BINDIR/initdb" -D "$WORKDIR/pg/data" -A trust -U postgres -E UTF8 \
        --locale=C --no-sync >"$WORKDIR/initdb.log" 2>&1; then
        cat "$WORKDIR/initdb.log" >&2
        die "initdb failed"
    fi
    PG_DATA="$WORKDIR/pg/data"
    # Another run may take the free port between the check and the start: try the next one.
    port=$((PG_FIRST_PORT - 1)) pg_started=0
    for _ in 1 2 3 4 5; do
        port="$(free_port $((port + 1)))"
        if as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -l "$WORKDIR/pg/server.log" -t 60 \
            -o "-p $port -k $WORKDIR/pg/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            -w start >/dev/null; then
            pg_started=1
            break
        fi
    done
    if ((!pg_started)); then
        cat "$WORKDIR/pg/server.log" >&2 || true
        die "PostgreSQL did not start"
    fi
    # The named database, for commands that use it directly (pytest creates test_<name> itself).
    db_name="$("$PY" -c 'import sys; from urllib.parse import unquote, urlsplit; print(unquote(urlsplit(sys.argv[1]).path.lstrip("/")) or "alliedup")' "$DATABASE_URL")"
    if [[ "$db_name" != postgres ]]; then
        as_postgres "$PG_BINDIR/createdb" -h "$WORKDIR/pg/sock" -p "$port" -U postgres "$db_name"
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$db_name"
    log "started throwaway PostgreSQL on $port ($((SECONDS - started))s)"
fi

if ((need_redis)); then
    started=$SECONDS
    workdir
    mkdir -p "$WORKDIR/redis"
    port=$((REDIS_FIRST_PORT - 1)) redis_started=0
    for _ in 1 2 3 4 5; do
        port="$(free_port $((port + 1)))"
        REDIS_PORT_STARTED=$port
        redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
            --dir "$WORKDIR/redis" --pidfile "$WORKDIR/redis/redis.pid" \
            --logfile "$WORKDIR/redis/redis.log" >/dev/null || continue
        for _ in $(seq 100); do
            # Ours (its pid file written, its process alive) and answering.
            if pid="$(cat "$WORKDIR/redis/redis.pid" 2>/dev/null)" && kill -0 "$pid" 2>/dev/null \
                && redis_ready 127.0.0.1 "$port"; then
                redis_started=1
                break
            fi
            sleep 0.1
        done
        ((redis_started)) && break
    done
    if ((!redis_started)); then
        cat "$WORKDIR/redis/redis.log" >&2 || true
        die "Redis did not start"
    fi
    export REDIS_URL="redis://127.0.0.1:$port/0"
    log "started throwaway Redis on $port ($((SECONDS - started))s)"
fi

# --- run the command ----------------------------------------------------------------------

log "running: $*"
# In the background (keeping stdin) so that a signal to this script is handled at once,
# not after the command ends; `wait` returns early on a signal, so wait again until it ends.
# `trap -`: background commands would otherwise ignore SIGINT, and Ctrl-C must reach pytest.
(trap - INT QUIT; exec "$@") <&0 &
CHILD=$!
while :; do
    rc=0
    wait "$CHILD" || rc=$?
    kill -0 "$CHILD" 2>/dev/null || break
done
exit "$rc"

#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (issue 18): no mock, the real
# server from Debian's `postgresql` package.
#
#   pg_server.sh start DIR   initdb in DIR/data, start the server listening
#                            only on a Unix socket in DIR, create the database
#                            `inc` and the roles the tests use; prints the
#                            conninfo. Exit 77 (ctest SKIP) when the server
#                            binaries are not installed.
#   pg_server.sh stop DIR    stop it (fast shutdown) and remove DIR.
#   pg_server.sh pause DIR   stop the server but keep its data (fault tests).
#   pg_server.sh resume DIR  start it again on the same data.
#   pg_server.sh conninfo DIR [USER [PASSWORD]]
#
# The server refuses to run as root, so as root everything runs as the
# unprivileged user `postgres` (created by the package; `inctest` is created
# with useradd when it is missing). Roles: `inc` (owner of database `inc`,
# password 'inc-secret'), `inc_ro` (may connect and see schema public, but may
# neither create there nor read the tables; password 'ro-secret'). Password
# authentication (scram) is required on the socket so that a wrong password
# is a real failure.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|pause|resume|conninfo DIR" >&2; exit 2; }

find_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir)
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

run_as() { # run a command as the server's user
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$pg_user" -- "$@"
    else
        "$@"
    fi
}

pick_user() {
    pg_user=$(id -un)
    [ "$(id -u)" -eq 0 ] || return 0
    if id postgres >/dev/null 2>&1; then
        pg_user=postgres
    else
        id inctest >/dev/null 2>&1 || useradd --system --no-create-home inctest
        pg_user=inctest
    fi
}

conninfo() {
    local user=${1:-inc} pass=${2:-}
    if [ -z "$pass" ]; then
        case $user in inc) pass=inc-secret ;; inc_ro) pass=ro-secret ;; esac
    fi
    printf 'host=%s port=5432 dbname=inc user=%s password=%s connect_timeout=5\n' \
        "$(cd "$dir" && pwd)" "$user" "$pass"
}

start_server() {
    run_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
}

case $cmd in
start)
    bindir=$(find_bindir) || { echo "PostgreSQL server binaries not found: skipped" >&2; exit 77; }
    pick_user
    if [ -f "$dir/data/postmaster.pid" ]; then conninfo; exit 0; fi
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown "$pg_user" "$dir"
    chmod 700 "$dir"
    pwfile="$dir/superuser.pw"
    echo 'super-secret' >"$pwfile"
    [ "$(id -u)" -ne 0 ] || chown "$pg_user" "$pwfile"
    run_as "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$(cd "$dir" && pwd)'
port = 5432
synchronous_commit = on
fsync = on
max_connections = 60
shared_buffers = 32MB
CONF
    start_server || { cat "$dir/server.log" >&2; exit 1; }
    export PGPASSWORD=super-secret
    run_as env PGPASSWORD=super-secret "$bindir/psql" -q -v ON_ERROR_STOP=1 \
        "host=$(cd "$dir" && pwd) port=5432 user=postgres dbname=postgres" >/dev/null <<'SQL'
CREATE ROLE inc LOGIN PASSWORD 'inc-secret';
CREATE ROLE inc_ro LOGIN PASSWORD 'ro-secret';
CREATE DATABASE inc OWNER inc;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
    run_as env PGPASSWORD=super-secret "$bindir/psql" -q -v ON_ERROR_STOP=1 \
        "host=$(cd "$dir" && pwd) port=5432 user=postgres dbname=inc" >/dev/null <<'SQL'
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO inc;
GRANT CONNECT ON DATABASE inc TO inc_ro;
GRANT USAGE ON SCHEMA public TO inc_ro;
SQL
    conninfo
    ;;
pause)
    bindir=$(find_bindir) || exit 77
    pick_user
    run_as "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
resume)
    bindir=$(find_bindir) || exit 77
    pick_user
    start_server
    ;;
stop)
    if bindir=$(find_bindir) && [ -f "$dir/data/postmaster.pid" ]; then
        pick_user
        run_as "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
conninfo)
    conninfo "${3:-inc}" "${4:-}"
    ;;
*)
    echo "unknown command: $cmd" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# A PostgreSQL primary and a hot standby streaming from it, on this machine, for `tally bench scale --read-db`
# (or any operator who wants to try Tally with a read replica before setting one up for real).
#
#   scripts/pg-replica-pair.sh start DIR [PORT]   # primary on PORT (default 55432), standby on PORT+1
#   scripts/pg-replica-pair.sh status DIR
#   scripts/pg-replica-pair.sh stop DIR
#
# Uses the PostgreSQL 15 server of Debian (/usr/lib/postgresql/15/bin, apt-get install postgresql-15; override with
# PG_BIN). Its tools refuse to run as root, so as root they run as the `postgres` OS user, who must be able to
# reach DIR. The primary is a fresh cluster (trust authentication on loopback only: a scratch pair, not a
# production setup) with fsync and synchronous_commit on; the standby is a pg_basebackup -R copy of it
# (primary_conninfo written by -R), streaming asynchronously, with hot_standby_feedback so that a long
# verification on it is not cancelled by the primary's cleanup. Prints the two JDBC URLs.
set -euo pipefail

usage() {
    echo "usage: $0 start|status|stop DIR [PORT]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
action=$1
dir=$2
port=${3:-55432}
standby_port=$((port + 1))
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$bin/pg_ctl" ] || {
    echo "no PostgreSQL server tools in $bin (apt-get install -y postgresql-15, or set PG_BIN)" >&2
    exit 1
}

# Runs a PostgreSQL tool as the postgres OS user when this script runs as root.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

primary=$dir/primary
standby=$dir/standby

case "$action" in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    primary=$dir/primary
    standby=$dir/standby
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    if [ ! -d "$primary" ]; then
        as_pg "$bin/initdb" -D "$primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
        cat >>"$primary/postgresql.conf" <<EOF
# pg-replica-pair.sh
port = $port
listen_addresses = 'localhost'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
max_wal_senders = 5
wal_keep_size = 4GB
max_wal_size = 4GB
max_connections = 300
shared_buffers = 512MB
hot_standby = on
hot_standby_feedback = on
EOF
    fi
    as_pg "$bin/pg_ctl" -D "$primary" -l "$dir/primary.log" -w status >/dev/null 2>&1 ||
        as_pg "$bin/pg_ctl" -D "$primary" -l "$dir/primary.log" -w start >/dev/null
    if [ ! -d "$standby" ]; then
        as_pg "$bin/pg_basebackup" -h localhost -p "$port" -U postgres -D "$standby" -R -X stream -c fast
        # The copy carries the primary's settings; the standby only needs its own port.
        echo "port = $standby_port" >>"$standby/postgresql.auto.conf"
    fi
    as_pg "$bin/pg_ctl" -D "$standby" -l "$dir/standby.log" -w status >/dev/null 2>&1 ||
        as_pg "$bin/pg_ctl" -D "$standby" -l "$dir/standby.log" -w start >/dev/null
    echo "primary: jdbc:postgresql://localhost:$port/postgres?user=postgres"
    echo "standby: jdbc:postgresql://localhost:$standby_port/postgres?user=postgres"
    ;;
status)
    for d in "$primary" "$standby"; do
        as_pg "$bin/pg_ctl" -D "$d" status || true
    done
    ;;
stop)
    for d in "$standby" "$primary"; do
        if [ -d "$d" ]; then
            as_pg "$bin/pg_ctl" -D "$d" -m fast -w stop || true
        fi
    done
    ;;
*)
    usage
    ;;
esac

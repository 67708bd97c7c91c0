#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: installs Debian's PostgreSQL 15 when absent, then starts a fresh cluster
# on 127.0.0.1:${EPSILON_PG_PORT:-55432} (trust on loopback only, data in a temporary folder) unless one answers there.
# Prints the connection string the tests read from EPSILON_TEST_POSTGRES. `scripts/postgres.sh stop` removes it.
set -euo pipefail

PORT="${EPSILON_PG_PORT:-55432}"
DATA="${EPSILON_PG_DATA:-/tmp/epsilon-pg-$PORT}"
log() { printf '\033[1m[postgres]\033[0m %s\n' "$*" >&2; }

SUDO=""; AS_PG=(runuser -u postgres --)
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; AS_PG=(sudo -u postgres); fi

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ "${1:-start}" = "stop" ]; then
  if [ -d "$DATA" ]; then
    "${AS_PG[@]}" "$(bin_dir)/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    $SUDO rm -rf "$DATA"
  fi
  exit 0
fi

if [ -z "$(bin_dir)" ]; then
  log "installing postgresql"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15 >/dev/null
  # The package starts its own cluster on 5432; the tests use their own, so leave it alone.
fi
BIN="$(bin_dir)"
id postgres >/dev/null 2>&1 || $SUDO useradd --system --home /var/lib/postgresql postgres

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  log "starting a throwaway cluster on 127.0.0.1:$PORT"
  $SUDO rm -rf "$DATA"
  $SUDO mkdir -p "$DATA"
  $SUDO chown postgres "$DATA"
  "${AS_PG[@]}" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
  # Durability is not the point of a throwaway cluster: no fsync keeps the tests quick.
  "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
fi
"$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { log "postgres did not come up; see $DATA/server.log"; exit 1; }
echo "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"

#!/usr/bin/env bash
# Throwaway Postgres and Redis on loopback, on free ports, in a temporary directory: for tests.
#
#   source scripts/services.sh        # starts both; exports FAQBOT_TEST_POSTGRES_URL and
#                                     # FAQBOT_TEST_REDIS_URL; stopped when the shell exits
#   bash scripts/services.sh CMD ...  # runs CMD with them, then stops them
#
# Installs Debian's postgresql and redis-server first when missing (idempotent).

_services_install() {
  local need=()
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  [ ${#need[@]} -eq 0 ] && return 0
  echo "services: installing Debian packages: ${need[*]}" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}

_services_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Postgres refuses to run as root: the cluster then belongs to the "postgres" system user.
_services_as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_services_start() {
  _services_install
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  FAQBOT_SERVICES_DIR="$(mktemp -d -t faqbot-services.XXXXXX)"
  chmod 755 "$FAQBOT_SERVICES_DIR"
  mkdir -p "$FAQBOT_SERVICES_DIR/pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$FAQBOT_SERVICES_DIR/pg"
  local pg_port redis_port
  pg_port="$(_services_free_port)"
  redis_port="$(_services_free_port)"
  _services_as_pg "$bin/initdb" -D "$FAQBOT_SERVICES_DIR/pg/data" -U faqbot --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$FAQBOT_SERVICES_DIR/initdb.log" 2>&1
  # fsync off: a throwaway test cluster trades durability for speed.
  _services_as_pg "$bin/pg_ctl" -D "$FAQBOT_SERVICES_DIR/pg/data" -l "$FAQBOT_SERVICES_DIR/pg/postgres.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $FAQBOT_SERVICES_DIR/pg -c fsync=off" start >/dev/null
  "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U faqbot faqbot
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$FAQBOT_SERVICES_DIR" --pidfile "$FAQBOT_SERVICES_DIR/redis.pid" \
    --logfile "$FAQBOT_SERVICES_DIR/redis.log" >/dev/null
  local tries=0
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -lt 100 ] || { echo "services: redis did not start" >&2; return 1; }
    sleep 0.1
  done
  FAQBOT_SERVICES_PG_BIN="$bin"
  export FAQBOT_SERVICES_DIR FAQBOT_SERVICES_PG_BIN
  export FAQBOT_TEST_POSTGRES_URL="postgresql+psycopg://faqbot@127.0.0.1:$pg_port/faqbot"
  export FAQBOT_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
  echo "services: FAQBOT_TEST_POSTGRES_URL=$FAQBOT_TEST_POSTGRES_URL" >&2
  echo "services: FAQBOT_TEST_REDIS_URL=$FAQBOT_TEST_REDIS_URL" >&2
}

services_stop() {
  [ -n "${FAQBOT_SERVICES_DIR:-}" ] && [ -d "$FAQBOT_SERVICES_DIR" ] || return 0
  if [ -f "$FAQBOT_SERVICES_DIR/redis.pid" ]; then
    kill "$(cat "$FAQBOT_SERVICES_DIR/redis.pid")" 2>/dev/null || true
  fi
  _services_as_pg "$FAQBOT_SERVICES_PG_BIN/pg_ctl" -D "$FAQBOT_SERVICES_DIR/pg/data" -m immediate stop \
    >/dev/null 2>&1 || true
  rm -rf "$FAQBOT_SERVICES_DIR"
  unset FAQBOT_SERVICES_DIR FAQBOT_TEST_POSTGRES_URL FAQBOT_TEST_REDIS_URL
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _services_start
  trap services_stop EXIT
  if [ $# -gt 0 ]; then "$@"; fi
else
  _services_start || return 1
  # Chains onto the caller's EXIT trap rather than replacing it.
  trap "services_stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")" EXIT
fi

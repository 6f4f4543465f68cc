#!/usr/bin/env bash
# Throwaway PostgreSQL server for the store tests (tests marked @pytest.mark.postgres).
#
#   source tests/support/postgres.sh start   # exports COOPEVAL_TEST_PG_URL in this shell
#   eval "$(bash tests/support/postgres.sh start)"   # same, from a subshell
#   bash tests/support/postgres.sh stop      # stops the server, removes its data directory
#
# Installs Debian's `postgresql` when `initdb` is missing (needs root). PostgreSQL refuses
# to run as root, so as root the server runs as the `postgres` user. The cluster lives in a
# temporary directory, listens on 127.0.0.1 on a free port (and a private socket directory),
# trusts local connections, and is tuned for tests (fsync off). The URL is also written to
# $COOPEVAL_PG_DIR/url.env (and /tmp/coopeval-test-pg.last records the directory for `stop`).

_cepg_log() { echo "postgres.sh: $*" >&2; }

_cepg_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

_cepg_as_pg() {  # run a command as the server's user
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"
    else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

_cepg_start() {
  local bindir dir port url
  if ! bindir=$(_cepg_bindir); then
    if [ "$(id -u)" != 0 ]; then _cepg_log "initdb not found and not root: cannot install postgresql"; return 1; fi
    _cepg_log "installing Debian's postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
    bindir=$(_cepg_bindir) || { _cepg_log "initdb still missing after install"; return 1; }
  fi
  dir=$(mktemp -d /tmp/coopeval-pg.XXXXXX) || return 1
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir" || return 1; fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') || return 1
  _cepg_as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { _cepg_log "initdb failed, see $dir/initdb.log"; return 1; }
  _cepg_as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { _cepg_log "server did not start, see $dir/server.log"; return 1; }
  "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c "CREATE DATABASE coopeval_test" >/dev/null \
    || { _cepg_log "createdb failed"; return 1; }
  url="postgresql+psycopg://postgres@127.0.0.1:$port/coopeval_test"
  printf 'export COOPEVAL_TEST_PG_URL=%q\nexport COOPEVAL_PG_DIR=%q\n' "$url" "$dir" >"$dir/url.env"
  echo "$dir" >/tmp/coopeval-test-pg.last
  echo "$bindir" >"$dir/bindir"
  export COOPEVAL_TEST_PG_URL="$url" COOPEVAL_PG_DIR="$dir"
  _cepg_log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
  cat "$dir/url.env"
}

_cepg_stop() {
  local dir=${COOPEVAL_PG_DIR:-}
  [ -n "$dir" ] || dir=$(cat /tmp/coopeval-test-pg.last 2>/dev/null || true)
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then _cepg_log "no server to stop"; return 0; fi
  _cepg_as_pg "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  if [ "$(cat /tmp/coopeval-test-pg.last 2>/dev/null)" = "$dir" ]; then rm -f /tmp/coopeval-test-pg.last; fi
  _cepg_log "stopped and removed $dir"
}

case "${1:-}" in
  start) _cepg_start ;;
  stop) _cepg_stop ;;
  *) _cepg_log "usage: postgres.sh start|stop"; false ;;
esac

#!/usr/bin/env bash
# Restarts PostgreSQL in the middle of a wrk run and counts the errors, second by second: the
# portal must heal by itself (CONN_HEALTH_CHECKS, CONN_MAX_AGE) with no error once the database
# answers again (target: within 5 s). Then a soak: 60 s at 32 connections, no non-2xx.
#
#   bash bench/pg_restart.sh          (see docs/performance.md)
#
# Uses a throwaway database `bench_portal` on the local server (created, loaded with the demo,
# dropped at the end) and restarts the local cluster with pg_ctlcluster: run it on a machine whose
# PostgreSQL serves nothing else that matters. Env: PGHOST (127.0.0.1), PGUSER (postgres),
# DURATION (30), RESTART_AT (10), SOAK (60s), PORT (8766).
PGHOST="${PGHOST:-127.0.0.1}"
PGUSER="${PGUSER:-postgres}"
DB=bench_portal
export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/$DB"
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
source "$(dirname "$0")/common.sh"
DURATION="${DURATION:-30}"
RESTART_AT="${RESTART_AT:-10}"
SOAK="${SOAK:-60s}"
PORT="${PORT:-8766}"
BASE="http://127.0.0.1:$PORT"
LUA="$ROOT/bench/status_by_second.lua"
CLUSTER_VERSION=$(ls /etc/postgresql | sort -V | tail -n 1)

cleanup() {
  stop_gunicorn
  pg_isready -q -h "$PGHOST" || pg_ctlcluster --skip-systemctl-redirect "$CLUSTER_VERSION" main start || true
  for _ in $(seq 30); do pg_isready -q -h "$PGHOST" && break; sleep 1; done
  psql -h "$PGHOST" -U "$PGUSER" -qc "DROP DATABASE IF EXISTS $DB" postgres >/dev/null 2>&1 || true
}
trap cleanup EXIT

machine
echo "CONN_MAX_AGE=$CONN_MAX_AGE, CONN_HEALTH_CHECKS on"
psql -h "$PGHOST" -U "$PGUSER" -qc "DROP DATABASE IF EXISTS $DB" postgres
psql -h "$PGHOST" -U "$PGUSER" -qc "CREATE DATABASE $DB" postgres
"$PY" "$ROOT/manage.py" migrate --noinput >/dev/null
"$PY" "$ROOT/manage.py" load_demo >/dev/null
collect_static

# The page cache is off: every request reaches the database.
start_gunicorn "$PORT" PAGE_CACHE_SECONDS=0
curl -fsS -o /dev/null "$BASE/fr/"

echo
echo "== wrk ${DURATION}s at 16 connections on /fr/, PostgreSQL restarted at ${RESTART_AT}s"
out=$(mktemp)
wrk -t2 -c16 -d"${DURATION}s" --timeout 10s -s "$LUA" "$BASE/fr/" >"$out" &
wrk_pid=$!
sleep "$RESTART_AT"
restart_started=$(date +%s)
pg_ctlcluster --skip-systemctl-redirect "$CLUSTER_VERSION" main restart
until pg_isready -q -h "$PGHOST"; do sleep 0.1; done
db_back=$(date +%s)
wait "$wrk_pid"
echo "restart began at +$((restart_started - $(awk '/^BUCKET/ {print $2; exit}' "$out")))s; database answering again $((db_back - restart_started))s later"
awk -v back="$db_back" '
  /^BUCKET/ {
    second=$2; ok=$3; bad=$4
    if (first == "") first=second
    mark = (second >= back) ? "after" : "before"
    printf "  +%2ds  ok %5d  errors %4d%s\n", second-first, ok, bad, (second == back ? "   <- database back" : "")
    if (second >= back) { after_bad += bad; if (bad > 0) last_bad = second }
    if (second < back) before_bad += bad
  }
  /^SOCKET_ERRORS/ {sock=$0}
  END {
    printf "errors before the database came back: %d\n", before_bad
    printf "errors after it came back: %d", after_bad
    if (after_bad > 0) printf " (last one %ds after)", last_bad - back
    printf "\n%s\n", sock
  }' "$out"
rm -f "$out"

echo
echo "== soak: wrk ${SOAK} at 32 connections over every page type (uncached)"
paths=$("$PY" - <<'PYEOF'
import os, sys
sys.path.insert(0, os.getcwd())
sys.argv = ["x"]
exec(open("bench/inprocess.py").read().split("def measure")[0])
print(" ".join(list(page_urls("fr").values()) + list(page_urls("en").values())))
PYEOF
)
soak_lua=$(mktemp --suffix=.lua)
{
  echo "local paths = {"; for p in $paths; do echo "  \"$p\","; done; echo "}"
  echo 'local i = 0'
  echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
} >"$soak_lua"
wrk -t2 -c32 -d"$SOAK" --timeout 10s --latency -s "$soak_lua" "$BASE" | grep -E "Requests/sec|requests in|Non-2xx|Socket errors|50%|99%" || true
echo "(no 'Non-2xx' line above: every response was 2xx or 3xx)"
rm -f "$soak_lua"
worker_rss_mb "$GUNICORN_PID"

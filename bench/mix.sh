#!/usr/bin/env bash
# The realistic mix: about 200 weighted URLs (bench/mixsite.py urls) under wrk, against gunicorn with
# 2 workers, production settings, PostgreSQL, Redis as the shared cache; once without publications
# and once while one agreement is published every 20 s (through Wagtail, so the real purge runs).
# Prints requests/s, p50, p99, non-2xx and the page cache's hit ratio of each, beside a static file
# of the mix's mean response size served by the same gunicorn in the same run; the publications
# run second by second; then, in-process, per page type, the warm uncached render and the first
# render after a publication (time, queries) with local memory and with Redis.
#
#   REDIS_URL=redis://127.0.0.1:6379/0 bash bench/mix.sh          (see docs/performance.md)
#
# The database must exist and be migrated (default: PostgreSQL bench_mix, see docs/performance.md
# for how it is built: migrate, load_demo, seed_volume 10,000 of each kind, ANALYZE). Publications
# add revisions to it, nothing else. Env: DATABASE_URL, REDIS_URL (redis://127.0.0.1:6379/0),
# DURATION (60, seconds per mix run), STATIC_DURATION (20), EVERY (20, seconds between
# publications), CONNECTIONS (16), PORT (8767), MODES ("quiet publish"), CACHE (redis; locmem for
# each worker's local memory), RENDERS (1; 0 skips the in-process table), WORK (/tmp/bench-mix).
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_mix}"
MIX_REDIS="${REDIS_URL:-redis://127.0.0.1:6379/0}"
source "$(dirname "$0")/common.sh"
DURATION="${DURATION:-60}"
STATIC_DURATION="${STATIC_DURATION:-20}"
EVERY="${EVERY:-20}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-8767}"
MODES="${MODES:-quiet publish}"
CACHE="${CACHE:-redis}"
RENDERS="${RENDERS:-1}"
WORK="${WORK:-/tmp/bench-mix}"
BASE="http://127.0.0.1:$PORT"
LUA="$ROOT/bench/mix.lua"
PUBLISHER_PID=
mkdir -p "$WORK"

cleanup() {
  [ -n "$PUBLISHER_PID" ] && kill "$PUBLISHER_PID" 2>/dev/null
  stop_gunicorn
}
trap cleanup EXIT

CACHE_ENV=()
[ "$CACHE" = redis ] && CACHE_ENV=(REDIS_URL="$MIX_REDIS")
machine
echo "cache: $CACHE${CACHE_ENV:+ ($MIX_REDIS)}; CONN_MAX_AGE=${CONN_MAX_AGE:-(app default)}; page cache: ${PAGE_CACHE_SECONDS:-(app default)} s"
echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s per mix run, static file ${STATIC_DURATION}s; a publication every ${EVERY}s"
collect_static
"$PY" "$ROOT/bench/mixsite.py" urls "$WORK/urls.txt" --static "$STATIC_ROOT/bench/mix.txt"
echo "1 /static/bench/mix.txt" >"$WORK/static.txt"

# publish COUNT EVERY: publications through Wagtail, in the background when COUNT > 1.
publish() {
  env "${CACHE_ENV[@]}" "$PY" "$ROOT/bench/mixsite.py" publish --count "$1" --every "$2"
}

# Every URL once, two at a time (3 times with local memory, so that each worker likely has it):
# the page cache is full when a run starts.
warm_up() {
  local passes=1
  [ "$CACHE" = redis ] || passes=3
  for _ in $(seq "$passes"); do awk '{print $2}' "$WORK/urls.txt"; done |
    xargs -P2 -I{} curl -s -o /dev/null -w '%{http_code} {}\n' "$BASE{}" |
    awk '$1 != 200 {print "  warm-up: " $0; bad++} END {if (bad) print "  " bad " URLs did not answer 200"}'
}

mix_run() {  # mix_run NAME URL_FILE SECONDS
  MIX_URLS="$2" wrk -t2 -c"$CONNECTIONS" -d"$3s" --timeout 10s --latency -s "$LUA" "$BASE" >"$WORK/wrk-$1.txt"
}

start_gunicorn "$PORT" "${CACHE_ENV[@]}"
mix_run static "$WORK/static.txt" "$STATIC_DURATION"  # first: no slow render still queued from a mix
for mode in $MODES; do
  publish 1 0 >/dev/null  # a publication purges every page: each run starts from the same state
  warm_up
  if [ "$mode" = publish ]; then
    publish $(((DURATION - 1) / EVERY)) "$EVERY" >"$WORK/publish.log" &
    PUBLISHER_PID=$!
    until grep -q READY "$WORK/publish.log"; do sleep 0.2; done  # Django set up: the clock starts
  fi
  mix_run "$mode" "$WORK/urls.txt" "$DURATION"
  if [ -n "$PUBLISHER_PID" ]; then wait "$PUBLISHER_PID"; PUBLISHER_PID=; fi
done
echo "after the runs:"
worker_rss_mb "$GUNICORN_PID"
stop_gunicorn

field() { grep -o " $2=[0-9.]*" "$WORK/wrk-$1.txt" | cut -d= -f2; }
static_rps=$(field static rps)
echo
echo "hit %: responses served by the page cache (X-Page-Cache: hit) among all; miss: rendered and stored;"
echo "not cached: no X-Page-Cache header (not a page the cache keeps, e.g. the API while it varies on Accept);"
echo "timeouts: requests wrk gave up after 10 s (not in the latency figures)"
printf '%-24s %8s %7s %7s %8s %7s %7s %8s %6s %5s %10s %8s\n' run requests "req/s" "p50 ms" "p99 ms" "max ms" non-2xx timeouts "hit %" miss "not cached" "÷ static"
for run in $MODES static; do
  hit=$(field "$run" hit); miss=$(field "$run" miss); n=$(field "$run" requests)
  ratio=$(awk -v h="$hit" -v n="$n" 'BEGIN {printf "%.1f", (n > 0 ? 100 * h / n : 0)}')
  label=$run; [ "$run" = quiet ] && label="mix, no publication"
  [ "$run" = publish ] && label="mix, 1 publication/${EVERY}s"
  [ "$run" = static ] && label="static file ($(wc -c <"$STATIC_ROOT/bench/mix.txt") B)"
  printf '%-24s %8s %7.0f %7.2f %8.2f %7.0f %7s %8s %6s %5s %10s %8.2f\n' "$label" "$n" \
    "$(field "$run" rps)" "$(field "$run" p50_ms)" "$(field "$run" p99_ms)" "$(field "$run" max_ms)" \
    "$(field "$run" non2xx)" "$(field "$run" socket_errors)" "$ratio" "$miss" "$((n - hit - miss))" \
    "$(awk -v r="$(field "$run" rps)" -v s="$static_rps" 'BEGIN {print r / s}')"
done

if [ -f "$WORK/wrk-publish.txt" ]; then
  echo
  echo "with publications, per 5 s (P: an agreement was published in that window)"
  awk 'FNR == NR { if ($1 == "PUBLISHED") pub[$2] = 1; next }
    /^BUCKET/ {
      if (first == "") first = $2
      slot = int(($2 - first) / 5)
      n[slot] += $3 + $4; bad[slot] += $4; hit[slot] += $5; miss[slot] += $6
      if (pub[$2]) mark[slot] = "P"
      if (slot > last) last = slot
    }
    END {
      printf "  %6s %8s %7s %7s %s\n", "second", "req/s", "hit %", "non-2xx", ""
      for (s = 0; s <= last; s++)
        printf "  +%4ds %8.0f %7.1f %7d %s\n", 5 * s, n[s] / 5, (hit[s] + miss[s] ? 100 * hit[s] / (hit[s] + miss[s]) : 0), bad[s], mark[s]
    }' "$WORK/publish.log" "$WORK/wrk-publish.txt"
  grep PUBLISHED "$WORK/publish.log" | awk '{printf "  publication %s: %s %s %s\n", $3, $4, $5, $6 " " $7}'
fi

[ "$RENDERS" = 1 ] || exit 0
echo
echo "in-process, page cache off, per page type (French): warm uncached render, and the first render after a publication"
"$PY" "$ROOT/bench/mixsite.py" renders --json >"$WORK/renders-locmem.json"
env REDIS_URL="$MIX_REDIS" "$PY" "$ROOT/bench/mixsite.py" renders --json >"$WORK/renders-redis.json"
"$PY" - "$WORK/renders-locmem.json" "$WORK/renders-redis.json" <<'PYEOF'
import json, sys
local, redis = (json.loads(open(path).read().strip().splitlines()[-1])["results"] for path in sys.argv[1:])
print(f"{'':<19} {'':>5} {'':>9} | {'local memory':^32} | {'Redis':^32} |")
print(f"{'page type':<19} {'status':>5} {'bytes':>9} | {'q warm':>6} {'ms warm':>8} {'q after':>7} {'ms after':>8} "
      f"| {'q warm':>6} {'ms warm':>8} {'q after':>7} {'ms after':>8} | url")
for name, a in local.items():
    b = redis.get(name, {})
    print(f"{name:<19} {a['status']:>5} {a['bytes']:>9,} | {a['queries']:>6} {a['warm_ms']:>8.1f} "
          f"{a['after_queries']:>7} {a['after_ms']:>8.1f} | {b.get('queries', 0):>6} {b.get('warm_ms', 0):>8.1f} "
          f"{b.get('after_queries', 0):>7} {b.get('after_ms', 0):>8.1f} | {a['url']}")
PYEOF

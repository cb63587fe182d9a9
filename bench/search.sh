#!/usr/bin/env bash
# Search against an agreement page, uncached, in the same run: wrk -t2 -c16 -d15s per URL, 2
# workers, PAGE_CACHE_SECONDS=0 (every request renders), production settings.
#
#   bash bench/search.sh          (see docs/performance.md)
#
# Default database: PostgreSQL bench_mix (10,000 rows of each kind, see bench/mix.sh). Env:
# DATABASE_URL, DURATION (15s), CONNECTIONS (16), PORT (8768), SEARCHES (paths; default a French
# and an English search of a word found in many titles).
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_mix}"
source "$(dirname "$0")/common.sh"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-8768}"
SEARCHES="${SEARCHES:-/fr/search/?q=qu%C3%A9bec /en/search/?q=quebec}"
export WRK_TIMEOUT="${WRK_TIMEOUT:-30s}"  # a search can take seconds: count it, do not drop it
BASE="http://127.0.0.1:$PORT"
trap stop_gunicorn EXIT

machine
echo "CONN_MAX_AGE=${CONN_MAX_AGE:-(app default)}; wrk -t2 -c$CONNECTIONS -d$DURATION per URL, page cache off"
collect_static
detail=$(cd "$ROOT" && "$PY" -c 'import sys; sys.argv = ["x"]; sys.path.insert(0, "bench"); import mixsite; print(mixsite.render_urls()["agreement detail"])')
start_gunicorn "$PORT" PAGE_CACHE_SECONDS=0
declare -A RESULT
for url in "$detail" $SEARCHES; do
  curl -fsS -o /dev/null "$BASE$url"; curl -fsS -o /dev/null "$BASE$url"  # both workers warm
  RESULT[$url]=$(wrk_run "$BASE$url")
done
read -r _ detail_p50 _ <<<"${RESULT[$detail]}"
printf '\n%-52s %8s %10s %10s %8s %8s %s\n' url "req/s" "p50 ms" "p99 ms" non-2xx requests "p50 ÷ agreement page"
for url in "$detail" $SEARCHES; do
  read -r rps p50 p99 n bad <<<"${RESULT[$url]}"
  printf '%-52s %8s %10.1f %10.1f %8s %8s %.1f\n' "$url" "$rps" "$p50" "$p99" "$bad" "$n" \
    "$(awk -v a="$p50" -v b="$detail_p50" 'BEGIN {print a / b}')"
done

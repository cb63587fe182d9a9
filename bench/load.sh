#!/usr/bin/env bash
# Loads each public page type with wrk on loopback: uncached, cached, and a static file of the same
# size served by the same gunicorn (WhiteNoise) as the ceiling. Prints req/s, p50, p99 and the
# ratio to the static file, then each worker's memory (RSS) and how many requests it had served.
#
#   DATABASE_URL=sqlite:////tmp/bench.sqlite3 bash bench/load.sh        (see docs/performance.md)
#
# Production settings, 2 sync workers, SECURE_SSL_REDIRECT=0, the database of DATABASE_URL
# (prepared with migrate + load_demo [+ seed_volume]). Env: DURATION (15s), CONNECTIONS (16),
# PORT (8765), PAGES (space-separated paths; default: one of each page type, from the database).
source "$(dirname "$0")/common.sh"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-8765}"
BASE="http://127.0.0.1:$PORT"
trap stop_gunicorn EXIT

machine
collect_static

if [ -z "${PAGES:-}" ]; then
  PAGES=$("$PY" - <<'PYEOF'
import os, sys
sys.path.insert(0, os.getcwd())
sys.argv = ["x"]
exec(open("bench/inprocess.py").read().split("def measure")[0])
print(" ".join(page_urls("fr").values()))
PYEOF
)
fi

# Static twins: a file in STATIC_ROOT as large as each page (WhiteNoise scans STATIC_ROOT at start).
mkdir -p "$STATIC_ROOT/bench"
start_gunicorn "$PORT" PAGE_CACHE_SECONDS=0
declare -A SIZE
for page in $PAGES; do
  SIZE[$page]=$(curl -fsS "$BASE$page" | wc -c)
  head -c "${SIZE[$page]}" /dev/urandom | base64 -w 120 | head -c "${SIZE[$page]}" > "$STATIC_ROOT/bench/$(echo "$page" | tr '/' '_').txt"
done
stop_gunicorn

declare -A UNCACHED CACHED STATIC
start_gunicorn "$PORT" PAGE_CACHE_SECONDS=0
total=0
for page in $PAGES; do
  UNCACHED[$page]=$(wrk_run "$BASE$page"); total=$((total + $(echo "${UNCACHED[$page]}" | cut -d' ' -f4)))
done
echo "uncached run: $total requests; worker memory afterwards:"
worker_rss_mb "$GUNICORN_PID"
stop_gunicorn

start_gunicorn "$PORT" PAGE_CACHE_SECONDS=600
total=0
for page in $PAGES; do
  curl -fsS -o /dev/null "$BASE$page"; curl -fsS -o /dev/null "$BASE$page"  # fill both workers' caches
  CACHED[$page]=$(wrk_run "$BASE$page"); total=$((total + $(echo "${CACHED[$page]}" | cut -d' ' -f4)))
  STATIC[$page]=$(wrk_run "$BASE/static/bench/$(echo "$page" | tr '/' '_').txt")
  total=$((total + $(echo "${STATIC[$page]}" | cut -d' ' -f4)))
done
echo "cached run: $total requests in all since the uncached run's start; worker memory afterwards:"
worker_rss_mb "$GUNICORN_PID"
stop_gunicorn

printf '\n%-58s %9s | %-26s | %-26s | %-20s | %s\n' "page" "bytes" "uncached req/s p50 p99" "cached req/s p50 p99" "static req/s p50 p99" "cached/static"
for page in $PAGES; do
  read -r u_rps u_p50 u_p99 _ u_bad <<<"${UNCACHED[$page]}"
  read -r c_rps c_p50 c_p99 _ c_bad <<<"${CACHED[$page]}"
  read -r s_rps s_p50 s_p99 _ _ <<<"${STATIC[$page]}"
  ratio=$(awk -v c="$c_rps" -v s="$s_rps" 'BEGIN {printf "%.2f", (s > 0 ? c / s : 0)}')
  printf '%-58s %9s | %7s %7.2fms %7.2fms | %7s %7.2fms %7.2fms | %6s %5.2fms %5.2fms | %s%s\n' \
    "$page" "${SIZE[$page]}" "$u_rps" "$u_p50" "$u_p99" "$c_rps" "$c_p50" "$c_p99" "$s_rps" "$s_p50" "$s_p99" "$ratio" \
    "$([ "$u_bad$c_bad" != "00" ] && echo "  (non-2xx: $u_bad uncached, $c_bad cached)")"
done

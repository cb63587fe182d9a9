# Shared by the bench scripts: production settings on loopback, a throwaway database, static files.
# Source it; it never touches db.sqlite3 nor any database it did not create.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=portal.settings.production
export SECRET_KEY="${SECRET_KEY:-bench-only-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost,testserver}"
export WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-http://127.0.0.1}"
export SECURE_SSL_REDIRECT=0          # plain HTTP on loopback
export DATABASE_URL="${DATABASE_URL:-sqlite:////tmp/bench.sqlite3}"
export STATIC_ROOT="${STATIC_ROOT:-/tmp/bench-static}"
export MEDIA_ROOT="${MEDIA_ROOT:-/tmp/bench-media}"
export LOG_LEVEL="${LOG_LEVEL:-ERROR}"
unset REDIS_URL || true

collect_static() {
  [ -f "$STATIC_ROOT/staticfiles.json" ] || "$PY" "$ROOT/manage.py" collectstatic --noinput --verbosity 0
}

# start_gunicorn PORT [extra env assignments...]: 2 sync workers on 127.0.0.1; sets GUNICORN_PID.
start_gunicorn() {
  local port=$1; shift
  env "$@" "$PY" -m gunicorn portal.wsgi:application --chdir "$ROOT" --bind "127.0.0.1:$port" \
    --workers 2 --worker-class sync --log-level warning --pid "/tmp/bench-gunicorn-$port.pid" \
    2>>"/tmp/bench-gunicorn-$port.log" &
  GUNICORN_PID=$!
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "gunicorn did not start on port $port" >&2
  return 1
}

stop_gunicorn() {
  if [ -n "${GUNICORN_PID:-}" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID"
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  GUNICORN_PID=
}

# worker_rss_mb MASTER_PID: the resident memory of each worker, in MB.
worker_rss_mb() {
  local master=$1
  for pid in $(pgrep -P "$master"); do
    awk -v pid="$pid" '/VmRSS/ {printf "worker %s: %.0f MB\n", pid, $2/1024}' "/proc/$pid/status"
  done
}

# wrk_run URL -> "req/s p50_ms p99_ms requests non2xx"
wrk_run() {  # uses DURATION, CONNECTIONS and WRK_TIMEOUT (10s)
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency --timeout "${WRK_TIMEOUT:-10s}" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)}
    /requests in/ {n=$1}
    /Non-2xx/ {bad=$5}
    END {printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, n, bad+0}'
}

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -h | awk '/Mem:/ {print $2}') RAM"
  echo "database: ${DATABASE_URL}"
}

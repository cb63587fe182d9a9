#!/usr/bin/env bash
# The site search under load, beside an agreement page: wrk on loopback against gunicorn (2 sync
# workers, production settings, page cache off), then the queries of each search in-process.
# The agreement page is loaded first and last: compare each search's p50 with both.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_10k bash bench/search.sh
#
# The database is prepared with migrate + load_demo [+ seed_volume + update_index]. Env: DURATION
# (15s), CONNECTIONS (16), PORT (8765), SEARCHES (space-separated query strings, URL-encoded).
source "$(dirname "$0")/common.sh"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-8765}"
SEARCHES="${SEARCHES:-Quebec coreen aerospatiale entente+culture volume}"
BASE="http://127.0.0.1:$PORT"
trap stop_gunicorn EXIT

machine
collect_static
AGREEMENT=$("$PY" "$ROOT/manage.py" shell --no-imports -c '
from django.utils.translation import override
from relations.models import Agreement
with override("fr"):
    print(Agreement.objects.published().exclude(slug_fr__startswith="volume-").order_by("pk").first().get_url())' | tail -1)

URLS="$AGREEMENT"
for language in fr en; do
  for query in $SEARCHES; do URLS="$URLS /$language/search/?q=$query"; done
done
URLS="$URLS $AGREEMENT"  # again at the end: the machine's load drifts during a run

start_gunicorn "$PORT" PAGE_CACHE_SECONDS=0
printf '%-40s %8s %9s %9s %7s\n' "url" "req/s" "p50 ms" "p99 ms" "non-2xx"
for url in $URLS; do
  curl -fsS -o /dev/null "$BASE$url"; curl -fsS -o /dev/null "$BASE$url"  # both workers warm
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 10s "$BASE$url" | awk -v url="$url" '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)} /Non-2xx/ {bad=$5}
    END {printf "%-40s %8.1f %9.2f %9.2f %7d\n", url, rps, p50, p99, bad+0}'
done
stop_gunicorn

echo "queries (warm, in-process):"
"$PY" - $URLS <<'PYEOF'
import os, sys
os.environ["PAGE_CACHE_SECONDS"] = "0"
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for url in sys.argv[1:]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    print(f"{url:<40} {status} {len(queries):3d} queries")
PYEOF

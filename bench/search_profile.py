"""The median time and queries of searches in-process, and the cProfile of the first one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_10k .venv/bin/python bench/search_profile.py \
        "/fr/search/?q=Quebec" "/fr/ententes/<slug>/"
    PROFILE=1 ...   (cProfile of the first URL, sorted by SORT=tottime, TOP=12 lines)
    EXPLAIN=1 ...   (EXPLAIN ANALYZE of each query of each URL, on PostgreSQL)

Production settings, the page cache off (every request renders), REPEAT=5 requests per URL after
a first one; a prepared database as for bench/search.sh.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1")
os.environ.setdefault("STATIC_ROOT", "/tmp/bench-static")  # noqa: S108 -- a throwaway folder
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(urls):
    client = Client()
    for url in urls:
        client.get(url)
        times = []
        for _ in range(int(os.environ.get("REPEAT", "5"))):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{url:<50} median {statistics.median(times):7.1f} ms  {len(queries):3d} queries")
        if os.environ.get("EXPLAIN") and connection.vendor == "postgresql":
            for query in queries.captured_queries:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                    print("   ", cursor.fetchall()[-1][0], query["sql"][:90])
    if os.environ.get("PROFILE"):
        profile = cProfile.Profile()
        profile.enable()
        client.get(urls[0])
        profile.disable()
        stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime"))
        stats.print_stats(int(os.environ.get("TOP", "12")))


if __name__ == "__main__":
    main(sys.argv[1:])

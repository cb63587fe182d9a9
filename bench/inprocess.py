"""Queries and median milliseconds per page type, in-process (Django's test client, no server).

Run by hand against a prepared database (see docs/performance.md):

    DATABASE_URL=sqlite:////tmp/bench-small.sqlite3 .venv/bin/python bench/inprocess.py
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/inprocess.py

Production settings (DEBUG off, the page cache off so that every request renders), the demo
content (``load_demo``) and, for volume, ``seed_volume``. "median ms": the lookups, counts and
item fragments kept between publications are in place (``relations.core.caching.shared_lookup``); "cold":
each request right after they were forgotten, as the first request after a publication.
Targets: ≤ 10 ms median and ≤ 12 queries per page, the same at 10 and 10,000 rows.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench.sqlite3")
os.environ.setdefault("STATIC_ROOT", "/tmp/bench-static")  # noqa: S108 -- a throwaway folder
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.translation import override  # noqa: E402

from relations.core.caching import forget_shared_lookups  # noqa: E402
from relations.models import (  # noqa: E402
    Agreement,
    AgreementIndexPage,
    AreaPage,
    Event,
    EventIndexPage,
    HomePage,
    TimelinePage,
    UpdateIndexPage,
    UpdatePage,
)

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
MAX_SECONDS = float(os.environ.get("BENCH_MAX_SECONDS", "10"))  # per URL


def page_urls(language="fr"):
    """One URL per public page type, from the database (demo items, not the volume rows)."""
    with override(language):
        urls = {
            "home": HomePage.objects.live().first().get_url(),
            "area": AreaPage.objects.live().order_by("path").first().get_url(),
            "agreement list": AgreementIndexPage.objects.live().first().get_url(),
            "agreement detail": Agreement.objects.published()
            .exclude(slug_fr__startswith="volume-")
            .order_by("pk")
            .first()
            .get_url(),
            "event list": EventIndexPage.objects.live().first().get_url(),
            "event detail": Event.objects.published()
            .exclude(slug_fr__startswith="volume-")
            .order_by("pk")
            .first()
            .get_url(),
            "update list": UpdateIndexPage.objects.live().first().get_url(),
            "update": UpdatePage.objects.live().order_by("path").first().get_url(),
            "timeline": TimelinePage.objects.live().first().get_url(),
        }
    return urls


def extra_urls(language="fr"):
    from relations.feeds import feed_path

    return {
        "atom feed": feed_path("agreements", "atom", language=language),
        "ics feed": feed_path("events", "ics", language=language),
        "api agreements": "/api/v2/agreements/",
        "api pages": "/api/v2/pages/",
    }


def measure(client, url):
    start = time.perf_counter()
    response = client.get(url)
    first_ms = (time.perf_counter() - start) * 1000
    if first_ms < 1000:
        for _ in range(2):
            response = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # now: the log is reset by the next request
    times = []
    budget = time.perf_counter() + MAX_SECONDS
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if start > budget and len(times) >= 3:
            break  # a slow page: a few samples are enough to say so
    times.sort()
    # Right after a publication: every kept lookup, count and item is built again.
    forget_shared_lookups()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    cold_query_count = len(queries)
    cold_times = []
    budget = time.perf_counter() + MAX_SECONDS
    for _ in range(max(REPEAT // 2, 3)):
        forget_shared_lookups()
        start = time.perf_counter()
        client.get(url)
        cold_times.append((time.perf_counter() - start) * 1000)
        if start > budget and len(cold_times) >= 3:
            break
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": query_count,
        "median": statistics.median(times),
        "p90": times[max(int(len(times) * 0.9) - 1, 0)],
        "cold_queries": cold_query_count,
        "cold_median": statistics.median(cold_times),
    }


def collect_static_once():
    """Production settings use the manifest storage: the CSS/JS names must be collected first."""
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def main():
    collect_static_once()
    client = Client()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"rows: {Agreement.objects.count():,} agreements, {Event.objects.count():,} events")
    print(
        f"{'page type':<18} {'lang':<4} {'status':>6} {'bytes':>9} {'queries':>7} "
        f"{'median ms':>9} {'p90 ms':>7} {'cold q':>6} {'cold ms':>7}  url"
    )
    rows = [(name, language, url) for language in ("fr", "en") for name, url in page_urls(language).items()]
    rows += [(name, "fr", url) for name, url in extra_urls("fr").items()]
    for name, language, url in rows:
        result = measure(client, url)
        print(
            f"{name:<18} {language:<4} {result['status']:>6} {result['bytes']:>9,} {result['queries']:>7} "
            f"{result['median']:>9.1f} {result['p90']:>7.1f} {result['cold_queries']:>6} "
            f"{result['cold_median']:>7.1f}  {url}",
            flush=True,
        )


if __name__ == "__main__":
    main()

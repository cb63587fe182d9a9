"""The realistic mix's Python side (``bench/mix.sh`` runs it): its URLs, its publications, and the
render times per page type.

    .venv/bin/python bench/mixsite.py urls OUT_FILE [--static FILE]
    .venv/bin/python bench/mixsite.py publish --every 20 --count 3
    .venv/bin/python bench/mixsite.py renders [--json]

- ``urls``: about 200 weighted URLs, found in the database and in the pages themselves (so that
  it works on any content): home and area pages most often, the register's and the events page's
  filter combinations (read from their filter forms) and pages, the timeline, 30 searches made of
  words of the content's titles, detail pages, the feeds the pages link to, exports and the API.
  Writes ``weight path`` lines; each URL other than the searches is rendered once in-process to
  check that it answers 200. With ``--static``, writes a file of the mix's mean response size
  there (the static file the mix is compared with).
- ``publish``: every ``--every`` seconds, ``--count`` times, saves a new revision of a published
  agreement and publishes it through Wagtail (``save_revision().publish()``, as the admin's
  "Publish" does), so that the portal's real purge runs; prints the time of each publication.
- ``renders``: per page type, the warm uncached render time (median) and queries, and the time
  and queries of the first render after a publication (a real one, as above), in-process with
  the page cache off. Run it with and without ``REDIS_URL`` (``bench/mix.sh`` does).

Only Wagtail's and the models' public API is used (``get_url``, ``save_revision``), so the same
script measures the code before and after a refactor. Production settings, as ``bench/common.sh``
sets them; DATABASE_URL names the database (``bench/mix.sh`` defaults to PostgreSQL ``bench_mix``).
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1")
os.environ.setdefault("STATIC_ROOT", "/tmp/bench-static")  # noqa: S108 -- a throwaway folder
os.environ["SECURE_SSL_REDIRECT"] = "0"
if sys.argv[1:2] == ["renders"]:
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # every request renders

import django  # noqa: E402

django.setup()

from crawl import OUTPUT_PATH, LinkParser, form_queries  # noqa: E402

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.translation import override  # noqa: E402

# By name through the app registry: whichever module of ``relations`` defines them.
MODELS = "Agreement AgreementIndexPage AreaPage Event EventIndexPage HomePage TimelinePage UpdateIndexPage"
MODELS += " UpdatePage"
(
    Agreement,
    AgreementIndexPage,
    AreaPage,
    Event,
    EventIndexPage,
    HomePage,
    TimelinePage,
    UpdateIndexPage,
    UpdatePage,
) = (apps.get_model("relations", name) for name in MODELS.split())

LANGUAGES = ("fr", "en")
RNG = random.Random(2024)  # the same URLs on the same content
FREE_FIELDS = re.compile(r"(^|&)(q|sort|signed_\w+)=")  # typed text and the order: they do not narrow


def first_url(model, language, **filters):
    with override(language):
        item = model.objects.live().filter(**filters).order_by("path").first()
        return item.get_url() if item else None


def visible(model):
    """What visitors see of ``model``: its ``published()`` rows, or Wagtail's ``live()`` ones."""
    for name in ("published", "live"):
        if hasattr(model.objects, name):
            return getattr(model.objects, name)()
    return model.objects.filter(live=True)


def sample_details(model, language, count):
    """Detail URLs of ``count`` published items, spread over the table (demo items first)."""
    published = visible(model)
    ids = sorted(published.values_list("pk", flat=True))
    chosen = ids[:3] + RNG.sample(ids[3:], max(min(count - 3, len(ids) - 3), 0))
    with override(language):
        return [item.get_url() for item in published.filter(pk__in=chosen[:count]).order_by("pk")]


def page_html(client, path):
    response = client.get(path)
    return response.content.decode() if response.status_code == 200 else ""


def parsed(client, path):
    parser = LinkParser()
    parser.feed(page_html(client, path))
    return parser


def filter_urls(client, path, per_field=4, pages=(2, 3, 10, 50)):
    """A list page's filter combinations (from its GET form) and a few of its pages."""
    urls = []
    for action, fields in parsed(client, path).forms.items():
        target = action or path
        trimmed = {name: values[:per_field] for name, values in fields.items()}
        urls += [f"{target}?{query}" for query in form_queries(trimmed) if "nope" not in query]
    return urls + [f"{path}?page={page}" for page in pages]


def output_urls(client, paths):
    """The feeds, calendars and API URLs the given pages link to (exports apart)."""
    found = []
    for path in paths:
        for href in parsed(client, path).links:
            if href.startswith("/") and OUTPUT_PATH.search(href.split("?")[0]) and "export" not in href:
                found.append(href)
    return list(dict.fromkeys(found))


def search_terms(language, count):
    """Words and two-word phrases of the content's titles in ``language`` (numbers left out)."""
    titles = []
    for model in (Agreement, Event, UpdatePage):
        for order in ("pk", "-pk"):
            titles += model.objects.values_list(f"title_{language}", flat=True).order_by(order)[:200]
    titles = [title for title in titles if title]
    words = sorted({word.lower() for title in titles for word in re.findall(r"[^\W\d_]{4,}", title)})
    phrases = sorted({" ".join(title.split()[:2]) for title in titles if len(title.split()) > 1})
    terms = RNG.sample(words, min(count * 2 // 3, len(words)))
    return terms + RNG.sample(phrases, min(count - len(terms), len(phrases)))


def weighted_urls(client):
    """``[(weight, path)]``: about 200 URLs, the most visited with the highest weights."""
    rows = []
    for language in LANGUAGES:
        home = first_url(HomePage, language)
        rows.append((40, home))
        with override(language):
            areas = [area.get_url() for area in AreaPage.objects.live().order_by("path")]
        rows += [(15, url) for url in areas]
        register, events = first_url(AgreementIndexPage, language), first_url(EventIndexPage, language)
        rows += [(10, register), (8, events)]
        register_filters = filter_urls(client, register)
        rows += [(2, url) for url in register_filters[:22]]
        rows += [(2, url) for url in filter_urls(client, events)[:12]]
        rows += [(4, first_url(TimelinePage, language)), (4, first_url(UpdateIndexPage, language))]
        rows += [(1, f"{first_url(TimelinePage, language)}?page=2")]
        rows += [(1, url) for url in sample_details(Agreement, language, 12)]
        rows += [(1, url) for url in sample_details(Event, language, 8)]
        rows += [(1, url) for url in sample_details(UpdatePage, language, 5)]
        outputs = output_urls(client, [home, register, events, *areas[:1]])
        rows += [(2, url) for url in outputs[:8]]
        # Exports of the register filtered by two of its choices (the whole register is 3-5 MB at
        # 10,000 rows, which would make the mix a download benchmark).
        queries = [url.split("?", 1)[1] for url in register_filters]
        queries = [query for query in queries if "&" in query and not FREE_FIELDS.search(query)]
        rows += [(1, f"{register}export.csv?{queries[0]}"), (1, f"{register}export.json?{queries[1]}")]
        for endpoint in ("pages", "agreements", "events"):
            rows.append((2, f"/api/v2/{endpoint}/?lang={language}"))
        area_id = AreaPage.objects.live().order_by("path").values_list("pk", flat=True).first()
        rows += [(1, f"/api/v2/agreements/?area={area_id}&lang={language}")]
        rows += [(1, f"/api/v2/events/?area={area_id}&limit=5&offset=10&lang={language}")]
        for term in search_terms(language, 15):
            rows.append((1, f"/{language}/search/?{urllib.parse.urlencode({'q': term})}"))
    return list({path: (weight, path) for weight, path in rows if path}.values())


def write_urls(out, static=None):
    client = Client()
    rows = weighted_urls(client)
    kept, sizes = [], []
    for weight, path in rows:
        if "/search/" in path:
            kept.append((weight, path))  # seconds each at 10,000 rows: checked by the mix itself
            continue
        response = client.get(path)
        if response.status_code != 200:
            print(f"left out ({response.status_code}): {path}", file=sys.stderr)
            continue
        kept.append((weight, path))
        sizes += [len(response.content)] * weight
        if len(response.content) > 200_000:
            print(f"{len(response.content):,} bytes: {path}", file=sys.stderr)
    Path(out).write_text("".join(f"{weight} {path}\n" for weight, path in kept))
    mean = int(statistics.mean(sizes)) if sizes else 10_000
    print(f"{len(kept)} URLs, total weight {sum(w for w, _ in kept)}, mean response {mean:,} bytes -> {out}")
    if static:
        Path(static).parent.mkdir(parents=True, exist_ok=True)
        Path(static).write_bytes((b"abcdefghijklmnopqrstuvwxyz0123456789\n" * (mean // 37 + 1))[:mean])


def publish_one(rng=RNG):
    """A new revision of a published agreement, published as the admin's "Publish" button does."""
    ids = list(Agreement.objects.filter(live=True).values_list("pk", flat=True).order_by("pk")[:5000])
    agreement = Agreement.objects.get(pk=rng.choice(ids))
    agreement.save_revision().publish()
    return agreement


def publish_loop(every, count):
    print(f"READY {int(time.time())}", flush=True)  # bench/mix.sh starts wrk once this is printed
    for number in range(count):
        time.sleep(every)
        start = time.perf_counter()
        agreement = publish_one()
        took = (time.perf_counter() - start) * 1000
        print(
            f"PUBLISHED {int(time.time())} #{number + 1} agreement {agreement.pk} {took:.0f} ms", flush=True
        )


def render_urls():
    """One URL per page type (French), from the database and the pages' own links."""
    client = Client()
    urls = {
        "home": first_url(HomePage, "fr"),
        "area": first_url(AreaPage, "fr"),
        "agreement list": first_url(AgreementIndexPage, "fr"),
        "agreement detail": sample_details(Agreement, "fr", 1)[0],
        "event list": first_url(EventIndexPage, "fr"),
        "event detail": sample_details(Event, "fr", 1)[0],
        "update list": first_url(UpdateIndexPage, "fr"),
        "update": first_url(UpdatePage, "fr"),
        "timeline": first_url(TimelinePage, "fr"),
        "search": "/fr/search/?q=qu%C3%A9bec",
    }
    choices = filter_urls(client, urls["agreement list"])
    choices = [url for url in choices if not FREE_FIELDS.search(url.split("?")[1])]
    urls["agreement filter"] = choices[0]
    urls["agreement 2 filters"] = next(url for url in choices if "&" in url)
    outputs = output_urls(client, [urls["home"], urls["agreement list"], urls["event list"]])
    urls["atom feed"] = next((url for url in outputs if url.endswith(".atom")), None)
    urls["ics feed"] = next((url for url in outputs if url.endswith(".ics")), None)
    urls["csv export"] = urls["agreement 2 filters"].replace("?", "export.csv?")
    urls["api agreements"] = "/api/v2/agreements/?lang=fr"
    urls["api pages"] = "/api/v2/pages/?lang=fr"
    return {name: url for name, url in urls.items() if url}


def timed(client, url):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - start) * 1000
    return response, took, len(queries)


def measure(client, url, repeat, max_seconds):
    for _ in range(2):
        response, took, _ = timed(client, url)
    warm, budget = [], time.perf_counter() + max_seconds
    for _ in range(repeat):
        response, took, queries = timed(client, url)
        warm.append(took)
        if time.perf_counter() > budget and len(warm) >= 3:
            break
    after = []
    for _ in range(3):
        publish_one()
        _, took, after_queries = timed(client, url)
        after.append((took, after_queries))
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": queries,
        "warm_ms": statistics.median(warm),
        "after_ms": statistics.median(took for took, _ in after),
        "after_queries": max(count for _, count in after),
    }


def renders(as_json=False, repeat=15, max_seconds=8):
    client = Client()
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    results = {}
    for name, url in render_urls().items():
        results[name] = {"url": url, **measure(client, url, repeat, max_seconds)}
        if not as_json:
            r = results[name]
            print(
                f"{name:<17} {r['status']:>4} {r['bytes']:>8,} {r['queries']:>5} {r['warm_ms']:>8.1f} "
                f"{r['after_queries']:>7} {r['after_ms']:>9.1f}  {url}",
                flush=True,
            )
    if as_json:
        print(json.dumps({"cache": backend, "results": results}))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    urls = commands.add_parser("urls")
    urls.add_argument("out")
    urls.add_argument("--static")
    publish = commands.add_parser("publish")
    publish.add_argument("--every", type=float, default=20)
    publish.add_argument("--count", type=int, default=3)
    render = commands.add_parser("renders")
    render.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.command == "urls":
        write_urls(args.out, args.static)
    elif args.command == "publish":
        publish_loop(args.every, args.count)
    else:
        renders(args.json)


if __name__ == "__main__":
    main()

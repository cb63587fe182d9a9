"""Crawls the public site and compares two crawls: "every URL answers as before".

    python bench/crawl.py --base http://127.0.0.1:8101 --out /tmp/crawl-before
    python bench/crawl.py --compare /tmp/crawl-before /tmp/crawl-after

What is fetched (GET, no cookie, redirects not followed, each URL once):

- ``/robots.txt``, ``/healthz``, ``/``, ``/sitemap.xml`` and every sitemap it lists (sitemap
  index), every ``<loc>`` and ``hreflang`` alternate in them;
- on each of those pages, every same-site link (``<a href>``, ``<link rel="alternate">`` and the
  like) outside ``/admin/``, ``/documents/``, ``/static/`` and ``/media/``: filters, pagination,
  detail pages, and the feeds, exports and calendars the site offers; and the filter forms' (GET)
  queries: each option alone, pairs of fields, bad values; on the pages
  reached that way, only the feed, export, calendar and API links (so that filter links are not
  followed into every combination);
- the API: ``/api/v2/pages/``, ``/api/v2/agreements/``, ``/api/v2/events/`` in each language
  (``?lang=``), a few detail ids from each listing, a few filters, limits and orders, and bad
  input (an unknown parameter, an unknown id);
- the search page with a few queries, a 404 page, in each language: ``fr`` and ``en``, and
  ``ko`` when ``/ko/`` answers 200.

What is stored in ``--out``: ``meta.json`` (base URL, start time), ``index.json`` (per URL: status,
content type, ``Location``, ``Content-Disposition``, and the file of its body) and ``bodies/``
(the raw bodies). ``--compare`` normalises both sides first, then prints every URL whose status,
content type, location or body differs, with a short unified diff, and exits 1 when any differs
(2 on a usage error). Normalised away: the base URL (the two crawls may use different ports),
CSP nonces (attributes and header), CSRF tokens, iCalendar ``DTSTAMP``, Atom ``<updated>``, sitemap
``<lastmod>``, and any date-time within two days of the crawl (publication times of content loaded
just before the crawl). JSON bodies are compared pretty-printed, keys in their order.

Standard library only: any ``python3`` runs it.

How the "before" snapshot of issue 11 was taken (the app at its pre-layers commit, demo content on
SQLite, production-like settings as ``make demo`` uses)::

    rm -f /tmp/crawl-before.sqlite3
    DATABASE_URL=sqlite:////tmp/crawl-before.sqlite3 PORT=8101 make demo     # in another terminal
    python3 bench/crawl.py --base http://127.0.0.1:8101 --out /tmp/crawl-before

and the "after" one, on the refactored code, the same way with a fresh database::

    rm -f /tmp/crawl-after.sqlite3
    DATABASE_URL=sqlite:////tmp/crawl-after.sqlite3 PORT=8102 make demo
    python3 bench/crawl.py --base http://127.0.0.1:8102 --out /tmp/crawl-after
    python3 bench/crawl.py --compare /tmp/crawl-before /tmp/crawl-after

Run both on the same day: the demo's "upcoming" and "past" events depend on today's date.
"""

import argparse
import contextlib
import datetime
import difflib
import hashlib
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

LANGUAGES = ("fr", "en", "ko")
SKIPPED_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/cms/", "/django-admin/")
# Paths that are a feed, an export, a calendar or the API: followed from every page.
OUTPUT_PATH = re.compile(r"(\.(atom|ics|csv|json|xml|rss)$)|(/api/)|(/(flux|feeds?|export)[/.])", re.I)
SEARCHES = ("québec", "coree", "Korea", "accord culturel", "zzzz-aucun-résultat", "")
API_FILTERS = (
    "?limit=2",
    "?limit=2&offset=2",
    "?order=-id",
    "?fields=*",
    "?kind=no-such-kind",
    "?no_such_parameter=1",
)
# Values typed into a filter form's text fields (placeholders otherwise).
FIELD_SAMPLES = {"q": "Corée", "signed_after": "2015", "signed_before": "2019-12"}
MAX_URLS = 3000
TIMEOUT = 60


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class LinkParser(HTMLParser):
    """Collects the ``href`` of ``<a>`` and ``<link>`` (``rel="alternate"`` included), and the fields
    of each GET form outside the site search: ``{action: {name: [values]}}``."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.forms = {}
        self.form = self.select = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("a", "link", "area") and values.get("href"):
            self.links.append(values["href"])
        elif tag == "form" and (values.get("method") or "get").lower() == "get":
            action = values.get("action") or ""
            self.form = None if "search" in action else self.forms.setdefault(action, {})
        elif self.form is not None and tag == "select" and values.get("name"):
            self.select = self.form.setdefault(values["name"], [])
        elif self.select is not None and tag == "option" and values.get("value"):
            self.select.append(values["value"])
        elif self.form is not None and tag == "input" and values.get("name"):
            sample = FIELD_SAMPLES.get(values["name"], values.get("placeholder"))
            if values.get("type") in ("text", "search", "number", "date") and sample:
                self.form.setdefault(values["name"], []).append(sample)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = self.select = None
        elif tag == "select":
            self.select = None


def form_queries(fields):
    """Each value of each field alone, a few pairs of fields, and one query of bad values."""
    queries = [{name: value} for name, options in fields.items() for value in options]
    names = list(fields)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            if fields[first] and fields[second]:
                queries.append({first: fields[first][-1], second: fields[second][0]})
    queries.append({**dict.fromkeys(names, "nope"), "page": "abc"})
    queries.append({"page": "2"})
    return [urllib.parse.urlencode(query) for query in queries]


def fetch(base, path, headers=None):
    # ``base`` is checked to be http(s) in main().
    headers = {"User-Agent": "portal-crawl", **(headers or {})}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    try:
        with OPENER.open(request, timeout=TIMEOUT) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def site_path(base, href, current="/"):
    """The path + query of a same-site link, or None (another host, a fragment, mailto:…)."""
    url = urllib.parse.urljoin(base + current, href.strip())
    parts = urllib.parse.urlsplit(url)
    ours = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or parts.netloc != ours.netloc:
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


class Crawl:
    def __init__(self, base, out):
        self.base = base.rstrip("/")
        self.out = Path(out)
        self.entries = {}
        (self.out / "bodies").mkdir(parents=True, exist_ok=True)

    def get(self, path, headers=None):
        """Fetches and stores ``path`` once; returns (status, headers, body)."""
        key = path + "".join(f" [{name}: {value}]" for name, value in sorted((headers or {}).items()))
        if key in self.entries or len(self.entries) >= MAX_URLS:
            return self.entries.get(key, {}).get("_response", (None, {}, b""))
        status, response_headers, body = fetch(self.base, path, headers)
        name = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]
        (self.out / "bodies" / name).write_bytes(body)
        lowered = {k.lower(): v for k, v in response_headers.items()}
        self.entries[key] = {
            "status": status,
            "content_type": lowered.get("content-type", ""),
            "location": lowered.get("location", ""),
            "content_disposition": lowered.get("content-disposition", ""),
            "csp": lowered.get("content-security-policy", ""),
            "file": name,
            "_response": (status, lowered, body),
        }
        print(f"{status} {key}", file=sys.stderr)
        return status, lowered, body

    def links_of(self, path, headers, body, forms=False):
        """The same-site links of an HTML page, and with ``forms`` its filter forms' queries."""
        if "html" not in headers.get("content-type", ""):
            return []
        parser = LinkParser()
        parser.feed(body.decode("utf-8", "replace"))
        page = path.split("?")[0]
        found = [site_path(self.base, href, page) for href in parser.links]
        if forms:
            for action, fields in parser.forms.items():
                target = site_path(self.base, action or page, page)
                found += [f"{target}?{query}" for query in form_queries(fields)] if target else []
        return [link for link in found if link]

    def sitemap_urls(self, path, seen=None):
        seen = seen if seen is not None else set()
        if path in seen:
            return []
        seen.add(path)
        status, _, body = self.get(path)
        if status != 200:
            return []
        try:
            root = ElementTree.fromstring(body)  # noqa: S314 -- the sitemap of the server under test
        except ElementTree.ParseError:
            return []
        urls = []
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            href = element.text if tag == "loc" else element.get("href") if tag == "link" else None
            link = site_path(self.base, href) if href else None
            if not link:
                continue
            if root.tag.endswith("sitemapindex") and tag == "loc":
                urls += self.sitemap_urls(link, seen)
            else:
                urls.append(link)
        return urls

    def pages(self, first):
        """Fetches ``first``, then every same-site link on them, then the outputs linked from those."""
        second = []
        for path in first:
            status, headers, body = self.get(path)
            if status == 200:
                second += self.links_of(path, headers, body, forms=True)
        for path in dict.fromkeys(second):
            status, headers, body = self.get(path)
            if status == 200:
                for link in self.links_of(path, headers, body):
                    if OUTPUT_PATH.search(link.split("?")[0]):
                        self.get(link)

    def api(self, languages):
        for endpoint in ("pages", "agreements", "events"):
            root = f"/api/v2/{endpoint}/"
            self.get(root)
            for language in languages:
                status, _, body = self.get(f"{root}?lang={language}")
                ids = []
                if status == 200:
                    try:
                        ids = [item["id"] for item in json.loads(body).get("items", [])][:4]
                    except (ValueError, KeyError, TypeError):
                        ids = []
                for item_id in ids:
                    self.get(f"{root}{item_id}/?lang={language}")
                for query in API_FILTERS:
                    self.get(f"{root}{query}&lang={language}")
            self.get(f"{root}?lang=xx")
            self.get(f"{root}999999/")
        for area in self.area_ids():
            self.get(f"/api/v2/agreements/?area={area}")
            self.get(f"/api/v2/events/?area={area}&lang=en")
        self.get("/api/v2/pages/?type=relations.AreaPage&fields=title")
        self.get("/api/v2/no-such-endpoint/")

    def area_ids(self):
        status, _, body = self.get("/api/v2/pages/?type=relations.AreaPage&limit=20")
        if status != 200:
            return []
        try:
            return [item["id"] for item in json.loads(body)["items"]][:3]
        except (ValueError, KeyError, TypeError):
            return []

    def run(self):
        started = datetime.datetime.now(datetime.UTC)
        for path in ("/robots.txt", "/healthz", "/", "/no-such-page-crawl/"):
            self.get(path)
        self.get("/", {"Accept-Language": "en"})
        languages = ["fr", "en"] + (["ko"] if fetch(self.base, "/ko/")[0] == 200 else [])
        first = [f"/{language}/" for language in languages] + self.sitemap_urls("/sitemap.xml")
        self.pages(list(dict.fromkeys(first)))
        for language in languages:
            for query in SEARCHES:
                self.get(f"/{language}/search/?q={urllib.parse.quote(query)}")
            self.get(f"/{language}/search/?q=qu%C3%A9bec&page=2")
            self.get(f"/{language}/search/?q=qu%C3%A9bec&page=999")
            self.get(f"/{language}/no-such-page-crawl/")
        self.api(languages)
        index = {
            key: {name: value for name, value in entry.items() if name != "_response"}
            for key, entry in self.entries.items()
        }
        (self.out / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False))
        meta = {"base": self.base, "started": started.isoformat(), "languages": languages, "urls": len(index)}
        (self.out / "meta.json").write_text(json.dumps(meta, indent=1))
        print(f"{len(index)} URLs stored in {self.out}", file=sys.stderr)


# ---- normalising and comparing -----------------------------------------------------------

ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")
ICAL_DATETIME = re.compile(r"\b\d{8}T\d{6}Z?\b")
FIXED = [
    (re.compile(r"""nonce=(["'])[^"']*\1"""), 'nonce="{NONCE}"'),
    (re.compile(r"'nonce-[^']*'"), "'nonce-{NONCE}'"),
    (re.compile(r"""(name=["']csrfmiddlewaretoken["'] value=["'])[^"']*"""), r"\1{CSRF}"),
    (re.compile(r"""(value=["'])[^"']*(["'] name=["']csrfmiddlewaretoken)"""), r"\1{CSRF}\2"),
    (re.compile(r"""(["']?csrf_?token["']?\s*[:=]\s*["'])[^"']*""", re.I), r"\1{CSRF}"),
    (re.compile(r"^DTSTAMP[:;].*$", re.M), "DTSTAMP:{NOW}"),
    (re.compile(r"<updated>[^<]*</updated>"), "<updated>{NOW}</updated>"),
    (re.compile(r"<lastmod>[^<]*</lastmod>"), "<lastmod>{NOW}</lastmod>"),
]


def near(text, pattern, started, fmt=None):
    """Replaces the date-times matched by ``pattern`` that fall within two days of ``started``."""

    def replace(match):
        value = match.group(0)
        try:
            if fmt:
                moment = datetime.datetime.strptime(value.rstrip("Z"), fmt).replace(tzinfo=datetime.UTC)
            else:
                moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T"))
                moment = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
        except ValueError:
            return value
        return "{NOW}" if abs(moment - started) < datetime.timedelta(days=2) else value

    return pattern.sub(replace, text)


def normalise(text, meta, content_type=""):
    base = meta["base"]
    started = datetime.datetime.fromisoformat(meta["started"])
    text = text.replace(base, "{BASE}").replace(urllib.parse.urlsplit(base).netloc, "{HOST}")
    for pattern, replacement in FIXED:
        text = pattern.sub(replacement, text)
    text = near(text, ISO_DATETIME, started)
    text = near(text, ICAL_DATETIME, started, "%Y%m%dT%H%M%S")
    if "json" in content_type:
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), indent=1, ensure_ascii=False)
    return text.replace("\r\n", "\n")


def csp_directives(header):
    """A Content-Security-Policy with its directives sorted: their order varies per process."""
    return "; ".join(sorted(part.strip() for part in header.split(";") if part.strip()))


def load(folder):
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text())
    index = json.loads((folder / "index.json").read_text())
    return folder, meta, index


def described(folder, meta, entry):
    body = (folder / "bodies" / entry["file"]).read_bytes().decode("utf-8", "replace")
    fields = {
        "status": str(entry["status"]),
        "content type": entry["content_type"],
        "location": normalise(entry["location"], meta),
        "content disposition": normalise(entry["content_disposition"], meta),
        "csp": csp_directives(normalise(entry.get("csp", ""), meta)),
    }
    return fields, normalise(body, meta, entry["content_type"])


def compare(dir_a, dir_b, context=3, max_lines=40):
    a, b = load(dir_a), load(dir_b)
    differing = 0
    for key in sorted(set(a[2]) | set(b[2])):
        if key not in a[2] or key not in b[2]:
            differing += 1
            print(f"== {key}: only in {dir_a if key in a[2] else dir_b}")
            continue
        fields_a, body_a = described(a[0], a[1], a[2][key])
        fields_b, body_b = described(b[0], b[1], b[2][key])
        changed = [name for name in fields_a if fields_a[name] != fields_b[name]]
        if not changed and body_a == body_b:
            continue
        differing += 1
        changes = (f"{name} {fields_a[name]!r} -> {fields_b[name]!r}" for name in changed)
        print(f"== {key}: " + "; ".join(changes))
        if body_a != body_b:
            diff = list(
                difflib.unified_diff(
                    body_a.splitlines(), body_b.splitlines(), "before", "after", n=context, lineterm=""
                )
            )
            for line in diff[:max_lines]:
                print(line[:300])
            if len(diff) > max_lines:
                print(f"... {len(diff) - max_lines} more diff lines")
    total = len(set(a[2]) | set(b[2]))
    print(f"{differing} of {total} URLs differ")
    return 1 if differing else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", help="the site's root URL, e.g. http://127.0.0.1:8101")
    parser.add_argument("--out", help="folder for the snapshot (created)")
    parser.add_argument("--compare", nargs=2, metavar=("DIR_A", "DIR_B"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not (args.base and args.out) or not args.base.startswith(("http://", "https://")):
        parser.print_usage(sys.stderr)
        return 2
    Crawl(args.base, args.out).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())

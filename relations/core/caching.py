"""The portal's two caches, and how publishing purges both.

1. **Whole responses** for anonymous visitors (``PageStore``, used by
   ``core.middleware.PageCacheMiddleware``): what visitors get almost every time.
2. **Aggregates kept until the next publication** (``shared_lookup``): the few values that every
   uncached render needs and that change only when an editor publishes (the site, its root, the
   menu, the office, the index pages' URLs, the live areas, the lists' facet and year counts).
   They live in each process's memory, never in Redis (a round trip each would cost more than
   the query), and are all forgotten at the next purge, in every process. The generation that
   says whether they are still good is read once per request (``one_generation``), not once
   per lookup.

Nothing else is cached under these two: rows, SQL and item HTML are read and rendered on each
uncached request, and the page cache serves the rest.

Purging the page cache:

Pages are kept in Django's cache alias ``pages``: local memory by default, Redis when ``REDIS_URL``
is set. Any publish, unpublish, deletion or move clears **the whole page cache** rather than
working out which pages show the changed object: an agreement appears on the home page, its
areas, the register, its events' pages, the feeds and the search; a renamed organisation on every
agreement it signed. For a site of this size the cost of a full purge is a few hundred page
renders spread over the next minutes, and it can never leave a stale page behind.

A purge never deletes keys one by one. It changes the cache's *generation*:

- with a shared cache (Redis), a generation token stored in the cache itself; every lookup fetches
  the token and the page in one round trip (``get_many``) and ignores a page from an older
  generation. ``FLUSHDB`` is avoided: the Redis database may hold other things (sessions, locks).
- with local memory (one cache per process), a stamp file in the temporary folder that every worker
  of this machine sees: a purge replaces the file, and each process clears its own memory when it
  sees a new stamp (one ``stat`` per request). Without it a publish handled by one gunicorn worker
  would leave the other workers serving the old page.
"""

import contextlib
import contextvars
import functools
import hashlib
import logging
import os
import tempfile
import uuid
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "generation"


def page_cache():
    return caches[CACHE_ALIAS]


def is_local(cache=None):
    return isinstance(cache or page_cache(), LocMemCache)


def stamp_path():
    """The stamp file shared by the processes of one checkout and one database."""
    configured = getattr(settings, "PORTAL_PAGE_CACHE_STAMP_FILE", None)
    if configured:
        return Path(configured)
    database = settings.DATABASES["default"]
    return _default_stamp_path(
        f"{settings.BASE_DIR}|{database.get('ENGINE')}|{database.get('HOST')}|{database.get('NAME')}"
    )


@functools.lru_cache(maxsize=8)
def _default_stamp_path(seed):
    digest = hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"portal-page-cache-{digest}.stamp"


def _read_stamp(path):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


class PageStore:
    """Get and put cached responses; purge them all."""

    def __init__(self):
        self.cache = page_cache()
        self.local = is_local(self.cache)
        self.stamp_file = stamp_path() if self.local else None
        self.seen_stamp = _read_stamp(self.stamp_file) if self.local else None

    def _local_generation_check(self):
        stamp = _read_stamp(self.stamp_file)
        if stamp != self.seen_stamp:
            # Another process (or this one) purged: forget what this process holds.
            self.cache.clear()
            self.seen_stamp = stamp

    def get(self, key):
        """The cached entry for ``key``, or None. Never raises: a cache outage means a miss."""
        try:
            if self.local:
                self._local_generation_check()
                return self.cache.get(key)
            found = self.cache.get_many([GENERATION_KEY, key])
            entry = found.get(key)
            if entry is None:
                return None
            generation = found.get(GENERATION_KEY)
            return entry if generation is not None and entry[0] == generation else None
        except Exception:
            logger.warning("page cache unavailable for reading", exc_info=True)
            return None

    def set(self, key, entry, timeout):
        """Store ``entry`` (a tuple whose first item is replaced by the generation)."""
        try:
            if self.local:
                self.cache.set(key, (None, *entry[1:]), timeout)
                return
            generation = self.cache.get(GENERATION_KEY)
            if generation is None:
                generation = uuid.uuid4().hex
                if not self.cache.add(GENERATION_KEY, generation, None):
                    generation = self.cache.get(GENERATION_KEY)
            self.cache.set(key, (generation, *entry[1:]), timeout)
        except Exception:
            logger.warning("page cache unavailable for writing", exc_info=True)


def canonical_query(params):
    """The query string as the page cache keys it: parameters sorted, values stripped, empty ones
    left out (``?b=2&a=1&c=`` and ``?a=1&b=2`` are one page)."""
    pairs = sorted(
        (name, value.strip()) for name, values in params.lists() for value in values if value.strip()
    )
    return urlencode(pairs)


def declare_query(request, used, junk=False):
    """What a view tells the page cache of the request's query string: ``used``, the names of the
    parameters it read; ``junk``, whether a value was ignored or adjusted (an invalid filter, a
    page out of range, a search that found nothing). Without it, a response to a query string is
    never stored."""
    request.portal_query = (frozenset(used), bool(junk))


def query_is_used(request):
    """Whether the response to ``request`` may be stored under its query string."""
    given = {name for name, values in request.GET.lists() if any(value.strip() for value in values)}
    if not given:
        return True
    used, junk = getattr(request, "portal_query", (frozenset(), True))
    return not junk and given <= used


def _purge_now():
    forget_shared_lookups()
    _request_generation.set(None)
    cache = page_cache()
    try:
        if is_local(cache):
            cache.clear()
            path = stamp_path()
            # Replace the file (new inode, new mtime) atomically: every process sees the change.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
            with os.fdopen(fd, "w") as handle:
                handle.write(uuid.uuid4().hex)
            os.replace(tmp, path)
        else:
            cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.error("could not purge the page cache", exc_info=True)


def purge_page_cache():
    """Forget every cached page, now and again once the current transaction commits.

    Now, so that this request (and a test inside a transaction) sees the change; after the commit,
    so that a page rendered by another worker between the purge and the commit (still showing the
    old content) does not outlive it.
    """
    _purge_now()
    transaction.on_commit(_purge_now)


def public_urls(instance=None):
    """Every live page's URL in each language, and ``instance``'s own URLs: what a CDN must forget."""
    from django.utils.translation import override

    from wagtail.models import Page

    urls = set()
    pages = list(Page.objects.live().public().specific())
    for language, _name in settings.LANGUAGES:
        with override(language):
            for page in pages:
                url = page.get_full_url()
                if url:
                    urls.add(url)
    language_urls = getattr(instance, "language_urls", None)
    if callable(language_urls):
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for url in language_urls().values():
            if url:
                urls.add(url if "://" in url else f"{base}{url}")
    return sorted(urls)


def purge_cdn(instance=None):
    """Ask the CDN (wagtail.contrib.frontend_cache) to forget the public pages, after the commit.

    Does nothing unless WAGTAILFRONTENDCACHE names a backend (off by default).
    """
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return

    def purge():
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        try:
            purge_urls_from_cache(public_urls(instance))
        except Exception:
            logger.error("could not purge the CDN", exc_info=True)

    transaction.on_commit(purge)


# --------------------------------------------------------------------------------------
# Aggregates kept until the next publication
# --------------------------------------------------------------------------------------

# The lists' counts are kept under keys that name their filters: bounded, the least recently used
# forgotten first, so that junk filter combinations cannot grow a worker's memory. A plain dict
# rather than a LocMemCache, which would pickle and unpickle model instances on every read.
SHARED_LOOKUP_MAX_ENTRIES = 1000

_shared = {"generation": None, "values": OrderedDict()}
# The generation read at the start of the request being served (``one_generation``).
_request_generation = contextvars.ContextVar("portal_kept_generation", default=None)


@contextlib.contextmanager
def one_generation():
    """Within this block, every ``shared_lookup`` uses the generation read once on entering it.

    With Redis that is one round trip per request instead of one per lookup (24 for a home page).
    A purge within the block (a publication) forgets the kept values at once all the same.
    """
    token = _request_generation.set(_generation())
    try:
        yield
    finally:
        _request_generation.reset(token)


def _generation():
    """What changes when the page cache is purged: the stamp file (local) or the token (Redis)."""
    cache = page_cache()
    try:
        if is_local(cache):
            return ("local", _read_stamp(stamp_path()))
        return ("shared", cache.get(GENERATION_KEY))
    except Exception:
        logger.warning("page cache unavailable for reading its generation", exc_info=True)
        return None


def shared_lookup(key, build, valid_until=None):
    """``build()``, kept in this process until the next purge of the page cache.

    For the few values every page needs and that only change when an editor publishes (the menu,
    the site, the government office, the index pages' URLs), and for the counts of the lists
    (``relations.listings.kept.kept_lookup``): without this each uncached render would spend a
    query on each. The values are forgotten whenever ``purge_page_cache`` runs (any publication,
    any save of what visitors see), in every process, as cached pages are. When the cache cannot
    tell its generation (Redis down), nothing is kept.

    ``valid_until``: an aware datetime, or a function of the value built giving one (or None),
    after which the value is built again even if nothing was published (an item that expires).
    """
    generation = _request_generation.get() or _generation()
    if generation is None:
        return build()
    values = _values_of(generation)
    value = _kept(values, key)
    if value is not NOT_KEPT:
        return value
    value = build()
    until = valid_until(value) if callable(valid_until) else valid_until
    values[key] = (value, until)
    values.move_to_end(key)
    if len(values) > SHARED_LOOKUP_MAX_ENTRIES:
        values.popitem(last=False)
    return value


NOT_KEPT = object()


def _values_of(generation):
    """The values kept for ``generation``; all forgotten when it is not the one they were kept for."""
    if generation != _shared["generation"]:
        _shared["generation"] = generation
        _shared["values"] = OrderedDict()
    return _shared["values"]


def _kept(values, key):
    """The value kept under ``key`` if it has not expired (then the most recently used), or
    ``NOT_KEPT``."""
    if key in values:
        value, until = values[key]
        if until is None or timezone.now() < until:
            values.move_to_end(key)
            return value
    return NOT_KEPT


def forget_shared_lookups():
    _shared["generation"] = None
    _shared["values"] = OrderedDict()

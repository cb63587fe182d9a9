"""Counts the lists keep between publications, and (for now) the feeds' and API's kept entries.

``kept_lookup(key, build)``: ``build()`` kept with the aggregates (``core.caching.shared_lookup``)
until the next publication, the next day (statuses and upcoming events depend on the date) or
the next moment a published item expires (``soonest_expiry``), whichever comes first. The lists'
facets, totals and year counts use it: counting every row is what made them slow at 10,000 rows.

Transitional: ``kept_items``, ``kept_entries``, ``as_object`` and ``CountedRows`` serve the Atom
feeds, the calendars and the API until those read plain querysets; nothing else may use them.
"""

import datetime

from django.db import connections
from django.utils import timezone
from django.utils.translation import get_language

from wagtail.models import Page

from relations.core.caching import NOT_KEPT, shared_lookup, shared_value
from relations.models.agreements import Agreement
from relations.models.events import Event


def soonest_expiry():
    """The next moment a published agreement or event, or a live page, expires (``expire_at``), or
    None. Visitors stop seeing such an item at that moment, even before ``publish_scheduled``
    unpublishes it (and purges): the counts kept for the lists must be counted again then."""

    def find():
        # One query: the moments at which something is scheduled to expire (few: editors set them).
        now = timezone.now()
        agreements, events, pages = (
            model.objects.filter(live=True, expire_at__gt=now).order_by().values_list("expire_at", flat=True)
            for model in (Agreement, Event, Page)
        )
        return min(agreements.union(events, pages), default=None)

    return shared_lookup(("soonest-expiry",), find, valid_until=lambda soonest: soonest)


def kept_lookup(key, build, today=None):
    """``build()``, for what depends on the published rows: the lists' counts (facets, totals,
    years), their SQL (``kept_rows``), the HTML of their items (the ``item`` tag), the calendars'
    VEVENTs. Kept with the shared lookups (``relations.cache.shared_lookup``) until the next
    publication, the next day (statuses and upcoming events depend on the date: ``today`` is part
    of the key) or the next expiry.

    Counting every row is what made the lists slow at 10,000 rows (one aggregate a facet, 5-16 ms
    each); the rows of a page are still read on every request. ``key`` names what is kept (the
    list and its filters): the shared lookups keep at most ``SHARED_LOOKUP_MAX_ENTRIES``, the
    least recently used forgotten first.
    """
    today = today or datetime.date.today()
    return shared_lookup(("counts", today, *key), build, valid_until=lambda _value: soonest_expiry())


def kept_value(key, today=None):
    """What ``kept_lookup(key, ...)`` keeps, or ``NOT_KEPT``, without building it."""
    return shared_value(("counts", today or datetime.date.today(), *key))


def _built(queryset):
    return queryset() if callable(queryset) else queryset


def kept_rows(key, queryset, limit=None, offset=0):
    """``list(queryset)`` (a short list of published rows: a slice, or ``limit`` rows from
    ``offset``), with its SQL built once per publication and language and run as a raw query on
    each request. ``queryset`` may be a function returning it: it is then built only when its SQL
    is not kept (building a page's querysets took 1-3 ms a request: the filters, ``EXISTS``).

    Django builds and compiles a query's SQL anew on every request: 0.5–1 ms for these querysets
    (the translated columns, the ``published()`` conditions, the orderings), more than running them.
    Kept with the counts (``kept_lookup``): the SQL holds the moment and the day it was built at,
    and is built again at the next publication, the next day and the next expiry, so no item can
    expire between that moment and its use. ``key`` names the list. With ``limit``
    the SQL is kept once for all the list's pages (about 2 kB each).
    """

    def compile_sql():
        built = _built(queryset)
        if built.query.select_related or built._prefetch_related_lookups:
            return None  # a raw query would read the related rows one by one: left to the ORM
        return (built.model, built.db, *built.query.sql_with_params())

    # A list's pages (``limit``) and a list of its own keep apart even under the same ``key``.
    kind = "rows" if limit is None else "pages"
    kept = kept_lookup(("sql", kind, get_language(), *key), compile_sql)
    if kept is None:
        built = _built(queryset)
        return list(built if limit is None else built[offset : offset + limit])
    model, db, sql, params = kept
    if limit is not None:
        sql, params = f"{sql} LIMIT %s OFFSET %s", (*params, limit, offset)
    return list(model.objects.raw(sql, params, using=db))


class ListedItem:
    """A row of a list that templates show only through the ``item`` tag: its primary key, read on
    each request, and its object, read (``listed_object``) only when the item's HTML is not kept.

    Building the model instances took most of a list's time once its SQL and its items' HTML were
    kept (60 µs a row: modeltranslation's and modelcluster's ``__init__``; the events page shows
    up to 90). Any other attribute reads the object, so a template that needs more still works.
    """

    __slots__ = ("pk", "_load")

    def __init__(self, pk, load):
        self.pk = pk
        self._load = load

    @property
    def listed_object(self):
        return self._load(self.pk)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.listed_object, name)

    def __repr__(self):
        return f"<ListedItem {self.pk}>"


def listed_items(pks, fetch):
    """``ListedItem``s for ``pks``; the first object asked for reads all of them with
    ``fetch(pks)`` (a ``{pk: object}``), in one query. An item unpublished between the two reads
    gives None."""
    objects = None

    def load(pk):
        nonlocal objects
        if objects is None:
            objects = fetch(pks)
        return objects.get(pk)

    return [ListedItem(pk, load) for pk in pks]


def as_object(row):
    """The object of a row of ``kept_items`` (read now if it is a ``ListedItem``), or None."""
    return row.listed_object if isinstance(row, ListedItem) else row


def kept_entries(rows, key, build):
    """What is kept for each of ``rows`` (from ``kept_items``: an Atom entry, an API item's JSON)
    under ``key(pk)``, in the rows' order. ``build(objects)`` builds the missing ones at once (in
    the objects' order; called even when none is missing), their objects read in one query. A row
    unpublished between the two reads is left out."""
    kept = {row.pk: kept_value(key(row.pk)) for row in rows}
    missing = [obj for obj in (as_object(row) for row in rows if kept[row.pk] is NOT_KEPT) if obj is not None]
    for obj, entry in zip(missing, build(missing), strict=True):
        kept[obj.pk] = kept_lookup(key(obj.pk), lambda entry=entry: entry)
    return [kept[row.pk] for row in rows if kept[row.pk] is not NOT_KEPT]


def kept_items(key, queryset, limit=None, offset=0):
    """``kept_rows`` for a list whose items are kept as they are shown (the HTML of the ``item``
    tag, a feed's entries and VEVENTs, the API's JSON): as ``ListedItem``s once the list was shown
    since the last publication; the first time, as objects, so that its items can be built without
    another query.

    The primary keys' SQL is kept as the rows' is. An item that is not kept (forgotten as the least
    recently used, or never shown: a preview) has its object read, the list's in one query.
    """
    first_time = []
    kept_lookup(("shown", get_language(), *key, limit, offset), lambda: first_time.append(True))
    if first_time:
        return kept_rows(key, queryset, limit, offset)

    def compile_sql():
        keys = _built(queryset)._chain()
        keys._prefetch_related_lookups = ()  # for the objects read, not for their keys
        return (keys.db, *keys.values_list("pk", flat=True).query.sql_with_params())

    kind = "pks" if limit is None else "pages-pks"
    db, sql, params = kept_lookup((kind, get_language(), *key), compile_sql)
    if limit is not None:
        sql, params = f"{sql} LIMIT %s OFFSET %s", (*params, limit, offset)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        pks = [row[0] for row in cursor.fetchall()]

    def fetch(wanted):
        unsliced = _built(queryset)._chain()
        unsliced.query.clear_limits()
        return unsliced.order_by().in_bulk(wanted)

    return listed_items(pks, fetch)


class CountedRows:
    """What the paginator slices, when the number of rows is known: ``fetch(limit, offset)`` reads
    a page's rows (kept SQL for the lists, ``kept_rows``; the timeline's UNION)."""

    def __init__(self, total, fetch):
        self.total = total
        self.fetch = fetch

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, key):
        start, stop = key.start or 0, key.stop  # the paginator asks for slices with both ends
        return self.fetch(stop - start, start) if stop > start else []

"""Counts the lists keep between publications: facets, totals and year counts.

``kept_lookup(key, build)``: ``build()`` kept with the aggregates (``core.caching.shared_lookup``)
until the next publication, the next day (statuses and upcoming events depend on the date) or
the next moment a published item expires (``soonest_expiry``), whichever comes first. The lists'
facets, totals and year counts use it: counting every row is what made them slow at 10,000 rows.
"""

import datetime

from django.utils import timezone

from wagtail.models import Page

from relations.core.caching import shared_lookup
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
    years). Kept with the shared lookups (``core.caching.shared_lookup``) until the next
    publication, the next day (statuses and upcoming events depend on the date: ``today`` is part
    of the key) or the next expiry.

    Counting every row is what made the lists slow at 10,000 rows (one aggregate a facet, 5-16 ms
    each); the rows of a page are still read on every request. ``key`` names what is kept (the
    list and its filters): the shared lookups keep at most ``SHARED_LOOKUP_MAX_ENTRIES``, the
    least recently used forgotten first.
    """
    today = today or datetime.date.today()
    return shared_lookup(("counts", today, *key), build, valid_until=lambda _value: soonest_expiry())

"""Atom feeds (updates, agreements, events) and iCalendar feeds (events), overall and per area.

URLs, under each language's prefix (``feed_path()`` builds them; ``relations.templatetags.
feed_tags`` gives them to templates):

==========================================  ==========================================
French                                      English
==========================================  ==========================================
``/fr/flux/actualites.atom``                ``/en/feeds/updates.atom``
``/fr/flux/ententes.atom``                  ``/en/feeds/agreements.atom``
``/fr/flux/evenements.atom``                ``/en/feeds/events.atom``
``/fr/flux/evenements.ics``                 ``/en/feeds/events.ics``
``/fr/flux/<kind>/<area slug>.atom|.ics``   ``/en/feeds/<kind>/<area slug>.atom|.ics``
==========================================  ==========================================

The area slug is the AreaPage's slug in that language (``/fr/flux/ententes/economie.atom``,
``/en/feeds/agreements/economy.atom``). A name from the other language, an unknown kind or area
answers 404. The calendars are built by ``relations.calendars``, which also gives one event's
calendar ("Add to my calendar", served by ``EventIndexPage`` at ``<event URL>ics/``).

Only what visitors may see is listed: live pages (public, not expired), published agreements and
events. Each feed runs a fixed number of queries whatever the number of items: plain querysets,
bounded, their areas prefetched; the page cache keeps the whole response until the next
publication (``relations.core.middleware``).

Conformance (RFC 4287): every Atom feed names its author; summaries are HTML paragraphs, so that
their line breaks survive; a date known only to the month or the year reads "en février 2017".
Conditional requests (``ETag`` / ``If-None-Match``) are answered by Django's
``ConditionalGetMiddleware`` (settings). No ``Last-Modified`` is sent: the newest item's date does
not change when an item is withdrawn, and a 304 to ``If-Modified-Since`` would hide the withdrawal.
"""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import F, Q
from django.http import Http404
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext, override, pgettext
from django.views.decorators.http import require_safe

from .calendars import build_calendar, calendar_response, event_location, subscription_events, uid_domain
from .core.dates import DatePrecision
from .exports import detail_url
from .models import (
    LANGUAGE_CODES,
    Agreement,
    AgreementIndexPage,
    AreaPage,
    Event,
    EventIndexPage,
    UpdateIndexPage,
    UpdatePage,
    current_language,
    live_areas_prefetch,
    public_pages,
)

# The path segments of the feeds in each language (Korean keeps the English ones, as its slugs do).
FEED_PREFIX = {"fr": "flux", "en": "feeds", "ko": "feeds"}
FEED_KINDS = {
    "updates": {"fr": "actualites", "en": "updates", "ko": "updates"},
    "agreements": {"fr": "ententes", "en": "agreements", "ko": "agreements"},
    "events": {"fr": "evenements", "en": "events", "ko": "events"},
}
KIND_BY_NAME = {
    language: {names[language]: kind for kind, names in FEED_KINDS.items()} for language in LANGUAGE_CODES
}
FEED_ITEMS = 50  # the newest items an Atom feed lists
TAG_DATE = "2026"  # the "date" part of the tag: URIs used as Atom ids; never change it


def feed_path(kind, fmt="atom", area=None, language=None):
    """The path of a feed: ``feed_path("events", "ics", area, "en")`` → ``/en/feeds/events/culture.ics``."""
    language = language or current_language()
    kwargs = {"prefix": FEED_PREFIX[language], "kind": FEED_KINDS[kind][language], "fmt": fmt}
    name = "portal-feed"
    if area is not None:
        kwargs["area"] = getattr(area, f"slug_{language}", None) or area.slug_fr
        name = "portal-area-feed"
    with override(language):
        return reverse(name, kwargs=kwargs)


@dataclass
class FeedSource:
    """What a feed is about: its kind, language, area (or None), request and index page."""

    kind: str
    language: str
    area: AreaPage | None
    request: object
    index_page: object

    def index_url(self):
        page = self.area or self.index_page
        url = page.get_url(self.request) if page is not None else None
        return self.request.build_absolute_uri(url or f"/{self.language}/")

    def title(self):
        parts = [gettext("Québec–South Korea relations")]
        if self.index_page is not None:
            parts.append(self.index_page.title)
        if self.area is not None:
            parts.append(self.area.title)
        return " — ".join(parts)

    def tag(self, path):
        return f"tag:{uid_domain()},{TAG_DATE}:{path}"

    def guid(self):
        area = f"/area-{self.area.pk}" if self.area is not None else ""
        return self.tag(f"feeds/{self.kind}{area}/{self.language}")


def not_expired():
    return ~Q(expire_at__lte=timezone.now())


class PortalAtomFeed(Feed):
    """The parts the three Atom feeds share. ``source`` is a ``FeedSource``."""

    feed_type = Atom1Feed

    def get_object(self, request, source):
        self.source = source
        return source

    def rows(self, source):
        """The feed's items, newest first, as a queryset."""
        raise NotImplementedError

    def items(self, source):
        return self.rows(source)[:FEED_ITEMS]

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The newest item's date stays the same when an item is withdrawn: answering
        # If-Modified-Since by it would hide the withdrawal. The ETag (the body's hash) is sound.
        del response["Last-Modified"]
        return response

    def author_name(self, source):
        return gettext("Québec Government Office in Seoul")

    def author_link(self, source):
        return source.request.build_absolute_uri(f"/{source.language}/")

    def title(self, source):
        return source.title()

    def link(self, source):
        return source.index_url()

    def subtitle(self, source):
        page = source.area or source.index_page
        return (getattr(page, "intro", "") or None) if page is not None else None

    def feed_guid(self, source):
        return source.guid()

    def feed_url(self, source):
        return source.request.build_absolute_uri(source.request.path)

    def item_title(self, item):
        # Atom titles are plain text: no HTML escaping here (the XML writer escapes).
        return str(item)

    def item_guid(self, item):
        """Stable over time (the pk, not the slug), one per item and language."""
        return self.source.tag(f"{self.source.kind}/{item.pk}/{self.source.language}")

    def item_link(self, item):
        return detail_url(item, self.source.language, self.source.request)

    def item_pubdate(self, item):
        return item.first_published_at or item.last_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [str(area.title) for area in item.areas.all()]


class UpdatesFeed(PortalAtomFeed):
    def rows(self, source):
        pages = public_pages(UpdatePage.objects.live()).filter(not_expired())
        if source.area is not None:
            pages = pages.filter(areas=source.area)
        return pages.prefetch_related(live_areas_prefetch()).order_by("-date", "-pk")

    def item_link(self, item):
        return self.source.request.build_absolute_uri(item.get_url(self.source.request))

    def item_description(self, item):
        return summary_html(item.date_display(), item.intro or item.search_description)

    def item_pubdate(self, item):
        return item.first_published_at or item.last_published_at or self.item_updateddate(item)

    def item_updateddate(self, item):
        # A page made outside the admin may have no publication dates: its own date then.
        moment = item.last_published_at or item.first_published_at
        if moment is None and item.date:
            moment = datetime.datetime.combine(
                item.date, datetime.time(0), tzinfo=timezone.get_current_timezone()
            )
        return moment


class AgreementsFeed(PortalAtomFeed):
    def rows(self, source):
        agreements = Agreement.objects.published()
        if source.area is not None:
            agreements = agreements.filter(areas=source.area)
        return agreements.prefetch_related(live_areas_prefetch()).order_by(
            F("first_published_at").desc(nulls_last=True), "-pk"
        )

    def item_description(self, item):
        when = signed_phrase(item) if item.signed_on else str(item.status_label)
        return summary_html(f"{item.get_kind_display()} — {when}", item.summary)

    def item_categories(self, item):
        return [str(item.get_kind_display())] + super().item_categories(item)


class EventsFeed(PortalAtomFeed):
    def rows(self, source):
        events = Event.objects.published()
        if source.area is not None:
            events = events.filter(areas=source.area)
        return events.prefetch_related(live_areas_prefetch()).order_by(
            F("first_published_at").desc(nulls_last=True), "-pk"
        )

    def item_description(self, item):
        when = item.date_display()
        times = item.time_display()
        if times:
            when = f"{when}, {times} ({item.zone_abbreviation})"
        heading = " — ".join(part for part in (when, event_location(item)) if part)
        return summary_html(heading, item.summary)

    def item_categories(self, item):
        return [str(item.get_kind_display())] + super().item_categories(item)


def summary_html(heading, text):
    """An entry's summary as HTML (Atom ``type="html"``): the heading, then the text, each line
    break kept (``<br>``, a blank line a new paragraph), everything escaped."""
    return linebreaks(f"{heading}\n\n{text}" if text else heading, autoescape=True)


def signed_phrase(agreement):
    """ "signature le 3 février 2017", or "signature en février 2017" / "en 2017" when only the
    month or the year is known."""
    date = agreement.signed_display()
    if agreement.signed_precision == DatePrecision.DAY:
        return pgettext("feed summary", "signed on %(date)s") % {"date": date}
    return pgettext("feed summary", "signed in %(date)s") % {"date": date}


ATOM_FEEDS = {"updates": UpdatesFeed, "agreements": AgreementsFeed, "events": EventsFeed}
INDEX_MODELS = {"updates": UpdateIndexPage, "agreements": AgreementIndexPage, "events": EventIndexPage}


def events_calendar_response(request, source):
    events = subscription_events(source.area)
    area = f"-area-{source.area.pk}" if source.area is not None else ""
    uid = f"calendar-events{area}-{source.language}@{uid_domain()}"
    calendar = build_calendar(events, source.language, request, subscription=(source.title(), uid))
    return calendar_response(calendar, FEED_KINDS["events"][source.language])


# --------------------------------------------------------------------------------------
# The view and its URLs
# --------------------------------------------------------------------------------------


def find_area(slug, language):
    """The live area page with this slug in ``language`` (or its French slug when it has none)."""
    field = f"slug_{language}"
    match = Q(**{field: slug})
    if language != "fr":
        match |= Q(slug_fr=slug) & (Q(**{field: ""}) | Q(**{f"{field}__isnull": True}))
    area = AreaPage.objects.live().public().filter(match).order_by("path").first()
    if area is None:
        raise Http404
    return area


@require_safe
def feed_view(request, prefix, kind, fmt, area=None):
    language = current_language()
    if prefix != FEED_PREFIX.get(language):
        raise Http404
    kind = KIND_BY_NAME[language].get(kind)
    if kind is None or (fmt == "ics" and kind != "events"):
        raise Http404
    area_page = find_area(area, language) if area is not None else None
    index_page = INDEX_MODELS[kind].objects.live().first()
    source = FeedSource(kind=kind, language=language, area=area_page, request=request, index_page=index_page)
    if fmt == "ics":
        return events_calendar_response(request, source)
    return ATOM_FEEDS[kind]()(request, source=source)


_PREFIXES = "|".join(sorted(set(FEED_PREFIX.values())))
urlpatterns = [
    re_path(
        rf"^(?P<prefix>{_PREFIXES})/(?P<kind>[-a-z]+)\.(?P<fmt>atom|ics)$",
        feed_view,
        name="portal-feed",
    ),
    re_path(
        rf"^(?P<prefix>{_PREFIXES})/(?P<kind>[-a-z]+)/(?P<area>[-\w]+)\.(?P<fmt>atom|ics)$",
        feed_view,
        name="portal-area-feed",
    ),
]

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
answers 404. One event's calendar ("Add to my calendar") is served by ``EventIndexPage`` at
``<event URL>ics/`` through ``single_event_calendar_response``.

Only what visitors may see is listed: live pages (public, not expired), published agreements and
events. Each feed runs a fixed number of queries whatever the number of items.
"""

import contextlib
import datetime
from dataclasses import dataclass

from icalendar import Calendar, Timezone, vDuration
from icalendar import Event as CalendarEvent

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext, override
from django.views.decorators.http import require_safe

from .dates import DatePrecision
from .exports import DetailURLs
from .filters import as_object, kept_entries, kept_items, kept_lookup
from .models import (
    LANGUAGE_CODES,
    Agreement,
    AgreementIndexPage,
    AreaPage,
    Country,
    Event,
    EventIndexPage,
    UpdateIndexPage,
    UpdatePage,
    current_language,
    live_areas_prefetch,
    public_pages,
    translated_value,
)

# The path segments of the feeds in each language.
FEED_PREFIX = {"fr": "flux", "en": "feeds"}
FEED_KINDS = {
    "updates": {"fr": "actualites", "en": "updates"},
    "agreements": {"fr": "ententes", "en": "agreements"},
    "events": {"fr": "evenements", "en": "events"},
}
KIND_BY_NAME = {
    language: {names[language]: kind for kind, names in FEED_KINDS.items()} for language in LANGUAGE_CODES
}
FEED_ITEMS = 50  # the newest items an Atom feed lists
TAG_DATE = "2026"  # the "date" part of the tag: URIs used as Atom ids; never change it
CALENDAR_CACHE_SECONDS = 3600
CALENDAR_MAX_EVENTS = 500  # events in a subscribed calendar (see subscription_events)


def uid_domain():
    """The domain part of Atom ids and iCalendar UIDs: fixed, so ids do not change with the host."""
    return getattr(settings, "PORTAL_UID_DOMAIN", "quebec-coree.portal")


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
        self.urls = DetailURLs(source.index_page, request)
        return source

    def rows(self, source):
        """The feed's items, newest first (a queryset, or a function building it)."""
        raise NotImplementedError

    def items(self, source):
        return self._building

    def get_feed(self, source, request):
        """Django's feed, with each item's entry (what ``Feed`` passes to ``add_item``) kept with
        the lists' items (``kept_lookup``) under the item, the language and the site's address.

        Each entry took 0.3 ms (its areas, kind, dates, summary): 17 ms for a feed of 50 items at
        10,000 rows. The feed's items are read as primary keys (``kept_items``); only the items
        whose entry is not kept are read and given to Django's ``Feed``, in one query.
        """
        area = source.area.pk if source.area is not None else None
        rows = kept_items(("atom", source.kind, area), lambda: self.rows(source)[:FEED_ITEMS])
        site = request.build_absolute_uri("/")
        built = {}

        def build(objects):
            self._building = objects  # what ``items`` gives Django's ``Feed``
            built["feed"] = super(PortalAtomFeed, self).get_feed(source, request)
            return built["feed"].items

        entries = kept_entries(rows, lambda pk: ("atom-entry", source.kind, pk, source.language, site), build)
        feed = built["feed"]
        feed.items = entries
        return feed

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
        return self.urls(item, self.source.language)

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
        text = item.intro or item.search_description or ""
        return escape(f"{item.date_display()} — {text}" if text else item.date_display())

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
        when = f"{gettext('signed on')} {item.signed_display()}" if item.signed_on else str(item.status_label)
        heading = f"{item.get_kind_display()} — {when}"
        return escape(f"{heading}\n{item.summary}" if item.summary else heading)

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
        return escape(f"{heading}\n{item.summary}" if item.summary else heading)

    def item_categories(self, item):
        return [str(item.get_kind_display())] + super().item_categories(item)


ATOM_FEEDS = {"updates": UpdatesFeed, "agreements": AgreementsFeed, "events": EventsFeed}
INDEX_MODELS = {"updates": UpdateIndexPage, "agreements": AgreementIndexPage, "events": EventIndexPage}


# --------------------------------------------------------------------------------------
# iCalendar (RFC 5545)
# --------------------------------------------------------------------------------------


def event_location(event):
    country = Country(event.country).label if event.country in Country.values else ""
    return ", ".join(str(part) for part in (event.venue, event.city, country) if part)


def calendar_events():
    """Published events whose day is known.

    Events known only to the month or the year are left out: a calendar entry needs a day, and
    spreading them over the whole month or year would put them on days they do not happen
    (they still show on the web pages). Undated events are left out too.
    """
    return (
        Event.objects.published()
        .dated()
        .filter(date_precision=DatePrecision.DAY)
        .order_by("start_date", "start_time", "pk")
    )


def event_component(event, language, url):
    """One VEVENT: all-day events as DATE values (DTEND is the day after the last day), others
    as times in the event's zone (TZID, with its VTIMEZONE added to the calendar)."""
    stamp = (event.last_published_at or event.first_published_at or timezone.now()).astimezone(datetime.UTC)
    component = CalendarEvent.new(
        uid=f"event-{event.pk}@{uid_domain()}",
        stamp=stamp,
        summary=translated_value(event, "title", language),
        url=url or None,
    )
    if event.last_published_at:
        component.add("last-modified", event.last_published_at.astimezone(datetime.UTC))
    if event.first_published_at:
        component.add("created", event.first_published_at.astimezone(datetime.UTC))
    last_day = event.end_date or event.start_date
    if is_timed(event):
        zone = event.zone
        component.add("dtstart", datetime.datetime.combine(event.start_date, event.start_time, tzinfo=zone))
        if event.end_time:
            component.add("dtend", datetime.datetime.combine(last_day, event.end_time, tzinfo=zone))
        elif last_day != event.start_date:
            # A start time and several days but no end time: until the end of the last day.
            end = datetime.datetime.combine(
                last_day + datetime.timedelta(days=1), datetime.time(0), tzinfo=zone
            )
            component.add("dtend", end)
    else:
        component.add("dtstart", event.start_date)
        component.add("dtend", last_day + datetime.timedelta(days=1))
    summary = translated_value(event, "summary", language)
    if summary:
        component.add("description", summary)
    location = event_location(event)
    if location:
        component.add("location", location)
    component.add("categories", [str(event.get_kind_display())])
    return component


def is_timed(event):
    """Whether the event's VEVENT gives times in its zone (then the calendar needs its VTIMEZONE)."""
    return bool(event.start_time and not event.all_day)


def build_calendar(events, language, name, uid, urls):
    """The calendar's bytes: its properties, the VTIMEZONE of each zone its events use, then the
    events.

    Each event's VEVENT is serialised once per publication and kept (``kept_lookup``, as the
    lists' items): icalendar takes 0.45 ms an event, 0.2 s for a subscribed calendar of 500 events.
    The VTIMEZONEs are those ``Calendar.add_missing_timezones`` would add, in the same place.
    """
    calendar = Calendar.new(
        name=name,
        uid=uid,
        prodid=f"-//{uid_domain()}//Quebec-South Korea relations//{language.upper()}",
        method="PUBLISH",
        refresh_interval=datetime.timedelta(seconds=CALENDAR_CACHE_SECONDS),
    )
    calendar.add(
        "x-published-ttl", vDuration(datetime.timedelta(seconds=CALENDAR_CACHE_SECONDS)).to_ical().decode()
    )
    first = last = None
    zones = set()
    vevents = []
    base = urls.bases.get(language)

    def describe(row):
        """The VEVENT, and what the calendar needs of the event beside it: kept together, so that
        an event whose VEVENT is kept is not read (``kept_items``)."""
        event = as_object(row)
        if event is None:  # unpublished since its key was read
            return None
        timed = is_timed(event)
        return (
            event_component(event, language, urls(event, language)).to_ical(),
            event.zone.key if timed else None,
            event.start_date,
            event.end_date or event.start_date,
        )

    for row in events:
        described = kept_lookup(("vevent", row.pk, language, base), lambda row=row: describe(row))
        if described is None:
            continue
        vevent, zone, start, end = described
        vevents.append(vevent)
        if zone:
            zones.add(zone)
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    if zones:
        # Zone definitions only for the years the calendar covers (smaller files).
        first_date = max(first - datetime.timedelta(days=366), datetime.date(1970, 1, 1))
        for zone in sorted(zones):
            with contextlib.suppress(ValueError):  # a zone icalendar does not know: left out, as it does
                calendar.add_component(
                    Timezone.from_tzid(
                        zone, first_date=first_date, last_date=last + datetime.timedelta(days=366)
                    )
                )
    end = b"END:VCALENDAR\r\n"
    text = calendar.to_ical()
    return text[: -len(end)] + b"".join(vevents) + end


def calendar_response(calendar, filename, disposition="inline"):
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.ics"'
    return response


def subscription_events(area=None, today=None):
    """The events of a subscribed calendar: bounded, whatever the number of events.

    At most ``CALENDAR_MAX_EVENTS``: the events not over yet, soonest first, then past ones, newest
    first, while there is room. A calendar application keeps the events it has already received,
    so the oldest need not be sent again on every refresh once there are many.
    """
    today = today or datetime.date.today()

    def events():
        events = calendar_events()
        return events.filter(areas=area) if area is not None else events

    # As primary keys once their VEVENTs are kept (``kept_items``, ``build_calendar``).
    area_pk = area.pk if area is not None else None
    upcoming = kept_items(
        ("calendar", area_pk, "upcoming", today),
        lambda: events().upcoming(today)[:CALENDAR_MAX_EVENTS],
    )
    room = CALENDAR_MAX_EVENTS - len(upcoming)
    recent = []
    if room > 0:
        recent = kept_items(
            ("calendar", area_pk, "recent", today, room),
            lambda: events().past(today)[:room],
        )
    return recent[::-1] + upcoming


def events_calendar_response(request, source):
    events = subscription_events(source.area)
    urls = DetailURLs(source.index_page, request)
    area = f"-area-{source.area.pk}" if source.area is not None else ""
    calendar = build_calendar(
        events,
        source.language,
        name=source.title(),
        uid=f"calendar-events{area}-{source.language}@{uid_domain()}",
        urls=urls,
    )
    return calendar_response(calendar, FEED_KINDS["events"][source.language])


def single_event_calendar_response(event, request, index_page=None):
    """The .ics of one event ("Add to my calendar"); 404 when its day is not known."""
    if not event.start_date or event.date_precision != DatePrecision.DAY:
        raise Http404
    language = current_language()
    urls = DetailURLs(index_page or event.index_page(), request)
    calendar = build_calendar(
        [event],
        language,
        name=translated_value(event, "title", language),
        uid=f"calendar-event-{event.pk}-{language}@{uid_domain()}",
        urls=urls,
    )
    slug = getattr(event, f"slug_{language}", None) or event.slug_fr or f"event-{event.pk}"
    return calendar_response(calendar, slug, disposition="attachment")


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

"""iCalendar (RFC 5545) building: one event's VEVENT, a calendar of events, the .ics responses.

Used by the events calendar feeds (``relations.feeds``) and by "Add to my calendar" on an
event's page (``EventIndexPage``, at ``<event URL>ics/``). Only events whose day is known are put
in a calendar: a calendar entry needs a day, and spreading an event known to the month or the year
over the whole period would put it on days it does not happen (the web pages still show it).

Conformance (RFC 5545, RFC 7986): no ``METHOD`` (``PUBLISH`` would need an ``ORGANIZER``,
RFC 5546); subscribed calendars say how often to fetch them again
(``REFRESH-INTERVAL;VALUE=DURATION``, and ``X-PUBLISHED-TTL`` for the applications that only know
that one), a single event's download carries none of the subscription properties; all-day events
are ``TRANSP:TRANSPARENT``; a calendar with no event still holds one component (a VTIMEZONE). The
zones come sorted, so that the same events give the same bytes (and ETag) in every process.
"""

import contextlib
import datetime

from icalendar import Calendar, Timezone, vDuration
from icalendar import Event as CalendarEvent

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

from relations.core.dates import DatePrecision
from relations.core.language import current_language, translated_value
from relations.core.urls import absolute_url
from relations.models.events import Event
from relations.models.reference import Country

CALENDAR_CACHE_SECONDS = 3600
CALENDAR_MAX_EVENTS = 500  # events in a subscribed calendar (see subscription_events)


def uid_domain():
    """The domain part of Atom ids and iCalendar UIDs: fixed, so ids do not change with the host."""
    return getattr(settings, "PORTAL_UID_DOMAIN", "quebec-coree.portal")


def event_location(event):
    country = Country(event.country).label if event.country in Country.values else ""
    return ", ".join(str(part) for part in (event.venue, event.city, country) if part)


def calendar_events():
    """Published events whose day is known, soonest first."""
    return (
        Event.objects.published()
        .dated()
        .filter(date_precision=DatePrecision.DAY)
        .order_by("start_date", "start_time", "pk")
    )


def is_timed(event):
    """Whether the event's VEVENT gives times in its zone (then the calendar needs its VTIMEZONE)."""
    return bool(event.start_time and not event.all_day)


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
        # A day-long entry does not make its attendees busy (RFC 5545 3.8.2.7).
        component.add("transp", "TRANSPARENT")
    summary = translated_value(event, "summary", language)
    if summary:
        component.add("description", summary)
    location = event_location(event)
    if location:
        component.add("location", location)
    component.add("categories", [str(event.get_kind_display())])
    return component


def build_calendar(events, language, request, subscription=None):
    """The calendar's bytes: its properties, the VTIMEZONE of each zone its timed events use, then
    the events, each with its page's absolute URL in ``language``.

    ``subscription``: ``(name, uid)`` of a calendar that applications subscribe to, which then
    says how often to fetch it again. A single event's download carries none of them.
    """
    calendar = Calendar()  # not ``Calendar.new``: it adds a random UID
    calendar.add("prodid", f"-//{uid_domain()}//Quebec-South Korea relations//{language.upper()}")
    calendar.add("version", "2.0")
    if subscription is not None:
        name, uid = subscription
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        interval = vDuration(datetime.timedelta(seconds=CALENDAR_CACHE_SECONDS))
        calendar.add("refresh-interval", interval, parameters={"VALUE": "DURATION"})
        calendar.add("uid", uid)
        calendar.add("x-published-ttl", interval.to_ical().decode())
    for zone in calendar_zones(events):
        calendar.add_component(zone)
    for event in events:
        url = absolute_url(event.get_url_for_language(language, request), request)
        calendar.add_component(event_component(event, language, url))
    return calendar.to_ical()


def calendar_zones(events):
    """The VTIMEZONEs of the zones the timed events use, sorted, for the years they cover (smaller
    files); with no timed event, the portal's own zone: RFC 5545 wants at least one component in
    a calendar, and a calendar with no event must stay valid."""
    timed = [event for event in events if is_timed(event)]
    names = sorted({event.zone.key for event in timed}) or [settings.TIME_ZONE]
    days = [day for event in timed for day in (event.start_date, event.end_date or event.start_date)]
    today = datetime.date.today()
    first, last = min(days, default=today), max(days, default=today)
    zones = []
    for name in names:
        with contextlib.suppress(ValueError):  # a zone icalendar does not know: left out, as it does
            zones.append(
                Timezone.from_tzid(
                    name,
                    first_date=max(first - datetime.timedelta(days=366), datetime.date(1970, 1, 1)),
                    last_date=last + datetime.timedelta(days=366),
                )
            )
    return zones


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
    events = calendar_events()
    if area is not None:
        events = events.filter(areas=area)
    upcoming = list(events.upcoming(today)[:CALENDAR_MAX_EVENTS])
    room = CALENDAR_MAX_EVENTS - len(upcoming)
    recent = list(events.past(today)[:room]) if room > 0 else []
    return recent[::-1] + upcoming


def single_event_calendar_response(event, request):
    """The .ics of one event ("Add to my calendar"); 404 when its day is not known."""
    if not event.start_date or event.date_precision != DatePrecision.DAY:
        raise Http404
    language = current_language()
    calendar = build_calendar([event], language, request)
    slug = translated_value(event, "slug", language) or f"event-{event.pk}"
    return calendar_response(calendar, slug, disposition="attachment")

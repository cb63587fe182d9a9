"""Structured data and breadcrumbs for search engines: ``{% load seo_tags %}``.

JSON-LD (schema.org) is written in ``<script type="application/ld+json">``: a data block, which
browsers neither run nor check against the Content-Security-Policy's ``script-src`` (the browser
tests check the console for violations). Its text is escaped so that no value can close the
element (``<``, ``>`` and ``&`` become ``\\u003C``…).

- ``{% breadcrumb_trail page current_title=… current_url=… as trail %}``: the visible breadcrumbs
  and the ``BreadcrumbList``, from the site's home page down;
- ``{% breadcrumb_json_ld trail %}``, ``{% event_json_ld event %}``, ``{% office_json_ld %}``
  (``GovernmentOrganization`` for the Québec Government Office in Seoul),
  ``{% website_json_ld %}`` (``WebSite`` with the site search).
"""

import json

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from relations.core.dates import DatePrecision, format_iso_partial
from relations.core.urls import absolute_url
from relations.models import OfficeCard, current_language, translated_value
from relations.templatetags.office_tags import office_card
from relations.templatetags.portal_tags import breadcrumb_pages, government_office, lang_attr, portal_menu

register = template.Library()

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _absolute(request, url):
    return absolute_url(url, request)


@register.simple_tag
def json_ld(data):
    """``<script type="application/ld+json">…</script>`` for a dict (or list) of schema.org data."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page=None, current_title=None, current_url=None, current_object=None):
    """``[{"title", "url", "lang", "current"}]`` from the home page down to the page shown.

    ``page``: a Wagtail page (its ancestors below the site root come first); ``current_title``:
    a detail shown under ``page`` (an agreement, an event) or a view outside the page tree (the
    search, a 404), whose URL is ``current_url`` (the request's path when not given).
    """
    request = context.get("request")
    trail = []
    if page is not None and getattr(page, "pk", None):
        for ancestor in breadcrumb_pages(context, page):
            trail.append(
                {
                    "title": ancestor.title,
                    "url": ancestor.get_url(request),
                    "lang": lang_attr(ancestor, "title"),
                }
            )
        trail.append({"title": page.title, "url": page.get_url(request), "lang": lang_attr(page, "title")})
    else:
        menu = portal_menu(context)
        home = menu.get("home")
        title = home.title if home is not None else _("Home page")
        trail.append(
            {"title": title, "url": menu["home_url"], "lang": lang_attr(home, "title") if home else ""}
        )
    if current_title:
        url = current_url or (request.path if request is not None else "")
        trail.append(
            {
                "title": current_title,
                "url": url,
                "lang": lang_attr(current_object, "title") if current_object else "",
            }
        )
    for item in trail:
        item["current"] = False
    trail[-1]["current"] = True
    return trail


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context, trail):
    request = context.get("request")
    items = [
        {
            "@type": "ListItem",
            "position": position,
            "name": str(item["title"]),
            "item": _absolute(request, item["url"]),
        }
        for position, item in enumerate(trail or [], start=1)
        if item.get("url")
    ]
    if not items:
        return ""
    return json_ld({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})


def _event_moment(date, time, precision, zone):
    if date is None:
        return None
    if time is not None and precision == DatePrecision.DAY:
        import datetime

        return datetime.datetime.combine(date, time, tzinfo=zone).isoformat(timespec="minutes")
    return format_iso_partial(date, precision)


@register.simple_tag(takes_context=True)
def event_json_ld(context, event, url=None):
    """schema.org ``Event``: name, dates in the event's own zone, place, organisers, link.

    Only for an event whose day is known: schema.org and search engines want a full ``startDate``
    (an event known to the month or the year gets none, rather than a wrong day). A published
    event with its day is scheduled (``eventStatus``); the portal records no cancellation.
    """
    if event.start_date is None or event.date_precision != DatePrecision.DAY:
        return ""
    request = context.get("request")
    language = current_language()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": translated_value(event, "title", language),
        "inLanguage": language,
        "eventStatus": "https://schema.org/EventScheduled",
    }
    page_url = url or (request.path if request is not None else None)
    if page_url:
        data["url"] = _absolute(request, page_url)
    summary = translated_value(event, "summary", language)
    if summary:
        data["description"] = summary
    start = _event_moment(event.start_date, event.start_time, event.date_precision, event.zone)
    if start:
        data["startDate"] = start
        end_day = event.end_date or (event.start_date if event.end_time else None)
        end = _event_moment(end_day, event.end_time, event.date_precision, event.zone)
        if end:
            data["endDate"] = end
    city = translated_value(event, "city", language)
    venue = translated_value(event, "venue", language)
    if city or venue or event.country:
        address = {"@type": "PostalAddress"}
        if city:
            address["addressLocality"] = city
        if event.country and event.country != "XX":
            address["addressCountry"] = event.country
        data["location"] = {
            "@type": "Place",
            "name": venue or city or event.get_country_display(),
            "address": address,
        }
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
    organisers = context.get("organisers")
    if organisers is None and getattr(event, "pk", None):
        organisers = event.organisers.all()
    organizer = []
    for organisation in organisers or []:
        item = {"@type": "Organization", "name": translated_value(organisation, "name", language)}
        if organisation.website:
            item["url"] = organisation.website
        organizer.append(item)
    if organizer:
        data["organizer"] = organizer
    if event.link:
        data["sameAs"] = event.link
    return json_ld(data)


@register.simple_tag(takes_context=True)
def office_json_ld(context, contact_url=None):
    """schema.org ``GovernmentOrganization`` for the Québec Government Office in Seoul."""
    request = context.get("request")
    language = current_language()
    office = government_office(context)
    menu = portal_menu(context)
    name = translated_value(office, "name", language) if office else _("Québec Government Office in Seoul")
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": name,
        "url": _absolute(request, menu["home_url"]),
        "parentOrganization": {"@type": "GovernmentOrganization", "name": _("Government of Québec")},
    }
    if office is not None:
        if office.acronym:
            data["alternateName"] = office.acronym
        description = translated_value(office, "description", language)
        if description:
            data["description"] = description
        city = translated_value(office, "city", language)
        address = {"@type": "PostalAddress", "addressCountry": office.country}
        if city:
            address["addressLocality"] = city
        data["address"] = address
        if office.website:
            data["sameAs"] = office.website
    card = office_card() or OfficeCard()
    if card.address:
        data.setdefault("address", {"@type": "PostalAddress"})["streetAddress"] = ", ".join(
            line.strip() for line in card.address.splitlines() if line.strip()
        )
    for name in ("telephone", "email"):
        if getattr(card, name):
            data[name] = getattr(card, name)
    if card.map_url:
        data["hasMap"] = card.map_url
    if contact_url:
        data["contactPoint"] = {
            "@type": "ContactPoint",
            "contactType": _("general enquiries"),
            "url": _absolute(request, contact_url),
            "availableLanguage": ["fr", "en"],
            **{name: getattr(card, name) for name in ("telephone", "email") if getattr(card, name)},
        }
    return json_ld(data)


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """schema.org ``WebSite`` with its search (``SearchAction``), for the home page."""
    request = context.get("request")
    menu = portal_menu(context)
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": _("Québec–South Korea relations"),
        "url": _absolute(request, menu["home_url"]),
        "inLanguage": current_language(),
    }
    try:
        search_url = reverse("search")
    except NoReverseMatch:
        search_url = None
    if search_url:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": _absolute(request, search_url) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        }
    return json_ld(data)

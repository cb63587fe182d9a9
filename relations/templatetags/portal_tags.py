"""Template tags of the public site: navigation, languages, dates, time zones, detail URLs.

Everything here is read under the active language: modeltranslation gives ``page.title`` and
wagtail-modeltranslation ``page.get_url(request)`` (``/fr/…`` or ``/en/…``) in that language.
Values every page needs (the menu, the government office, the index pages' URLs, breadcrumbs)
are kept until the next publication (``relations.core.caching.shared_lookup``), not fetched per request.

Over 600 lines because every public template loads this one library (menu, language switcher,
dates, zones, items); its natural split is navigation apart from dates and items.
"""

import datetime
import zoneinfo
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from relations.core.caching import shared_lookup
from relations.core.dates import DatePrecision, format_iso_partial, format_partial_date
from relations.core.french import of_name as french_of_name
from relations.core.language import value_language
from relations.core.urls import absolute_url
from relations.listings.facets import area_values
from relations.listings.timeline import KIND_LABELS
from relations.models import (
    AgreementIndexPage,
    ContactPage,
    EventIndexPage,
    Organization,
    OrganizationKind,
    StandardPage,
    TimelinePage,
    UpdateIndexPage,
    current_language,
)
from relations.pages.content import live_areas
from relations.translation_status import fallback_language, ready_in

register = template.Library()

LANGUAGE_NAMES = dict(settings.LANGUAGES)
FOOTER_KINDS = ("standard", "contact")

# The zone an event's times are given in, as a visitor reads it: "Seoul time" → « heure de Séoul ».
ZONE_NAMES = {
    "Asia/Seoul": lambda: _("Seoul time"),
    "America/Toronto": lambda: _("Eastern Time (Montréal, Québec)"),
    "Indian/Antananarivo": lambda: _("Antananarivo time"),
    "Europe/Paris": lambda: _("Paris time"),
}


def _request_cache(context, name):
    """A dict kept on the request (or on the render context when there is no request)."""
    request = context.get("request")
    holder = request if request is not None else context.render_context
    if isinstance(holder, template.context.RenderContext):
        return holder.setdefault(f"_portal_{name}", {})
    cache = getattr(holder, f"_portal_{name}", None)
    if cache is None:
        cache = {}
        setattr(holder, f"_portal_{name}", cache)
    return cache


def _site(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = shared_lookup(
            ("default-site",),
            lambda: Site.objects.filter(is_default_site=True).select_related("root_page").first(),
        )
    return site


def _site_root(context):
    site = _site(context)
    if site is None:
        return None
    return shared_lookup(("site-root", site.pk), lambda: site.root_page)


# --------------------------------------------------------------------------------------
# Navigation
# --------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def portal_menu(context):
    """The home page and its live children, in ONE query, ordered by path.

    Returns ``{"home": page, "nav": [...], "footer": [...]}``: ``nav`` holds the area and index
    pages, ``footer`` the standard pages (about, accessibility, privacy) and the contact page (also
    in ``menu["index"]["contact"]``). Each item is a
    dict with ``title``, ``url`` and ``current`` (``"page"``, ``"ancestor"`` or ``""``).
    """
    language = current_language()
    cache = _request_cache(context, "menu")
    if language in cache:
        return cache[language]
    request = context.get("request")
    site = _site(context)
    shared = shared_lookup(
        ("menu", site.pk if site else None, language), lambda: _menu_for_language(context, language)
    )
    path = request.path if request is not None else ""
    menu = {"home": shared["home"], "home_url": shared["home_url"], "nav": [], "footer": [], "index": {}}
    for item in shared["items"]:
        current = ""
        if path == item["url"]:
            current = "page"
        elif path.startswith(item["url"]):
            current = "ancestor"
        item = {**item, "current": current}
        menu["footer" if item["kind"] in FOOTER_KINDS else "nav"].append(item)
        if item["kind"] and item["kind"] != "standard":
            menu["index"].setdefault(item["kind"], item)
    cache[language] = menu
    return menu


def _menu_for_language(context, language):
    """The home page and its live children in ``language``, the same for every request (one query)."""
    request = context.get("request")
    root = _site_root(context)
    menu = {"home": root, "home_url": f"/{language}/", "items": []}
    if root is None:
        return menu
    kinds = {
        ContentType.objects.get_for_model(model).pk: kind
        for model, kind in (
            (StandardPage, "standard"),
            (AgreementIndexPage, "agreements"),
            (EventIndexPage, "events"),
            (UpdateIndexPage, "updates"),
            (TimelinePage, "timeline"),
            (ContactPage, "contact"),
        )
    }
    menu["home_url"] = root.get_url(request) or menu["home_url"]
    # public(): a page behind a login or a password is not announced to every visitor.
    for child in Page.objects.live().public().child_of(root).order_by("path"):
        url = child.get_url(request)
        if url:
            menu["items"].append(
                {
                    "title": child.title,
                    "url": url,
                    "kind": kinds.get(child.content_type_id, ""),
                    "lang": lang_attr(child, "title"),
                }
            )
    return menu


@register.simple_tag(takes_context=True)
def government_office(context):
    """The Québec government office (the organisation of kind ``government_office``), or None."""
    return shared_lookup(
        ("office",),
        lambda: Organization.objects.filter(kind=OrganizationKind.GOVERNMENT_OFFICE).order_by("pk").first(),
    )


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page):
    """The ancestors of ``page`` from the site's home page down (``page`` itself excluded)."""
    if page is None or not getattr(page, "pk", None):
        return []
    root = _site_root(context)
    min_depth = root.depth if root is not None else 2
    if page.depth <= min_depth:
        return []
    if root is not None and page.depth == min_depth + 1 and page.path.startswith(root.path):
        return [root]
    return shared_lookup(
        ("ancestors", page.path, min_depth, current_language()),
        lambda: list(page.get_ancestors().filter(depth__gte=min_depth).order_by("path")),
    )


# --------------------------------------------------------------------------------------
# Languages
# --------------------------------------------------------------------------------------


def _swap_language_prefix(path, language):
    """``/fr/x/`` → ``/en/x/``: the fallback when a view says nothing of its translations."""
    for code in LANGUAGE_NAMES:
        prefix = f"/{code}/"
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return f"/{language}/" + path[len(prefix) :]
    return f"/{language}/"


# The parameters of the lists (register, events, timeline, updates) whose values mean the same in
# every language: codes, numbers, dates, and the visitor's own words (``q``, kept as typed).
# ``area`` is named by its slug, which is translated; ``city`` by its name in the page's language:
# they are translated or left out (``_parameters_in``).
NEUTRAL_PARAMETERS = (
    "q", "kind", "status", "party", "country", "signed_after", "signed_before", "ref", "sort",
    "year", "show", "page",
)  # fmt: skip


def _applied_parameters(context):
    """The parameters the page applied (valid values only): its filters', then its section, year
    and page when the request gave them and the page did not ignore them."""
    request = context.get("request")
    filters = context.get("filters")
    active = getattr(filters, "active", None)
    if active is None:
        active = context.get("active")  # the timeline
    ignored = set(getattr(filters, "ignored", None) or context.get("ignored") or ())
    applied = dict(active or {})
    if request is not None and active is not None:
        for name in ("show", "year", "page"):
            value = request.GET.get(name, "").strip()
            if value and name not in ignored and name not in applied:
                applied[name] = value
    return applied


def _parameters_in(applied, language, code):
    """``applied`` (read in ``language``) as the page in ``code`` reads them, as a query string."""
    kept = {}
    for name, value in applied.items():
        if name == "area":
            area = area_values(live_areas(), language).get(str(value))
            if area is not None:
                kept[name] = getattr(area, f"slug_{code}", None) or area.slug_fr or str(area.pk)
        elif name in NEUTRAL_PARAMETERS:
            kept[name] = value
    return urlencode(kept)


def _translations(context, keep_parameters=False):
    """Language code → the URL of this page in that language; with the filters, section and page
    the visitor chose when ``keep_parameters`` (the switcher; the hreflang links, like the
    canonical URL, name the page itself)."""
    translations = context.get("translations") or {}
    request = context.get("request")
    applied = _applied_parameters(context) if keep_parameters else {}
    language = current_language()
    urls = {}
    for code in LANGUAGE_NAMES:
        url = translations.get(code) if isinstance(translations, dict) else None
        if not url and request is not None and not translations:
            url = _swap_language_prefix(request.path, code)
        if url and applied and "?" not in url:
            query = _parameters_in(applied, language, code)
            url = f"{url}?{query}" if query else url
        if url:
            urls[code] = url
    return urls


@register.simple_tag(takes_context=True)
def other_languages(context):
    """The same page in each other language, filters kept: ``[{"code", "name", "url"}]``."""
    language = current_language()
    return [
        {"code": code, "name": LANGUAGE_NAMES[code], "url": url}
        for code, url in _translations(context, keep_parameters=True).items()
        if code != language
    ]


@register.simple_tag(takes_context=True)
def language_choices(context):
    """The switcher: every language the page has, in the settings' order, each named in itself.

    ``[{"code", "name", "url", "current"}]``; the current language is listed too, without a link.
    Each link keeps the filters, section and page the visitor chose.
    """
    language = current_language()
    urls = _translations(context, keep_parameters=True)
    return [
        {"code": code, "name": name, "url": urls.get(code), "current": code == language}
        for code, name in LANGUAGE_NAMES.items()
        if code == language or urls.get(code)
    ]


def _shown_object(context):
    """What the page is about: the agreement or event of a detail page, else the Wagtail page."""
    return context.get("object") or context.get("page")


@register.simple_tag(takes_context=True)
def language_ready(context):
    """False on a Korean page whose title or main text is not in Korean yet (it is then noindex)."""
    return ready_in(_shown_object(context), current_language())


# The notice above a page that shows another language's text: (page language, text language).
FALLBACK_NOTICES = {
    ("ko", "en"): lambda: _("Parts of this page are not in Korean yet: they are shown in English."),
    ("ko", "fr"): lambda: _("Parts of this page are not in Korean yet: they are shown in French."),
    ("en", "fr"): lambda: _("Parts of this page are not in English yet: they are shown in French."),
}


@register.simple_tag(takes_context=True)
def fallback_notice(context):
    """A short notice, in the page's language, when its title or main text is in another one."""
    language = current_language()
    notice = FALLBACK_NOTICES.get((language, fallback_language(_shown_object(context), language)))
    if notice is None:
        return ""
    return format_html('<p class="notice notice--language">{}</p>', notice())


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """``[(hreflang, absolute URL)]`` for ``<link rel="alternate">``, with x-default → French.

    A language the page is not ready in (Korean without its Korean title and text) is left out.
    """
    request = context.get("request")
    shown = _shown_object(context)
    urls = {code: url for code, url in _translations(context).items() if ready_in(shown, code)}
    links = [(code, _absolute(request, url)) for code, url in urls.items()]
    default = urls.get(settings.LANGUAGE_CODE)
    if default:
        links.append(("x-default", _absolute(request, default)))
    return links


@register.simple_tag(takes_context=True)
def canonical_url(context):
    request = context.get("request")
    url = (context.get("translations") or {}).get(current_language()) if context.get("translations") else None
    if not url and request is not None:
        url = request.path
    return _absolute(request, url or "/")


def _absolute(request, url):
    return absolute_url(url, request)


@register.simple_tag
def og_locale(code=None):
    """Open Graph locale: fr_CA, en_CA, ko_KR."""
    return {"fr": "fr_CA", "en": "en_CA", "ko": "ko_KR"}.get(code or current_language(), "fr_CA")


# --------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------


@register.filter
def long_date(value):
    """`20 décembre 2019` / `December 20, 2019` (a datetime is read in the portal's zone)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_partial_date(value, DatePrecision.DAY)


@register.filter
def iso_date(value):
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


@register.simple_tag
def partial_date(value, precision=DatePrecision.DAY):
    """A date known to the day, month or year, as ``<time datetime="2016-12">décembre 2016</time>``."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        format_iso_partial(value, precision),
        format_partial_date(value, precision),
    )


@register.simple_tag
def event_dates(event):
    """The event's dates in ``<time>`` elements: `12 – 15 octobre 2026` keeps each end marked."""
    if not event.start_date:
        return ""
    if event.is_multi_day and event.date_precision == DatePrecision.DAY:
        return format_html(
            '<time datetime="{}">{}</time> – <time datetime="{}">{}</time>',
            event.start_date.isoformat(),
            format_partial_date(event.start_date),
            event.end_date.isoformat(),
            format_partial_date(event.end_date),
        )
    return format_html(
        '<time datetime="{}">{}</time>',
        format_iso_partial(event.start_date, event.date_precision),
        event.date_display(),
    )


@register.simple_tag
def zone_name(event):
    """« heure de Séoul (KST) », "Eastern Time (Montréal, Québec) (EDT)", "UTC"."""
    abbreviation = event.zone_abbreviation or ""
    name = ZONE_NAMES.get(event.timezone)
    if name is None:
        return str(event.zone_label)
    name = name()
    if abbreviation and abbreviation not in name and not abbreviation.startswith(("+", "-")):
        return f"{name} ({abbreviation})"
    return name


@register.simple_tag
def event_times(event):
    """`19:30 – 21:00, heure de Séoul (KST)` with machine-readable times, or ''."""
    text = event.time_display()
    if not text or not event.start_date:
        return ""
    start = event.starts_at.isoformat(timespec="minutes")
    return format_html('<time datetime="{}">{}</time>, {}', start, text, zone_name(event))


# A Seoul event's times also in Québec, and a Québec event's in Seoul: the two places of the portal.
OTHER_ZONE = {"Asia/Seoul": "America/Toronto", "America/Toronto": "Asia/Seoul"}
OTHER_ZONE_LABELS = {"America/Toronto": lambda: _("Time in Québec"), "Asia/Seoul": lambda: _("Time in Seoul")}


@register.simple_tag
def event_times_elsewhere(event):
    """``{"label": "Time in Québec", "html": "6:30 – 8:00, Eastern Time (…) (EDT)"}`` for a timed
    event in Seoul (Seoul time for one in Québec), with the day when it differs; None otherwise."""
    other = OTHER_ZONE.get(event.timezone)
    if not other or not event.start_date or not event.start_time or event.all_day:
        return None
    zone = zoneinfo.ZoneInfo(other)
    start = event.starts_at.astimezone(zone)
    text = formats.time_format(start.time(), "TIME_FORMAT")
    if event.ends_at:
        text = f"{text} – {formats.time_format(event.ends_at.astimezone(zone).time(), 'TIME_FORMAT')}"
    if start.date() != event.start_date:
        text = f"{format_partial_date(start.date())}, {text}"
    html = format_html(
        '<time datetime="{}">{}</time>, {} ({})',
        start.isoformat(timespec="minutes"),
        text,
        ZONE_NAMES[other](),
        start.tzname(),
    )
    return {"label": OTHER_ZONE_LABELS[other](), "html": html}


# --------------------------------------------------------------------------------------
# Agreements, events, documents
# --------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def detail_url(context, obj):
    """The detail URL of an agreement or event in the current language (``get_url_for_language``)."""
    return obj.get_url_for_language(current_language(), context.get("request")) or ""


# kind → (template, the name the object has in it)
ITEM_TEMPLATES = {
    "agreement": ("includes/agreement_item.html", "agreement"),
    "event": ("includes/event_item.html", "event"),
    "update": ("includes/update_item.html", "update"),
    # An entry of the timeline: its options (entry_kind) tell an agreement, an event or an update.
    "timeline": ("includes/timeline_item.html", "obj"),
    # A key figure (home page, area pages, figure blocks): saving one purges, as publishing does.
    "figure": ("includes/key_figure.html", "figure"),
}


@register.simple_tag(takes_context=True)
def item(context, kind, obj, **options):
    """The item template of ``kind`` for ``obj`` (an agreement, event or update in a list, an entry
    of the timeline, a key figure), with ``options`` (``level``, ``show_summary``,
    ``undated_section``; the timeline's ``entry_kind``, ``date``, ``precision``) as its variables.

    An item template sees only its object, the options and the request: the same agreement or
    event shows on the home page, its areas, the lists and other pages, always alike.
    """
    if obj is None:  # unpublished since the list was read
        return ""
    template_name, name = ITEM_TEMPLATES[kind]
    compiled = context.template.engine.get_template(template_name)
    return compiled.render(context.new({name: obj, "request": context.get("request"), **options}))


@register.simple_tag
def timeline_kind_label(entry_kind):
    """« Signature », « Entrée en vigueur »…: what an entry of the timeline marks."""
    return KIND_LABELS[entry_kind]


@register.filter
def document_languages(documents):
    """The set of language codes among an agreement's documents."""
    return {document.language for document in documents or ()}


@register.simple_tag(takes_context=True)
def related(context, name, obj, attr):
    """``context[name]`` when the view gave it, else ``obj.<attr>`` (live items only).

    Snippet previews give only ``object``, which may not be saved yet: then there is nothing
    related to show rather than an error.
    """
    if name in context:
        return context[name]
    try:
        items = getattr(obj, attr).all()
    except (ValueError, AttributeError):
        return []
    if hasattr(items, "published"):
        items = items.published()
    elif hasattr(items, "live"):
        items = items.live()
    return items


@register.simple_tag(takes_context=True)
def updated_at(context):
    """The page's last-update date: ``last_updated``, else the previewed object's publication."""
    value = context.get("last_updated")
    if not value and context.get("object") is not None:
        value = getattr(context["object"], "last_published_at", None)
    return value


@register.filter
def lang_attr(obj, field):
    """`` lang="fr"`` when ``obj.<field>`` shows a fallback on a page in another language.

    An English page may show French text where no English exists yet, a Korean page English or
    French (modeltranslation's fallbacks): screen readers must then read it in that language
    (WCAG 3.1.2).
    """
    language = current_language()
    if obj is None or not field or not hasattr(obj, f"{field}_{language}"):
        return ""
    shown = value_language(obj, field, language)  # Korean falls back to English, then French
    if shown and shown != language:
        return mark_safe(f' lang="{shown}"')  # noqa: S308 - a language code from settings
    return ""


# --------------------------------------------------------------------------------------
# The agreements register: filters and pagination
# --------------------------------------------------------------------------------------

FILTER_LABELS = {
    "q": lambda: _("Words"),
    "area": lambda: _("Area"),
    "kind": lambda: _("Kind"),
    "status": lambda: _("Status"),
    "party": lambda: _("Party"),
    "signed_after": lambda: _("Signed from"),
    "signed_before": lambda: _("Signed until"),
    "ref": lambda: _("Reference number"),
    "sort": lambda: _("Sort by"),
    "page": lambda: _("Page"),
    "year": lambda: _("Year"),  # the timeline's year filter, the events archive's year
    "country": lambda: _("Country"),  # the events page's filters
    "city": lambda: _("City"),
    "show": lambda: _("Section"),
}


@register.simple_tag
def filter_labels(names):
    """The visitor's names of filter parameters (``signed_after`` → "Signed from"), comma-joined."""
    return ", ".join(str(FILTER_LABELS[name]()) if name in FILTER_LABELS else name for name in names)


@register.simple_tag
def page_link(querystring, number):
    """``?<active filters>&page=N`` (no ``page`` for the first page)."""
    parts = [querystring] if querystring else []
    if number and int(number) > 1:
        parts.append(f"page={int(number)}")
    return "?" + "&".join(parts) if parts else "?"


@register.simple_tag
def elided_pages(page_obj):
    """Page numbers around the current one, with ``…`` (Paginator.ELLIPSIS) between runs."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@register.filter
def of_name(name):
    """``of X`` in the active language: « de l’Institut… », « du Consortium… » in French."""
    if current_language() == "fr":
        return french_of_name(name)
    return _("of %(name)s") % {"name": name}

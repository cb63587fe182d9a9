"""Links to the feeds and exports, for templates: ``{% load feed_tags %}``.

``{% feed_url "updates" %}`` → ``/fr/flux/actualites.atom`` (current language);
``{% feed_url "events" "ics" area=page %}`` → ``/en/feeds/events/culture.ics``;
``{% feed_links "events" %}`` → the ``<link rel="alternate">`` tags for ``<head>`` (Atom, and
iCalendar for events), titled after the page (``title=`` to change it), ``area=page`` for an
area's feeds. No query: the paths come from the URL patterns and the area's slug.
"""

from django import template
from django.utils.html import format_html, format_html_join

from relations.feeds import feed_path

register = template.Library()

TYPES = {"atom": "application/atom+xml", "ics": "text/calendar"}
FORMAT_NAMES = {"atom": "Atom", "ics": "iCalendar"}


@register.simple_tag
def feed_url(kind, fmt="atom", area=None, language=None):
    """The path of a feed (``kind``: updates, agreements or events; ``fmt``: atom or ics)."""
    return feed_path(kind, fmt, area=area, language=language)


@register.simple_tag(takes_context=True)
def feed_links(context, kind, area=None, title=None):
    """``<link rel="alternate" type="application/atom+xml" …>`` (and text/calendar for events)."""
    if title is None:
        page = context.get("page")
        title = str(getattr(page, "title", "") or "")
    formats = ["atom", "ics"] if kind == "events" else ["atom"]
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        (
            (
                TYPES[fmt],
                f"{title} ({FORMAT_NAMES[fmt]})" if title else FORMAT_NAMES[fmt],
                feed_path(kind, fmt, area),
            )
            for fmt in formats
        ),
    )


@register.simple_tag
def export_links(csv_url, json_url, title=""):
    """``<link rel="alternate" type="text/csv" …>`` and ``application/json`` for the agreements page
    (pass the view's ``export_csv_url`` and ``export_json_url``, which keep the active filters)."""
    label = f"{title} " if title else ""
    return format_html(
        '<link rel="alternate" type="text/csv" title="{}(CSV)" href="{}">\n'
        '<link rel="alternate" type="application/json" title="{}(JSON)" href="{}">',
        label,
        csv_url,
        label,
        json_url,
    )

"""What a visitor can follow, written as one short string (``Subscription.target``):

- ``area:<page id>``: everything published in one area of collaboration;
- ``kind:agreements``, ``kind:events``, ``kind:updates``: every new item of one kind;
- ``register:<language>:<query string>``: the agreements register as the visitor filtered it (the
  valid filters only, as ``filter_agreements`` read them, in the language they were chosen in);
- ``page:<page id>``: the major changes of one page.

``targets_for(item)`` says which of these a publication matches; ``label`` says them to people.
"""

from urllib.parse import parse_qsl, urlencode

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wagtail.models import Page

from relations.listings.register import filter_agreements
from relations.models import AreaPage, live_areas

KINDS = {
    "agreements": _("Every new agreement"),
    "events": _("Every new event"),
    "updates": _("Every new update"),
}
ITEM_KINDS = {
    "agreements": _("Agreement"),
    "events": _("Event"),
    "updates": _("Update"),
    "changes": _("Major change"),
}
MAX_TARGET = 600


def area_target(area):
    return f"area:{area.pk}"


def register_target(params, language):
    """The register's valid filters in ``params`` (sort left out), or None when there are none."""
    active = filter_agreements(params, language, live_areas()).active
    active = {name: value for name, value in active.items() if name != "sort"}
    if not active:
        return None
    target = f"register:{language}:{urlencode(sorted(active.items()))}"
    return target if len(target) <= MAX_TARGET else None


def page_target(page):
    return f"page:{page.pk}"


def parse(target):
    """``(topic, value)``, or None when ``target`` is not one of the forms above."""
    topic, _sep, value = (target or "").partition(":")
    if topic == "kind" and value in KINDS:
        return topic, value
    if topic in ("area", "page") and value.isdigit() and len(value) < 12:
        return topic, int(value)
    if topic == "register":
        language, _sep, query = value.partition(":")
        if language and query:
            return topic, (language, query)
    return None


def is_valid(target):
    """Whether ``target`` names something that exists and is public."""
    parsed = parse(target)
    if parsed is None:
        return False
    topic, value = parsed
    if topic == "area":
        return any(area.pk == value for area in live_areas())
    if topic == "page":
        return Page.objects.live().public().filter(pk=value, depth__gt=1).exists()
    if topic == "register":
        return register_target(dict(parse_qsl(value[1])), value[0]) == target
    return True


def choices(language):
    """The targets offered on the sign-up form: each area, then each kind."""
    with override(language):
        areas = [(area_target(area), _("Area: %(title)s") % {"title": area.title}) for area in live_areas()]
        return areas + [(f"kind:{kind}", label) for kind, label in KINDS.items()]


def label(target, language):
    """``target`` said to a person in ``language``."""
    parsed = parse(target)
    with override(language):
        if parsed is None:
            return _("Something no longer offered")
        topic, value = parsed
        if topic == "kind":
            return str(KINDS[value])
        if topic in ("area", "page"):
            page = Page.objects.filter(pk=value).specific().first()
            if page is None:
                return _("A page that no longer exists")
            if topic == "area" and isinstance(page, AreaPage):
                return _("Area: %(title)s") % {"title": page.title}
            return _("Changes to the page “%(title)s”") % {"title": page.title}
        return register_label(*value)


def register_label(language, query):
    filters = filter_agreements(dict(parse_qsl(query)), language, live_areas())
    parts = []
    for name, value in filters.active.items():
        field = filters.form.fields[name]
        shown = dict(getattr(field, "choices", ())).get(value, value)
        parts.append(f"{field.label} : {shown}" if language == "fr" else f"{field.label}: {shown}")
    return _("Agreements register filtered by %(filters)s") % {"filters": "; ".join(map(str, parts))}


def targets_for(item, register_targets):
    """The targets ``item`` (an ``AlertItem``) matches, among the kinds, areas and pages it names
    and the ``register_targets`` that subscribers follow (one query each, whatever their number
    of subscribers)."""
    targets = {f"area:{pk}" for pk in item.area_ids}
    if item.kind in KINDS:
        targets.add(f"kind:{item.kind}")
    if item.kind == "changes" and item.page_id:
        targets.add(f"page:{item.page_id}")
    if item.agreement_id:
        for target in register_targets:
            language, query = parse(target)[1]
            if (
                filter_agreements(dict(parse_qsl(query)), language, live_areas())
                .qs.filter(pk=item.agreement_id)
                .exists()
            ):
                targets.add(target)
    return targets

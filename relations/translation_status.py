"""Which translated texts lack their English version, per object and in one query per model.

A field "lacks English" when its French text is filled in and its English one is empty. Slugs,
URL paths and search-engine fields are left out: an empty English slug falls back to the French
one, and SEO fields are optional in both languages.

For pages and snippets with drafts the stored row is what visitors see (the published version);
a draft's changes live in its revision until published.
"""

import functools

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modeltranslation.translator import NotRegistered, translator
from wagtail.fields import StreamField

from .models import BasePage

SOURCE_LANGUAGE = "fr"
TARGET_LANGUAGE = "en"
NOT_CHECKED = {"slug", "url_path", "seo_title", "search_description"}


@functools.cache
def checked_fields(model):
    """The translated field names of ``model`` whose English is expected, in declaration order."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    names = [name for name in options.all_fields if name not in NOT_CHECKED]
    order = {field.name: index for index, field in enumerate(model._meta.get_fields())}
    return tuple(sorted(names, key=lambda name: order.get(name, 0)))


def _filled(model, column):
    if isinstance(model._meta.get_field(column), StreamField):
        # An empty StreamField is stored as an empty JSON list (or NULL when never set).
        return Q(**{f"{column}__isnull": False}) & ~Q(**{column: []})
    return Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})


def missing_english_q(model):
    """A filter matching the rows of ``model`` with at least one text lacking English."""
    condition = Q()
    for name in checked_fields(model):
        source = f"{name}_{SOURCE_LANGUAGE}"
        target = f"{name}_{TARGET_LANGUAGE}"
        condition |= _filled(model, source) & ~_filled(model, target)
    return condition


def complete_q(model):
    """The opposite of :func:`missing_english_q`."""
    condition = missing_english_q(model)
    return ~condition if condition else Q()


def _has_value(value):
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    try:
        return len(value) > 0
    except TypeError:
        return bool(value)


def missing_english(obj):
    """Labels of the fields of ``obj`` whose French is filled in and English empty (no query).

    Reads the ``_fr``/``_en`` columns directly: the plain name would fall back to French.
    """
    model = type(obj)
    missing = []
    for name in checked_fields(model):
        source = getattr(obj, f"{name}_{SOURCE_LANGUAGE}", None)
        target = getattr(obj, f"{name}_{TARGET_LANGUAGE}", None)
        if _has_value(source) and not _has_value(target):
            missing.append(model._meta.get_field(name).verbose_name)
    return missing


def translation_status_label(obj):
    missing = missing_english(obj)
    if not missing:
        return _("Complete")
    return _("English missing: %(fields)s") % {"fields": ", ".join(str(label) for label in missing)}


def page_models():
    """Every concrete page type of the portal (all share BasePage)."""
    return [model for model in apps.get_models() if issubclass(model, BasePage) and not model._meta.abstract]

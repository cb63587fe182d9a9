"""Which translated texts lack their English version, per object and in one query per model;
and whether an object reads in an optional language (Korean) without falling back.

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

from .core.language import value_language
from .models import BasePage

SOURCE_LANGUAGE = "fr"
TARGET_LANGUAGE = "en"
NOT_CHECKED = {"slug", "url_path", "seo_title", "search_description"}
# Korean is optional: an object without it is never "incomplete", only "not ready in Korean" (it
# shows English or French there, is noindex and out of the sitemap) until its Korean exists.
OPTIONAL_LANGUAGES = ("ko",)
TITLE_FIELDS = ("title", "name", "label")
# What a visitor reads first after the title, in this order: the first one with French text.
MAIN_TEXT_FIELDS = ("body", "text", "summary", "intro", "description")


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


def reading_fields(model):
    """The title and the main text fields ``model`` translates (``("title", "body")``…)."""
    fields = checked_fields(model)
    title = next((name for name in TITLE_FIELDS if name in fields), None)
    return title, [name for name in MAIN_TEXT_FIELDS if name in fields]


def main_text_field(obj):
    """The field holding the main text of ``obj``: the first of ``MAIN_TEXT_FIELDS`` with French."""
    _title, main = reading_fields(type(obj))
    return next((name for name in main if _has_value(getattr(obj, f"{name}_{SOURCE_LANGUAGE}", None))), None)


def ready_in(obj, language):
    """Whether ``obj`` reads in ``language`` itself: its title and its main text exist in it.

    Always true in French and English (French is required, English expected and already
    reported as missing). A Korean page that is not ready is kept from search engines.
    """
    if obj is None or language not in OPTIONAL_LANGUAGES:
        return True
    title, _main = reading_fields(type(obj))
    if title is None:
        return True
    fields = [title] + [name for name in [main_text_field(obj)] if name]
    return all(_has_value(getattr(obj, f"{name}_{language}", None)) for name in fields)


def fallback_language(obj, language):
    """The language the title or main text of ``obj`` falls back to in ``language``, or None."""
    if obj is None:
        return None
    title, _main = reading_fields(type(obj))
    for name in [title, main_text_field(obj)]:
        if name and hasattr(obj, f"{name}_{language}"):
            shown = value_language(obj, name, language)
            if shown and shown != language:
                return shown
    return None


def ready_q(model, language):
    """A filter matching the rows of ``model`` that are :func:`ready_in` ``language``."""
    title, main = reading_fields(model)
    if title is None or language not in OPTIONAL_LANGUAGES:
        return Q()
    if not main:  # a key figure, a sector: its label or name is all there is to read
        return _filled(model, f"{title}_{language}")
    main_ready = Q(pk__isnull=True)  # matches nothing; each main field may make it true
    earlier_empty = Q()
    for name in main:
        french = _filled(model, f"{name}_{SOURCE_LANGUAGE}")
        main_ready |= earlier_empty & french & _filled(model, f"{name}_{language}")
        earlier_empty &= ~french
    return _filled(model, f"{title}_{language}") & (main_ready | earlier_empty)

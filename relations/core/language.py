"""The portal's languages and the one helper that reads a translated value with its fallback.

django-modeltranslation stores each translated field once per language (``title_fr``,
``title_en``…). French is required; other languages may be empty, and a visitor then reads the
next language of ``fallbacks(language)``: the language's own list in
``MODELTRANSLATION_FALLBACK_LANGUAGES`` (a dict ``{"default": (…), "<code>": (…)}`` or a tuple),
then French. A new language needs its settings, not edits here or in the callers.
"""

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


def current_language():
    """The active language if the portal has it, else the default (French)."""
    language = (get_language() or DEFAULT_LANGUAGE)[:2]
    return language if language in LANGUAGE_CODES else DEFAULT_LANGUAGE


def fallbacks(language):
    """``language`` first, then the languages read in its place when a text is missing."""
    configured = getattr(settings, "MODELTRANSLATION_FALLBACK_LANGUAGES", ())
    if isinstance(configured, dict):
        configured = configured.get(language, configured.get("default", ()))
    chain = [language, *configured, DEFAULT_LANGUAGE]
    return list(dict.fromkeys(code for code in chain if code in LANGUAGE_CODES))


def value_language(obj, field, language):
    """The language whose value of ``field`` a reader of ``language`` sees (None: none is filled)."""
    for code in fallbacks(language):
        if getattr(obj, f"{field}_{code}", None):
            return code
    return None


def translated_value(obj, field, language=None):
    """``obj.<field>_<language>``, else the first filled fallback, else ''. Slugs too."""
    code = value_language(obj, field, language or current_language())
    return getattr(obj, f"{field}_{code}") if code else ""

"""What django-modeltranslation translates: every text a visitor reads, French required.

Every Page subclass is registered, even without fields of its own, as wagtail-modeltranslation
requires.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agreement,
    AgreementIndexPage,
    AreaPage,
    ContactFormField,
    ContactPage,
    Event,
    EventIndexPage,
    HomePage,
    KeyFigure,
    OfficeCard,
    Organization,
    Sector,
    Source,
    StandardPage,
    TimelinePage,
    UpdateIndexPage,
    UpdatePage,
)

FRENCH_REQUIRED = ("fr",)


class PageOptions(TranslationOptions):
    fields = ("intro",)


@register(HomePage)
class HomePageTranslationOptions(PageOptions):
    pass


@register(AreaPage)
class AreaPageTranslationOptions(PageOptions):
    fields = ("intro", "body")


@register(StandardPage)
class StandardPageTranslationOptions(PageOptions):
    fields = ("intro", "body")


@register(AgreementIndexPage)
class AgreementIndexPageTranslationOptions(PageOptions):
    pass


@register(EventIndexPage)
class EventIndexPageTranslationOptions(PageOptions):
    pass


@register(UpdateIndexPage)
class UpdateIndexPageTranslationOptions(PageOptions):
    pass


@register(UpdatePage)
class UpdatePageTranslationOptions(PageOptions):
    fields = ("intro", "body")


@register(TimelinePage)
class TimelinePageTranslationOptions(PageOptions):
    pass


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "text", "source_note", "signed_at")
    required_languages = {"fr": ("title",)}


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "text", "venue", "city", "recurrence_note")
    required_languages = {"fr": ("title",)}


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description", "city")
    required_languages = {"fr": ("name",)}


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("label", "source_name")
    required_languages = {"fr": ("label", "source_name")}


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = {"fr": ("title",)}


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = {"fr": ("name",)}


@register(ContactPage)
class ContactPageTranslationOptions(PageOptions):
    fields = ("intro", "thank_you_text", "subject")


@register(ContactFormField)
class ContactFormFieldTranslationOptions(TranslationOptions):
    """What visitors read of a form field; its ``clean_name`` (the answers' key) is not translated."""

    fields = ("label", "help_text", "choices", "default_value")
    required_languages = {"fr": ("label",)}


@register(OfficeCard)
class OfficeCardTranslationOptions(TranslationOptions):
    fields = ("address", "hours")

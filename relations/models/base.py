"""What the agreements and events share: the published QuerySet and translated slugs and URLs.

``PublishedQuerySet``: what visitors may see (live, not expired) and the rows of an area.
``TranslatedSlugMixin``: a slug per language, filled from the title and unique, the detail URL in
each language (under the index page that lists the item), and the preview in each language.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wagtail.models import Site

from relations.core.caching import shared_lookup
from relations.core.language import LANGUAGE_CODES, current_language, translated_value
from relations.core.slugs import slugify

# Korean URLs keep the English slug: a Hangul slug travels percent-encoded once copied
# (docs/korean.md).
KOREAN = "ko"


class PublishedQuerySet(models.QuerySet):
    """The rows visitors may see, and those of one area (the agreements and the events)."""

    def published(self):
        """Live, and not expired even before ``publish_scheduled`` has run."""
        return self.filter(live=True).exclude(expire_at__lte=timezone.now())

    def for_area(self, area):
        return self.filter(areas=area)


class TranslatedSlugMixin(models.Model):
    """Fills empty slugs from the titles and keeps each language's slug unique."""

    class Meta:
        abstract = True

    # The page type that lists these items ("relations.AgreementIndexPage"): a lazy reference, as
    # a foreign key's, since the page types sit above the data.
    index_page_model = None

    def fill_slugs(self):
        for language in LANGUAGE_CODES:
            if language == KOREAN:
                continue  # its URL keeps the English slug (translated_value: ko → en → fr)
            title = getattr(self, f"title_{language}", "") or self.title_fr or ""
            if not getattr(self, f"slug_{language}", None) and title:
                setattr(self, f"slug_{language}", slugify(title)[:200] or None)

    def validate_unique_slugs(self):
        errors = {}
        for language in LANGUAGE_CODES:
            slug = getattr(self, f"slug_{language}", None)
            if slug:
                clash = type(self).objects.filter(**{f"slug_{language}": slug}).exclude(pk=self.pk)
                if clash.exists():
                    errors[f"slug_{language}"] = _("Another item already uses this slug.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def index_page(cls):
        """The live page that lists this kind of item and serves its detail pages."""
        return apps.get_model(cls.index_page_model).objects.live().first()

    @classmethod
    def index_url(cls, language, request=None):
        """The index page's URL in ``language`` (relative on the request's own site), kept until
        the next publication: a list of items asks it once, not once an item."""
        site = Site.find_for_request(request) if request is not None else None

        def find():
            # The page itself once for every language (a third language would add its query).
            page = shared_lookup(("index-page", cls._meta.label), cls.index_page)
            if page is None:
                return None
            with override(language):
                return page.get_url(request=request)

        return shared_lookup(("index-url", cls._meta.label, language, site.pk if site else None), find)

    def get_url_for_language(self, language, request=None):
        """The one way to build a detail URL: ``<index page in language>/<slug in language>/``."""
        base = self.index_url(language, request)
        slug = translated_value(self, "slug", language)
        return f"{base}{slug}/" if base and slug else None

    def get_url(self, request=None):
        return self.get_url_for_language(current_language(), request)

    def get_absolute_url(self):
        return self.get_url()

    def language_urls(self, request=None):
        return {language: self.get_url_for_language(language, request) for language in LANGUAGE_CODES}

    # Preview in each language: Wagtail would render in LANGUAGE_CODE or the language cookie.
    preview_modes = list(settings.LANGUAGES)

    def serve_preview(self, request, mode_name):
        language = mode_name if mode_name in LANGUAGE_CODES else settings.LANGUAGE_CODE
        with override(language):
            request.LANGUAGE_CODE = language
            return render(
                request,
                self.get_preview_template(request, mode_name),
                self.get_preview_context(request, mode_name),
            )

    def get_preview_context(self, request, mode_name):
        return {
            "object": self,
            "page": self.index_page(),
            "translations": self.language_urls(request),
            "is_preview": True,
        }

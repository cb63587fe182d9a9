"""What every page type shares (``BasePage``), and the lookups pages and lists make of the tree.

``any_view_restriction`` is kept until the next publication (``core.caching.shared_lookup``):
every page view would otherwise ask whether it is under a view restriction.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search import index

from relations.core.caching import shared_lookup
from relations.core.language import LANGUAGE_CODES, current_language, fallbacks
from relations.core.panels import bilingual


def any_view_restriction():
    """Whether any page has a view restriction (password, login, groups); kept until the next
    purge of the page cache, which saving or deleting a restriction triggers (``signals.py``)."""
    return shared_lookup(("any-view-restriction",), PageViewRestriction.objects.exists)


def public_pages(queryset):
    """``queryset.public()``, whose query of the restrictions is skipped while there are none."""
    return queryset.public() if any_view_restriction() else queryset


def serve_in_language(request, mode_name, serve):
    """Wagtail's page preview, rendered in the language named by the preview mode (`fr`, `en`).

    Any other mode keeps Wagtail's behaviour (the editor's admin language). The response is
    rendered inside the override: a TemplateResponse would otherwise render after it ends.
    """
    if mode_name not in LANGUAGE_CODES:
        return serve()
    with override(mode_name):
        request.LANGUAGE_CODE = mode_name
        response = serve()
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response


class BasePage(Page):
    """What every page of the portal shares: an introduction, a last-update date, a review date."""

    intro = models.TextField(_("introduction"), blank=True)
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("After this date the page is listed to editors as past review."),
    )

    content_panels = [
        bilingual("title", heading=_("Title"), panel_class=TitleFieldPanel),
        bilingual("intro", heading=_("Introduction")),
    ]
    settings_panels = Page.settings_panels + [MultiFieldPanel([FieldPanel("review_by")], heading=_("Review"))]

    search_fields = Page.search_fields + [index.SearchField("intro_fr"), index.SearchField("intro_en")]

    # Preview in each language: Wagtail would render in the editor's admin language.
    preview_modes = list(settings.LANGUAGES)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The Korean URL keeps the English slug (the French one where there is none): a Hangul
        # slug travels percent-encoded once copied (docs/korean.md). Set before Wagtail and
        # wagtail-modeltranslation build url_path_ko from it.
        if hasattr(self, "slug_ko"):
            self.slug_ko = self.slug_en or self.slug_fr
        return super().save(*args, **kwargs)

    def serve_preview(self, request, mode_name):
        return serve_in_language(
            request, mode_name, lambda: super(BasePage, self).serve_preview(request, mode_name)
        )

    @property
    def is_past_review(self):
        return bool(self.review_by and self.review_by < datetime.date.today())

    def route(self, request, path_components):
        """Finds the child page by its slug in the current language with one query, then reads it.

        wagtail-modeltranslation's ``route`` compares the slug of every child page in Python: with
        10,000 updates under the updates list, each update page cost 0.5 s before rendering.
        Same rule here, in the database: the slug in the visitor's language, else in the
        languages it falls back to (``core.language.fallbacks``) where the visitor's is empty.
        Routable pages (the agreement and event lists) keep theirs: their details are routes.
        """
        if not path_components or isinstance(self, RoutablePageMixin):
            return super().route(request, path_components)
        slug, language = path_components[0], current_language()
        match, missing = Q(), Q()
        for code in fallbacks(language):
            match |= Q(**{f"slug_{code}": slug}) & missing
            missing &= Q(**{f"slug_{code}": ""}) | Q(**{f"slug_{code}__isnull": True})
        found = self.get_children().filter(match).order_by("path").values_list("pk", "content_type").first()
        model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
        child = model.objects.filter(pk=found[0]).first() if model else None
        if child is None:
            raise Http404
        return child.route(request, path_components[1:])

    def get_view_restrictions(self):
        """Wagtail's check, skipped (two queries per page view) while no page has a restriction.

        Whether any restriction exists is kept until the next purge of the page cache, and saving or
        deleting a restriction purges it (``relations/signals.py``).
        """
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def last_updated(self):
        return self.last_published_at or self.latest_revision_created_at or self.first_published_at

    def language_urls(self, request=None):
        urls = {}
        for language in LANGUAGE_CODES:
            with override(language):
                urls[language] = self.get_url(request=request)
        return urls

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("translations", self.language_urls(request))
        context.setdefault("last_updated", self.last_updated())
        return context


@receiver([post_save, post_delete], sender=Site)
def forget_localized_site_root_paths(sender, **kwargs):
    """wagtail-modeltranslation caches each language's site root paths for an hour and forgets them
    only when a root page is saved: a Site pointed at another page would keep stale URLs."""
    cache.delete_many([f"wagtail_site_root_paths_{language}" for language in LANGUAGE_CODES])

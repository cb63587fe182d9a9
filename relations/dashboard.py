"""The editors' dashboard panels: "Missing English", "Past review" and "Worth translating into Korean".

Both are Wagtail ``Component``\\ s added by the ``construct_homepage_panels`` hook. Each runs one
query per model (five snippet models, seven page types) whatever the number of rows, and shows at
most ``limit`` items per group, each linked to its edit view.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from .models import Agreement, Event, KeyFigure, Organization, Sector
from .translation_status import missing_english, missing_english_q, page_models, reading_fields, ready_q

SNIPPET_MODELS = [Agreement, Event, Organization, KeyFigure, Sector]


def figures_past_review_q(today=None):
    """Key figures past their review date or, without one, older than the age limit.

    The same rule as ``KeyFigure.is_outdated``, as a filter.
    """
    today = today or datetime.date.today()
    oldest_year = today.year - settings.PORTAL_FIGURE_MAX_AGE_YEARS
    too_old = Q(reference_year__lt=oldest_year) | Q(
        reference_year__isnull=True, source_date__isnull=False, source_date__year__lt=oldest_year
    )
    return Q(review_by__lt=today) | (Q(review_by__isnull=True) & too_old)


def _title(obj):
    for name in ("title_fr", "name_fr", "label_fr", "title_en", "name_en", "label_en"):
        value = getattr(obj, name, None)
        if value:
            return value
    return str(obj)


def _snippet_edit_url(obj):
    return reverse(obj.snippet_viewset.get_url_name("edit"), args=[obj.pk])


def _page_edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _can_edit_snippets(user, model):
    return user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


class EditorialPanel(Component):
    limit = 10

    def groups(self, request):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        groups = [group for group in self.groups(request) if group["items"]]
        context.update({"groups": groups, "request": request, "panel_id": self.name})
        return context

    def _group(self, label, rows, item):
        rows = list(rows[: self.limit + 1])
        return {
            "label": label,
            "items": [item(row) for row in rows[: self.limit]],
            "more": len(rows) > self.limit,
        }

    def _pages_group(self, label, filter_for, item):
        """One group for every page type: one query per type, sorted by position in the tree."""
        pages = []
        for model in page_models():
            condition = filter_for(model)
            if condition is None:
                continue
            pages += list(model.objects.filter(condition).order_by("path")[: self.limit + 1])
        pages.sort(key=lambda page: page.path)
        return {
            "label": label,
            "items": [item(page) for page in pages[: self.limit]],
            "more": len(pages) > self.limit,
        }


class MissingEnglishPanel(EditorialPanel):
    """Pages and snippets with a French text whose English version is empty."""

    name = "missing_english"
    template_name = "relations/admin/missing_english_panel.html"
    order = 140

    def groups(self, request):
        groups = []
        for model in SNIPPET_MODELS:
            if not _can_edit_snippets(request.user, model):
                continue
            rows = model.objects.filter(missing_english_q(model)).order_by("pk")
            groups.append(
                self._group(
                    capfirst(model._meta.verbose_name_plural),
                    rows,
                    lambda obj: {
                        "title": _title(obj),
                        "url": _snippet_edit_url(obj),
                        "missing": missing_english(obj),
                        "live": getattr(obj, "live", True),
                    },
                )
            )
        groups.insert(
            0,
            self._pages_group(
                _("Pages"),
                lambda model: missing_english_q(model) or None,
                lambda page: {
                    "title": _title(page),
                    "url": _page_edit_url(page),
                    "missing": missing_english(page),
                    "live": page.live,
                },
            ),
        )
        return groups


class PastReviewPanel(EditorialPanel):
    """Key figures and pages past their review date (figures also past the age limit)."""

    name = "past_review"
    template_name = "relations/admin/past_review_panel.html"
    order = 145

    def groups(self, request):
        today = datetime.date.today()
        groups = [
            self._pages_group(
                _("Pages"),
                lambda model: Q(review_by__lt=today),
                lambda page: {
                    "title": _title(page),
                    "url": _page_edit_url(page),
                    "review_by": page.review_by,
                    "live": page.live,
                },
            )
        ]
        if _can_edit_snippets(request.user, KeyFigure):
            figures = (
                KeyFigure.objects.filter(figures_past_review_q(today))
                .select_related("area")
                .order_by("review_by", "reference_year", "pk")
            )
            groups.append(
                self._group(
                    capfirst(KeyFigure._meta.verbose_name_plural),
                    figures,
                    lambda figure: {
                        "title": _title(figure),
                        "url": _snippet_edit_url(figure),
                        "review_by": figure.review_by,
                        "reference_year": figure.reference_year,
                        "area": figure.area,
                        "live": True,
                    },
                )
            )
        return groups


KOREAN = "ko"


class KoreanPanel(EditorialPanel):
    """Published pages and items with no Korean yet, those visitors meet first at the top.

    Korean is optional: the panel does not list everything untranslated, only the most visible.
    Pages go by depth (the home page, the areas and the lists before the pages under them),
    agreements in force and upcoming events first, then the others newest first.
    """

    name = "korean"
    template_name = "relations/admin/korean_panel.html"
    order = 150

    def groups(self, request):
        today = datetime.date.today()
        pages = []
        for model in page_models():
            rows = model.objects.live().exclude(ready_q(model, KOREAN)).order_by("depth", "path")
            pages += list(rows[: self.limit + 1])
        pages.sort(key=lambda page: (page.depth, page.path))
        groups = [
            self._group(_("Pages"), pages, lambda page: self.item(page, _page_edit_url(page), page.live))
        ]
        orders = {
            Agreement: lambda rows: rows.in_force().order_by("-pk"),
            Event: lambda rows: rows.filter(last_day__gte=today).order_by("start_date", "pk"),
        }
        for model in SNIPPET_MODELS:
            if not _can_edit_snippets(request.user, model):
                continue
            rows = model.objects.exclude(ready_q(model, KOREAN))
            if hasattr(rows, "published"):
                rows = rows.published()
            first = list(orders[model](rows)[: self.limit + 1]) if model in orders else []
            rest = rows.exclude(pk__in=[row.pk for row in first]).order_by("-pk")
            rows = (first + list(rest[: self.limit + 1]))[: self.limit + 1]  # always one query
            groups.append(
                self._group(
                    capfirst(model._meta.verbose_name_plural),
                    rows,
                    lambda obj: self.item(obj, _snippet_edit_url(obj), getattr(obj, "live", True)),
                )
            )
        return groups

    @staticmethod
    def item(obj, url, live):
        title, _main = reading_fields(type(obj))
        english = bool(title and getattr(obj, f"{title}_en", None))
        return {"title": _title(obj), "url": url, "live": live, "english": english}

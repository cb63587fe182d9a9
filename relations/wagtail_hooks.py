"""The "Relations" admin menu and the editors' dashboard panels.

Menu: agreements, events, organisations, key figures and sectors (a ``SnippetViewSetGroup``),
each list with the columns that matter (status, dates, areas, translation status), filters,
search (plain database search: always current, no index to rebuild), ordering and CSV/XLSX export.

Dashboard: "Missing English" and "Past review" (``relations/dashboard.py``).
"""

import django_filters

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, Manager, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import (
    BooleanColumn,
    Column,
    DateColumn,
    RelatedObjectsColumn,
    StatusTagColumn,
    UpdatedAtColumn,
)
from wagtail.coreutils import multigetattr
from wagtail.models import Revision
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from . import dashboard
from .alerts import admin as alerts_admin
from .feedback import views as feedback
from .models import (
    Agreement,
    AgreementKind,
    AreaPage,
    Country,
    Event,
    EventKind,
    FigureUnit,
    KeyFigure,
    Organization,
    OrganizationKind,
    Sector,
)
from .translation_status import complete_q, missing_english, missing_english_q, translation_status_label

# --------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------


class TranslationStatusColumn(Column):
    """ "Complete", or which texts lack English; read from the row, no query."""

    cell_template_name = "relations/admin/translation_status_cell.html"

    def __init__(self, **kwargs):
        super().__init__("translation_status", label=kwargs.pop("label", _("Translation")), **kwargs)

    def get_value(self, instance):
        return missing_english(instance)


class PublicationStatusColumn(StatusTagColumn):
    """Wagtail's live/draft/scheduled tag, computed from an annotation instead of a query per row."""

    def __init__(self, **kwargs):
        super().__init__(
            "status_string",
            label=_("Status"),
            sort_key="live",
            primary=lambda instance: instance.live,
            **kwargs,
        )

    def get_value(self, instance):
        scheduled = getattr(instance, "_has_schedule", None)
        if scheduled is None:
            return instance.status_string
        if not instance.live:
            if instance.expired:
                return _("expired")
            return _("scheduled") if scheduled else _("draft")
        if scheduled:
            return _("live + scheduled")
        return _("live + draft") if instance.has_unpublished_changes else _("live")


def with_schedule_flag(queryset):
    """Annotate ``_has_schedule``: whether a revision is approved to go live later."""
    model = queryset.model
    content_type = ContentType.objects.get_for_model(model)
    scheduled = Revision.objects.filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), CharField()),
        approved_go_live_at__isnull=False,
    )
    return queryset.annotate(_has_schedule=Exists(scheduled))


# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------

TRANSLATION_CHOICES = [("missing", _("English missing")), ("complete", _("Complete"))]


class RelationsFilterSet(WagtailFilterSet):
    translation = django_filters.ChoiceFilter(
        label=_("Translation"),
        choices=TRANSLATION_CHOICES,
        method="filter_translation",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    def filter_translation(self, queryset, name, value):
        if value == "missing":
            return queryset.filter(missing_english_q(queryset.model))
        if value == "complete":
            return queryset.filter(complete_q(queryset.model))
        return queryset


def areas_filter():
    return django_filters.ModelMultipleChoiceFilter(
        label=_("Areas"),
        field_name="areas",
        queryset=AreaPage.objects.order_by("path"),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )


def choice_filter(label, choices):
    return django_filters.ChoiceFilter(
        label=label, choices=choices, widget=forms.RadioSelect, empty_label=_("All")
    )


def live_filter():
    return django_filters.BooleanFilter(
        label=_("Published"),
        field_name="live",
        widget=forms.RadioSelect(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )


class AgreementFilterSet(RelationsFilterSet):
    kind = choice_filter(_("Kind"), AgreementKind.choices)
    live = live_filter()
    areas = areas_filter()
    signed_on = django_filters.DateFromToRangeFilter(label=_("Signed on"), widget=DateRangePickerWidget)
    in_force_on = django_filters.DateFromToRangeFilter(label=_("In force on"), widget=DateRangePickerWidget)

    class Meta:
        model = Agreement
        fields = ["kind", "live", "areas", "signed_on", "in_force_on", "translation"]


class EventFilterSet(RelationsFilterSet):
    kind = choice_filter(_("Kind"), EventKind.choices)
    country = choice_filter(_("Country"), Country.choices)
    live = live_filter()
    areas = areas_filter()
    start_date = django_filters.DateFromToRangeFilter(label=_("Start date"), widget=DateRangePickerWidget)

    class Meta:
        model = Event
        fields = ["kind", "country", "live", "areas", "start_date", "translation"]


class OrganizationFilterSet(RelationsFilterSet):
    kind = choice_filter(_("Kind"), OrganizationKind.choices)
    country = choice_filter(_("Country"), Country.choices)

    class Meta:
        model = Organization
        fields = ["kind", "country", "translation"]


class KeyFigureFilterSet(RelationsFilterSet):
    unit = choice_filter(_("Unit"), FigureUnit.choices)
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AreaPage.objects.order_by("path"), empty_label=_("All")
    )
    past_review = django_filters.BooleanFilter(
        label=_("Past review"),
        method="filter_past_review",
        widget=forms.RadioSelect(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    def filter_past_review(self, queryset, name, value):
        if value is None:
            return queryset
        condition = dashboard.figures_past_review_q()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    class Meta:
        model = KeyFigure
        fields = ["unit", "area", "past_review", "translation"]


class SectorFilterSet(RelationsFilterSet):
    class Meta:
        model = Sector
        fields = ["translation"]


# --------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------


class RelationsIndexView(IndexView):
    """Exports many-to-many fields as "a, b" and the translation status as text."""

    def to_row_dict(self, item):
        row = {}
        for field in self.list_export:
            if field == "translation_status":
                row[field] = str(translation_status_label(item))
                continue
            value = multigetattr(item, field)
            if isinstance(value, Manager):
                value = value.all()
            if isinstance(value, QuerySet):
                value = ", ".join(str(obj) for obj in value)
            row[field] = value
        return row


class RelationsViewSet(SnippetViewSet):
    index_view_class = RelationsIndexView
    search_backend_name = None  # database search over ``search_fields``: no index lag, any language
    list_per_page = 50
    prefetch = ()
    select = ()
    export_headings = {
        "title_fr": _("Title (French)"),
        "title_en": _("Title (English)"),
        "name_fr": _("Name (French)"),
        "name_en": _("Name (English)"),
        "label_fr": _("Label (French)"),
        "label_en": _("Label (English)"),
        "translation_status": _("Translation"),
        "status_string": _("Status"),
    }

    def get_queryset(self, request):
        queryset = self.model._default_manager.all()
        if self.select:
            queryset = queryset.select_related(*self.select)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        if hasattr(self.model, "approved_schedule"):
            queryset = with_schedule_flag(queryset)
        return queryset


class AgreementViewSet(RelationsViewSet):
    model = Agreement
    icon = "doc-full"
    menu_label = _("Agreements")
    # Kind and reference number are filters, search terms and export columns rather than list
    # columns: the list stays readable beside the admin menu.
    list_display = [
        "__str__",
        Column("signed_display", label=_("Signed on"), sort_key="signed_on"),
        Column("in_force_display", label=_("In force on"), sort_key="in_force_on"),
        Column("status_label", label=_("Agreement status")),
        RelatedObjectsColumn("areas", label=_("Areas")),
        TranslationStatusColumn(),
        PublicationStatusColumn(),
        UpdatedAtColumn(),
    ]
    filterset_class = AgreementFilterSet
    search_fields = ["title_fr", "title_en", "reference_number", "summary_fr", "summary_en"]
    ordering = ["-signed_on", "title_fr"]
    prefetch = ("areas",)
    list_export = [
        "reference_number",
        "title_fr",
        "title_en",
        "get_kind_display",
        "signed_iso",
        "in_force_iso",
        "ended_on",
        "status_label",
        "areas",
        "parties",
        "official_link",
        "status_string",
        "translation_status",
    ]
    export_headings = {
        **RelationsViewSet.export_headings,
        "get_kind_display": _("Kind"),
        "signed_iso": _("Signed on"),
        "in_force_iso": _("In force on"),
        "status_label": _("Agreement status"),
    }
    export_filename = "agreements"


class EventViewSet(RelationsViewSet):
    model = Event
    icon = "date"
    menu_label = _("Events")
    list_display = [
        "__str__",
        "kind",
        Column("date_display", label=_("Date"), sort_key="start_date"),
        "city",
        RelatedObjectsColumn("areas", label=_("Areas")),
        TranslationStatusColumn(),
        PublicationStatusColumn(),
        UpdatedAtColumn(),
    ]
    filterset_class = EventFilterSet
    search_fields = ["title_fr", "title_en", "city_fr", "city_en", "venue_fr", "summary_fr", "summary_en"]
    ordering = ["-start_date", "title_fr"]
    prefetch = ("areas",)
    list_export = [
        "title_fr",
        "title_en",
        "get_kind_display",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "get_date_precision_display",
        "timezone",
        "venue",
        "city_fr",
        "city_en",
        "get_country_display",
        "areas",
        "link",
        "status_string",
        "translation_status",
    ]
    export_headings = {
        **RelationsViewSet.export_headings,
        "get_kind_display": _("Kind"),
        "get_date_precision_display": _("Precision of the dates"),
        "get_country_display": _("Country"),
        "city_fr": _("City (French)"),
        "city_en": _("City (English)"),
    }
    export_filename = "events"


class OrganizationViewSet(RelationsViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    list_display = [
        "__str__",
        "acronym",
        "kind",
        "country",
        "city",
        TranslationStatusColumn(),
        UpdatedAtColumn(),
    ]
    filterset_class = OrganizationFilterSet
    search_fields = ["name_fr", "name_en", "acronym", "city_fr"]
    ordering = ["name_fr"]
    list_export = [
        "name_fr",
        "name_en",
        "acronym",
        "get_kind_display",
        "get_country_display",
        "city",
        "website",
        "founded_year",
        "translation_status",
    ]
    export_headings = {
        **RelationsViewSet.export_headings,
        "get_kind_display": _("Kind"),
        "get_country_display": _("Country"),
    }
    export_filename = "organisations"


class KeyFigureViewSet(RelationsViewSet):
    model = KeyFigure
    icon = "pick"
    menu_label = _("Key figures")
    list_display = [
        "__str__",
        Column("formatted_value", label=_("Value"), sort_key="value"),
        "reference_year",
        "area",
        DateColumn("review_by", label=_("Review by"), sort_key="review_by"),
        BooleanColumn("is_outdated", label=_("Past review")),
        TranslationStatusColumn(),
        UpdatedAtColumn(),
    ]
    filterset_class = KeyFigureFilterSet
    search_fields = ["label_fr", "label_en", "source_name_fr"]
    ordering = ["sort_order", "pk"]
    select = ("area",)
    list_export = [
        "label_fr",
        "label_en",
        "value",
        "get_unit_display",
        "reference_year",
        "source_name",
        "source_url",
        "source_date",
        "area",
        "review_by",
        "is_outdated",
        "translation_status",
    ]
    export_headings = {
        **RelationsViewSet.export_headings,
        "get_unit_display": _("Unit"),
        "is_outdated": _("Past review"),
    }
    export_filename = "key-figures"


class SectorViewSet(RelationsViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    list_display = ["__str__", "slug", TranslationStatusColumn(), UpdatedAtColumn()]
    filterset_class = SectorFilterSet
    search_fields = ["name_fr", "name_en", "slug"]
    ordering = ["slug"]
    list_export = ["slug", "name_fr", "name_en", "translation_status"]
    export_filename = "sectors"


class RelationsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Relations")
    menu_icon = "site"
    menu_order = 200
    items = (AgreementViewSet, EventViewSet, OrganizationViewSet, KeyFigureViewSet, SectorViewSet)


register_snippet(RelationsViewSetGroup)


# --------------------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    panels.append(dashboard.MissingEnglishPanel())
    panels.append(dashboard.PastReviewPanel())


# E-mail alerts: subscribers, for the "Subscription managers" group only (relations/alerts/admin.py).
@hooks.register("register_admin_viewset")
def register_alert_subscribers():
    return alerts_admin.subscriber_viewset


# Page feedback: Reports → Page feedback (relations/feedback.py).
@hooks.register("register_reports_menu_item")
def register_feedback_report_menu_item():
    return MenuItem(_("Page feedback"), reverse("feedback_report"), icon_name="comment", order=900)


@hooks.register("register_admin_urls")
def register_feedback_report_urls():
    return [
        path("reports/page-feedback/", feedback.FeedbackReport.as_view(), name="feedback_report"),
        path(
            "reports/page-feedback/results/",
            feedback.FeedbackReport.as_view(results_only=True),
            name="feedback_report_results",
        ),
    ]

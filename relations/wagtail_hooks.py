"""The "Relations" admin menu and the editors' dashboard panels.

Menu: agreements, events, organisations, key figures, sectors and sources (a ``SnippetViewSetGroup``),
each list with the columns that matter (status, dates, areas, translation status), filters,
search (plain database search: always current, no index to rebuild), ordering and CSV/XLSX export.

Dashboard: "Missing English", "Past review" and "Worth translating into Korean" (``relations/dashboard.py``).

Over 600 lines because it is the one place an editor's screens are configured: one viewset per kind
of snippet, with its columns, filters and exports, and the hooks of the admin. Splitting it per
snippet (an ``admin/`` package) is the next step when it grows again.
"""

import django_filters

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, Manager, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
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
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.coreutils import multigetattr
from wagtail.models import Page, Revision, WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from . import dashboard
from .alerts import admin as alerts_admin
from .core.collation import Folded, fold, french_order
from .exports import neutralise
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
    Source,
)
from .translation_status import (
    complete_q,
    missing_english,
    missing_english_q,
    ready_in,
    ready_q,
    translation_status_label,
)

# --------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------


class TranslationStatusColumn(Column):
    """ "Complete", or which texts lack English, and whether Korean is ready (optional, so said
    without a warning); read from the row, no query."""

    cell_template_name = "relations/admin/translation_status_cell.html"

    def __init__(self, **kwargs):
        super().__init__("translation_status", label=kwargs.pop("label", _("Translation")), **kwargs)

    def get_value(self, instance):
        return missing_english(instance)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["korean_ready"] = ready_in(instance, "ko")
        return context


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
        if getattr(instance, "_in_moderation", False):
            return _("live + in moderation") if instance.live else _("in moderation")
        if not instance.live:
            if instance.expired:
                return _("expired")
            return _("scheduled") if scheduled else _("draft")
        if scheduled:
            return _("live + scheduled")
        return _("live + draft") if instance.has_unpublished_changes else _("live")


def with_schedule_flag(queryset):
    """Annotate ``_has_schedule``: whether a revision is approved to go live later, and
    ``_in_moderation``: whether the item waits in a workflow (shown as such, not as a draft)."""
    model = queryset.model
    content_type = ContentType.objects.get_for_model(model)
    scheduled = Revision.objects.filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), CharField()),
        approved_go_live_at__isnull=False,
    )
    queryset = queryset.annotate(_has_schedule=Exists(scheduled))
    if not hasattr(model, "workflow_states"):
        return queryset
    waiting = WorkflowState.objects.filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return queryset.annotate(_in_moderation=Exists(waiting))


# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------

TRANSLATION_CHOICES = [
    ("missing", _("English missing")),
    ("complete", _("Complete")),
    ("korean", _("Korean ready")),
    ("no_korean", _("No Korean yet")),
]


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
        if value == "korean":
            return queryset.filter(ready_q(queryset.model, "ko"))
        if value == "no_korean":
            return queryset.exclude(ready_q(queryset.model, "ko"))
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
    """Exports many-to-many fields as "a, b" and the translation status as text; CSV cells that a
    spreadsheet would run as a formula are made text as in the public export (``neutralise``).
    XLSX cells need nothing more: Wagtail writes them as strings, never as formulas."""

    def search_queryset(self, queryset):
        """Accents and case ignored: "aerospatiale" finds "aérospatiale" (core/collation.py)."""
        if not self.is_searching or not self.search_fields:
            return super().search_queryset(queryset)
        term = fold(self.search_query)
        folded = {f"_folded_{i}": Folded(field) for i, field in enumerate(self.search_fields)}
        query = Q()
        for alias in folded:
            query |= Q(**{f"{alias}__contains": term})
        return queryset.alias(**folded).filter(query)

    def order_queryset(self, queryset):
        """Titles and names in French order on every database ("Économie" before "Francophonie")."""
        queryset = super().order_queryset(queryset)
        terms = self.ordering if isinstance(self.ordering, list | tuple) else [self.ordering]
        if not any(isinstance(term, str) and term.lstrip("-") in FRENCH_ORDERED for term in terms):
            return queryset
        ordering = []
        for term in terms:
            french = isinstance(term, str) and term.lstrip("-") in FRENCH_ORDERED
            ordering += french_order(term) if french else [term]
        return queryset.order_by(*ordering, "pk")

    @cached_property
    def add_item_label(self):
        """ "Ajouter une entente", not Wagtail's "Ajouter un(e) entente"."""
        return ADD_LABELS.get(self.model, super().add_item_label)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return neutralise(value)
        return value

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


# Fields that another item may already hold (a draft left behind by an earlier start, kept by
# autosave or by "Save draft"): a clash names that item, with a link to resume it.
UNIQUE_FIELDS = ("reference_number", "slug_fr", "slug_en")


class ResumeExistingMixin:
    """When the form is refused because another item already has this reference number or slug,
    say which item and link to it: "starting again" after a draft was kept is the usual cause,
    and the way out is to resume that draft (or change the value)."""

    def form_invalid(self, form):
        if not self.expects_json_response:
            for other in self.clashing_items(form):
                message = _("“%(object)s” (%(status)s) already uses this reference number or slug.")
                status = _("draft") if not other.live else _("online")
                messages.warning(
                    self.request,
                    message % {"object": other, "status": status},
                    buttons=[
                        messages.button(reverse(self.edit_url_name, args=[quote(other.pk)]), _("Resume"))
                    ],
                )
        return super().form_invalid(form)

    def clashing_items(self, form):
        values = Q()
        for field in UNIQUE_FIELDS:
            value = getattr(form.instance, field, None)
            if field in form.errors and value:
                values |= Q(**{field: value})
        if not values:
            return []
        return list(self.model._default_manager.filter(values).exclude(pk=form.instance.pk)[:3])


class RelationsCreateView(ResumeExistingMixin, CreateView):
    pass


class RelationsEditView(ResumeExistingMixin, EditView):
    """After a moderator's approval or request for changes, a message that says which, rather
    than Wagtail's "updated"."""

    def get_success_message(self, instance=None):
        if self.action != "workflow-action":
            return super().get_success_message(instance)
        obj = instance or self.object
        if self.workflow_action == "approve":
            message = _("%(model_name)s “%(object)s”: approved and published.")
            if not self.model._default_manager.filter(pk=obj.pk, live=True).exists():
                message = _("%(model_name)s “%(object)s”: approved; it goes to the next step.")
        elif self.workflow_action == "reject":
            message = _("%(model_name)s “%(object)s”: changes requested.")
        else:
            return super().get_success_message(instance)
        return message % {"model_name": capfirst(self.model._meta.verbose_name), "object": obj}


class RelationsViewSet(SnippetViewSet):
    index_view_class = RelationsIndexView
    add_view_class = RelationsCreateView
    edit_view_class = RelationsEditView
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


# Text columns sorted as French readers expect (folded accents and case), wherever a list sorts by them.
FRENCH_ORDERED = {"title_fr", "title_en", "name_fr", "name_en", "label_fr", "label_en"}

# The lists' "Add" button in words that agree with each kind (Wagtail's generic label cannot).
ADD_LABELS = {
    Agreement: _("Add an agreement"),
    Event: _("Add an event"),
    Organization: _("Add an organisation"),
    KeyFigure: _("Add a key figure"),
    Sector: _("Add a sector"),
}


class SourceViewSet(RelationsViewSet):
    """The public pages facts come from, cited by agreements, events, organisations and updates."""

    model = Source
    icon = "link"
    menu_label = _("Sources")
    list_display = ["__str__", "url", "date", TranslationStatusColumn()]
    search_fields = ["title_fr", "title_en", "url"]
    ordering = ["title_fr"]
    list_export = ["title_fr", "title_en", "url", "date", "translation_status"]
    export_filename = "sources"


class RelationsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Relations")
    menu_icon = "site"
    menu_order = 200
    items = (
        AgreementViewSet,
        EventViewSet,
        OrganizationViewSet,
        KeyFigureViewSet,
        SectorViewSet,
        SourceViewSet,
    )


register_snippet(RelationsViewSetGroup)


# --------------------------------------------------------------------------------------
# Page explorer: titles in French order
# --------------------------------------------------------------------------------------


class FrenchTitleExplorerView(ExplorableIndexView):
    """The explorer sorted by title puts "Économie" before "Francophonie" on SQLite too."""

    def order_queryset(self, queryset):
        if self.ordering in ("title", "-title") and not self.is_searching:
            return queryset.order_by(*french_order(self.ordering), "path")
        return super().order_queryset(queryset)


class PortalPageViewSet(PageViewSet):
    """Wagtail's views for every page type, with the explorer above."""

    model = Page
    index_view_class = FrenchTitleExplorerView


@hooks.register("register_admin_viewset")
def register_page_viewset():
    return PortalPageViewSet("portal_pages")


# --------------------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------------------


@hooks.register("insert_global_admin_css")
def korean_fields_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-korean.css"))


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    panels.append(dashboard.MissingEnglishPanel())
    panels.append(dashboard.PastReviewPanel())
    panels.append(dashboard.KoreanPanel())


@hooks.register("insert_global_admin_js")
def slug_separators_js():
    """Dashes and apostrophes separate the words of the slugs made from titles (relations/core/slugs.py)."""
    return format_html('<script src="{}"></script>', static("js/admin-slugs.js"))


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

"""The register's data as files: CSV, CSV for French spreadsheets, and JSON, with their columns.

Four datasets, each described once by its columns (``DATASETS``): the exports below write them,
the open-data page (``relations.opendata``) shows each column's meaning in the visitor's language,
and the DCAT catalogue lists their files.

- Agreements: at ``<agreement index URL>export.csv`` (``…export-excel.csv``, ``…export.json``),
  keeping the list page's filters (``/fr/ententes/export.csv?kind=international``), invalid ones
  ignored, never an error; and unfiltered on the open-data page (``/fr/donnees/ententes.csv``).
- Events, organisations and key figures: on the open-data page (``/en/data/events.csv``…).

Over 600 lines because the four datasets' column definitions (with their dictionary text in each
language) live here, once, beside the writers that use them.

A RoutablePage route cannot serve them, since Wagtail's page URL pattern refuses a dot: these URL
patterns come before Wagtail's page URLs.

CSV: UTF-8 with a BOM (spreadsheet programs then read the accents right), every cell quoted, a
header of column labels and values (kinds, statuses, countries) in the visitor's language, and
cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) prefixed with ``'``. ``export-excel.csv`` is the same file for a spreadsheet set
to French (Canada), whose list separator is ``;`` and decimal separator ``,``: semicolons between
cells and decimal commas. Chosen over XLSX: no new dependency, the same writer, a text file anyone
can read, and Excel opens it by a double click. JSON keeps the codes (``kind``: ``international``)
with their labels beside them (``kind_label``), for programs.
"""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django.views.decorators.http import require_safe

from .core.caching import declare_query
from .core.dates import format_iso_partial
from .core.urls import absolute_url
from .listings.register import AgreementFilterSet, filter_agreements
from .models import (
    AgreementIndexPage,
    Event,
    KeyFigure,
    Organization,
    current_language,
    live_areas,
    live_areas_prefetch,
    translated_value,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "  # between the items of one cell (parties, documents…)


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its key (JSON, dictionary), label (CSV header) and meaning.

    ``value(obj, ctx)`` gives what JSON holds (a code for a choice); ``label(obj, ctx)``, when
    given, what a visitor reads in CSV (the choice's label in the visitor's language).
    """

    key: str
    header: str
    description: str
    datatype: str
    value: object
    label: object = None


@dataclass
class ExportContext:
    """What a record needs besides its object: the language, and the request for absolute URLs."""

    language: str
    request: object = None


def names(objects, language, attribute="name"):
    return [translated_value(obj, attribute, language) for obj in objects]


def choice_label(obj, name, language):
    with override(language):
        return str(getattr(obj, f"get_{name}_display")())


def partial(value_name, precision_name=None):
    def read(obj, ctx):
        precision = getattr(obj, precision_name) if precision_name else "day"
        return format_iso_partial(getattr(obj, value_name), precision) or None

    return read


def text(name):
    return lambda obj, ctx: getattr(obj, name) or None


def translated(name):
    return lambda obj, ctx: translated_value(obj, name, ctx.language) or None


def status_code(obj, ctx):
    return getattr(obj, "current_status", None) or obj.status.value


def status_label(obj, ctx):
    with override(ctx.language):
        return str(obj.status_label)


def agreement_documents(obj, ctx):
    return [
        ctx.request.build_absolute_uri(item.document.url) if ctx.request else item.document.url
        for item in obj.documents.all()
    ]


def source_list(obj, ctx):
    """Each source as ``title <address> (date)``, in the visitor's language."""
    items = []
    for source in obj.sources.all():
        text = translated_value(source, "title", ctx.language)
        if source.url:
            text = f"{text} <{source.url}>"
        if source.date:
            text = f"{text} ({format_iso_partial(source.date, source.date_precision)})"
        items.append(text)
    return items


def detail_url(obj, language, request):
    """The absolute URL of an agreement's or event's page in ``language``, or '' (also for the
    feeds and the API)."""
    return absolute_url(obj.get_url_for_language(language, request), request) or ""


def page_url(language):
    """A column's reader: the absolute URL of the object's page in ``language``, or None."""
    return lambda obj, ctx: detail_url(obj, language, ctx.request) or None


AGREEMENT_COLUMNS = [
    Column(
        "reference_number",
        _("Reference number"),
        _("The official register number, if any."),
        "text",
        text("reference_number"),
    ),
    Column("title_fr", _("Title (French)"), _("The agreement's title in French."), "text", text("title_fr")),
    Column(
        "title_en", _("Title (English)"), _("The agreement's title in English."), "text", text("title_en")
    ),
    Column(
        "kind",
        _("Kind"),
        _("The kind of agreement."),
        "text",
        text("kind"),
        lambda obj, ctx: choice_label(obj, "kind", ctx.language),
    ),
    Column(
        "status",
        _("Status"),
        _("Ended, in force, ratified or signed, from the dates below, today."),
        "text",
        status_code,
        status_label,
    ),
    Column(
        "parties",
        _("Parties"),
        _("The organisations party to the agreement."),
        "list",
        lambda obj, ctx: names(obj.parties.all(), ctx.language),
    ),
    Column(
        "signed_on",
        _("Signed on"),
        _("Date of signature (ISO 8601, to the known precision: 2017-02)."),
        "date",
        partial("signed_on", "signed_precision"),
    ),
    Column(
        "signed_at",
        _("Place of signature"),
        _("Where the agreement was signed, if known."),
        "text",
        translated("signed_at"),
    ),
    Column(
        "ratified_on",
        _("Ratified on"),
        _("Date of ratification (ISO 8601, to the known precision)."),
        "date",
        partial("ratified_on", "ratified_precision"),
    ),
    Column(
        "in_force_on",
        _("In force on"),
        _("Date of entry into force (ISO 8601, to the known precision)."),
        "date",
        partial("in_force_on", "in_force_precision"),
    ),
    Column("ended_on", _("Ended on"), _("Date the agreement ended (ISO 8601)."), "date", partial("ended_on")),
    Column(
        "order_in_council",
        _("Order in council"),
        _("Number of the order in council (décret), if any."),
        "text",
        text("order_in_council"),
    ),
    Column(
        "order_in_council_date",
        _("Order in council date"),
        _("Date of the order in council (ISO 8601), if known."),
        "date",
        partial("order_in_council_date"),
    ),
    Column(
        "responsible_bodies",
        _("Responsible bodies"),
        _("The bodies that carry the agreement out (liaison bodies…)."),
        "list",
        lambda obj, ctx: names(obj.responsible_bodies.all(), ctx.language),
    ),
    Column(
        "areas",
        _("Areas"),
        _("The areas of collaboration the agreement concerns."),
        "list",
        lambda obj, ctx: names(obj.areas.all(), ctx.language, "title"),
    ),
    Column(
        "official_link",
        _("Official link"),
        _("Address of the agreement's official publication."),
        "url",
        text("official_link"),
    ),
    Column(
        "documents",
        _("Documents"),
        _("Addresses of the agreement's text, in each language available."),
        "list",
        agreement_documents,
    ),
    Column(
        "sources",
        _("Sources"),
        _("The public pages the facts come from: title, <address> and (date)."),
        "list",
        source_list,
    ),
    Column(
        "url_fr", _("Page (French)"), _("Address of the agreement's page in French."), "url", page_url("fr")
    ),
    Column(
        "url_en",
        _("Page (English)"),
        _("Address of the agreement's page in English."),
        "url",
        page_url("en"),
    ),
]

EVENT_COLUMNS = [
    Column("title_fr", _("Title (French)"), _("The event's title in French."), "text", text("title_fr")),
    Column("title_en", _("Title (English)"), _("The event's title in English."), "text", text("title_en")),
    Column(
        "kind",
        _("Kind"),
        _("The kind of event."),
        "text",
        text("kind"),
        lambda obj, ctx: choice_label(obj, "kind", ctx.language),
    ),
    Column(
        "start_date",
        _("Start date"),
        _("First day (ISO 8601, to the known precision: 2016-11); empty when not known."),
        "date",
        partial("start_date", "date_precision"),
    ),
    Column(
        "end_date",
        _("End date"),
        _("Last day (ISO 8601), for an event of several days."),
        "date",
        partial("end_date"),
    ),
    Column(
        "start_time",
        _("Start time"),
        _("Start time in the event's time zone, if any."),
        "text",
        lambda obj, ctx: obj.start_time.isoformat("minutes") if obj.start_time else None,
    ),
    Column(
        "end_time",
        _("End time"),
        _("End time in the event's time zone, if any."),
        "text",
        lambda obj, ctx: obj.end_time.isoformat("minutes") if obj.end_time else None,
    ),
    Column(
        "timezone",
        _("Time zone"),
        _("The event's time zone (IANA name: Asia/Seoul)."),
        "text",
        text("timezone"),
    ),
    Column("city", _("City"), _("Where the event takes place."), "text", translated("city")),
    Column(
        "country",
        _("Country"),
        _("The country where the event takes place."),
        "text",
        text("country"),
        lambda obj, ctx: choice_label(obj, "country", ctx.language) if obj.country else None,
    ),
    Column(
        "areas",
        _("Areas"),
        _("The areas of collaboration the event concerns."),
        "list",
        lambda obj, ctx: names(obj.areas.all(), ctx.language, "title"),
    ),
    Column(
        "organisers",
        _("Organisers"),
        _("The organisations that hold the event."),
        "list",
        lambda obj, ctx: names(obj.organisers.all(), ctx.language),
    ),
    Column("link", _("Link"), _("The event's own website, if any."), "url", text("link")),
    Column(
        "sources",
        _("Sources"),
        _("The public pages the facts come from: title, <address> and (date)."),
        "list",
        source_list,
    ),
    Column("url_fr", _("Page (French)"), _("Address of the event's page in French."), "url", page_url("fr")),
    Column(
        "url_en", _("Page (English)"), _("Address of the event's page in English."), "url", page_url("en")
    ),
]

ORGANISATION_COLUMNS = [
    Column("name_fr", _("Name (French)"), _("The organisation's name in French."), "text", text("name_fr")),
    Column("name_en", _("Name (English)"), _("The organisation's name in English."), "text", text("name_en")),
    Column("acronym", _("Acronym"), _("The organisation's acronym, if any."), "text", text("acronym")),
    Column(
        "kind",
        _("Kind"),
        _("Government, university, company…"),
        "text",
        text("kind"),
        lambda obj, ctx: choice_label(obj, "kind", ctx.language),
    ),
    Column(
        "country",
        _("Country"),
        _("The organisation's country."),
        "text",
        text("country"),
        lambda obj, ctx: choice_label(obj, "country", ctx.language),
    ),
    Column("city", _("City"), _("The organisation's city, if known."), "text", translated("city")),
    Column(
        "founded_year",
        _("Founded in"),
        _("The year the organisation was founded, if known."),
        "number",
        text("founded_year"),
    ),
    Column("website", _("Website"), _("The organisation's website, if known."), "url", text("website")),
    Column(
        "description",
        _("Description"),
        _("What the organisation does in the relations."),
        "text",
        translated("description"),
    ),
    Column(
        "sources",
        _("Sources"),
        _("The public pages the facts come from: title, <address> and (date)."),
        "list",
        source_list,
    ),
]

KEY_FIGURE_COLUMNS = [
    Column(
        "label_fr", _("Label (French)"), _("What the figure measures, in French."), "text", text("label_fr")
    ),
    Column(
        "label_en", _("Label (English)"), _("What the figure measures, in English."), "text", text("label_en")
    ),
    Column(
        "value",
        _("Value"),
        _("The figure, in the unit below."),
        "number",
        lambda obj, ctx: obj.value.normalize(),
    ),
    Column(
        "unit",
        _("Unit"),
        _("The unit of the value."),
        "text",
        text("unit"),
        lambda obj, ctx: choice_label(obj, "unit", ctx.language),
    ),
    Column(
        "shown_as",
        _("Shown as"),
        _("The value as the portal shows it, in the visitor's language."),
        "text",
        lambda obj, ctx: obj.formatted_value(ctx.language),
    ),
    Column(
        "reference_year",
        _("Reference year"),
        _("The year the figure describes; empty when the source does not say."),
        "number",
        text("reference_year"),
    ),
    Column(
        "area",
        _("Area"),
        _("The area of collaboration of the figure."),
        "text",
        lambda obj, ctx: translated_value(obj.area, "title", ctx.language) if obj.area else None,
    ),
    Column("source", _("Source"), _("Where the figure comes from."), "text", translated("source_name")),
    Column("source_url", _("Source link"), _("Address of the source."), "url", text("source_url")),
    Column(
        "source_date",
        _("Source date"),
        _("When the source was published or last updated (ISO 8601)."),
        "date",
        partial("source_date"),
    ),
    Column(
        "possibly_outdated",
        _("Possibly outdated"),
        _("Whether the figure is older than the portal's limit."),
        "boolean",
        lambda obj, ctx: obj.is_outdated,
        lambda obj, ctx: str(_("yes") if obj.is_outdated else _("no")),
    ),
]


@dataclass(frozen=True)
class Dataset:
    """A dataset of the open-data page: its names, columns and rows."""

    key: str
    slugs: dict
    title: str
    description: str
    columns: list
    rows: object  # rows(request) → the objects, in the order of the files

    def slug(self, language=None):
        return self.slugs.get(language or current_language(), self.slugs["fr"])


def with_lists(queryset):
    """Parties (by name), live areas (in tree order), documents, bodies and sources prefetched:
    a fixed number of queries for any number of agreements."""
    return queryset.prefetch_related(
        Prefetch("parties", queryset=Organization.objects.order_by("name_fr", "pk")),
        live_areas_prefetch(),
        "documents__document",
        "responsible_bodies",
        "sources",
    )


def agreement_rows(request, params=None):
    """The published agreements, filtered as the register filters them by ``params``."""
    filters = filter_agreements(params if params is not None else {}, current_language(), live_areas())
    if params is not None:
        declare_query(request, AgreementFilterSet.base_filters, filters.ignored)
    return list(with_lists(filters.qs))


def event_rows(request):
    return list(
        Event.objects.published()
        .order_by("start_date", "start_time", "pk")
        .prefetch_related(live_areas_prefetch(), "organisers", "sources")
    )


def organisation_rows(request):
    return list(Organization.objects.order_by("name_fr", "pk").prefetch_related("sources"))


def key_figure_rows(request):
    return list(KeyFigure.objects.select_related("area").order_by("sort_order", "pk"))


DATASETS = {
    dataset.key: dataset
    for dataset in (
        Dataset(
            "agreements",
            {"fr": "ententes", "en": "agreements", "ko": "agreements"},
            _("Agreements"),
            _(
                "The register of the published agreements between Québec, Canada and South Korean partners: "
                "parties, dates, order in council, official link and documents."
            ),
            AGREEMENT_COLUMNS,
            agreement_rows,
        ),
        Dataset(
            "events",
            {"fr": "evenements", "en": "events", "ko": "events"},
            _("Events"),
            _(
                "The published events of the relations, with their dates to the known precision and "
                "their time zone."
            ),
            EVENT_COLUMNS,
            event_rows,
        ),
        Dataset(
            "organisations",
            {"fr": "organisations", "en": "organisations", "ko": "organisations"},
            _("Organisations"),
            _("The governments, institutions, associations and companies that take part in the relations."),
            ORGANISATION_COLUMNS,
            organisation_rows,
        ),
        Dataset(
            "key-figures",
            {"fr": "chiffres-cles", "en": "key-figures", "ko": "key-figures"},
            _("Key figures"),
            _("The key figures of the relations, with their reference year and their source."),
            KEY_FIGURE_COLUMNS,
            key_figure_rows,
        ),
    )
}


def export_context(request):
    return ExportContext(language=current_language(), request=request)


def json_record(columns, obj, ctx):
    """One object as JSON holds it: codes, with each choice's label beside it (``kind_label``)."""
    record = {}
    for column in columns:
        value = column.value(obj, ctx)
        record[column.key] = float(value) if isinstance(value, Decimal) else value
        if column.label is not None:
            record[f"{column.key}_label"] = column.label(obj, ctx)
    return record


def cell(column, obj, ctx, decimal_comma=False):
    """One CSV cell: the label where the column has one, lists joined, a formula never run."""
    value = (column.label or column.value)(obj, ctx)
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, Decimal):
        value = format(value, "f")
        if decimal_comma:
            value = value.replace(".", ",")
    return neutralise(value)


def neutralise(value):
    """A cell a spreadsheet will show as text, never run as a formula."""
    content = "" if value is None else str(value)
    if content.startswith(FORMULA_STARTS):
        return f"'{content}"
    return content


def _attachment(response, name, extension):
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def csv_response(dataset, objects, ctx, excel=False):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    delimiter = ";" if excel else ","
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    with override(ctx.language):
        writer.writerow([str(column.header) for column in dataset.columns])
        for obj in objects:
            writer.writerow([cell(column, obj, ctx, decimal_comma=excel) for column in dataset.columns])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, dataset.slug(ctx.language) + ("-excel" if excel else ""), "csv")


def json_response(dataset, objects, ctx):
    records = [json_record(dataset.columns, obj, ctx) for obj in objects]
    body = json.dumps({"count": len(records), "results": records}, ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    return _attachment(response, dataset.slug(ctx.language), "json")


def dataset_response(dataset, objects, request, fmt):
    ctx = export_context(request)
    if fmt == "json":
        return json_response(dataset, objects, ctx)
    return csv_response(dataset, objects, ctx, excel=fmt == "excel.csv")


@require_safe
def export_view(request, index_path, fmt, variant=""):
    """``<agreement index URL>export.<fmt>``: 404 unless the path is the index page's, in this language."""
    index_page = AgreementIndexPage.objects.live().public().first()
    parts = index_page.get_url_parts(request) if index_page is not None else None
    if not parts or request.path != f"{parts[2]}export{variant or ''}.{fmt}" or (variant and fmt != "csv"):
        raise Http404
    dataset = DATASETS["agreements"]
    kind = "excel.csv" if variant else fmt
    return dataset_response(dataset, agreement_rows(request, request.GET), request, kind)


urlpatterns = [
    re_path(
        r"^(?P<index_path>(?:[-\w]+/)+)export(?P<variant>-excel)?\.(?P<fmt>csv|json)$",
        export_view,
        name="agreement-export",
    ),
]

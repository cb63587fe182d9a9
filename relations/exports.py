"""CSV and JSON exports of the agreements register, keeping the list page's filters.

Served at ``<agreement index URL>export.csv`` and ``…export.json`` in each language
(``/fr/ententes/export.csv?kind=international``, ``/en/agreements/export.json``) by
``urlpatterns`` below, included before Wagtail's page URLs: a RoutablePage route cannot serve
them, since Wagtail's page URL pattern refuses a dot. The same query parameters as the list page
(``relations.filters``); invalid ones are ignored, never an error.

CSV: UTF-8 with a BOM (spreadsheet programs then read the accents right), commas, every cell
quoted, and cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) prefixed with ``'``.
"""

import csv
import io
import json

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import re_path
from django.views.decorators.http import require_safe

from .core.caching import declare_query
from .core.dates import format_iso_partial
from .core.urls import absolute_url
from .listings.register import AgreementFilterSet, filter_agreements
from .models import (
    AgreementIndexPage,
    Organization,
    current_language,
    live_areas,
    live_areas_prefetch,
    translated_value,
)

COLUMNS = [
    "reference_number",
    "title_fr",
    "title_en",
    "kind",
    "status",
    "signed_on",
    "ratified_on",
    "in_force_on",
    "ended_on",
    "parties",
    "areas",
    "url_fr",
    "url_en",
]
FILE_NAMES = {"fr": "ententes", "en": "agreements"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def detail_url(obj, language, request):
    """The absolute URL of an agreement's or event's page in ``language``, or ''."""
    return absolute_url(obj.get_url_for_language(language, request), request) or ""


def agreement_record(agreement, language, request):
    """One agreement as exported: codes for kind and status, names in ``language``, ISO 8601
    dates reduced to their precision (``2016-12``), None (empty in CSV) when unknown."""
    return {
        "reference_number": agreement.reference_number or None,
        "title_fr": agreement.title_fr or "",
        "title_en": agreement.title_en or "",
        "kind": agreement.kind,
        "status": getattr(agreement, "current_status", None) or agreement.status.value,
        "signed_on": format_iso_partial(agreement.signed_on, agreement.signed_precision) or None,
        "ratified_on": format_iso_partial(agreement.ratified_on, agreement.ratified_precision) or None,
        "in_force_on": format_iso_partial(agreement.in_force_on, agreement.in_force_precision) or None,
        "ended_on": format_iso_partial(agreement.ended_on) or None,
        "parties": [translated_value(party, "name", language) for party in agreement.parties.all()],
        "areas": [translated_value(area, "title", language) for area in agreement.areas.all()],
        "url_fr": detail_url(agreement, "fr", request) or None,
        "url_en": detail_url(agreement, "en", request) or None,
    }


def export_records(index_page, request):
    language = current_language()
    filters = filter_agreements(request.GET, language, live_areas())
    declare_query(request, AgreementFilterSet.base_filters, filters.ignored)
    return [agreement_record(agreement, language, request) for agreement in with_lists(filters.qs)], language


def with_lists(queryset):
    """Parties (by name) and live areas (in tree order) prefetched: two queries for any number."""
    return queryset.prefetch_related(
        Prefetch("parties", queryset=Organization.objects.order_by("name_fr", "pk")),
        live_areas_prefetch(),
    )


def neutralise(value):
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text


def _attachment(response, language, extension):
    name = FILE_NAMES.get(language, FILE_NAMES["fr"])
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def agreements_csv_response(index_page, request):
    records, language = export_records(index_page, request)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        row = []
        for column in COLUMNS:
            value = record[column]
            if isinstance(value, list):
                value = "; ".join(value)
            row.append(neutralise(value))
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, language, "csv")


def agreements_json_response(index_page, request):
    records, language = export_records(index_page, request)
    body = json.dumps({"count": len(records), "results": records}, ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    return _attachment(response, language, "json")


EXPORTS = {"csv": agreements_csv_response, "json": agreements_json_response}


@require_safe
def export_view(request, index_path, fmt):
    """``<agreement index URL>export.<fmt>``: 404 unless the path is the index page's, in this language."""
    index_page = AgreementIndexPage.objects.live().public().first()
    parts = index_page.get_url_parts(request) if index_page is not None else None
    if not parts or request.path != f"{parts[2]}export.{fmt}":
        raise Http404
    return EXPORTS[fmt](index_page, request)


urlpatterns = [
    re_path(r"^(?P<index_path>(?:[-\w]+/)+)export\.(?P<fmt>csv|json)$", export_view, name="agreement-export"),
]

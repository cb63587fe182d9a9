"""Filters of the agreements register: the list page and its CSV and JSON exports.

``filter_agreements(request.GET, language)`` never fails on bad input: a value that does not
validate (``status=foo``, ``signed_after=yesterday``, an unknown area or party) is left out and
its parameter name listed in ``.ignored``, so that the page can say "this filter was ignored".
It also counts, for every choice of the area, kind, status and party filters, how many
agreements that choice would give with the other active filters: one aggregate query a facet.

Parameters: ``area`` (AreaPage pk or slug in the current language), ``kind``, ``status``
(derived from the dates, see ``AgreementQuerySet.with_status``), ``party`` (Organization pk),
``signed_after`` and ``signed_before`` (ISO 8601, possibly reduced: ``2016``, ``2016-12``,
``2016-12-17``), ``ref`` (reference number, contains), ``q`` (text in the titles, summaries and
reference number), ``sort`` (``-signed``, the default, ``signed`` or ``title``).
"""

import datetime
import re
from functools import cached_property
from urllib.parse import urlencode

import django_filters

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .dates import DatePrecision, period_end
from .models import (
    LANGUAGE_CODES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    AreaPage,
    Organization,
    translated_value,
)

SORT_CHOICES = [
    ("-signed", _("Most recently signed first")),
    ("signed", _("Oldest signature first")),
    ("title", _("Title")),
]
DEFAULT_SORT = "-signed"
FACETS = ("area", "kind", "status", "party")

_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class PartialDateField(forms.CharField):
    """An ISO 8601 date, possibly reduced to the month or the year; cleans to (first day, last day)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = _ISO_PARTIAL.fullmatch(value.strip())
        if match is None:
            raise ValidationError(_("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."), code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            if day:
                first = datetime.date(year, month, day)
                return first, first
            if month:
                first = datetime.date(year, month, 1)
                return first, period_end(first, DatePrecision.MONTH)
            first = datetime.date(year, 1, 1)
            return first, period_end(first, DatePrecision.YEAR)
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."), code="invalid")


class SignedAfterFilter(django_filters.Filter):
    """Signed on or after the first day of the period given."""

    field_class = PartialDateField

    def filter(self, qs, value):
        return qs.filter(signed_on__gte=value[0]) if value else qs


class SignedBeforeFilter(django_filters.Filter):
    """Signed on or before the last day of the period given."""

    field_class = PartialDateField

    def filter(self, qs, value):
        return qs.filter(signed_on__lte=value[1]) if value else qs


class AgreementFilterSet(django_filters.FilterSet):
    area = django_filters.ChoiceFilter(method="filter_area", label=_("area"))
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(
        choices=AgreementStatus.choices, method="filter_status", label=_("status")
    )
    party = django_filters.ChoiceFilter(method="filter_party", label=_("parties"))
    signed_after = SignedAfterFilter(label=_("signed on"))
    signed_before = SignedBeforeFilter(label=_("signed on"))
    ref = django_filters.CharFilter(
        field_name="reference_number", lookup_expr="icontains", max_length=60, label=_("reference number")
    )
    q = django_filters.CharFilter(method="filter_text", max_length=200, label=_("Search"))
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="filter_sort", label=_("Sort"))

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, data=None, queryset=None, *, language, areas, parties, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.language = language
        # The area may be named by its pk or by its slug in the current language (or the French
        # slug when it has none in that language).
        self.area_by_value = {}
        for area in areas:
            self.area_by_value[str(area.pk)] = area
            slug = getattr(area, f"slug_{language}", None) or area.slug_fr
            if slug:
                self.area_by_value.setdefault(slug, area)
        self.filters["area"].extra["choices"] = [
            (value, str(area)) for value, area in self.area_by_value.items()
        ]
        self.filters["party"].extra["choices"] = [(str(party.pk), party.display_name) for party in parties]

    def filter_area(self, queryset, name, value):
        return queryset.filter(areas=self.area_by_value[value].pk)

    def filter_status(self, queryset, name, value):
        return queryset.filter(current_status=value)

    def filter_party(self, queryset, name, value):
        return queryset.filter(parties=int(value))

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(reference_number__icontains=value)
        for language in LANGUAGE_CODES:
            condition |= Q(**{f"title_{language}__icontains": value})
            condition |= Q(**{f"summary_{language}__icontains": value})
        return queryset.filter(condition)

    def filter_sort(self, queryset, name, value):
        if value == "title":
            title = F("title_fr")
            if self.language != "fr":
                title = Coalesce(NullIf(F(f"title_{self.language}"), Value("")), F("title_fr"))
            return queryset.order_by(Lower(title), "pk")
        if value == "signed":
            return queryset.order_by(F("signed_on").asc(nulls_last=True), "title_fr", "pk")
        return queryset.newest_signed_first()

    def apply(self, queryset, cleaned):
        """``queryset`` filtered by the valid values in ``cleaned`` (name → cleaned value)."""
        for name, value in cleaned.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset


class AgreementFilters:
    """What ``filter_agreements`` returns.

    ``qs``: the filtered, sorted published agreements (annotated with ``current_status``, parties
    and live areas prefetched); ``ignored``: parameter names whose values were invalid and left
    out; ``facets`` (computed when first read: one query a facet): facet name → list of
    ``(value, label, count, selected)``; ``active``: the valid parameters applied (name → value
    as given); ``querystring``: those, URL-encoded (for the export links and the pagination);
    ``sort``: the sort applied; ``sort_choices``: ``(value, label, selected)``.
    """

    def __init__(self, qs, ignored, active, sort, language, form, facets_builder):
        self.qs = qs
        self.ignored = ignored
        self.active = active
        self.querystring = urlencode(active)
        self.sort = sort
        self.language = language
        self.form = form
        self._facets_builder = facets_builder

    @cached_property
    def facets(self):
        with override(self.language):
            return self._facets_builder()

    @property
    def is_filtered(self):
        return any(name != "sort" for name in self.active)

    @property
    def sort_choices(self):
        with override(self.language):
            return [(value, str(label), value == self.sort) for value, label in SORT_CHOICES]


def published_agreements():
    return Agreement.objects.published().with_status()


def with_lists(queryset):
    """Parties (by name) and live areas (in tree order) prefetched: two queries for any number."""
    return queryset.prefetch_related(
        Prefetch("parties", queryset=Organization.objects.order_by("name_fr", "pk")),
        Prefetch("areas", queryset=AreaPage.objects.live().order_by("path")),
    )


def filter_agreements(params, language):
    """Filters the published agreements by the query parameters ``params`` (a QueryDict or dict).

    Runs a fixed number of queries whatever the number of agreements: the live areas and the
    organisations party to a published agreement now, one count per facet when ``.facets`` is
    first read, and the agreements with their parties and areas when ``.qs`` is evaluated.
    """
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    with override(language):
        base = published_agreements()
        areas = list(AreaPage.objects.live().order_by("path"))
        parties = list(
            Organization.objects.filter(
                pk__in=Agreement.parties.through.objects.filter(agreement__in=base).values("organization_id")
            ).order_by("name_fr", "pk")
        )
        data = {
            name: params.get(name)
            for name in AgreementFilterSet.base_filters
            if params.get(name) not in (None, "")
        }
        filterset = AgreementFilterSet(data, queryset=base, language=language, areas=areas, parties=parties)
        form = filterset.form
        form.is_valid()
        ignored = [name for name in filterset.filters if name in form.errors]
        cleaned = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        active = {name: data[name] for name in cleaned}

        queryset = filterset.apply(base, cleaned)
        sort = cleaned.get("sort") or DEFAULT_SORT
        if "sort" not in cleaned:
            queryset = queryset.newest_signed_first()
        queryset = with_lists(queryset)

        return AgreementFilters(
            qs=queryset,
            ignored=ignored,
            active=active,
            sort=sort,
            language=language,
            form=form,
            facets_builder=lambda: _facets(filterset, base, cleaned, areas, parties, language),
        )


def _counts(filterset, base, cleaned, facet, column):
    """Agreements a value of ``column`` gives, with every active filter except ``facet``'s."""
    others = {name: value for name, value in cleaned.items() if name not in (facet, "sort")}
    rows = filterset.apply(base, others).order_by().values(column).annotate(count=Count("pk", distinct=True))
    return {row[column]: row["count"] for row in rows}


def _facets(filterset, base, cleaned, areas, parties, language):
    selected_area = filterset.area_by_value[cleaned["area"]].pk if "area" in cleaned else None
    counts = _counts(filterset, base, cleaned, "area", "areas")
    area_facet = []
    for area in areas:
        value = getattr(area, f"slug_{language}", None) or area.slug_fr or str(area.pk)
        label = translated_value(area, "title", language)
        area_facet.append((value, label, counts.get(area.pk, 0), area.pk == selected_area))

    counts = _counts(filterset, base, cleaned, "kind", "kind")
    kind_facet = [
        (value, str(label), counts.get(value, 0), cleaned.get("kind") == value)
        for value, label in AgreementKind.choices
    ]
    counts = _counts(filterset, base, cleaned, "status", "current_status")
    status_facet = [
        (value, str(label), counts.get(value, 0), cleaned.get("status") == value)
        for value, label in AgreementStatus.choices
    ]
    counts = _counts(filterset, base, cleaned, "party", "parties")
    party_facet = [
        (str(party.pk), party.display_name, counts.get(party.pk, 0), cleaned.get("party") == str(party.pk))
        for party in parties
    ]
    return {"area": area_facet, "kind": kind_facet, "status": status_facet, "party": party_facet}


def paginate(queryset, raw_page, per_page=20):
    """``(page, adjusted)``: ``page=abc`` gives the first page, ``page=999999`` the last one;
    ``adjusted`` tells that the page asked for was not the page given."""
    paginator = Paginator(queryset, per_page)
    try:
        number = int(str(raw_page).strip()) if raw_page not in (None, "") else 1
    except ValueError:
        return paginator.page(1), True
    clamped = min(max(number, 1), paginator.num_pages)
    return paginator.page(clamped), clamped != number

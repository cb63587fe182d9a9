"""The agreements register: its filters and facets, for the list page and its exports.

``filter_agreements(request.GET, language, areas)`` never fails on bad input (``facets``).

Parameters: ``area`` (AreaPage pk or slug in the current language), ``kind``, ``status``
(derived from the dates, see ``AgreementQuerySet.with_status``), ``party`` (Organization pk),
``signed_after`` and ``signed_before`` (ISO 8601, possibly reduced: ``2016``, ``2016-12``,
``2016-12-17``), ``ref`` (reference number, contains), ``q`` (text in the titles, summaries and
reference number), ``sort`` (``-signed``, the default, ``signed`` or ``title``).
"""

import datetime
import re

import django_filters

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from relations.core.caching import shared_lookup
from relations.core.dates import DatePrecision, period_end
from relations.core.language import LANGUAGE_CODES
from relations.models.agreements import Agreement, AgreementKind, AgreementStatus
from relations.models.reference import Organization

from .facets import Filters, PortalFilterSet, area_facet, choice_facet
from .kept import kept_lookup

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


class AgreementFilterSet(PortalFilterSet):
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

    def __init__(self, data=None, queryset=None, *, parties, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.filters["party"].extra["choices"] = [(str(party.pk), party.display_name) for party in parties]

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


class AgreementFilters(Filters):
    """What ``filter_agreements`` returns (see ``Filters``), with ``count`` (how many, kept with
    the facets), ``sort`` (the sort applied) and ``sort_choices`` (``(value, label, selected)``)."""

    facets_name = "agreement-facets"

    def __init__(self, *args, sort, **kwargs):
        super().__init__(*args, **kwargs)
        self.sort = sort

    @property
    def count(self):
        return kept_lookup(("agreement-count", *self.key), self.qs.count)

    @property
    def sort_choices(self):
        with override(self.language):
            return [(value, str(label), value == self.sort) for value, label in SORT_CHOICES]


def published_agreements():
    return Agreement.objects.published().with_status()


def agreement_parties(base):
    """The organisations party to a published agreement, by name (kept until the next publication)."""
    return shared_lookup(
        ("agreement-parties",),
        lambda: list(
            Organization.objects.filter(
                pk__in=Agreement.parties.through.objects.filter(agreement__in=base).values("organization_id")
            ).order_by("name_fr", "pk")
        ),
    )


def filter_agreements(params, language, areas):
    """Filters the published agreements by the query parameters ``params`` (a QueryDict or dict).

    ``areas``: the live area pages the ``area`` filter may name. A fixed number of queries
    whatever the number of agreements: the parties (kept), one count per facet when ``.facets``
    is first read (kept), and the agreements when ``.qs`` is evaluated.
    """
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    with override(language):
        base = published_agreements()
        parties = agreement_parties(base)
        data, conflicting = AgreementFilterSet.data_from(params)
        filterset = AgreementFilterSet(data, queryset=base, language=language, areas=areas, parties=parties)
        cleaned, ignored = filterset.clean(conflicting)
        queryset = filterset.apply(base, cleaned)
        if "sort" not in cleaned:
            queryset = queryset.newest_signed_first()
        return AgreementFilters(
            queryset,
            ignored,
            {name: data[name] for name in cleaned},
            language,
            filterset.form,
            lambda: _facets(filterset, base, cleaned, areas, parties, language),
            sort=cleaned.get("sort") or DEFAULT_SORT,
        )


def _facets(filterset, base, cleaned, areas, parties, language):
    counts = filterset.counts(base, cleaned, "area", "areas")
    parties_choices = [(str(party.pk), party.display_name) for party in parties]
    party_counts = {str(pk): n for pk, n in filterset.counts(base, cleaned, "party", "parties").items()}
    return {
        "area": area_facet(areas, counts, filterset.selected_area(cleaned), language),
        "kind": choice_facet(
            AgreementKind.choices, filterset.counts(base, cleaned, "kind", "kind"), cleaned.get("kind")
        ),
        "status": choice_facet(
            AgreementStatus.choices,
            filterset.counts(base, cleaned, "status", "current_status"),
            cleaned.get("status"),
        ),
        "party": choice_facet(parties_choices, party_counts, cleaned.get("party")),
    }

"""What the register's and the events page's filters share: one FilterSet base and its facets.

A list's filters never fail on bad input: a value that does not validate is left out and its
parameter named in ``ignored``, so that the page can say "this filter was ignored". Each facet
counts, for every choice, how many rows that choice would give with the other active filters
(one aggregate query a facet), kept until the next publication (``kept.kept_lookup``).
"""

from functools import cached_property
from urllib.parse import urlencode

import django_filters

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from relations.core.language import translated_value

from .kept import kept_lookup


def area_values(areas, language):
    """Each area by the values that may name it in a filter: its pk, and its slug in ``language``
    (or the slug it falls back to)."""
    by_value = {}
    for area in areas:
        by_value[str(area.pk)] = area
        slug = translated_value(area, "slug", language)
        if slug:
            by_value.setdefault(slug, area)
    return by_value


def area_facet(areas, counts, selected_pk, language):
    """``(value, label, count, selected)`` for each area, named by its slug in ``language``."""
    return [
        (
            translated_value(area, "slug", language) or str(area.pk),
            translated_value(area, "title", language),
            counts.get(area.pk, 0),
            area.pk == selected_pk,
        )
        for area in areas
    ]


def choice_facet(choices, counts, selected):
    """``(value, label, count, selected)`` for each ``(value, label)`` of ``choices``."""
    return [(value, str(label), counts.get(value, 0), selected == value) for value, label in choices]


def given(params, name):
    """``(value, conflicting)``: the parameter's value ('' when absent or empty); ``conflicting``
    when it is given several times with different values (``kind=summit&kind=festival``)."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    values = {value for value in values if value not in (None, "")}
    if len(values) > 1:
        return "", True
    return (values.pop() if values else ""), False


def filters_key(active, leave_out=()):
    """The valid filters applied, as a hashable key (their order in the URL does not matter)."""
    return tuple(sorted((name, value) for name, value in active.items() if name not in leave_out))


class PortalFilterSet(django_filters.FilterSet):
    """A django-filter FilterSet that knows the language, filters by area (pk or slug in that
    language), cleans without failing, and counts its facets."""

    area = django_filters.ChoiceFilter(method="filter_area", label=_("area"))

    def __init__(self, data=None, queryset=None, *, language, areas, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.language = language
        self.area_by_value = area_values(areas, language)
        self.filters["area"].extra["choices"] = [
            (value, str(area)) for value, area in self.area_by_value.items()
        ]

    @classmethod
    def data_from(cls, params):
        """``(data, conflicting)``: each filter's single value in ``params``, and the names given
        several times with different values."""
        data, conflicting = {}, set()
        for name in cls.base_filters:
            value, repeated = given(params, name)
            if repeated:
                conflicting.add(name)
            elif value:
                data[name] = value
        return data, conflicting

    def clean(self, conflicting=()):
        """``(cleaned, ignored)``: the valid values by name, and the names left out."""
        form = self.form
        form.is_valid()
        ignored = [name for name in self.filters if name in form.errors or name in conflicting]
        cleaned = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        return cleaned, ignored

    def filter_area(self, queryset, name, value):
        return queryset.filter(areas=self.area_by_value[value].pk)

    def selected_area(self, cleaned):
        return self.area_by_value[cleaned["area"]].pk if "area" in cleaned else None

    def apply(self, queryset, cleaned):
        """``queryset`` filtered by the valid values in ``cleaned`` (name → cleaned value)."""
        for name, value in cleaned.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def counts(self, base, cleaned, facet, column):
        """Rows a value of ``column`` gives, with every active filter except ``facet``'s."""
        others = {name: value for name, value in cleaned.items() if name not in (facet, "sort")}
        rows = self.apply(base, others).order_by().values(column).annotate(count=Count("pk", distinct=True))
        return {row[column]: row["count"] for row in rows}


class Filters:
    """What a list's filtering gives its page: ``qs`` (the filtered rows), ``ignored`` (parameter
    names left out), ``active`` (the valid parameters applied, as given), ``querystring`` (those,
    URL-encoded: export links, pagination) and ``facets`` (facet name → ``(value, label, count,
    selected)`` rows, counted when first read and kept until the next publication)."""

    facets_name = None

    def __init__(self, qs, ignored, active, language, form, facets_builder):
        self.qs = qs
        self.ignored = ignored
        self.active = active
        self.querystring = urlencode(active)
        self.language = language
        self.form = form
        self._facets_builder = facets_builder
        self.key = (language, filters_key(active, leave_out=("sort",)))

    @property
    def is_filtered(self):
        return any(name != "sort" for name in self.active)

    @cached_property
    def facets(self):
        def build():
            with override(self.language):
                return self._facets_builder()

        return kept_lookup((self.facets_name, *self.key), build)

"""The events page: filters, sections (upcoming, undated), the archive one year at a time.

Filters: ``area``, ``kind``, ``country`` and ``city``, with their counts (``facets``). The
overview shows the first ``EVENTS_ON_OVERVIEW`` upcoming events and undated ones, each with a link
to the whole section (``show=upcoming`` or ``show=undated``, ``EVENTS_PER_PAGE`` a page), then the
past events of one year (``year``, by default the most recent year with past events) and the list
of the years with their counts; ``page`` pages within a section or a year. Bad values never fail:
an invalid ``year``, ``show`` or filter is ignored and named (``filters.ignored``), a page out of
range gives the nearest page (``page_adjusted``), a year without past events the most recent one
(``year_adjusted``: the year asked for).
"""

import datetime
import re
import unicodedata
from urllib.parse import urlencode

import django_filters

from django.db.models import Case, CharField, Count, F, IntegerField, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Lower, NullIf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from relations.core.language import LANGUAGE_CODES, fallbacks
from relations.models.events import Event, EventKind, in_current_period
from relations.models.reference import Country

from .facets import Filters, PortalFilterSet, area_facet, choice_facet, given
from .kept import kept_lookup
from .pagination import paginate

EVENT_FACETS = ("area", "kind", "country", "city")
EVENT_PARAMETERS = ("show", "year", "page")  # beside the filters
EVENT_SECTIONS = ("upcoming", "undated")  # the values of ``show``: one section alone, paginated
EVENTS_PER_PAGE = 50  # a page of a year of the archive, or of a section shown alone
EVENTS_ON_OVERVIEW = 20  # upcoming (and undated) events on the overview before "see them all"
_YEAR = re.compile(r"[0-9]{1,4}")
UPCOMING_BUCKET, UNDATED_BUCKET = -1, 0  # beside the years in the query counting the sections


def translated_column(field, language, output_field=None):
    """SQL for ``field`` as a reader of ``language`` sees it: the first non-empty of its fallbacks."""
    columns = [NullIf(F(f"{field}_{code}"), Value("")) for code in fallbacks(language)]
    if len(columns) == 1:
        return columns[0]
    return Coalesce(*columns, output_field=output_field or CharField())


def _plain(text):
    """A sort key that ignores case and accents: Montréal beside Montreal, Séoul before Sokcho."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold(), text


class EventFilterSet(PortalFilterSet):
    """Filters of the events page; the queryset must be annotated with ``city_name``."""

    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("kind"))
    country = django_filters.ChoiceFilter(field_name="country", label=_("country"))
    city = django_filters.ChoiceFilter(field_name="city_name", label=_("city"))

    class Meta:
        model = Event
        fields = []

    def __init__(self, data=None, queryset=None, *, countries, cities, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.filters["country"].extra["choices"] = countries
        self.filters["city"].extra["choices"] = [(city, city) for city in cities]


class EventFilters(Filters):
    """What ``filter_events`` returns (see ``Filters``); ``qs`` is annotated with ``city_name``
    and not ordered: the page takes its sections from it."""

    facets_name = "event-facets"


def filter_events(params, language, areas):
    """Filters the published events by ``area``, ``kind``, ``country`` and ``city`` in ``params``.

    Choices: ``areas`` (by slug in ``language``), every kind, the countries and the cities (as
    read in ``language``, exact match) that published events have, kept until the next publication.
    """
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    with override(language):
        base = Event.objects.published().annotate(city_name=translated_column("city", language))
        places = kept_lookup(
            ("event-places", language),
            lambda: set(base.order_by().values_list("country", "city_name").distinct()),
        )
        used_countries = {country for country, _city in places if country}
        countries = [(value, str(label)) for value, label in Country.choices if value in used_countries]
        cities = sorted({city for _country, city in places if city}, key=_plain)
        data, conflicting = EventFilterSet.data_from(params)
        filterset = EventFilterSet(
            data, queryset=base, language=language, areas=areas, countries=countries, cities=cities
        )
        cleaned, ignored = filterset.clean(conflicting)

        def facets():
            counts = filterset.counts
            return {
                "area": area_facet(
                    areas, counts(base, cleaned, "area", "areas"), filterset.selected_area(cleaned), language
                ),
                "kind": choice_facet(
                    EventKind.choices, counts(base, cleaned, "kind", "kind"), cleaned.get("kind")
                ),
                "country": choice_facet(
                    countries, counts(base, cleaned, "country", "country"), cleaned.get("country")
                ),
                "city": choice_facet(
                    [(city, city) for city in cities],
                    counts(base, cleaned, "city", "city_name"),
                    cleaned.get("city"),
                ),
            }

        active = {name: data[name] for name in cleaned}
        return EventFilters(filterset.apply(base, cleaned), ignored, active, language, filterset.form, facets)


def _link(active, **extra):
    """``?<active filters>&<extra>`` (empty extras left out)."""
    return "?" + urlencode(
        {**active, **{name: value for name, value in extra.items() if value not in (None, "")}}
    )


def _section_counts(filters, today):
    """``{bucket: count}``: upcoming (-1), undated (0) and each past year, in one query, kept until
    the next publication or the next day."""
    buckets = Case(
        When(start_date__isnull=True, then=Value(UNDATED_BUCKET)),
        When(in_current_period(today), then=Value(UNDATED_BUCKET)),
        When(last_day__gte=today, then=Value(UPCOMING_BUCKET)),
        When(last_day__lt=today, then=ExtractYear("start_date")),
        default=None,
        output_field=IntegerField(),
    )
    rows = (
        filters.qs.order_by()
        .annotate(bucket=buckets)
        .values("bucket")
        .annotate(count=Count("pk", distinct=True))
    )
    return dict(
        kept_lookup(
            ("event-sections", *filters.key),
            lambda: {row["bucket"]: row["count"] for row in rows},
            today=today,
        )
    )


def _single_value(params, name, filters):
    value, repeated = given(params, name)
    if repeated:
        filters.ignored.append(name)
        return ""
    return value


def _clean_year(params, filters):
    raw_year, repeated = given(params, "year")
    if raw_year and _YEAR.fullmatch(raw_year.strip()) and int(raw_year) > 0:
        return int(raw_year)
    if raw_year or repeated:
        filters.ignored.append("year")
    return None


def _archive(filters, past, counts, year, raw_page):
    """The context of the archive: the past events of ``year`` (or the most recent year with some)."""
    past_years = sorted(((y, n) for y, n in counts.items() if y), reverse=True)
    per_year = dict(past_years)
    archive_year = year if year in per_year else (past_years[0][0] if past_years else None)
    rows = past.filter(start_date__year=archive_year) if archive_year is not None else Event.objects.none()
    archive_events, adjusted = paginate(rows, raw_page, EVENTS_PER_PAGE, count=per_year.get(archive_year, 0))
    active = filters.active
    return {
        "past_years": [
            {"year": y, "count": n, "url": _link(active, year=y), "current": y == archive_year}
            for y, n in past_years
        ],
        "past_count": sum(per_year.values()),
        "archive_year": archive_year,
        "archive_events": archive_events,
        "current_page": archive_events,
        "archive_querystring": urlencode({**active, "year": archive_year}) if archive_year else "",
        "year_adjusted": year
        if year is not None and archive_year is not None and year != archive_year
        else None,
        "page_adjusted": adjusted,
    }


def events_page(params, language, areas, today=None):
    """The context of the events page for the query parameters ``params``.

    A fixed number of queries whatever the number of events: those of ``filter_events``, then on
    the overview one for the counts of the sections (kept), one for the upcoming events, one for
    the undated ones and one for the page of the archive.
    """
    filters = filter_events(params, language, areas)
    today = today or datetime.date.today()
    show = _single_value(params, "show", filters)
    if show and show not in EVENT_SECTIONS:
        filters.ignored.append("show")
        show = ""
    raw_page = _single_value(params, "page", filters)

    upcoming = filters.qs.upcoming(today)
    undated = filters.qs.undated(today).order_by(Lower(translated_column("title", filters.language)), "pk")
    counts = _section_counts(filters, today)
    upcoming_count = counts.pop(UPCOMING_BUCKET, 0)
    undated_count = counts.pop(UNDATED_BUCKET, 0)
    context = {"filters": filters, "show": show, "page_adjusted": False}
    if show:
        section, adjusted = paginate(
            upcoming if show == "upcoming" else undated,
            raw_page,
            EVENTS_PER_PAGE,
            count=upcoming_count if show == "upcoming" else undated_count,
        )
        context.update(
            {
                "section_events": section,
                "current_page": section,
                "section_querystring": urlencode({**filters.active, "show": show}),
                "result_count": section.paginator.count,
                "page_adjusted": adjusted,
            }
        )
        return context

    year = _clean_year(params, filters)
    context.update(_archive(filters, filters.qs.past(today), counts, year, raw_page))
    context.update(
        {
            "upcoming_events": list(upcoming[:EVENTS_ON_OVERVIEW]),
            "upcoming_count": upcoming_count,
            "upcoming_url": _link(filters.active, show="upcoming"),
            "undated_events": list(undated[:EVENTS_ON_OVERVIEW]),
            "undated_count": undated_count,
            "undated_url": _link(filters.active, show="undated"),
            "result_count": upcoming_count + undated_count + context["past_count"],
        }
    )
    return context

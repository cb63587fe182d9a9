"""The timeline of the relations: what happened, from three sources, on one chronological list.

Entries (visitors see only what is published):

- each published agreement's signature (``signed_on``), ratification (``ratified_on``) and entry
  into force (``in_force_on``): separate entries for the dates that are known;
- each published event, at its start date (an event whose dates are not known has no place on it);
- each live, public and unexpired update (``UpdatePage``), at its date.

Every entry keeps the precision of its date: an agreement signed "February 2017" shows
« février 2017 », never a day (``relations.dates``).

Order: newest first. A visitor opens a timeline of the relations to see where they stand and what
happened lately; the agreements register and the updates list are newest first too, and the year
navigation takes one click to reach the early years. Entries on the same day follow the reverse of
the order in which such things usually happen (an update reports an event; an agreement comes into
force after it is signed), then the newest record first: the order is total, so pagination never
shows an entry twice or skips one. A date known only to the month or the year is stored as the first
day of its period (``dates.normalise``) and sorts there: "2007" comes after every dated 2007 entry.

Filters (plain GET parameters, as on the agreements register): ``area`` (the area page's slug in
the current language, or its pk) and ``year`` (1 to 9999). A value that does not validate is left
out and its name listed in ``ignored``, which the page states; ``page=abc`` or ``page=999999``
gives the nearest page with a notice (``pagination.paginate``).

Queries: a fixed number whatever the number of agreements, events and updates: the entries per
year and the entries per area (each one UNION ALL of the five sources' grouped counts; the years'
counts also give the number of entries), kept until the next publication (``kept.kept_lookup``);
the page's rows (the UNION ALL of the five sources, ordered, with LIMIT/OFFSET); then the page's
agreements, events and updates, one query per kind present on the page.

The page types give the sources (``Sources``): the published agreements and events, and the live,
public, unexpired updates; the lists never import the page types.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, F, Value
from django.db.models.functions import ExtractYear
from django.utils.translation import pgettext_lazy

from relations.core.language import LANGUAGE_CODES
from relations.models.agreements import Agreement
from relations.models.events import Event

from .facets import area_facet, area_values
from .kept import kept_lookup
from .pagination import paginate

PER_PAGE = 50
TIMELINE_PARAMETERS = ("area", "year", "page")

SIGNED = "signed"
RATIFIED = "ratified"
IN_FORCE = "in_force"
EVENT = "event"
UPDATE = "update"

KIND_LABELS = {
    SIGNED: pgettext_lazy("timeline entry", "Signature"),
    RATIFIED: pgettext_lazy("timeline entry", "Ratification"),
    IN_FORCE: pgettext_lazy("timeline entry", "Entry into force"),
    EVENT: pgettext_lazy("timeline entry", "Event"),
    UPDATE: pgettext_lazy("timeline entry", "Update"),
}

# Among entries of the same day, which comes first (newest first: the later step of a story first).
RANK = {UPDATE: 0, EVENT: 1, IN_FORCE: 2, RATIFIED: 3, SIGNED: 4}
AGREEMENT_KINDS = (SIGNED, RATIFIED, IN_FORCE)

_YEAR = re.compile(r"[0-9]{1,4}")  # ASCII digits only: int() would also read "２０１６"
COLUMNS = ("entry_kind", "entry_rank", "entry_pk", "entry_date", "entry_precision")


@dataclass
class Entry:
    """One line of the timeline: ``obj`` is the agreement, event or update page it comes from."""

    kind: str
    date: datetime.date
    precision: str
    obj: object

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def year(self):
        return self.date.year


def _plain_values(queryset, *fields):
    """``values(*fields)`` with the columns in that order, as Django selects them.

    The models' managers are modeltranslation's, whose ``values()`` passes the names through a set
    (to add the translated columns): the order of the columns then changes from one process to the
    next. A UNION matches its parts' columns by position, so each part must select them in order.
    """
    return models.QuerySet.values(queryset, *fields)


@dataclass
class Sources:
    """What the timeline lists, as the page types give it: querysets of the published agreements
    and events, and of the live, public, unexpired update pages."""

    agreements: object
    events: object
    updates: object


def _sources(bases, area=None):
    """``(queryset, date field, precision field, kind)`` for each of the five kinds of entry."""
    agreements, events, updates = bases.agreements, bases.events, bases.updates
    if area is not None:
        agreements = agreements.filter(areas=area.pk)
        events = events.filter(areas=area.pk)
        updates = updates.filter(areas=area.pk)
    return [
        (agreements.filter(signed_on__isnull=False), "signed_on", "signed_precision", SIGNED),
        (agreements.filter(ratified_on__isnull=False), "ratified_on", "ratified_precision", RATIFIED),
        (agreements.filter(in_force_on__isnull=False), "in_force_on", "in_force_precision", IN_FORCE),
        (events.filter(start_date__isnull=False), "start_date", "date_precision", EVENT),
        (updates.filter(date__isnull=False), "date", "date_precision", UPDATE),
    ]


def _in_year(queryset, field, year):
    if year is None:
        return queryset
    return queryset.filter(
        **{f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lte": datetime.date(year, 12, 31)}
    )


def _counts_by(queryset, key):
    """``(key, entry_count)`` rows: the entries of ``queryset`` counted by ``key``."""
    grouped = _plain_values(queryset.order_by(), key).annotate(entry_count=Count("pk"))
    return _plain_values(grouped, key, "entry_count")


def _year_counts(sources):
    """``[(year, count)]``, newest year first: one query (the per-source counts, UNION ALL)."""
    parts = [
        _counts_by(queryset.annotate(entry_year=ExtractYear(field)), "entry_year")
        for queryset, field, _precision, _kind in sources
    ]
    counts = defaultdict(int)
    for row in parts[0].union(*parts[1:], all=True):
        # int(): PostgreSQL's EXTRACT gives a numeric.
        counts[int(row["entry_year"])] += row["entry_count"]
    return sorted(counts.items(), reverse=True)


def _area_counts(sources, year):
    """Area pk → entries in that area (in ``year`` when given): one query, as for the years."""
    parts = [
        _counts_by(_in_year(queryset, field, year).filter(areas__isnull=False), "areas")
        for queryset, field, _precision, _kind in sources
    ]
    counts = defaultdict(int)
    for row in parts[0].union(*parts[1:], all=True):
        counts[row["areas"]] += row["entry_count"]
    return counts


def _part_querysets(sources, year):
    """Each kind of entry as ``COLUMNS``, unordered: the union orders them (``_page_rows``)."""
    parts = []
    for queryset, field, precision, kind in sources:
        part = _plain_values(
            _in_year(queryset, field, year)
            .annotate(
                entry_kind=Value(kind, output_field=models.CharField()),
                entry_rank=Value(RANK[kind], output_field=models.IntegerField()),
                entry_pk=F("pk"),
                entry_date=F(field),
                entry_precision=F(precision),
            )
            .order_by(),
            *COLUMNS,
        )
        parts.append(part)
    return parts


def _page_rows(sources, year):
    """Every entry as ``COLUMNS`` dicts, in the timeline's total order: for the paginator."""
    parts = _part_querysets(sources, year)
    return parts[0].union(*parts[1:], all=True).order_by("-entry_date", "entry_rank", "-entry_pk")


def _entries(rows, bases):
    """The page's rows as ``Entry`` objects: one query per kind of object on the page."""
    wanted = defaultdict(list)
    for row in rows:
        wanted[_group(row["entry_kind"])].append(row["entry_pk"])
    fetchers = {
        "agreement": Agreement.objects.in_bulk,
        EVENT: Event.objects.in_bulk,
        UPDATE: bases.updates.model.objects.defer_streamfields().in_bulk,
    }
    objects = {group: fetchers[group](pks) for group, pks in wanted.items()}
    entries = []
    for row in rows:
        obj = objects[_group(row["entry_kind"])].get(row["entry_pk"])
        day = row["entry_date"]
        if isinstance(day, str):  # SQLite may give the dates of a UNION as text
            day = datetime.date.fromisoformat(day)
        entries.append(Entry(row["entry_kind"], day, row["entry_precision"], obj))
    return entries


def _group(entry_kind):
    return "agreement" if entry_kind in AGREEMENT_KINDS else entry_kind


def _group_by_year(entries):
    groups = []
    for entry in entries:
        if not groups or groups[-1][0] != entry.year:
            groups.append((entry.year, []))
        groups[-1][1].append(entry)
    return groups


def _clean_year(raw):
    match = _YEAR.fullmatch(raw.strip())
    year = int(match.group(0)) if match else 0
    return year if 1 <= year <= 9999 else None


def _filters(params, areas, language):
    """``(area, year, active, ignored)`` from the query parameters: an invalid value is ignored."""
    area_by_value = area_values(areas, language)
    ignored, active, area, year = [], {}, None, None
    raw_area = params.get("area") or ""
    if raw_area:
        area = area_by_value.get(raw_area)
        if area is None:
            ignored.append("area")
        else:
            active["area"] = raw_area
    raw_year = params.get("year") or ""
    if raw_year:
        year = _clean_year(raw_year)
        if year is None:
            ignored.append("year")
        else:
            active["year"] = str(year)
    return area, year, active, ignored


def _facets(areas, area, area_counts, years, year, area_query, language):
    """The area and year facets, as the other lists show theirs, and the year links."""
    if year is not None and year not in dict(years):  # a valid year with nothing in it: still shown
        years = sorted([*years, (year, 0)], reverse=True)
    return {
        "area_facet": area_facet(areas, area_counts, area.pk if area else None, language),
        "year_facet": [(str(value), str(value), count, value == year) for value, count in years],
        "year_links": [
            {"year": value, "url": "?" + urlencode({**area_query, "year": value}), "current": value == year}
            for value, _count in years
        ],
    }


def build_timeline(params, language, areas, bases):
    """The template context of the timeline page for the query parameters ``params``.

    ``areas``: the live area pages the ``area`` filter may name; ``bases``: the ``Sources``.
    """
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    area, year, active, ignored = _filters(params, areas, language)
    area_pk = area.pk if area else None
    # Counting the entries of every year and area reads every row: kept until the next publication.
    years = kept_lookup(("timeline-years", area_pk), lambda: _year_counts(_sources(bases, area)))
    area_counts = kept_lookup(("timeline-areas", year), lambda: _area_counts(_sources(bases), year))
    # Every entry has a date, hence a year: the year counts give the number of entries.
    total = dict(years).get(year, 0) if year is not None else sum(count for _year, count in years)
    rows = _page_rows(_sources(bases, area), year)
    page, page_adjusted = paginate(rows, params.get("page"), per_page=PER_PAGE, count=total)
    entries = _entries(list(page.object_list), bases)
    area_query = {"area": active["area"]} if "area" in active else {}
    return {
        "entries": entries,
        "entry_groups": _group_by_year(entries),
        "entries_page": page,
        "result_count": page.paginator.count,
        "page_adjusted": page_adjusted,
        "ignored": ignored,
        "active": active,
        "querystring": urlencode(active),
        "is_filtered": bool(active),
        **_facets(areas, area, area_counts, years, year, area_query, language),
        "all_years_url": "?" + urlencode(area_query),
        "selected_area": area,
        "selected_year": year,
    }

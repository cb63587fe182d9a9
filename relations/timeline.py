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
gives the nearest page with a notice (``filters.paginate``).

Queries: a fixed number whatever the number of agreements, events and updates: the entries per
year and the entries per area (each one UNION ALL of the five sources' grouped counts; the years'
counts also give the number of entries), kept until the next publication with the live areas and
whether any page is under a view restriction (``relations.cache.shared_lookup``); the page's rows
(the UNION ALL ordered by date, with LIMIT/OFFSET); then the page's agreements, events and
updates, one query per kind present on the page. Plain SQL that SQLite and PostgreSQL both run
(the per-source parts carry no ORDER BY or LIMIT, which SQLite refuses there).
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection, models
from django.db.models import Count, F, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .filters import CountedRows, kept_lookup, listed_items, paginate
from .models import LANGUAGE_CODES, Agreement, Event, UpdatePage, live_areas, public_pages, translated_value

PER_PAGE = 50

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


def _bases():
    """The published agreements, the published events and the live, public, unexpired updates.

    ``public()`` (pages under a view restriction left out) runs its query here, once, when any page
    has a restriction.
    """
    return (
        Agreement.objects.published(),
        Event.objects.published(),
        public_pages(UpdatePage.objects.live()).exclude(expire_at__lte=timezone.now()),
    )


def _sources(bases, area=None):
    """``(queryset, date field, precision field, kind)`` for each of the five kinds of entry."""
    agreements, events, updates = bases
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
    """Each kind of entry as ``COLUMNS``, newest first."""
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
            .order_by(F(field).desc(), "-pk"),
            *COLUMNS,
        )
        parts.append(part)
    return parts


def _parts(sources, year):
    """The SQL and parameters of each kind of entry (``_page_rows``)."""
    return [part.query.sql_with_params() for part in _part_querysets(sources, year)]


def _page_rows(parts, limit, offset):
    """``limit`` entries from ``offset``, newest first, as ``COLUMNS`` dicts: the UNION ALL of the
    first ``offset + limit`` entries of each kind, in a total order.

    Each kind's entries are taken newest first and cut at ``offset + limit`` before the union, so
    that the database walks the index of their date (agreements' signatures, events, updates) and
    stops there, instead of sorting every entry of the five kinds on each request (4 ms at 10,000
    rows of each). Within a kind the rank is the same: its first entries in the page's order are
    its newest. The parts' SQL is built once per publication (``kept_lookup``: building and
    compiling them took 3 ms a request); it holds the moment it was built at and is built again at
    the next publication, the next day and the next expiry.
    """
    wanted = offset + limit
    # Built from the parts' compiled SQL; every value is a parameter.
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({part_sql} LIMIT %s) AS part{number}"  # noqa: S608
        for number, (part_sql, _params) in enumerate(parts)
    )
    sql += " ORDER BY entry_date DESC, entry_rank ASC, entry_pk DESC LIMIT %s OFFSET %s"
    params = [value for _sql, part_params in parts for value in (*part_params, wanted)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["entry_date"], str):  # SQLite gives dates as text
            row["entry_date"] = datetime.date.fromisoformat(row["entry_date"])
    return rows


def _entries(rows):
    """The page's rows as ``Entry`` objects. Their objects are ``ListedItem``s: read only for the
    entries whose HTML is not kept (``item`` tag), one query per kind of object on the page."""
    wanted = defaultdict(list)
    for row in rows:
        group = "agreement" if row["entry_kind"] in AGREEMENT_KINDS else row["entry_kind"]
        wanted[group].append(row["entry_pk"])
    fetchers = {
        "agreement": Agreement.objects.in_bulk,
        EVENT: Event.objects.in_bulk,
        UPDATE: UpdatePage.objects.defer_streamfields().in_bulk,
    }
    items = {
        group: {item.pk: item for item in listed_items(pks, fetchers[group])} for group, pks in wanted.items()
    }
    return [
        Entry(
            row["entry_kind"],
            row["entry_date"],
            row["entry_precision"],
            items["agreement" if row["entry_kind"] in AGREEMENT_KINDS else row["entry_kind"]][
                row["entry_pk"]
            ],
        )
        for row in rows
    ]


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


def build_timeline(params, language):
    """The template context of the timeline page for the query parameters ``params``."""
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    areas = live_areas()
    area_by_value = {}
    for area in areas:
        area_by_value[str(area.pk)] = area
        slug = getattr(area, f"slug_{language}", None) or area.slug_fr
        if slug:
            area_by_value.setdefault(slug, area)

    ignored = []
    active = {}
    area = None
    raw_area = params.get("area") or ""
    if raw_area:
        area = area_by_value.get(raw_area)
        if area is None:
            ignored.append("area")
        else:
            active["area"] = raw_area
    year = None
    raw_year = params.get("year") or ""
    if raw_year:
        year = _clean_year(raw_year)
        if year is None:
            ignored.append("year")
        else:
            active["year"] = str(year)

    area_pk = area.pk if area else None
    # Counting the entries of every year and area reads every row, and building the UNION of the
    # page's rows takes longer than running it: kept until the next publication
    # (``filters.kept_lookup``); the page's rows are read on each request.
    years = kept_lookup(("timeline-years", area_pk), lambda: _year_counts(_sources(_bases(), area)))
    area_counts = kept_lookup(("timeline-areas", year), lambda: _area_counts(_sources(_bases()), year))
    parts = kept_lookup(("timeline-rows", area_pk, year), lambda: _parts(_sources(_bases(), area), year))
    # Every entry has a date, hence a year: the year counts give the number of entries, and the
    # paginator needs no COUNT query of its own.
    total = dict(years).get(year, 0) if year is not None else sum(count for _year, count in years)
    rows = CountedRows(total, lambda limit, offset: _page_rows(parts, limit, offset))
    page, page_adjusted = paginate(rows, params.get("page"), per_page=PER_PAGE)
    entries = _entries(list(page.object_list))

    # Facets as the other lists' filters show them: (value, label, count, selected).
    area_facet = [
        (
            getattr(choice, f"slug_{language}", None) or choice.slug_fr or str(choice.pk),
            translated_value(choice, "title", language),
            area_counts.get(choice.pk, 0),
            area is not None and choice.pk == area.pk,
        )
        for choice in areas
    ]
    if year is not None and year not in dict(years):  # a valid year with nothing in it: still shown
        years = sorted([*years, (year, 0)], reverse=True)
    year_facet = [(str(value), str(value), count, value == year) for value, count in years]
    area_query = {"area": active["area"]} if "area" in active else {}
    year_links = [
        {"year": value, "url": "?" + urlencode({**area_query, "year": value}), "current": value == year}
        for value, _count in years
    ]
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
        "area_facet": area_facet,
        "year_facet": year_facet,
        "year_links": year_links,
        "all_years_url": "?" + urlencode(area_query),
        "selected_area": area,
        "selected_year": year,
    }

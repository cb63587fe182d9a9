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

The events page works the same way (``filter_events``, ``events_page``): ``area``, ``kind``,
``country`` and ``city`` filters with their counts, upcoming events first, the archive one year
at a time (``year``), ``page`` within it, ``show=upcoming`` or ``show=undated`` for one section.
"""

import datetime
import re
import unicodedata
from functools import cached_property
from urllib.parse import urlencode

import django_filters

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, CharField, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Lower, NullIf
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from .cache import NOT_KEPT, shared_lookup, shared_value
from .dates import DatePrecision, period_end
from .models import (
    LANGUAGE_CODES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Country,
    Event,
    EventKind,
    Organization,
    live_areas,
    live_areas_prefetch,
    translated_value,
)


def soonest_expiry():
    """The next moment a published agreement or event, or a live page, expires (``expire_at``), or
    None. Visitors stop seeing such an item at that moment, even before ``publish_scheduled``
    unpublishes it (and purges): the counts kept for the lists must be counted again then."""
    from wagtail.models import Page

    def find():
        # One query: the moments at which something is scheduled to expire (few: editors set them).
        now = timezone.now()
        agreements, events, pages = (
            model.objects.filter(live=True, expire_at__gt=now).order_by().values_list("expire_at", flat=True)
            for model in (Agreement, Event, Page)
        )
        return min(agreements.union(events, pages), default=None)

    return shared_lookup(("soonest-expiry",), find, valid_until=lambda soonest: soonest)


def kept_lookup(key, build, today=None):
    """``build()``, for what depends on the published rows: the lists' counts (facets, totals,
    years), their SQL (``kept_rows``), the HTML of their items (the ``item`` tag), the calendars'
    VEVENTs. Kept with the shared lookups (``relations.cache.shared_lookup``) until the next
    publication, the next day (statuses and upcoming events depend on the date: ``today`` is part
    of the key) or the next expiry.

    Counting every row is what made the lists slow at 10,000 rows (one aggregate a facet, 5-16 ms
    each); the rows of a page are still read on every request. ``key`` names what is kept (the
    list and its filters): the shared lookups keep at most ``SHARED_LOOKUP_MAX_ENTRIES``, the
    least recently used forgotten first.
    """
    today = today or datetime.date.today()
    return shared_lookup(("counts", today, *key), build, valid_until=lambda _value: soonest_expiry())


def kept_value(key, today=None):
    """What ``kept_lookup(key, ...)`` keeps, or ``NOT_KEPT``, without building it."""
    return shared_value(("counts", today or datetime.date.today(), *key))


def _built(queryset):
    return queryset() if callable(queryset) else queryset


def kept_rows(key, queryset, limit=None, offset=0):
    """``list(queryset)`` (a short list of published rows: a slice, or ``limit`` rows from
    ``offset``), with its SQL built once per publication and language and run as a raw query on
    each request. ``queryset`` may be a function returning it: it is then built only when its SQL
    is not kept (building a page's querysets took 1-3 ms a request: the filters, ``EXISTS``).

    Django builds and compiles a query's SQL anew on every request: 0.5–1 ms for these querysets
    (the translated columns, the ``published()`` conditions, the orderings), more than running them.
    Kept with the counts (``kept_lookup``): the SQL holds the moment and the day it was built at,
    and is built again at the next publication, the next day and the next expiry, so no item can
    expire between that moment and its use. ``key`` names the list. With ``limit``
    the SQL is kept once for all the list's pages (about 2 kB each).
    """

    def compile_sql():
        built = _built(queryset)
        if built.query.select_related or built._prefetch_related_lookups:
            return None  # a raw query would read the related rows one by one: left to the ORM
        return (built.model, built.db, *built.query.sql_with_params())

    # A list's pages (``limit``) and a list of its own keep apart even under the same ``key``.
    kind = "rows" if limit is None else "pages"
    kept = kept_lookup(("sql", kind, get_language(), *key), compile_sql)
    if kept is None:
        built = _built(queryset)
        return list(built if limit is None else built[offset : offset + limit])
    model, db, sql, params = kept
    if limit is not None:
        sql, params = f"{sql} LIMIT %s OFFSET %s", (*params, limit, offset)
    return list(model.objects.raw(sql, params, using=db))


class ListedItem:
    """A row of a list that templates show only through the ``item`` tag: its primary key, read on
    each request, and its object, read (``listed_object``) only when the item's HTML is not kept.

    Building the model instances took most of a list's time once its SQL and its items' HTML were
    kept (60 µs a row: modeltranslation's and modelcluster's ``__init__``; the events page shows
    up to 90). Any other attribute reads the object, so a template that needs more still works.
    """

    __slots__ = ("pk", "_load")

    def __init__(self, pk, load):
        self.pk = pk
        self._load = load

    @property
    def listed_object(self):
        return self._load(self.pk)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.listed_object, name)

    def __repr__(self):
        return f"<ListedItem {self.pk}>"


def listed_items(pks, fetch):
    """``ListedItem``s for ``pks``; the first object asked for reads all of them with
    ``fetch(pks)`` (a ``{pk: object}``), in one query. An item unpublished between the two reads
    gives None."""
    objects = None

    def load(pk):
        nonlocal objects
        if objects is None:
            objects = fetch(pks)
        return objects.get(pk)

    return [ListedItem(pk, load) for pk in pks]


def as_object(row):
    """The object of a row of ``kept_items`` (read now if it is a ``ListedItem``), or None."""
    return row.listed_object if isinstance(row, ListedItem) else row


def kept_entries(rows, key, build):
    """What is kept for each of ``rows`` (from ``kept_items``: an Atom entry, an API item's JSON)
    under ``key(pk)``, in the rows' order. ``build(objects)`` builds the missing ones at once (in
    the objects' order; called even when none is missing), their objects read in one query. A row
    unpublished between the two reads is left out."""
    kept = {row.pk: kept_value(key(row.pk)) for row in rows}
    missing = [obj for obj in (as_object(row) for row in rows if kept[row.pk] is NOT_KEPT) if obj is not None]
    for obj, entry in zip(missing, build(missing), strict=True):
        kept[obj.pk] = kept_lookup(key(obj.pk), lambda entry=entry: entry)
    return [kept[row.pk] for row in rows if kept[row.pk] is not NOT_KEPT]


def kept_items(key, queryset, limit=None, offset=0):
    """``kept_rows`` for a list whose items are kept as they are shown (the HTML of the ``item``
    tag, a feed's entries and VEVENTs, the API's JSON): as ``ListedItem``s once the list was shown
    since the last publication; the first time, as objects, so that its items can be built without
    another query.

    The primary keys' SQL is kept as the rows' is. An item that is not kept (forgotten as the least
    recently used, or never shown: a preview) has its object read, the list's in one query.
    """
    first_time = []
    kept_lookup(("shown", get_language(), *key, limit, offset), lambda: first_time.append(True))
    if first_time:
        return kept_rows(key, queryset, limit, offset)

    def compile_sql():
        keys = _built(queryset)._chain()
        keys._prefetch_related_lookups = ()  # for the objects read, not for their keys
        return (keys.db, *keys.values_list("pk", flat=True).query.sql_with_params())

    kind = "pks" if limit is None else "pages-pks"
    db, sql, params = kept_lookup((kind, get_language(), *key), compile_sql)
    if limit is not None:
        sql, params = f"{sql} LIMIT %s OFFSET %s", (*params, limit, offset)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        pks = [row[0] for row in cursor.fetchall()]

    def fetch(wanted):
        unsliced = _built(queryset)._chain()
        unsliced.query.clear_limits()
        return unsliced.order_by().in_bulk(wanted)

    return listed_items(pks, fetch)


def kept_related(key, queryset):
    """``kept_rows`` for what a page or an item is related to; relations held in memory (a preview
    of a revision) are read as they are."""
    if not isinstance(queryset, QuerySet):
        return list(queryset)
    return kept_rows(key, queryset)


def filters_key(active, leave_out=("sort",)):
    """The valid filters applied, as a hashable key (their order in the URL does not matter)."""
    return tuple(sorted((name, value) for name, value in active.items() if name not in leave_out))


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


def area_values(areas, language):
    """Each area by the values that may name it in a filter: its pk, and its slug in ``language``
    (or the French slug when it has none in that language)."""
    by_value = {}
    for area in areas:
        by_value[str(area.pk)] = area
        slug = getattr(area, f"slug_{language}", None) or area.slug_fr
        if slug:
            by_value.setdefault(slug, area)
    return by_value


def area_facet(areas, counts, selected_pk, language):
    """``(value, label, count, selected)`` for each area, named by its slug in ``language``."""
    return [
        (
            getattr(area, f"slug_{language}", None) or area.slug_fr or str(area.pk),
            translated_value(area, "title", language),
            counts.get(area.pk, 0),
            area.pk == selected_pk,
        )
        for area in areas
    ]


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
        self.area_by_value = area_values(areas, language)
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


class KeptFacets:
    """What the lists' filters share: the valid filters applied (``active``) and their facets,
    counted once per publication (``kept_lookup``) under ``facets_name``."""

    facets_name = None

    def __init__(self, qs, ignored, active, language, form, facets_builder):
        self.qs = qs
        self.ignored = ignored
        self.active = active
        self.querystring = urlencode(active)
        self.language = language
        self.form = form
        self._facets_builder = facets_builder
        self.key = (language, filters_key(active))

    @cached_property
    def facets(self):
        def build():
            with override(self.language):
                return self._facets_builder()

        return kept_lookup((self.facets_name, *self.key), build)


class AgreementFilters(KeptFacets):
    """What ``filter_agreements`` returns.

    ``qs``: the filtered, sorted published agreements (annotated with ``current_status``; the
    exports prefetch their parties and areas: ``with_lists``); ``count``: how many (kept with the
    facets: ``kept_lookup``); ``ignored``: parameter names whose values were invalid and left
    out; ``facets`` (computed when first read: one query a facet): facet name → list of
    ``(value, label, count, selected)``; ``active``: the valid parameters applied (name → value
    as given); ``querystring``: those, URL-encoded (for the export links and the pagination);
    ``sort``: the sort applied; ``sort_choices``: ``(value, label, selected)``.
    """

    facets_name = "agreement-facets"

    def __init__(self, qs, ignored, active, sort, language, form, facets_builder):
        super().__init__(qs, ignored, active, language, form, facets_builder)
        self.sort = sort

    @cached_property
    def count(self):
        """The number of agreements the filters give (kept as the facets are)."""
        return kept_lookup(("agreement-count", *self.key), self.qs.count)

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
    """Parties (by name) and live areas (in tree order) prefetched: two queries for any number.
    For the exports, which list them; the register's items show neither."""
    return queryset.prefetch_related(
        Prefetch("parties", queryset=Organization.objects.order_by("name_fr", "pk")),
        live_areas_prefetch(),
    )


def filter_agreements(params, language):
    """Filters the published agreements by the query parameters ``params`` (a QueryDict or dict).

    Runs a fixed number of queries whatever the number of agreements: the live areas and the
    organisations party to a published agreement now, one count per facet when ``.facets`` is
    first read, and the agreements when ``.qs`` is evaluated.
    """
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    with override(language):
        base = published_agreements()
        # The choices change only when an editor publishes: kept until then (relations/cache.py).
        areas = live_areas()
        parties = shared_lookup(
            ("agreement-parties",),
            lambda: list(
                Organization.objects.filter(
                    pk__in=Agreement.parties.through.objects.filter(agreement__in=base).values(
                        "organization_id"
                    )
                ).order_by("name_fr", "pk")
            ),
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
    areas_choices = area_facet(areas, counts, selected_area, language)

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
    return {"area": areas_choices, "kind": kind_facet, "status": status_facet, "party": party_facet}


class CountedRows:
    """What the paginator slices, when the number of rows is known: ``fetch(limit, offset)`` reads
    a page's rows (kept SQL for the lists, ``kept_rows``; the timeline's UNION)."""

    def __init__(self, total, fetch):
        self.total = total
        self.fetch = fetch

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, key):
        start, stop = key.start or 0, key.stop  # the paginator asks for slices with both ends
        return self.fetch(stop - start, start) if stop > start else []


def paginate(queryset, raw_page, per_page=20, count=None, kept_key=None):
    """``(page, adjusted)``: ``page=abc`` gives the first page, ``page=999999`` the last one;
    ``adjusted`` tells that the page asked for was not the page given. ``count``: the number of
    rows when the caller knows it already (saves the paginator's COUNT query). ``kept_key``
    (with ``count``): the pages' SQL is kept between publications under that key, and their rows
    read as primary keys once shown (``kept_items``: the items must be shown through the ``item``
    tag); it must name everything the queryset depends on (filters, sort, the day)."""
    if kept_key is not None and count is not None:
        kept = queryset
        queryset = CountedRows(count, lambda limit, offset: kept_items(kept_key, kept, limit, offset))
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed again
    try:
        number = int(str(raw_page).strip()) if raw_page not in (None, "") else 1
    except ValueError:
        return paginator.page(1), True
    clamped = min(max(number, 1), paginator.num_pages)
    return paginator.page(clamped), clamped != number


# --------------------------------------------------------------------------------------
# The events calendar: filters, sections, the archive one year at a time
# --------------------------------------------------------------------------------------

EVENT_FACETS = ("area", "kind", "country", "city")
EVENT_SECTIONS = ("upcoming", "undated")  # the values of ``show``: one section alone, paginated
EVENTS_PER_PAGE = 50  # a page of a year of the archive, or of a section shown alone
EVENTS_ON_OVERVIEW = 20  # upcoming (and undated) events on the overview before "see them all"
_YEAR = re.compile(r"[0-9]{1,4}")
UPCOMING_BUCKET, UNDATED_BUCKET = -1, 0  # beside the years in the query counting the sections


def event_city(language):
    """The city as visitors read it in ``language`` (the French one when it is not translated);
    NULL when the event names no city."""
    french = NullIf(F("city_fr"), Value(""))
    if language == "fr":
        return french
    return Coalesce(NullIf(F(f"city_{language}"), Value("")), french, output_field=CharField())


def _plain(text):
    """A sort key that ignores case and accents: Montréal beside Montreal, Séoul before Sokcho."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold(), text


class EventFilterSet(django_filters.FilterSet):
    """Filters of the events page; the queryset must be annotated with ``city_name`` (``event_city``)."""

    area = django_filters.ChoiceFilter(method="filter_area", label=_("area"))
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("kind"))
    country = django_filters.ChoiceFilter(field_name="country", label=_("country"))
    city = django_filters.ChoiceFilter(field_name="city_name", label=_("city"))

    class Meta:
        model = Event
        fields = []

    def __init__(self, data=None, queryset=None, *, language, areas, countries, cities, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.language = language
        self.area_by_value = area_values(areas, language)
        self.filters["area"].extra["choices"] = [
            (value, str(area)) for value, area in self.area_by_value.items()
        ]
        self.filters["country"].extra["choices"] = countries
        self.filters["city"].extra["choices"] = [(city, city) for city in cities]

    def filter_area(self, queryset, name, value):
        return queryset.filter(areas=self.area_by_value[value].pk)

    def apply(self, queryset, cleaned):
        for name, value in cleaned.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset


class EventFilters(KeptFacets):
    """What ``filter_events`` returns.

    ``qs``: the filtered published events (annotated with ``city_name``, not ordered: the page
    takes its sections from it); ``ignored``: parameter names whose values were invalid, or given
    twice with different values, and left out; ``facets`` (computed when first read: one query a
    facet): facet name → list of ``(value, label, count, selected)``; ``active``: the valid
    filters applied (name → value as given); ``querystring``: those, URL-encoded.
    """

    facets_name = "event-facets"

    @property
    def is_filtered(self):
        return bool(self.active)


def _given(params, name):
    """``(value, conflicting)``: the parameter's value ('' when absent or empty); ``conflicting``
    when it is given several times with different values (``kind=summit&kind=festival``)."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    values = {value for value in values if value not in (None, "")}
    if len(values) > 1:
        return "", True
    return (values.pop() if values else ""), False


def filter_events(params, language):
    """Filters the published events by ``area``, ``kind``, ``country`` and ``city`` in ``params``.

    Choices: the live areas (by slug in ``language``), every kind, the countries and the cities
    (as read in ``language``, exact match) that published events have. A value that is not a
    choice is left out and named in ``.ignored``. Runs one query (the countries and cities in use;
    the live areas are kept until the next publication), then one a facet when ``.facets`` is read.
    """
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    with override(language):
        base = Event.objects.published().annotate(city_name=event_city(language))
        # The areas change only when an editor publishes: kept until then, as for the agreements.
        areas = live_areas()
        places = kept_lookup(
            ("event-places", language),
            lambda: set(base.order_by().values_list("country", "city_name").distinct()),
        )
        used_countries = {country for country, _city in places if country}
        countries = [(value, str(label)) for value, label in Country.choices if value in used_countries]
        cities = sorted({city for _country, city in places if city}, key=_plain)

        data, conflicting = {}, set()
        for name in EventFilterSet.base_filters:
            value, repeated = _given(params, name)
            if repeated:
                conflicting.add(name)
            elif value:
                data[name] = value
        filterset = EventFilterSet(
            data, queryset=base, language=language, areas=areas, countries=countries, cities=cities
        )
        form = filterset.form
        form.is_valid()
        ignored = [name for name in filterset.filters if name in form.errors or name in conflicting]
        cleaned = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        active = {name: data[name] for name in cleaned}

        return EventFilters(
            qs=filterset.apply(base, cleaned),
            ignored=ignored,
            active=active,
            language=language,
            form=form,
            facets_builder=lambda: _event_facets(
                filterset, base, cleaned, areas, countries, cities, language
            ),
        )


def _event_facets(filterset, base, cleaned, areas, countries, cities, language):
    selected_area = filterset.area_by_value[cleaned["area"]].pk if "area" in cleaned else None
    counts = _counts(filterset, base, cleaned, "area", "areas")
    facets = {"area": area_facet(areas, counts, selected_area, language)}
    counts = _counts(filterset, base, cleaned, "kind", "kind")
    facets["kind"] = [
        (value, str(label), counts.get(value, 0), cleaned.get("kind") == value)
        for value, label in EventKind.choices
    ]
    counts = _counts(filterset, base, cleaned, "country", "country")
    facets["country"] = [
        (value, label, counts.get(value, 0), cleaned.get("country") == value) for value, label in countries
    ]
    counts = _counts(filterset, base, cleaned, "city", "city_name")
    facets["city"] = [(city, city, counts.get(city, 0), cleaned.get("city") == city) for city in cities]
    return facets


def _link(active, **extra):
    """``?<active filters>&<extra>`` (empty extras left out)."""
    return "?" + urlencode(
        {**active, **{name: value for name, value in extra.items() if value not in (None, "")}}
    )


def events_page(params, language, today=None):
    """The context of the events page for the query parameters ``params``.

    The overview: the first ``EVENTS_ON_OVERVIEW`` upcoming events (soonest first) and undated
    ones, each with a link to the whole section (``show=upcoming`` or ``show=undated``,
    ``EVENTS_PER_PAGE`` a page), then the past events of one year (``year``, by default the most
    recent year with past events, ``EVENTS_PER_PAGE`` a page) and the list of the years that have
    past events, with their counts. The filters apply to every section. Bad values never fail:
    an invalid ``year``, ``show`` or filter is ignored and named (``filters.ignored``), a page out
    of range gives the nearest page (``page_adjusted``), a year without past events the most
    recent one (``year_adjusted``: the year asked for).

    A fixed number of queries whatever the number of events: those of ``filter_events``, then on
    the overview one for the counts (of the upcoming, the undated and each year's past events),
    one for the upcoming events, one for the undated ones and one for the page of the archive.
    """
    filters = filter_events(params, language)
    language = filters.language
    today = today or datetime.date.today()
    active = filters.active

    show, repeated = _given(params, "show")
    if repeated or (show and show not in EVENT_SECTIONS):
        filters.ignored.append("show")
        show = ""
    raw_page, repeated = _given(params, "page")
    if repeated:
        filters.ignored.append("page")
        raw_page = ""

    events = filters.qs
    upcoming = events.upcoming(today)
    title = F("title_fr")
    if language != "fr":
        title = Coalesce(NullIf(F(f"title_{language}"), Value("")), F("title_fr"), output_field=CharField())
    undated = events.undated().order_by(Lower(title), "pk")

    # One query counts every section: upcoming (bucket -1), undated (0) and each past year; kept
    # until the next publication or the next day (``kept_lookup``).
    buckets = Case(
        When(last_day__gte=today, then=Value(UPCOMING_BUCKET)),
        When(start_date__isnull=True, then=Value(UNDATED_BUCKET)),
        When(last_day__lt=today, then=ExtractYear("start_date")),
        default=None,
        output_field=IntegerField(),
    )
    counts = dict(
        kept_lookup(
            ("event-sections", *filters.key),
            lambda: {
                row["bucket"]: row["count"]
                for row in events.order_by()
                .annotate(bucket=buckets)
                .values("bucket")
                .annotate(count=Count("pk", distinct=True))
            },
            today=today,
        )
    )
    upcoming_count = counts.pop(UPCOMING_BUCKET, 0)
    undated_count = counts.pop(UNDATED_BUCKET, 0)

    context = {"filters": filters, "show": show, "page_adjusted": False}
    if show:
        section, adjusted = paginate(
            upcoming if show == "upcoming" else undated,
            raw_page,
            EVENTS_PER_PAGE,
            count=upcoming_count if show == "upcoming" else undated_count,
            kept_key=("events", show, today, *filters.key),
        )
        context.update(
            {
                "section_events": section,
                "current_page": section,
                "section_querystring": urlencode({**active, "show": show}),
                "result_count": section.paginator.count,
                "page_adjusted": adjusted,
            }
        )
        return context

    raw_year, repeated = _given(params, "year")
    year = None
    if raw_year and _YEAR.fullmatch(raw_year.strip()) and int(raw_year) > 0:
        year = int(raw_year)
    elif raw_year or repeated:
        filters.ignored.append("year")

    past_years = sorted(((year, count) for year, count in counts.items() if year), reverse=True)
    per_year = dict(past_years)
    past = events.past(today)
    archive_year = year if year in per_year else (past_years[0][0] if past_years else None)
    if archive_year is not None:
        archive = past.filter(start_date__year=archive_year)
        archive_events, adjusted = paginate(
            archive,
            raw_page,
            EVENTS_PER_PAGE,
            count=per_year[archive_year],
            kept_key=("events", archive_year, today, *filters.key),
        )
    else:
        archive_events, adjusted = paginate(Event.objects.none(), raw_page, EVENTS_PER_PAGE, count=0)

    context.update(
        {
            "upcoming_events": kept_items(
                ("events-overview", "upcoming", today, *filters.key), upcoming[:EVENTS_ON_OVERVIEW]
            ),
            "upcoming_count": upcoming_count,
            "upcoming_url": _link(active, show="upcoming"),
            "undated_events": kept_items(
                ("events-overview", "undated", *filters.key), undated[:EVENTS_ON_OVERVIEW]
            ),
            "undated_count": undated_count,
            "undated_url": _link(active, show="undated"),
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
            "result_count": upcoming_count + undated_count + sum(per_year.values()),
        }
    )
    return context

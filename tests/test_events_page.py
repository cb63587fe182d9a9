"""The events page: filters (area, kind, country, city) with their counts, upcoming events first,
the archive one year at a time, bounded lists, junk parameters, a fixed number of queries."""

import datetime
import re
from html import unescape
from urllib.parse import quote

import pytest

from django.core.cache import caches
from django.http import QueryDict
from django.utils import timezone

from relations.listings.events import EVENTS_ON_OVERVIEW, EVENTS_PER_PAGE, events_page
from relations.models import Event, EventKind, live_areas
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LAST_YEAR = TODAY.year - 1
INDEX = {"fr": "/fr/evenements/", "en": "/en/events/"}


@pytest.fixture
def calendar(tree):
    """Two upcoming events, two past ones (last year and 2016), one undated; a draft and an
    expired event that must never show."""
    c = type("Calendar", (), {})()
    c.tree = tree
    c.summit = factories.EventFactory(
        title_fr="Sommet de Séoul",
        title_en="Seoul Summit",
        kind=EventKind.SUMMIT,
        start_date=TODAY + datetime.timedelta(days=3),
        areas=[tree.economy],
    )
    c.festival = factories.EventFactory(
        title_fr="Festival de Montréal",
        title_en="Montréal festival",
        kind=EventKind.FESTIVAL,
        start_date=TODAY + datetime.timedelta(days=40),
        end_date=TODAY + datetime.timedelta(days=43),
        city_fr="Montréal",
        city_en="Montreal",
        country="CA",
        timezone="America/Toronto",
        areas=[tree.culture],
    )
    c.market = factories.EventFactory(
        title_fr="Marché des arts",
        title_en="Arts market",
        kind=EventKind.MARKET,
        start_date=datetime.date(LAST_YEAR, 5, 1),
        areas=[tree.culture],
    )
    c.conference = factories.EventFactory(
        title_fr="Conférence de Busan",
        title_en="Busan conference",
        kind=EventKind.CONFERENCE,
        start_date=datetime.date(2016, 10, 1),
        city_fr="Busan",
        city_en="",  # no English name: English readers see the French one
        areas=[tree.economy],
    )
    c.mission = factories.EventFactory(
        title_fr="Mission à Québec",
        title_en="Mission to Québec City",
        kind=EventKind.MISSION,
        start_date=None,
        city_fr="Québec",
        city_en="Quebec City",
        country="CA",
        timezone="America/Toronto",
    )
    c.draft = factories.EventFactory(
        title_fr="Brouillon secret",
        kind=EventKind.SUMMIT,
        start_date=TODAY + datetime.timedelta(days=5),
        city_fr="Paris",
        city_en="Paris",
        country="FR",
        areas=[tree.economy],
        publish=False,
    )
    c.expired = factories.EventFactory(
        title_fr="Sommet expiré",
        kind=EventKind.SUMMIT,
        start_date=datetime.date(2016, 3, 1),
        city_fr="Genève",
        country="CH",
        areas=[tree.economy],
    )
    Event.objects.filter(pk=c.expired.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))
    return c


def make_events(count, prefix, first_day=None, step=7, areas=(), **fields):
    """``count`` live events written at once (no revisions): every ``step`` days from
    ``first_day`` (undated when ``first_day`` is None), kinds, cities and countries in turn."""
    now = timezone.now()
    kinds = [value for value, _label in EventKind.choices]
    places = [("Séoul", "Seoul", "KR"), ("Montréal", "Montreal", "CA"), ("Busan", "", "KR")]
    rows = []
    for n in range(count):
        start = first_day + datetime.timedelta(days=step * n) if first_day else None
        city_fr, city_en, country = places[n % len(places)]
        rows.append(
            Event(
                title=f"Événement {prefix} {n}",
                title_fr=f"Événement {prefix} {n}",
                title_en=f"Event {prefix} {n}",
                slug=f"evenement-{prefix}-{n}",
                slug_fr=f"evenement-{prefix}-{n}",
                slug_en=f"event-{prefix}-{n}",
                summary_fr=f"Résumé {n}.",
                summary_en=f"Summary {n}.",
                kind=kinds[n % len(kinds)],
                start_date=start,
                last_day=start,
                city_fr=city_fr,
                city_en=city_en,
                country=country,
                live=True,
                first_published_at=now,
                last_published_at=now,
                **fields,
            )
        )
    Event.objects.bulk_create(rows)
    created = list(
        Event.objects.filter(slug_fr__startswith=f"evenement-{prefix}-").values_list("pk", flat=True)
    )
    Event.areas.through.objects.bulk_create(
        [Event.areas.through(event_id=pk, areapage_id=area.pk) for pk in created for area in areas]
    )
    return created


def page(client, language="fr", query=""):
    query = quote(query, safe="=&%")
    response = client.get(INDEX[language] + (f"?{query}" if query else ""))
    assert response.status_code == 200, query[:200]
    return response.content.decode()


def main(html):
    return html[html.index("<main") : html.index("</main>")]


def section(html, heading_id):
    """The HTML of the <section> labelled by ``heading_id`` ('' when the page has none)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def titles(html):
    return [unescape(t) for t in re.findall(r'<h\d class="item__title"[^>]*><a [^>]*>([^<]+)</a>', html)]


def notices(html):
    return [
        unescape(re.sub(r"<[^>]+>", "", n)) for n in re.findall(r'<p class="notice"[^>]*>(.*?)</p>', html)
    ]


def options(html, name):
    """value → (text, selected) of the filter ``name``'s options (the empty one left out)."""
    select = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.S).group(1)
    found = {}
    for value, selected, text in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select):
        if value:
            found[unescape(value)] = (unescape(text), bool(selected))
    return found


def run(query="", language="fr"):
    return events_page(QueryDict(query), language, live_areas())


# --------------------------------------------------------------------------------------
# Sections and order
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_upcoming_first_then_undated_then_the_latest_year_of_the_archive(client, calendar, language):
    html = main(page(client, language))
    c = calendar
    names = {"fr": "title_fr", "en": "title_en"}[language]
    shown = titles(html)
    assert shown == [getattr(e, names) for e in (c.summit, c.festival, c.mission, c.market)]
    assert titles(section(html, "upcoming-heading")) == [getattr(c.summit, names), getattr(c.festival, names)]
    assert titles(section(html, "undated-heading")) == [getattr(c.mission, names)]
    archive = section(html, "archive-heading")
    assert titles(archive) == [getattr(c.market, names)]  # 2016 is one click away
    assert f'<span aria-current="page">{LAST_YEAR} (1)</span>' in archive
    assert '<a href="?year=2016">2016 (1)</a>' in archive
    assert ("5 événements" if language == "fr" else "5 events") in html
    assert notices(html) == []


def test_headings_stay_in_order(client, calendar):
    html = main(page(client, "fr", "year=2016"))
    levels = [int(level) for level in re.findall(r"<h(\d)", html)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert '<h3 class="subheading" id="archive-2016">Événements de 2016</h3>' in html
    assert re.search(r'<h4 class="item__title"[^>]*><a href="/fr/evenements/conference-de-busan/">', html)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_calendar_and_atom_links_stay(client, calendar, language):
    for query in ("", "kind=summit&year=2016", "show=upcoming", "kind=junk"):
        html = page(client, language, query)
        head = html[: html.index("</head>")]
        feeds = "/fr/flux/evenements" if language == "fr" else "/en/feeds/events"
        assert re.search(rf'<link rel="alternate" type="text/calendar" [^>]*href="{feeds}.ics"', head), query
        assert re.search(
            rf'<link rel="alternate" type="application/atom\+xml" [^>]*href="{feeds}.atom"', head
        )
        assert f'href="{feeds}.ics" type="text/calendar"' in main(html)


# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------

FILTER_CASES = [
    ("fr", "area=economie", ["summit", "conference"]),
    ("en", "area=economy", ["summit", "conference"]),
    ("fr", "area=culture", ["festival", "market"]),
    ("en", "area=culture", ["festival", "market"]),
    ("fr", "kind=summit", ["summit"]),  # not the draft summit, nor the expired one
    ("en", "kind=market", ["market"]),
    ("fr", "kind=mission", ["mission"]),
    ("fr", "country=CA", ["festival", "mission"]),
    ("en", "country=KR", ["summit", "market", "conference"]),
    ("fr", "city=Montréal", ["festival"]),
    ("en", "city=Montreal", ["festival"]),
    ("fr", "city=Québec", ["mission"]),
    ("en", "city=Quebec City", ["mission"]),
    ("en", "city=Busan", ["conference"]),  # the French name when there is no English one
    ("fr", "city=Séoul", ["summit", "market"]),
    ("en", "city=Seoul", ["summit", "market"]),
    ("fr", "area=culture&kind=festival&country=CA&city=Montréal", ["festival"]),
    ("en", "area=economy&country=CA", []),
]


def test_each_filter_in_both_languages(calendar):
    for language, query, expected in FILTER_CASES:
        context = run(query, language)
        filters = context["filters"]
        assert set(filters.qs) == {getattr(calendar, name) for name in expected}, (language, query)
        assert context["result_count"] == len(expected), (language, query)
        assert filters.ignored == [], (language, query)
        assert filters.is_filtered


@pytest.mark.parametrize(
    ("language", "query", "shown"),
    [
        ("fr", "kind=festival", ["Festival de Montréal"]),
        ("en", "city=Montreal", ["Montréal festival"]),
        ("fr", "country=KR&area=culture", ["Marché des arts"]),
        ("fr", "country=KR&area=economie", ["Sommet de Séoul", "Conférence de Busan"]),  # 2016 only
        ("en", "country=KR&area=economy&year=2016", ["Seoul Summit", "Busan conference"]),
        ("fr", "area=culture&year=2016", ["Festival de Montréal", "Marché des arts"]),  # no 2016 event
    ],
)
def test_filters_on_the_page(client, calendar, language, query, shown):
    html = page(client, language, query)
    assert titles(main(html)) == shown
    assert "Brouillon secret" not in html
    assert ("filtres appliqués" if language == "fr" else "filters applied") in html
    for name, value in QueryDict(query).items():
        if name != "year":
            assert options(html, name)[value][1], (name, value)  # the choice stays selected


def test_the_filter_form_keeps_to_the_agreements_markup(client, calendar):
    html = main(page(client, "fr", "kind=summit"))
    assert '<details class="filters" open>' in html
    assert '<form method="get" action="/fr/evenements/" aria-label="Filtrer les événements">' in html
    for name in ("area", "kind", "country", "city"):
        assert f'<label for="filter-{name}">' in html
        assert f'<select id="filter-{name}" name="{name}">' in html
    assert '<button type="submit" class="button">Appliquer les filtres</button>' in html
    assert "À côté de chaque choix : le nombre d’événements qu’il donne avec les autres filtres." in html
    assert '<a href="/fr/evenements/">Effacer les filtres</a>' in html
    assert '<details class="filters">' in main(page(client, "fr"))  # closed when nothing is filtered


def test_an_empty_result_is_explained(client, calendar):
    html = main(page(client, "en", "area=economy&country=CA"))
    assert "0 events" in html
    assert "No event matches these filters." in html
    assert 'aria-labelledby="upcoming-heading"' not in html
    html = main(page(client, "fr", "kind=market"))
    assert "Aucun événement à venir ne correspond à ces filtres." in html
    assert titles(html) == ["Marché des arts"]
    html = main(page(client, "fr", "kind=festival"))
    assert "Aucun événement passé ne correspond à ces filtres." in html


def test_an_empty_calendar_says_so(client, tree):
    html = main(page(client, "fr"))
    assert "Aucun événement à venir n’a encore été annoncé." in html
    assert "0 événement" in html or "0 événement" in html
    assert 'aria-labelledby="archive-heading"' not in html


# --------------------------------------------------------------------------------------
# Choices and counts
# --------------------------------------------------------------------------------------


def test_choices_are_what_published_events_use_with_their_counts(client, calendar):
    html = page(client, "fr")
    assert options(html, "area") == {
        "economie": ("Économie et commerce (2)", False),
        "culture": ("Culture (2)", False),
    }
    kinds = options(html, "kind")
    assert kinds["summit"] == ("Sommet (1)", False)  # the draft and the expired summits not counted
    assert kinds["conference"] == ("Conférence (1)", False)
    assert kinds["course"] == ("Cours ou école d’été (0)", False)
    assert options(html, "country") == {"KR": ("Corée du Sud (3)", False), "CA": ("Canada (2)", False)}
    assert options(html, "city") == {
        "Busan": ("Busan (1)", False),
        "Montréal": ("Montréal (1)", False),
        "Québec": ("Québec (1)", False),
        "Séoul": ("Séoul (2)", False),
    }
    for hidden in ("Paris", "Genève", "Brouillon secret", "Sommet expiré", '"FR"', '"CH"'):
        assert hidden not in html


def test_choices_and_counts_in_english(client, calendar):
    html = page(client, "en")
    assert options(html, "area") == {
        "economy": ("Economy and trade (2)", False),
        "culture": ("Culture (2)", False),
    }
    assert options(html, "country") == {"KR": ("South Korea (3)", False), "CA": ("Canada (2)", False)}
    assert list(options(html, "city")) == ["Busan", "Montreal", "Quebec City", "Seoul"]


def test_counts_follow_the_other_filters(client, calendar):
    html = page(client, "fr", "area=culture")
    assert options(html, "area") == {
        "economie": ("Économie et commerce (2)", False),  # what choosing it instead would give
        "culture": ("Culture (2)", True),
    }
    kinds = options(html, "kind")
    assert (kinds["festival"], kinds["market"], kinds["summit"]) == (
        ("Festival (1)", False),
        ("Marché ou salon (1)", False),
        ("Sommet (0)", False),
    )
    assert options(html, "country") == {"KR": ("Corée du Sud (1)", False), "CA": ("Canada (1)", False)}
    assert options(html, "city")["Séoul"] == ("Séoul (1)", False)
    assert options(html, "city")["Busan"] == ("Busan (0)", False)
    assert "2 événements" in html


def test_a_count_is_what_the_choice_gives(calendar):
    """Every choice's count equals the number of events the page lists when it is chosen."""
    for language in ("fr", "en"):
        facets = run("", language)["filters"].facets
        for name, choices in facets.items():
            for value, _label, count, _selected in choices:
                assert run(QueryDict.fromkeys([name], value).urlencode(), language)["result_count"] == count


# --------------------------------------------------------------------------------------
# The archive, one year at a time
# --------------------------------------------------------------------------------------


def test_the_year_navigation(client, calendar):
    html = main(page(client, "fr", "year=2016"))
    archive = section(html, "archive-heading")
    assert titles(archive) == ["Conférence de Busan"]
    assert '<span aria-current="page">2016 (1)</span>' in archive
    assert f'<a href="?year={LAST_YEAR}">{LAST_YEAR} (1)</a>' in archive
    assert '<nav class="year-nav" aria-label="Événements passés par année">' in archive
    # Upcoming events still come first.
    assert titles(html)[:2] == ["Sommet de Séoul", "Festival de Montréal"]
    # The years' links keep the filters.
    html = main(page(client, "en", "country=KR"))
    assert '<a href="?country=KR&amp;year=2016">2016 (1)</a>' in html
    html = main(page(client, "en", "area=economy"))
    assert '<span aria-current="page">2016 (1)</span>' in html
    assert str(LAST_YEAR) not in section(html, "archive-heading")  # no economy event that year


def test_a_year_without_past_events_gives_the_latest_with_a_notice(client, calendar):
    html = main(page(client, "fr", "year=1999"))
    assert notices(html) == [f"Aucun événement passé en 1999\u00a0: voici ceux de {LAST_YEAR}."]
    assert titles(section(html, "archive-heading")) == ["Marché des arts"]
    html = main(page(client, "en", "year=2016&kind=market"))
    assert notices(html) == [f"No past event in 2016: here are those of {LAST_YEAR}."]


def test_a_long_year_is_paginated(client, tree):
    make_events(120, "y", first_day=datetime.date(2019, 1, 1), step=3)
    html = main(page(client, "fr", "year=2019"))
    archive = section(html, "archive-heading")
    assert len(titles(archive)) == EVENTS_PER_PAGE
    assert titles(archive)[0] == "Événement y 119"  # the most recent first
    assert '<nav class="pagination" aria-label="Pages des événements de 2019">' in archive
    assert 'href="?year=2019&amp;page=2" rel="next"' in archive
    html = main(page(client, "fr", "year=2019&page=3"))
    assert len(titles(section(html, "archive-heading"))) == 120 - 2 * EVENTS_PER_PAGE
    assert notices(html) == []
    # The default year is the most recent one with past events: here 2019.
    assert titles(section(main(page(client, "en")), "archive-heading"))[0] == "Event y 119"


def test_upcoming_events_are_bounded_with_a_page_of_them_all(client, tree):
    make_events(60, "u", first_day=TODAY + datetime.timedelta(days=1), step=1)
    html = main(page(client, "fr"))
    upcoming = section(html, "upcoming-heading")
    assert len(titles(upcoming)) == EVENTS_ON_OVERVIEW
    assert '<a href="?show=upcoming">Tous les événements à venir (60)</a>' in upcoming
    html = main(page(client, "fr", "show=upcoming"))
    assert len(titles(html)) == EVENTS_PER_PAGE
    assert titles(html)[0] == "Événement u 0"  # soonest first
    assert 'href="?show=upcoming&amp;page=2" rel="next"' in html
    assert '<input type="hidden" name="show" value="upcoming">' in html
    assert 'aria-labelledby="archive-heading"' not in html
    html = main(page(client, "en", "show=upcoming&page=2"))
    assert titles(html) == [f"Event u {n}" for n in range(50, 60)]
    assert '<a href="/en/events/">All the events: upcoming and past</a>' in html


def test_undated_events_are_bounded_too(client, tree):
    make_events(25, "d")
    undated = section(main(page(client, "en")), "undated-heading")
    assert len(titles(undated)) == EVENTS_ON_OVERVIEW
    assert '<a href="?show=undated">All the events with dates to be announced (25)</a>' in undated
    html = main(page(client, "en", "show=undated&country=KR"))
    assert len(titles(html)) == 17
    assert "17 events" in html


def test_drafts_never_appear(client, calendar):
    calendar.draft.start_date = datetime.date(2016, 6, 1)
    calendar.draft.save()
    for language in ("fr", "en"):
        for query in ("", "year=2016", "show=upcoming", "kind=summit", "country=FR", "city=Paris"):
            html = page(client, language, query)
            assert "Brouillon secret" not in html
            assert "Sommet expiré" not in html
    assert '<span aria-current="page">2016 (1)</span>' in page(client, "fr", "year=2016")


# --------------------------------------------------------------------------------------
# Junk: a page that ignores the bad value and says so, never a 500
# --------------------------------------------------------------------------------------

IGNORED = "Ces filtres ont été ignorés, car leurs valeurs ne sont pas valides\u00a0: {}."
PAGE_NOTICE = "La page demandée n’existe pas\u00a0: voici la page {}."

JUNK_CASES = [
    ("area=nowhere", IGNORED.format("Domaine")),
    ("area=economy", IGNORED.format("Domaine")),  # the English slug on the French page
    ("area=999999", IGNORED.format("Domaine")),
    ("kind=treaty", IGNORED.format("Type")),
    ("kind=null", IGNORED.format("Type")),
    ("country=ZZ", IGNORED.format("Pays")),
    ("country=FR", IGNORED.format("Pays")),  # only a draft is in France
    ("city=Atlantis", IGNORED.format("Ville")),
    ("city=montréal", IGNORED.format("Ville")),  # exact match, case as stored
    ("city=Montreal", IGNORED.format("Ville")),  # the English name on the French page
    ("city=" + "x" * 10_000, IGNORED.format("Ville")),
    ("kind=%00", IGNORED.format("Type")),
    ("area=" + "é" * 3000 + "&kind=summit", IGNORED.format("Domaine")),
    ("year=abc", IGNORED.format("Année")),
    ("year=0", IGNORED.format("Année")),
    ("year=99999", IGNORED.format("Année")),
    ("year=-2016", IGNORED.format("Année")),
    ("year=" + "9" * 10_000, IGNORED.format("Année")),
    ("year=２０１６", IGNORED.format("Année")),
    ("show=everything", IGNORED.format("Section")),
    ("page=abc", PAGE_NOTICE.format(1)),
    ("page=0", PAGE_NOTICE.format(1)),
    ("page=999999", PAGE_NOTICE.format(1)),
    ("page=" + "9" * 5000, PAGE_NOTICE.format(1)),
    ("show=upcoming&page=999999", PAGE_NOTICE.format(1)),
    ("kind=summit&kind=festival", IGNORED.format("Type")),
    ("city=Séoul&city=Busan&area=culture&area=economie", IGNORED.format("Domaine, Ville")),
    ("year=2016&year=2017", IGNORED.format("Année")),
    ("page=1&page=2", IGNORED.format("Page")),
    ("show=upcoming&show=undated", IGNORED.format("Section")),
    ("kind=treaty&country=ZZ&city=x&area=y&year=z", IGNORED.format("Domaine, Type, Pays, Ville, Année")),
]


@pytest.mark.parametrize(("query", "notice"), JUNK_CASES, ids=[q[:40] for q, _n in JUNK_CASES])
def test_junk_is_ignored_and_named(client, calendar, query, notice):
    html = main(page(client, "fr", query))
    assert notices(html) == [notice]
    assert "Sommet de Séoul" in html or "kind=summit" in query  # the page still lists events


VALID_IN_ENGLISH = ("area=economy", "city=Montreal")


def test_junk_in_english(client, calendar):
    # One test for every case (the calendar takes a while to build); the French ones are one each.
    for query, _notice in JUNK_CASES:
        if query in VALID_IN_ENGLISH:
            continue
        html = main(page(client, "en", query))
        assert len(notices(html)) == 1, query[:100]
        notice = notices(html)[0]
        assert "were ignored" in notice or "The page asked for does not exist" in notice, query[:100]


def test_valid_filters_still_apply_beside_ignored_ones(client, calendar):
    html = main(page(client, "fr", "kind=summit&kind=summit&city=Atlantis&unknown=1"))
    assert titles(html) == ["Sommet de Séoul"]
    assert notices(html) == [IGNORED.format("Ville")]
    context = run("kind=summit&city=Atlantis&year=abc&page=abc")
    assert context["filters"].active == {"kind": "summit"}
    assert context["filters"].ignored == ["city", "year"]
    assert context["page_adjusted"] is True


# --------------------------------------------------------------------------------------
# A fixed number of queries whatever the number of events
# --------------------------------------------------------------------------------------

QUERY_BOUND = 12  # the warm budget of every public page (tests/test_query_budget.py)
MEASURED = [
    ("fr", ""),
    ("en", ""),
    ("fr", "year={year}"),
    ("en", "year={year}&page=2"),
    ("fr", "show=upcoming&page=2"),
    ("en", "show=undated"),
    ("fr", "area=economie&country=KR&city=Séoul"),
    ("en", "kind=summit&year={year}"),
    ("en", "area=economy&city=Seoul&year={year}"),
]


def count_queries(client, language, query, bound):
    """The queries of one request with warm caches (one request first, as any visitor after the first)."""
    for cache in caches.all():
        cache.clear()
    page(client, language, query)
    with bound(QUERY_BOUND) as captured:
        html = page(client, language, query)
    return len(captured.captured_queries), html


def test_a_fixed_number_of_queries_at_10_and_at_1000_events(
    client, tree, django_assert_max_num_queries, settings, tmp_path
):
    # A stamp file of this test's own: another test run on this machine, purging its page cache,
    # must not empty this process's shared lookups between the warm-up and the measured request.
    settings.PORTAL_PAGE_CACHE_STAMP_FILE = str(tmp_path / "page-cache.stamp")

    def add(total, prefix):
        # Upcoming, undated and past events over several years, in both areas.
        make_events(total * 4 // 10, f"{prefix}u", first_day=TODAY + datetime.timedelta(days=1), step=1)
        make_events(total // 10, f"{prefix}d")
        make_events(
            total // 2, f"{prefix}p", first_day=datetime.date(2015, 1, 1), step=3, areas=[tree.economy]
        )

    add(10, "a")
    small = {}
    for language, query in MEASURED:
        query = query.format(year=2015)
        small[language, query] = count_queries(client, language, query, django_assert_max_num_queries)[0]
    add(990, "b")
    assert Event.objects.published().count() == 1000
    for language, query in MEASURED:
        query = query.format(year=2015)
        count, html = count_queries(client, language, query, django_assert_max_num_queries)
        assert count == small[language, query], (language, query)
        assert len(titles(main(html))) <= EVENTS_ON_OVERVIEW * 2 + EVENTS_PER_PAGE
    print({f"{language} ?{query}": n for (language, query), n in small.items()})


def test_the_page_stays_small_with_many_events(client, tree):
    make_events(2000, "many", first_day=TODAY - datetime.timedelta(days=3000), step=2)
    for language in ("fr", "en"):
        html = page(client, language)
        assert len(titles(main(html))) <= EVENTS_ON_OVERVIEW * 2 + EVENTS_PER_PAGE
        assert len(html) < 200_000

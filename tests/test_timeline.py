"""The timeline page: agreements' signatures and entries into force, events and updates on one list,
newest first, filtered by area and year, paginated, in both languages, in a fixed number of queries."""

import datetime
import re

import pytest

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from wagtail.models import Page, PageViewRestriction

from relations.core.caching import forget_shared_lookups
from relations.listings import timeline
from relations.listings.timeline import PER_PAGE
from relations.models import Agreement, Event, HomePage, TimelinePage, UpdatePage
from tests import bulk, factories

pytestmark = pytest.mark.django_db

FR = "/fr/chronologie/"
EN = "/en/timeline/"
PAST = timezone.now() - datetime.timedelta(days=1)
ENTRY_ID = re.compile(r'<h4 class="item__title" id="timeline-(signed|ratified|in_force|event|update)-(\d+)"')


def entries(html):
    """``[(kind, pk)]`` of the entries shown, in page order."""
    return [(kind, int(pk)) for kind, pk in ENTRY_ID.findall(html)]


def count_text(html):
    return re.search(r'<p class="count">([^<]*)</p>', html).group(1)


def switcher_target(html, language):
    match = re.search(rf'<a[^>]+hreflang="{language}"[^>]*>', html)
    assert match, f"no switcher link to {language}"
    return re.sub(r"^https?://[^/]+", "", re.search(r'href="([^"]+)"', match.group(0)).group(1))


@pytest.fixture
def content(tree):
    c = type("Content", (), {})()
    c.tree = tree
    c.page = factories.TimelinePageFactory(parent=tree.home)
    c.fta = factories.AgreementFactory(
        title_fr="Accord de libre-échange Canada-Corée",
        title_en="Canada–Korea Free Trade Agreement",
        kind="canadian",
        signed_on=None,
        in_force_on=datetime.date(2015, 1, 1),
        areas=[tree.economy],
    )
    c.both = factories.AgreementFactory(
        title_fr="Entente signée puis en vigueur",
        title_en="Agreement signed then in force",
        signed_on=datetime.date(2013, 5, 10),
        in_force_on=datetime.date(2014, 3, 1),
        areas=[tree.economy],
    )
    c.criaq = factories.AgreementFactory(
        title_fr="Entente CRIAQ-KITECH",
        title_en="CRIAQ–KITECH agreement",
        signed_on=datetime.date(2017, 2, 1),
        signed_precision="month",
        areas=[tree.culture],
    )
    c.summit = factories.EventFactory(
        title_fr="Sommet de la Francophonie",
        title_en="Francophonie Summit",
        start_date=datetime.date(2016, 11, 1),
        date_precision="month",
        areas=[tree.culture],
    )
    c.festival = factories.EventFactory(
        title_fr="Festival de Busan",
        title_en="Busan festival",
        start_date=datetime.date(2018, 10, 12),
        end_date=datetime.date(2018, 10, 15),
    )
    c.undated = factories.EventFactory(
        title_fr="Marché sans date", title_en="Undated market", start_date=None
    )
    c.update = factories.UpdatePageFactory(
        parent=tree.updates,
        title_fr="Ratification de l’accord STI",
        title_en="STI agreement ratified",
        slug_fr="ratification-sti",
        slug_en="sti-ratified",
        date=datetime.date(2016, 12, 1),
        date_precision="month",
        areas=[tree.economy],
    )

    # What visitors must never see: drafts, expired items, a page under a view restriction.
    hidden_day = datetime.date(2019, 6, 1)
    factories.AgreementFactory(title_fr="Entente brouillon", signed_on=hidden_day, publish=False)
    expired = factories.AgreementFactory(
        title_fr="Entente expirée", signed_on=hidden_day, in_force_on=hidden_day
    )
    Agreement.objects.filter(pk=expired.pk).update(expire_at=PAST)
    factories.EventFactory(title_fr="Événement brouillon", start_date=hidden_day, publish=False)
    expired = factories.EventFactory(title_fr="Événement expiré", start_date=hidden_day)
    Event.objects.filter(pk=expired.pk).update(expire_at=PAST)
    factories.UpdatePageFactory(
        parent=tree.updates, title_fr="Actualité brouillon", slug_fr="brouillon", date=hidden_day, live=False
    )
    expired = factories.UpdatePageFactory(
        parent=tree.updates, title_fr="Actualité expirée", slug_fr="expiree", date=hidden_day
    )
    Page.objects.filter(pk=expired.pk).update(expire_at=PAST)
    private = factories.UpdatePageFactory(
        parent=tree.updates, title_fr="Actualité privée", slug_fr="privee", date=hidden_day
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return c


def expected(c, *names):
    keys = {
        "festival": ("event", c.festival.pk),
        "criaq": ("signed", c.criaq.pk),
        "update": ("update", c.update.pk),
        "summit": ("event", c.summit.pk),
        "fta": ("in_force", c.fta.pk),
        "both_in_force": ("in_force", c.both.pk),
        "both_signed": ("signed", c.both.pk),
    }
    return [keys[name] for name in names]


ALL = ["festival", "criaq", "update", "summit", "fta", "both_in_force", "both_signed"]


def test_entries_from_the_three_sources_newest_first(client, content):
    for url in (FR, EN):
        response = client.get(url)
        assert response.status_code == 200
        assert entries(response.text) == expected(content, *ALL), url
    assert count_text(client.get(FR).text) == "7 éléments"
    assert count_text(client.get(EN).text) == "7 entries"


def test_an_agreement_signed_then_in_force_is_two_entries_with_their_labels(client, content):
    fr = client.get(FR).text
    en = client.get(EN).text
    for label in ("Signature", "Entrée en vigueur", "Événement", "Actualité"):
        assert f'<span class="tag timeline__kind">{label}</span>' in fr, label
    for label in ("Signature", "Entry into force", "Event", "Update"):
        assert f'<span class="tag timeline__kind">{label}</span>' in en, label
    assert fr.count(">Entente signée puis en vigueur</a>") == 2


def test_dates_keep_their_precision(client, content):
    fr = client.get(FR).text
    en = client.get(EN).text
    assert '<time datetime="2017-02">février 2017</time>' in fr
    assert "1er février 2017" not in fr
    assert '<time datetime="2017-02">February 2017</time>' in en
    assert "February 1, 2017" not in en
    assert '<time datetime="2016-11">novembre 2016</time>' in fr  # an event known to the month
    assert '<time datetime="2016-12">December 2016</time>' in en  # an update known to the month
    assert '<time datetime="2015-01-01">1er janvier 2015</time>' in fr
    assert '<time datetime="2015-01-01">January 1, 2015</time>' in en
    # A multi-day event shows both ends, as in the event lists.
    both_ends = '<time datetime="2018-10-12">12 octobre 2018</time> – <time datetime="2018-10-15">15 octobre'
    assert both_ends in fr


def test_entries_link_to_their_pages_in_the_language(client, content):
    fr = client.get(FR).text
    en = client.get(EN).text
    assert f'href="{content.criaq.get_url_for_language("fr")}"' in fr
    assert f'href="{content.criaq.get_url_for_language("en")}"' in en
    assert f'href="{content.summit.get_url_for_language("en")}"' in en
    assert 'href="/fr/actualites/ratification-sti/"' in fr
    assert 'href="/en/updates/sti-ratified/"' in en


def test_drafts_expired_undated_and_private_items_stay_out(client, content):
    for url in (FR, EN, f"{FR}?year=2019"):
        html = client.get(url).text
        for title in ("brouillon", "expiré", "privée", "Marché sans date", "Undated market"):
            assert title not in html, (url, title)
    html = client.get(FR).text
    assert 'value="2019"' not in html  # no year offered for hidden items
    assert "?year=2019" not in html


FILTERS = [
    (FR + "?area=economie", ["update", "fta", "both_in_force", "both_signed"]),
    (EN + "?area=economy", ["update", "fta", "both_in_force", "both_signed"]),
    (FR + "?area=culture", ["criaq", "summit"]),
    (EN + "?area=culture", ["criaq", "summit"]),
    (FR + "?year=2016", ["update", "summit"]),
    (EN + "?year=2016", ["update", "summit"]),
    (FR + "?year=2014", ["both_in_force"]),
    (FR + "?area=economie&year=2016", ["update"]),
    (EN + "?area=economy&year=2013", ["both_signed"]),
    (EN + "?area=culture&year=2015", []),
    (FR + "?year=1999", []),
    (FR + "?year=+2017+", ["criaq"]),
]


def test_area_and_year_filters_in_both_languages(client, content):
    # One test for all the cases: the content takes a while to build.
    for url, names in FILTERS:
        html = client.get(url).text
        assert entries(html) == expected(content, *names), url
        assert "(filters applied)" in html or "(filtres appliqués)" in html, url
        assert 'class="notice"' not in html, url
        if not names:
            assert "No entry of the timeline matches these filters." in html or "Aucun élément" in html


def test_the_area_filter_accepts_the_area_pk(client, content):
    html = client.get(f"{FR}?area={content.tree.culture.pk}").text
    assert entries(html) == expected(content, "criaq", "summit")


def test_filter_choices_show_the_years_and_areas_that_exist_with_their_counts(client, content):
    fr = client.get(FR).text
    options = re.findall(r'<option value="(\d{4})">(\d{4}) \((\d+)\)</option>', fr)
    assert options == [
        ("2018", "2018", "1"),
        ("2017", "2017", "1"),
        ("2016", "2016", "2"),
        ("2015", "2015", "1"),
        ("2014", "2014", "1"),
        ("2013", "2013", "1"),
    ]
    assert '<option value="economie">Économie et commerce (4)</option>' in fr
    assert '<option value="culture">Culture (2)</option>' in fr
    en = client.get(EN + "?area=economy").text
    assert '<option value="economy" selected>Economy and trade (4)</option>' in en
    assert re.findall(r'<option value="(\d{4})"', en) == ["2016", "2015", "2014", "2013"]
    # The year navigation keeps the area, and marks the year shown.
    assert 'href="?area=economy&amp;year=2016"' in en
    en = client.get(EN + "?area=economy&year=2016").text
    assert '<span aria-current="page">2016</span>' in en
    assert '<option value="economy" selected>Economy and trade (1)</option>' in en  # counts in 2016
    assert 'href="?area=economy">All years</a>' in en


JUNK = [
    ("area=nowhere", ["area"]),
    ("area=economy", ["area"]),  # the English slug on the French page
    ("area=999999", ["area"]),
    ("area=" + "x" * 10_000, ["area"]),
    ("area=%00", ["area"]),
    ("year=abc", ["year"]),
    ("year=99999", ["year"]),
    ("year=0", ["year"]),
    ("year=-2016", ["year"]),
    ("year=2016.5", ["year"]),
    ("year=" + "9" * 10_000, ["year"]),
    ("year=%00", ["year"]),
    ("year=%EF%BC%92%EF%BC%90%EF%BC%91%EF%BC%96", ["year"]),  # full-width digits
    ("area=zzz&year=zzz", ["area", "year"]),
]


def test_junk_filters_are_ignored_and_named(client, content):
    labels = {"area": "Domaine", "year": "Année"}
    for query, ignored in JUNK:
        response = client.get(f"{FR}?{query}")
        assert response.status_code == 200, query
        html = response.text
        names = ", ".join(labels[name] for name in ignored)
        assert (
            f"Ces filtres ont été ignorés, car leurs valeurs ne sont pas valides\u00a0: {names}." in html
        ), query
        assert entries(html) == expected(content, *ALL), query
        assert "(filtres appliqués)" not in html, query


def test_junk_page_numbers_give_a_page_and_say_so(client, content):
    for page in ["abc", "0", "-1", "999999", "9" * 10_000, "2.5", "%00", "%EF%BC%92"]:
        response = client.get(f"{EN}?page={page}")
        assert response.status_code == 200, page
        assert "The page asked for does not exist: here is page 1." in response.text, page
        assert entries(response.text) == expected(content, *ALL), page


def test_junk_on_every_parameter_at_once(client, content):
    response = client.get(f"{EN}?area=%00&year=abc&page=999999&unknown=1")
    assert response.status_code == 200
    assert "These filters were ignored because their values are not valid: Area, Year." in response.text
    assert "The page asked for does not exist" in response.text


def test_pagination_shows_every_entry_once(client, tree):
    factories.TimelinePageFactory(parent=tree.home)
    bulk.bulk_agreements(120, areas=[tree.economy], prefix="p")
    seen = []
    for number in (1, 2, 3):
        html = client.get(f"{FR}?page={number}").text
        shown = entries(html)
        assert len(shown) == (PER_PAGE if number < 3 else 120 - 2 * PER_PAGE)
        seen += shown
    assert len(set(seen)) == 120
    first = client.get(FR).text
    assert 'href="?page=2" rel="next"' in first
    assert "Pages de la chronologie" in first
    last = client.get(f"{FR}?page=4").text
    assert "La page demandée n’existe pas\u00a0: voici la page 3." in last
    # The filters are kept from page to page.
    filtered = client.get(f"{FR}?year=2000&area=economie").text
    assert count_text(filtered) == "3 éléments"  # the first three have the area
    filtered = client.get(f"{FR}?year=2000").text
    assert count_text(filtered) == "120 éléments"
    assert 'href="?year=2000&amp;page=2"' in filtered


def test_the_home_page_links_to_the_timeline_in_both_languages(client, content):
    fr = client.get("/fr/").text
    en = client.get("/en/").text
    assert f'<a href="{FR}">Chronologie des relations</a>' in fr
    assert f'<a href="{EN}">Timeline of the relations</a>' in en
    # and the main menu lists it, as the other index pages
    assert re.search(rf'<nav class="main-nav".*href="{FR}"', fr, re.S)


def test_no_link_from_home_without_a_live_timeline(client, tree):
    assert "Chronologie des relations" not in client.get("/fr/").text


def test_the_language_switcher_leads_to_the_timeline_in_the_other_language(client, content):
    assert switcher_target(client.get(FR).text, "en") == EN
    assert switcher_target(client.get(EN).text, "fr") == FR
    html = client.get(EN).text
    assert '<html lang="en"' in html
    assert "<h1>Timeline</h1>" in html
    assert "<h1>Chronologie</h1>" in client.get(FR).text


def test_the_timeline_is_in_the_sitemap_in_both_languages(client, content):
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert FR in xml and EN in xml


def test_one_timeline_page_under_the_home_page(content):
    home = HomePage.objects.get()
    assert not TimelinePage.can_create_at(home)
    assert TimelinePage.allowed_subpage_models() == []
    with override("en"):
        assert content.page.get_url() == EN


def test_an_empty_timeline_says_so(client, tree):
    factories.TimelinePageFactory(parent=tree.home)
    html = client.get(FR).text
    assert "Rien n’a encore été publié dans la chronologie." in html
    assert count_text(html) == "0 élément"


def test_a_fixed_number_of_queries_at_10_and_at_1000_rows(client, tree, django_assert_max_num_queries):
    factories.TimelinePageFactory(parent=tree.home)
    urls = [
        FR,
        f"{EN}?area=economy",
        f"{FR}?year=2010",  # only entries into force, at both sizes: the same queries
        f"{FR}?year=2000&area=economie",
        f"{FR}?page=2",
        f"{EN}?area=zzz&year=abc&page=999999",
    ]

    # The page's own queries: live areas, view restrictions, years, areas, the page's rows, then at
    # most one per kind of entry on the page and one per index page linked; the rest (routing, site,
    # menu, breadcrumbs, office) is what every page runs.
    def queries(url, bound=20):
        for cache in caches.all():  # as on a cold page cache: the menu and site are looked up again
            cache.clear()
        with django_assert_max_num_queries(bound) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(captured.captured_queries), response.text

    in_force = {"in_force_on": datetime.date(2010, 1, 1)}
    bulk.bulk_agreements(10, areas=[tree.economy], prefix="a", **in_force)
    bulk.bulk_events(10, areas=[tree.economy], prefix="a")
    bulk.bulk_updates(tree.updates, 10, areas=[tree.economy], prefix="a")
    for url in urls:
        client.get(url)  # the first request of the process fills Django's and Wagtail's own caches
    for url in urls:
        queries(url)

    def own_queries(params):
        """(cold, warm): the whole page's queries right after a publication, then once kept."""
        forget_shared_lookups()
        counted = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                client.get(f"{FR}?{params}")
            counted.append(len(captured.captured_queries))
        return tuple(counted)

    # Pages showing only entries into force, at both sizes: the timeline's own work is the same.
    own = ("year=2010", "year=2010&area=economie&page=2")
    small = {params: own_queries(params) for params in own}
    bulk.bulk_agreements(990, areas=[tree.economy], prefix="b", **in_force)
    bulk.bulk_events(990, areas=[tree.economy], prefix="b")
    bulk.bulk_updates(tree.updates, 990, areas=[tree.economy], prefix="b")
    assert UpdatePage.objects.live().count() == 1000
    large = {url: queries(url) for url in urls}
    # (The whole request's count also moves with the shared caches that other processes purge.)
    # The same queries at 10 and at 1,000 rows, cold and warm; warm runs fewer (the counts kept).
    assert {params: own_queries(params) for params in own} == small
    assert all(warm < cold for cold, warm in small.values())
    assert count_text(large[FR][1]) in ("4\u00a0000 éléments", "4000 éléments")
    assert len(entries(large[FR][1])) == PER_PAGE
    assert len(entries(large[f"{FR}?page=2"][1])) == PER_PAGE


def test_a_ratification_is_an_entry_of_its_own(client, tree):
    factories.TimelinePageFactory(parent=tree.home)
    sti = factories.AgreementFactory(
        title_fr="Accord sur la science, la technologie et l’innovation",
        title_en="Science, Technology and Innovation Agreement",
        signed_on=None,
        ratified_on=datetime.date(2016, 12, 1),
        ratified_precision="month",
    )
    french, english = client.get(FR).text, client.get(EN).text
    assert entries(french) == entries(english) == [("ratified", sti.pk)]
    assert "Ratification" in french and "décembre 2016" in french
    assert "Ratification" in english and "December 2016" in english
    assert client.get(FR + "?year=2016").text.count('id="timeline-ratified-') == 1
    assert 'id="timeline-ratified-' not in client.get(FR + "?year=2015").text


def test_each_page_is_a_slice_of_all_the_entries_in_order(client, tree, monkeypatch):
    """The pages are the slices of every entry sorted by date (newest first), rank (an update, an
    event, an entry into force, a ratification, a signature), then the newest record first."""
    monkeypatch.setattr(timeline, "PER_PAGE", 3)
    factories.TimelinePageFactory(parent=tree.home)
    same_day = datetime.date(2016, 12, 1)
    for number in range(4):
        factories.AgreementFactory(
            signed_on=same_day - datetime.timedelta(days=30 * number),
            ratified_on=same_day,
            ratified_precision="day",
            in_force_on=same_day + datetime.timedelta(days=number),
        )
        factories.EventFactory(start_date=same_day - datetime.timedelta(days=number), end_date=None)
    bulk.bulk_updates(tree.updates, 5)
    UpdatePage.objects.filter(pk__in=UpdatePage.objects.values("pk")[:3]).update(date=same_day)
    rank = {"update": 0, "event": 1, "in_force": 2, "ratified": 3, "signed": 4}
    every = [("event", e.pk, e.start_date) for e in Event.objects.all()]
    every += [("update", u.pk, u.date) for u in UpdatePage.objects.all()]
    for agreement in Agreement.objects.all():
        for kind in ("signed", "ratified", "in_force"):
            every.append((kind, agreement.pk, getattr(agreement, f"{kind}_on")))
    every.sort(key=lambda entry: (-entry[2].toordinal(), rank[entry[0]], -entry[1]))
    assert len(every) == 4 * 3 + 4 + 5
    shown = []
    for number in range(1, 8):  # 21 entries, 3 a page
        shown += entries(client.get(f"{FR}?page={number}").text)
    assert shown == [(kind, pk) for kind, pk, _date in every]

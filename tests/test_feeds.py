"""Atom feeds and iCalendar feeds: both languages, published items only, fixed query counts."""

import datetime
import re

import feedparser
import pytest
from icalendar import Calendar

from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from relations.calendars import CALENDAR_MAX_EVENTS, subscription_events
from relations.core.caching import forget_shared_lookups
from relations.core.dates import DatePrecision
from relations.feeds import feed_path
from relations.models import Agreement, Event, EventTimeZone
from tests import bulk, factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()

ATOM_URLS = {
    ("updates", "fr"): "/fr/flux/actualites.atom",
    ("updates", "en"): "/en/feeds/updates.atom",
    ("agreements", "fr"): "/fr/flux/ententes.atom",
    ("agreements", "en"): "/en/feeds/agreements.atom",
    ("events", "fr"): "/fr/flux/evenements.atom",
    ("events", "en"): "/en/feeds/events.atom",
}
AREA_ATOM_URLS = {
    ("updates", "fr"): "/fr/flux/actualites/economie.atom",
    ("updates", "en"): "/en/feeds/updates/economy.atom",
    ("agreements", "fr"): "/fr/flux/ententes/economie.atom",
    ("agreements", "en"): "/en/feeds/agreements/economy.atom",
    ("events", "fr"): "/fr/flux/evenements/economie.atom",
    ("events", "en"): "/en/feeds/events/economy.atom",
}
ICS_URLS = {"fr": "/fr/flux/evenements.ics", "en": "/en/feeds/events.ics"}
AREA_ICS_URLS = {"fr": "/fr/flux/evenements/economie.ics", "en": "/en/feeds/events/economy.ics"}


def expire(obj):
    """As Wagtail's ``publish_scheduled`` leaves an item whose expiry time has passed."""
    type(obj).objects.filter(pk=obj.pk).update(live=False, expired=True)


def past_expiry(obj):
    """Still live, but its expiry time has passed (the scheduler has not run yet)."""
    type(obj).objects.filter(pk=obj.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def content(tree):
    c = {"tree": tree}
    c["agreement"] = factories.AgreementFactory(
        title_fr="Entente sur la R&D <franco>",
        title_en="R&D <agreement>",
        summary_fr="Coopération en recherche.",
        summary_en="Research cooperation.",
        areas=[tree.economy],
    )
    c["draft_agreement"] = factories.AgreementFactory(
        title_fr="Entente brouillon", publish=False, areas=[tree.economy]
    )
    c["expired_agreement"] = factories.AgreementFactory(title_fr="Entente expirée", areas=[tree.economy])
    expire(c["expired_agreement"])
    c["past_agreement"] = factories.AgreementFactory(title_fr="Entente échue", areas=[tree.economy])
    past_expiry(c["past_agreement"])

    c["timed"] = factories.EventFactory(
        title_fr="Marché des arts de la scène",
        title_en="Performing Arts Market",
        start_date=TODAY + datetime.timedelta(days=20),
        start_time=datetime.time(19, 30),
        end_time=datetime.time(21, 0),
        all_day=False,
        timezone=EventTimeZone.SEOUL,
        venue_fr="Centre des arts",
        venue_en="Arts Centre",
        summary_fr="Spectacles québécois.",
        summary_en="Québec shows.",
        areas=[tree.economy],
    )
    c["all_day"] = factories.EventFactory(
        title_fr="Festival de trois jours",
        title_en="Three-day festival",
        start_date=TODAY + datetime.timedelta(days=40),
        end_date=TODAY + datetime.timedelta(days=42),
        areas=[tree.culture],
    )
    c["montreal"] = factories.EventFactory(
        title_fr="Mission à Montréal",
        title_en="Mission in Montréal",
        start_date=TODAY + datetime.timedelta(days=60),
        start_time=datetime.time(9, 0),
        all_day=False,
        timezone=EventTimeZone.MONTREAL,
        city_fr="Montréal",
        city_en="Montréal",
        country="CA",
    )
    c["month"] = factories.EventFactory(
        title_fr="Événement au mois près",
        start_date=TODAY.replace(day=1) + datetime.timedelta(days=400),
        date_precision=DatePrecision.MONTH,
    )
    c["undated"] = factories.EventFactory(title_fr="Événement sans date", start_date=None)
    c["draft_event"] = factories.EventFactory(
        title_fr="Événement brouillon", publish=False, areas=[tree.economy]
    )
    c["expired_event"] = factories.EventFactory(title_fr="Événement expiré", areas=[tree.economy])
    expire(c["expired_event"])
    c["past_event"] = factories.EventFactory(title_fr="Événement échu", areas=[tree.economy])
    past_expiry(c["past_event"])

    c["update"] = factories.UpdatePageFactory(
        parent=tree.updates,
        title_fr="Le CRIAQ et le KITECH signent",
        title_en="CRIAQ and KITECH sign",
        slug_fr="criaq-kitech",
        slug_en="criaq-kitech-en",
        intro_fr="Une entente en aérospatiale.",
        intro_en="An aerospace agreement.",
        areas=[tree.economy],
    )
    c["draft_update"] = factories.UpdatePageFactory(
        parent=tree.updates, title_fr="Actualité brouillon", live=False, areas=[tree.economy]
    )
    c["expired_update"] = factories.UpdatePageFactory(
        parent=tree.updates, title_fr="Actualité expirée", areas=[tree.economy]
    )
    expire(c["expired_update"])
    return c


HIDDEN = {
    "agreements": ["draft_agreement", "expired_agreement", "past_agreement"],
    "events": ["draft_event", "expired_event", "past_event"],
    "updates": ["draft_update", "expired_update"],
}


def parse(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


# --------------------------------------------------------------------------------------
# Atom
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["updates", "agreements", "events"])
def test_atom_feeds_list_only_published_items(client, content, kind):
    for language in ("fr", "en"):
        for url in (ATOM_URLS[kind, language], AREA_ATOM_URLS[kind, language]):
            feed = parse(client.get(url))
            links = {entry.link for entry in feed.entries}
            assert links
            for name in HIDDEN[kind]:
                obj = content[name]
                assert not any(f"/{obj.slug_fr}/" in link or f"/{obj.slug_en}/" in link for link in links), (
                    name
                )
            assert feed.feed.language == language


def test_the_agreements_feed_gives_each_item_in_each_language(client, content):
    agreement = content["agreement"]
    french = parse(client.get("/fr/flux/ententes.atom"))
    english = parse(client.get("/en/feeds/agreements.atom"))
    [fr] = french.entries
    [en] = english.entries
    assert fr.title == "Entente sur la R&D <franco>"
    assert en.title == "R&D <agreement>"
    assert fr.link == f"http://testserver/fr/ententes/{agreement.slug_fr}/"
    assert en.link == f"http://testserver/en/agreements/{agreement.slug_en}/"
    assert "Coopération en recherche." in fr.summary
    assert "Research cooperation." in en.summary
    assert "signature le 1er février 2017" in fr.summary
    assert "signed on February 1, 2017" in en.summary
    assert fr.id != en.id
    assert fr.id.startswith("tag:") and fr.id.endswith(f"agreements/{agreement.pk}/fr")
    assert en.id.endswith(f"agreements/{agreement.pk}/en")
    assert fr.updated_parsed is not None and fr.published_parsed is not None
    assert french.feed.title.endswith("Ententes")
    assert english.feed.title.endswith("Agreements")
    assert french.feed.link == "http://testserver/fr/ententes/"


def test_item_ids_do_not_change_with_the_slug(client, content):
    before = parse(client.get("/fr/flux/ententes.atom")).entries[0].id
    agreement = Agreement.objects.get(pk=content["agreement"].pk)
    agreement.slug_fr = "nouveau-slug"
    agreement.save_revision().publish()  # as an editor does: the kept entries are built again
    after = parse(client.get("/fr/flux/ententes.atom")).entries[0]
    assert after.id == before
    assert after.link.endswith("/nouveau-slug/")


def test_the_updates_feed_links_to_the_pages_in_each_language(client, content):
    fr = parse(client.get("/fr/flux/actualites.atom"))
    en = parse(client.get("/en/feeds/updates.atom"))
    assert [e.link for e in fr.entries] == ["http://testserver/fr/actualites/criaq-kitech/"]
    assert [e.link for e in en.entries] == ["http://testserver/en/updates/criaq-kitech-en/"]
    assert en.entries[0].title == "CRIAQ and KITECH sign"
    assert "An aerospace agreement." in en.entries[0].summary
    assert fr.entries[0].published_parsed is not None


def test_the_events_feed_says_when_and_where(client, content):
    en = parse(client.get("/en/feeds/events.atom"))
    titles = {entry.title: entry for entry in en.entries}
    published = ("timed", "all_day", "montreal", "month", "undated")
    assert set(titles) == {content[name].title_en for name in published}
    market = titles["Performing Arts Market"]
    assert "7:30" in market.summary and "KST" in market.summary
    assert "Arts Centre, Seoul, South Korea" in market.summary


@pytest.mark.parametrize("kind", ["updates", "agreements", "events"])
def test_area_feeds_list_only_that_areas_items(client, content, kind):
    for language in ("fr", "en"):
        feed = parse(client.get(AREA_ATOM_URLS[kind, language]))
        expected = {"updates": "update", "agreements": "agreement", "events": "timed"}[kind]
        obj = content[expected]
        slug = getattr(obj, f"slug_{language}")
        assert [entry.link.rstrip("/").rsplit("/", 1)[1] for entry in feed.entries] == [slug]
        area_title = "Économie et commerce" if language == "fr" else "Economy and trade"
        assert feed.feed.title.endswith(area_title)
        assert area_title in [tag.term for tag in feed.entries[0].tags]


@pytest.mark.parametrize(
    "url",
    [
        "/en/flux/actualites.atom",  # French names under /en/
        "/fr/feeds/updates.atom",
        "/fr/flux/updates.atom",
        "/fr/flux/nouvelles.atom",
        "/fr/flux/actualites.ics",  # only events have a calendar
        "/fr/flux/ententes.ics",
        "/fr/flux/ententes/economy.atom",  # the English slug under /fr/
        "/en/feeds/agreements/economie.atom",
        "/fr/flux/ententes/inconnu.atom",
        "/fr/flux/evenements/inconnu.ics",
        "/fr/flux/ententes.rss",
    ],
)
def test_unknown_feeds_answer_404(client, few, url):
    assert client.get(url).status_code == 404


JUNK_QUERIES = [
    "?page=abc",
    "?page=999999999999999999999",
    "?limit=-1&offset=abc",
    "?q=" + "x" * 10_000,
    "?lang=ko",
    "?area=%00",
    "?kind=%00&status=%FF",
    "?%3Cscript%3E=1",
]


@pytest.fixture
def few(tree):
    """One published item of each kind, in the economy area."""
    factories.AgreementFactory(areas=[tree.economy])
    factories.EventFactory(areas=[tree.economy])
    factories.UpdatePageFactory(parent=tree.updates, areas=[tree.economy])
    return tree


@pytest.mark.parametrize(
    "url", [*ATOM_URLS.values(), *ICS_URLS.values(), AREA_ATOM_URLS["events", "fr"], AREA_ICS_URLS["en"]]
)
def test_junk_parameters_on_feeds_change_nothing(client, few, url):
    plain = client.get(url).content
    for query in JUNK_QUERIES:
        response = client.get(url + query)
        assert response.status_code == 200, query
        if url.endswith(".atom"):
            assert len(feedparser.parse(response.content).entries) == len(feedparser.parse(plain).entries)


@pytest.mark.parametrize("url", [ATOM_URLS["updates", "fr"], ICS_URLS["en"]])
def test_feeds_refuse_writes(client, few, url):
    assert client.post(url).status_code == 405


# --------------------------------------------------------------------------------------
# iCalendar
# --------------------------------------------------------------------------------------


def calendar(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(cal):
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_calendar_has_the_published_events_known_to_the_day(client, content, language):
    cal = calendar(client.get(ICS_URLS[language]))
    events = vevents(cal)
    expected = {f"event-{content[name].pk}@quebec-coree.portal" for name in ("timed", "all_day", "montreal")}
    # Month-precision and undated events, drafts and expired events are left out.
    assert set(events) == expected
    assert str(cal["X-WR-CALNAME"]).endswith("Événements" if language == "fr" else "Events")
    market = events[f"event-{content['timed'].pk}@quebec-coree.portal"]
    assert str(market["SUMMARY"]) == (
        "Marché des arts de la scène" if language == "fr" else "Performing Arts Market"
    )
    assert str(market["DESCRIPTION"]) == ("Spectacles québécois." if language == "fr" else "Québec shows.")
    assert str(market["LOCATION"]) == (
        "Centre des arts, Séoul, Corée du Sud" if language == "fr" else "Arts Centre, Seoul, South Korea"
    )
    slug = content["timed"].slug_fr if language == "fr" else content["timed"].slug_en
    assert str(market["URL"]).endswith(f"/{slug}/")


def test_timed_events_carry_their_zone_and_its_definition(client, content):
    cal = calendar(client.get(ICS_URLS["fr"]))
    market = vevents(cal)[f"event-{content['timed'].pk}@quebec-coree.portal"]
    start, end = market.decoded("DTSTART"), market.decoded("DTEND")
    assert market["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert start.utcoffset() == datetime.timedelta(hours=9)
    assert (start.hour, start.minute, end.hour) == (19, 30, 21)
    assert start.date() == content["timed"].start_date
    mission = vevents(cal)[f"event-{content['montreal'].pk}@quebec-coree.portal"]
    assert mission["DTSTART"].params["TZID"] == "America/Toronto"
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert zones == {"Asia/Seoul", "America/Toronto"}
    stamp = market.decoded("DTSTAMP")
    assert stamp.utcoffset() == datetime.timedelta(0)


def test_the_calendar_is_the_same_bytes_on_a_first_and_a_second_request(client, content):
    """The zones come in a fixed order (sorted), not a set's: every worker gives the same file,
    and so the same ETag to a calendar application asking whether it changed."""
    for url in ICS_URLS.values():
        first = client.get(url)
        again = client.get(url)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        zones = re.findall(rb"TZID:([^\r]+)\r\n", first.content.split(b"BEGIN:VEVENT")[0])
        assert zones == sorted(zones) and len(zones) == 2


def test_a_published_change_shows_in_the_calendar(client, content):
    client.get(ICS_URLS["fr"])
    event = content["timed"]
    event.title_fr = "Marché renommé"
    event.save_revision().publish()
    market = vevents(calendar(client.get(ICS_URLS["fr"])))[f"event-{event.pk}@quebec-coree.portal"]
    assert str(market["SUMMARY"]) == "Marché renommé"


def test_all_day_events_are_dates_with_an_exclusive_end(client, content):
    cal = calendar(client.get(ICS_URLS["en"]))
    festival = vevents(cal)[f"event-{content['all_day'].pk}@quebec-coree.portal"]
    assert festival.decoded("DTSTART") == content["all_day"].start_date
    assert festival.decoded("DTEND") == content["all_day"].end_date + datetime.timedelta(days=1)
    assert not isinstance(festival.decoded("DTSTART"), datetime.datetime)


def test_uids_are_the_same_in_both_languages(client, content):
    fr = set(vevents(calendar(client.get(ICS_URLS["fr"]))))
    en = set(vevents(calendar(client.get(ICS_URLS["en"]))))
    assert fr == en


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_areas_calendar_has_only_its_events(client, content, language):
    events = vevents(calendar(client.get(AREA_ICS_URLS[language])))
    assert set(events) == {f"event-{content['timed'].pk}@quebec-coree.portal"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_one_events_calendar(client, content, language):
    event = content["timed"]
    with override(language):
        url = event.ics_url()
    assert url == (
        f"/fr/evenements/{event.slug_fr}/ics/" if language == "fr" else f"/en/events/{event.slug_en}/ics/"
    )
    response = client.get(url)
    cal = calendar(response)
    assert list(vevents(cal)) == [f"event-{event.pk}@quebec-coree.portal"]
    # A download, not a subscription: no calendar name, no refresh interval (test_conformance.py).
    assert "X-WR-CALNAME" not in cal and "REFRESH-INTERVAL" not in cal
    assert response["Content-Disposition"].startswith("attachment;")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Seoul"]


def test_one_events_calendar_in_the_other_languages_url_redirects(client, content):
    event = content["timed"]
    response = client.get(f"/en/events/{event.slug_fr}/ics/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/en/events/{event.slug_en}/ics/")


@pytest.mark.parametrize("name", ["month", "undated", "draft_event", "expired_event", "past_event"])
def test_no_calendar_for_an_event_whose_day_is_unknown_or_that_is_not_published(client, content, name):
    event = content[name]
    assert client.get(f"/fr/evenements/{event.slug_fr}/ics/").status_code == 404


# --------------------------------------------------------------------------------------
# Links for the templates
# --------------------------------------------------------------------------------------


def test_feed_paths_in_each_language(tree):
    assert feed_path("updates", language="fr") == "/fr/flux/actualites.atom"
    assert feed_path("events", "ics", area=tree.culture, language="en") == "/en/feeds/events/culture.ics"
    assert feed_path("agreements", area=tree.economy, language="en") == "/en/feeds/agreements/economy.atom"
    with override("en"):
        assert feed_path("events", "ics") == "/en/feeds/events.ics"


def test_the_feed_links_tag(tree):
    with override("fr"):
        html = Template('{% load feed_tags %}{% feed_links "events" area=area %}').render(
            Context({"page": tree.events, "area": tree.economy})
        )
    assert (
        'type="application/atom+xml" title="Événements (Atom)" href="/fr/flux/evenements/economie.atom"'
        in html
    )
    assert (
        'type="text/calendar" title="Événements (iCalendar)" href="/fr/flux/evenements/economie.ics"' in html
    )


# --------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------


def queries(client, url):
    """The queries one request runs, from cold caches (the site's root paths are cached)."""
    cache.clear()
    forget_shared_lookups()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response


FEED_URLS = [
    *ATOM_URLS.values(),
    *AREA_ATOM_URLS.values(),
    *ICS_URLS.values(),
    *AREA_ICS_URLS.values(),
]


def test_feeds_run_a_fixed_number_of_queries(client, tree, django_assert_max_num_queries):
    org = factories.OrganizationFactory()
    bulk.bulk_agreements(10, areas=[tree.economy], parties=[org], prefix="a")
    bulk.bulk_events(10, areas=[tree.economy], prefix="a")
    bulk.bulk_updates(tree.updates, 10, areas=[tree.economy], prefix="a")
    small = {}
    for url in FEED_URLS:
        with django_assert_max_num_queries(10):
            small[url], _ = queries(client, url)
    bulk.bulk_agreements(990, areas=[tree.economy], prefix="b")
    bulk.bulk_events(990, areas=[tree.economy], prefix="b")
    bulk.bulk_updates(tree.updates, 990, areas=[tree.economy], prefix="b")
    assert Agreement.objects.published().count() == Event.objects.published().count() == 1000
    for url in FEED_URLS:
        count, response = queries(client, url)
        # Never more than with 10 rows (the calendar skips its query for past events once the
        # upcoming ones fill it).
        assert count <= small[url], url
    cal = Calendar.from_ical(response.content)
    assert len(cal.walk("VEVENT")) == 6  # three in the area from each batch
    count, response = queries(client, ICS_URLS["en"])
    # Bounded: the soonest CALENDAR_MAX_EVENTS of the 1,000 upcoming events, in date order.
    starts = [event.start for event in Calendar.from_ical(response.content).walk("VEVENT")]
    soonest = sorted(Event.objects.published().values_list("start_date", flat=True))[:CALENDAR_MAX_EVENTS]
    assert len(starts) == CALENDAR_MAX_EVENTS < 1000
    assert starts == soonest


def test_a_subscribed_calendar_holds_what_is_coming_then_the_latest_past_events(tree, monkeypatch):
    today = datetime.date.today()

    def event(days_from_today, name):
        start = today + datetime.timedelta(days=days_from_today)
        return factories.EventFactory(title_fr=name, start_date=start, areas=[tree.economy])

    soon, later = event(3, "Bientôt"), event(40, "Plus tard")
    last_month, two_years_ago = event(-30, "Le mois dernier"), event(-730, "Il y a deux ans")
    everything = [two_years_ago.pk, last_month.pk, soon.pk, later.pk]
    assert [e.pk for e in subscription_events()] == everything
    assert [e.pk for e in subscription_events(area=tree.economy)] == everything
    monkeypatch.setattr("relations.calendars.CALENDAR_MAX_EVENTS", 2)
    # Upcoming events come first when the calendar is full...
    assert [e.pk for e in subscription_events()] == [soon.pk, later.pk]
    # ...then the most recent past ones.
    monkeypatch.setattr("relations.calendars.CALENDAR_MAX_EVENTS", 3)
    assert [e.pk for e in subscription_events()] == [last_month.pk, soon.pk, later.pk]

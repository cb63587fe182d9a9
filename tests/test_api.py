"""The read-only API at /api/v2/: both languages, published items only, bad input → 400."""

import datetime

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relations.core.caching import forget_shared_lookups, purge_page_cache
from relations.core.dates import DatePrecision
from relations.core.middleware import CACHE_HEADER
from relations.models import Agreement, Event, EventTimeZone, UpdatePage
from tests import bulk, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tree):
    d = type("Data", (), {})()
    d.tree = tree
    d.korea = factories.OrganizationFactory(name_fr="Gouvernement de la Corée", name_en="Government of Korea")
    d.fta = factories.AgreementFactory(
        title_fr="Accord de libre-échange Canada-Corée",
        title_en="Canada–Korea Free Trade Agreement",
        summary_fr="Le premier accord de libre-échange.",
        summary_en="The first free trade agreement.",
        kind="canadian",
        signed_on=None,
        in_force_on=datetime.date(2015, 1, 1),
        areas=[tree.economy],
        parties=[d.korea],
    )
    d.sti = factories.AgreementFactory(
        title_fr="Entente STI",
        title_en="",
        kind="international",
        signed_on=datetime.date(2016, 12, 1),
        signed_precision=DatePrecision.MONTH,
        areas=[tree.culture],
    )
    d.draft = factories.AgreementFactory(title_fr="Entente brouillon", publish=False, areas=[tree.economy])
    d.expired = factories.AgreementFactory(title_fr="Entente expirée", areas=[tree.economy])
    Agreement.objects.filter(pk=d.expired.pk).update(live=False, expired=True)
    d.past = factories.AgreementFactory(title_fr="Entente échue", areas=[tree.economy])
    Agreement.objects.filter(pk=d.past.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=5))

    d.market = factories.EventFactory(
        title_fr="Marché des arts de la scène",
        title_en="Performing Arts Market",
        start_date=datetime.date(2026, 10, 12),
        start_time=datetime.time(19, 30),
        all_day=False,
        timezone=EventTimeZone.SEOUL,
        kind="market",
        areas=[tree.culture],
    )
    d.summer = factories.EventFactory(
        title_fr="École d’été", kind="course", start_date=datetime.date(2007, 7, 1), date_precision="year"
    )
    d.draft_event = factories.EventFactory(title_fr="Événement brouillon", publish=False)
    d.expired_event = factories.EventFactory(title_fr="Événement expiré")
    Event.objects.filter(pk=d.expired_event.pk).update(live=False, expired=True)
    d.draft_page = factories.UpdatePageFactory(
        parent=tree.updates, title_fr="Actualité brouillon", live=False
    )
    return d


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def titles(body, field="title_fr"):
    return [item[field] for item in body["items"]]


def test_agreements_listing_gives_both_languages(client, data):
    body = get(client, "/api/v2/agreements/")
    assert body["meta"]["total_count"] == 2
    fta = next(item for item in body["items"] if item["id"] == data.fta.pk)
    assert fta["title"] == fta["title_fr"] == "Accord de libre-échange Canada-Corée"
    assert fta["title_en"] == "Canada–Korea Free Trade Agreement"
    assert fta["summary_fr"] == "Le premier accord de libre-échange."
    assert fta["summary_en"] == "The first free trade agreement."
    assert (fta["kind"], fta["status"], fta["in_force_on"], fta["signed_on"]) == (
        "canadian",
        "in_force",
        "2015-01-01",
        None,
    )
    assert fta["url_fr"] == f"http://testserver/fr/ententes/{data.fta.slug_fr}/"
    assert fta["url_en"] == f"http://testserver/en/agreements/{data.fta.slug_en}/"
    assert fta["url"] == fta["url_fr"]
    assert fta["parties"] == [
        {
            "id": data.korea.pk,
            "name": "Gouvernement de la Corée",
            "name_fr": "Gouvernement de la Corée",
            "name_en": "Government of Korea",
            "name_ko": "",
            "acronym": "",
            "country": "KR",
        }
    ]
    assert fta["areas"][0]["title_en"] == "Economy and trade"
    assert fta["meta"]["type"] == "relations.Agreement"
    sti = next(item for item in body["items"] if item["id"] == data.sti.pk)
    assert sti["signed_on"] == "2016-12"


def test_lang_chooses_the_language_of_title_and_summary(client, data):
    body = get(client, "/api/v2/agreements/?lang=en")
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[data.fta.pk]["title"] == "Canada–Korea Free Trade Agreement"
    assert by_id[data.fta.pk]["summary"] == "The first free trade agreement."
    assert by_id[data.fta.pk]["kind_label"] == "Canadian accord"
    assert by_id[data.fta.pk]["url"] == by_id[data.fta.pk]["url_en"]
    assert by_id[data.fta.pk]["areas"][0]["title"] == "Economy and trade"
    assert by_id[data.sti.pk]["title"] == "Entente STI"  # no English title: the French one
    assert by_id[data.sti.pk]["title_en"] == ""
    events = get(client, "/api/v2/events/?lang=en")
    assert "Performing Arts Market" in titles(events, "title")


@pytest.mark.parametrize("lang", ["de", "", "FR", "fr-CA", "%00"])
def test_an_unknown_lang_is_a_400(client, data, lang):
    if lang == "":
        get(client, "/api/v2/agreements/?lang=")  # empty means the default
        return
    body = get(client, f"/api/v2/agreements/?lang={lang}", status=400)
    assert "lang" in body["message"]


def test_drafts_and_expired_items_never_appear(client, data):
    assert sorted(titles(get(client, "/api/v2/agreements/?limit=100"))) == [
        "Accord de libre-échange Canada-Corée",
        "Entente STI",
    ]
    assert sorted(titles(get(client, "/api/v2/events/"))) == ["Marché des arts de la scène", "École d’été"]
    for obj, endpoint in (
        (data.draft, "agreements"),
        (data.expired, "agreements"),
        (data.past, "agreements"),
    ):
        get(client, f"/api/v2/{endpoint}/{obj.pk}/", status=404)
    for obj in (data.draft_event, data.expired_event):
        get(client, f"/api/v2/events/{obj.pk}/", status=404)
    pages = get(client, "/api/v2/pages/?limit=100")
    assert "Actualité brouillon" not in titles(pages)
    get(client, f"/api/v2/pages/{data.draft_page.pk}/", status=404)


def test_details(client, data):
    fta = get(client, f"/api/v2/agreements/{data.fta.pk}/?lang=en")
    assert fta["title"] == "Canada–Korea Free Trade Agreement"
    assert fta["status_label"] == "In force"
    assert "text_fr" in fta and "first_published_at" in fta
    market = get(client, f"/api/v2/events/{data.market.pk}/")
    assert (market["start_date"], market["start_time"], market["timezone"]) == (
        "2026-10-12",
        "19:30:00",
        "Asia/Seoul",
    )
    assert market["url_en"].endswith(f"/en/events/{data.market.slug_en}/")
    summer = get(client, f"/api/v2/events/{data.summer.pk}/")
    assert (summer["start_date"], summer["date_precision"]) == ("2007", "year")


def test_filters(client, data):
    assert titles(get(client, "/api/v2/agreements/?kind=canadian")) == [
        "Accord de libre-échange Canada-Corée"
    ]
    assert titles(get(client, f"/api/v2/agreements/?area={data.tree.culture.pk}")) == ["Entente STI"]
    assert titles(get(client, "/api/v2/agreements/?status=in_force")) == [
        "Accord de libre-échange Canada-Corée"
    ]
    assert titles(get(client, "/api/v2/agreements/?status=ended")) == []
    assert titles(get(client, "/api/v2/events/?kind=market")) == ["Marché des arts de la scène"]
    assert titles(get(client, f"/api/v2/events/?area={data.tree.culture.pk}")) == [
        "Marché des arts de la scène"
    ]
    body = get(client, "/api/v2/agreements/?limit=1&offset=1&order=title_fr")
    assert body["meta"]["total_count"] == 2 and titles(body) == ["Entente STI"]
    assert titles(get(client, "/api/v2/agreements/?order=-title_fr")) == [
        "Entente STI",
        "Accord de libre-échange Canada-Corée",
    ]
    body = get(client, "/api/v2/agreements/?fields=_,id,title_en")
    assert set(body["items"][0]) == {"id", "title_en"}
    body = get(client, "/api/v2/agreements/?fields=-summary_fr,-parties")
    assert "summary_fr" not in body["items"][0] and "title_fr" in body["items"][0]


def test_pages_in_both_languages(client, data):
    body = get(client, "/api/v2/pages/?type=relations.AreaPage&lang=en")
    economy = next(item for item in body["items"] if item["id"] == data.tree.economy.pk)
    assert (economy["title"], economy["title_fr"], economy["title_en"]) == (
        "Economy and trade",
        "Économie et commerce",
        "Economy and trade",
    )
    assert economy["meta"]["html_url"].endswith("/en/economy/")
    body = get(client, "/api/v2/pages/?type=relations.AreaPage")
    assert (
        next(i for i in body["items"] if i["id"] == data.tree.economy.pk)["title"] == "Économie et commerce"
    )


WRITES = ["post", "put", "patch", "delete"]


@pytest.mark.parametrize(
    "url", ["/api/v2/agreements/", "/api/v2/events/", "/api/v2/pages/", "/api/v2/agreements/{pk}/"]
)
@pytest.mark.parametrize("method", WRITES)
def test_writes_answer_405(client, data, url, method):
    response = getattr(client, method)(url.format(pk=data.fta.pk), data={}, content_type="application/json")
    assert response.status_code == 405


@pytest.mark.parametrize("method", WRITES)
def test_a_405_is_a_json_message_in_the_language_asked(client, data, method):
    def write(query):
        return getattr(client, method)(
            f"/api/v2/agreements/{query}", data={}, content_type="application/json"
        )

    french, english = write(""), write("?lang=en")
    assert french.status_code == english.status_code == 405
    assert french["Content-Type"] == english["Content-Type"] == "application/json"
    assert english.json() == {"message": f'Method "{method.upper()}" not allowed.'}
    assert french.json() == {"message": f"Méthode «\u00a0{method.upper()}\u00a0» non autorisée."}
    # The same shape as the 400s.
    assert set(client.get("/api/v2/agreements/?kind=treaty").json()) == {"message"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/",
        "/api/",
        "/api/v2/nothing/",
        "/api/v3/agreements/",
        "/api/v2/agreements/abc/",
        "/api/v2/agreements/0/",
        "/api/v2/events/99999999/",
        "/api/v2/pages/99999999/",
        "/api/v2/agreements/1/nothing/",
    ],
)
def test_unknown_addresses_and_ids_are_json_404s(client, data, url):
    for language in ("", "?lang=en"):
        response = client.get(url + language)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url
        assert set(response.json()) == {"message"}, url
        assert "<html" not in response.text
    assert "/api/v2/agreements/" in client.get("/api/v2/?lang=en").json()["message"]
    assert client.post("/api/v2/").status_code == 404  # not a CSRF page


def test_every_answer_is_json_and_does_not_vary_on_accept(client, data):
    """No browsable API: the answer is the same whatever the client accepts, so that the page
    cache may keep it (it keeps nothing that varies on Accept)."""
    answers = [
        client.get("/api/v2/agreements/", headers={"Accept": accept})
        for accept in ("application/json", "text/html", "*/*", "text/html,application/xhtml+xml")
    ]
    answers.append(client.get("/api/v2/agreements/?format=api"))
    for response in answers:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        vary = {part.strip() for part in response.get("Vary", "").lower().split(",")}
        assert "accept" not in vary
        assert response.content == answers[0].content


def test_the_api_is_served_from_the_page_cache(client, data, settings, tmp_path):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PORTAL_PAGE_CACHE_STAMP_FILE = str(tmp_path / "page-cache.stamp")
    purge_page_cache()
    try:
        first = client.get("/api/v2/agreements/?lang=en")
        again = client.get("/api/v2/agreements/?lang=en")
        assert (first[CACHE_HEADER], again[CACHE_HEADER]) == ("miss", "hit")
        assert again.content == first.content
        data.fta.title_en = "Renamed agreement"
        data.fta.save_revision().publish()
        assert b"Renamed agreement" in client.get("/api/v2/agreements/?lang=en").content
    finally:
        purge_page_cache()


def test_the_api_stays_outside_the_language_prefixes(client, data):
    response = client.get("/api/v2/nothing/")
    assert response.status_code == 404
    assert not response.has_header("Location")
    assert client.get("/fr/api/v2/agreements/").status_code == 404


SNIPPET_JUNK = [
    "limit=abc",
    "limit=-1",
    "limit=100000",
    "offset=-1",
    "offset=abc",
    "offset=99999999999999999999999",
    "kind=treaty",
    "kind=%00",
    "area=abc",
    "area=-1",
    "area=1.5",
    "area=99999999999999999999999",
    "area=%D9%A3",  # an Arabic-Indic digit: isdigit() but not a pk
    "status=zzz",
    "order=nope",
    "order=-areas",
    "order=random;drop",
    "fields=nope",
    "fields=title_fr(id)",
    "fields=*,-",
    "unknown=1",
    "signed_on=abc",
    "title_fr=x",
    "search=libre",
    "lang=xx",
    "rich_text_format=evil",
]


@pytest.mark.parametrize("endpoint", ["agreements", "events"])
def test_junk_parameters_answer_400_with_a_message(client, data, endpoint):
    for query in SNIPPET_JUNK:
        if endpoint == "events" and query.startswith("status="):
            query = "status=in_force"  # events have no status filter
        response = client.get(f"/api/v2/{endpoint}/?{query}")
        assert response.status_code == 400, (query, response.content[:300])
        assert response.json()["message"], query


def test_a_huge_offset_is_an_empty_page(client, data):
    body = get(client, "/api/v2/agreements/?offset=1000000")
    assert body["items"] == [] and body["meta"]["total_count"] == 2


PAGES_JUNK = [
    "limit=abc",
    "offset=-1",
    "type=nope",
    "type=relations.Nope",
    "child_of=abc",
    "descendant_of=-3",
    "ancestor_of=999999",
    "order=nope",
    "fields=nope",
    "first_published_at=abc",
    "id=abc",
    "unknown=1",
    "lang=de",
]


def test_junk_parameters_on_pages_answer_4xx(client, data):
    for query in PAGES_JUNK:
        response = client.get(f"/api/v2/pages/?{query}")
        assert 400 <= response.status_code < 500, (query, response.content[:300])
    assert client.get("/api/v2/pages/?search=commerce").status_code == 200
    assert client.get("/api/v2/pages/?locale=xx").status_code == 404


def test_junk_ids_on_details_answer_404(client, data):
    for url in ("/api/v2/agreements/abc/", "/api/v2/agreements/0/", "/api/v2/events/99999999999999999999/"):
        assert client.get(url).status_code == 404, url


def count(client, url):
    cache.clear()
    forget_shared_lookups()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries), response.json()


API_URLS = [
    "/api/v2/agreements/?limit=100",
    "/api/v2/agreements/?lang=en&status=signed&area={area}&fields=*",
    "/api/v2/events/?limit=100",
    "/api/v2/events/?lang=en&kind=festival&area={area}&fields=*",
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/?type=relations.UpdatePage&lang=en&limit=100",
]


def test_listings_run_a_fixed_number_of_queries(client, tree, django_assert_max_num_queries):
    party = factories.OrganizationFactory()
    urls = [url.format(area=tree.economy.pk) for url in API_URLS]
    bulk.bulk_agreements(10, areas=[tree.economy], parties=[party], prefix="a")
    bulk.bulk_events(10, areas=[tree.economy], prefix="a")
    bulk.bulk_updates(tree.updates, 10, areas=[tree.economy], prefix="a")
    small = {}
    for url in urls:
        with django_assert_max_num_queries(10):
            small[url] = count(client, url)[0]
    bulk.bulk_agreements(990, areas=[tree.economy], prefix="b")
    bulk.bulk_events(990, areas=[tree.economy], prefix="b")
    bulk.bulk_updates(tree.updates, 990, areas=[tree.economy], prefix="b")
    assert UpdatePage.objects.live().count() == 1000
    for url in urls:
        queries, body = count(client, url)
        assert queries == small[url], url
    assert count(client, urls[0])[1]["meta"]["total_count"] == 1000
    assert len(count(client, urls[2])[1]["items"]) == 100

"""The site search: /fr/search/ and /en/search/, in the visitor's language only, any input welcome.

Runs on SQLite (accent- and case-insensitive word matching) and on PostgreSQL (full-text search with
the ``french_unaccent`` and ``english_unaccent`` configurations); the tests marked ``postgres_only``
check the stemming that only PostgreSQL does.
"""

import datetime
import re
from types import SimpleNamespace

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from relations import search as site_search
from tests import bulk, factories

pytestmark = pytest.mark.django_db


def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("stemming is done by PostgreSQL's full-text search only")


def titles(response):
    """The titles of the results shown, in order."""
    return [
        re.sub(r"<[^>]+>", "", title).strip()
        for title in re.findall(r'<h3 class="result__title"[^>]*>(.*?)</h3>', response.text, re.S)
    ]


def count(response):
    match = re.search(r'<p class="count">(\d+)', response.text)
    return int(match.group(1)) if match else None


@pytest.fixture
def content(tree):
    agreement = factories.AgreementFactory(
        title_fr="Entente sur la coopération coréenne en aérospatiale",
        title_en="Agreement on Korean cooperation in aerospace",
        summary_fr="Les partenaires du Québec signent une entente.",
        summary_en="Partners from Québec sign an agreement.",
        areas=[tree.economy],
    )
    event = factories.EventFactory(
        title_fr="Festival du cinéma de Busan",
        title_en="Busan film festival",
        summary_fr="Des cinéastes du Québec présentent leurs films.",
        summary_en="Filmmakers from Québec show their films.",
    )
    organisation = factories.OrganizationFactory(
        name_fr="Université nationale de Séoul",
        name_en="Seoul National University",
        acronym="SNU",
        description_fr="Une université partenaire.",
        description_en="A partner university.",
    )
    update = factories.UpdatePageFactory(
        parent=tree.updates,
        title_fr="Mission économique à Séoul",
        title_en="Trade mission to Seoul",
        intro_fr="Une délégation québécoise rencontre des partenaires.",
        intro_en="A Québec delegation meets partners.",
    )
    return {"agreement": agreement, "event": event, "organisation": organisation, "update": update}


def test_search_is_at_the_url_of_the_contract_and_in_the_header(client, content):
    assert client.get("/fr/search/?q=Busan").status_code == 200
    assert client.get("/en/search/?q=Busan").status_code == 200
    home = client.get("/fr/").text
    assert 'action="/fr/search/"' in home and 'role="search"' in home


def test_quebec_without_accent_finds_quebec_with_one(client, content):
    french = titles(client.get("/fr/search/?q=Quebec"))
    english = titles(client.get("/en/search/?q=Quebec"))
    assert "Festival du cinéma de Busan" in french
    assert "Busan film festival" in english


def test_coreen_finds_coreenne(client, content):
    found = titles(client.get("/fr/search/?q=coreen"))
    assert "Entente sur la coopération coréenne en aérospatiale" in found


def test_the_search_is_case_insensitive(client, content):
    assert "Busan film festival" in titles(client.get("/en/search/?q=BUSAN"))


def test_only_the_visitors_language_is_searched(client, content):
    # "cinéma" is only in the French text, "film" only in the English title.
    assert titles(client.get("/en/search/?q=cinéma")) == []
    assert "Busan film festival" not in titles(client.get("/fr/search/?q=film festival"))
    assert titles(client.get("/fr/search/?q=cinéma")) == ["Festival du cinéma de Busan"]
    assert titles(client.get("/en/search/?q=festival")) == ["Busan film festival"]


def test_every_kind_is_found_and_labelled(client, content, tree):
    response = client.get("/fr/search/?q=Séoul")
    found = titles(response)
    assert "Université nationale de Séoul (SNU)" in found
    assert "Mission économique à Séoul" in found
    labels = re.findall(r'<p class="result__meta"><span class="tag">([^<]+)</span>', response.text)
    assert {"Organisme", "Actualité"} <= set(labels)
    agreement = client.get("/en/search/?q=aerospace")
    assert "Agreement on Korean cooperation in aerospace" in titles(agreement)
    assert '<span class="tag">Agreement</span>' in agreement.text
    area = client.get("/en/search/?q=economy")
    assert "Economy and trade" in titles(area)
    assert '<span class="tag">Area of collaboration</span>' in area.text


def test_results_link_to_their_pages_in_the_visitors_language(client, content):
    response = client.get("/en/search/?q=aerospace")
    assert f'href="{content["agreement"].get_url_for_language("en")}"' in response.text
    response = client.get("/fr/search/?q=aérospatiale")
    assert f'href="{content["agreement"].get_url_for_language("fr")}"' in response.text


def test_an_organisation_leads_to_its_agreements(client, content):
    content["agreement"].parties.set([content["organisation"]])
    content["agreement"].save_revision().publish()
    response = client.get("/fr/search/?q=SNU")
    assert f"/fr/ententes/?party={content['organisation'].pk}" in response.text


def test_drafts_and_unpublished_pages_are_not_found(client, tree):
    factories.AgreementFactory(title_fr="Entente confidentielle", title_en="Secret agreement", publish=False)
    hidden = factories.AreaPageFactory(parent=tree.home, title_fr="Page confidentielle", live=False)
    assert titles(client.get("/fr/search/?q=confidentielle")) == []
    assert hidden.pk


def test_results_can_be_narrowed_to_one_kind(client, content):
    response = client.get("/fr/search/?q=Québec&type=event")
    assert titles(response) == ["Festival du cinéma de Busan"]
    assert 'aria-current="page">Événements (1)' in response.text
    # An unknown kind is ignored.
    assert len(titles(client.get("/fr/search/?q=Québec&type=nothing"))) > 1


def test_results_are_paginated(client, tree):
    for number in range(25):
        factories.AgreementFactory(
            title_fr=f"Entente pagination {number}", title_en=f"Paging agreement {number}"
        )
    first = client.get("/fr/search/?q=pagination")
    assert count(first) == 25
    assert len(titles(first)) == site_search.PER_PAGE
    assert 'rel="next"' in first.text
    last = client.get("/fr/search/?q=pagination&page=3")
    assert len(titles(last)) == 5
    beyond = client.get("/fr/search/?q=pagination&page=999")
    assert beyond.status_code == 200
    assert len(titles(beyond)) == 5
    assert "La page demandée n’existe pas" in beyond.text or "page demandée" in beyond.text
    assert client.get("/fr/search/?q=pagination&page=abc").status_code == 200


def test_an_empty_query_shows_the_form(client, content):
    for url in ("/fr/search/", "/fr/search/?q=", "/en/search/?q=%20%20", "/en/search/?q=%22%22"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'id="search-q"' in response.text
        assert titles(response) == []


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "Québec " * 1500,
        '"unclosed quote',
        "Québec & | ! :* ( ) <-> \\ ' ''",
        "-Québec OR -",
        "coopération & !",
        "<script>alert(1)</script>",
        "%",
        "_",
        "a\x00b",
        "🇰🇷 한국 Corée",
        "OR AND NOT",
        "le la les de",
    ],
)
def test_any_query_is_answered_without_error(client, content, query):
    for language in ("fr", "en"):
        response = client.get(f"/{language}/search/", {"q": query})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.text


def test_a_long_query_is_shortened_and_the_visitor_told(client, content):
    response = client.get("/en/search/", {"q": "Busan " * 2000})
    assert response.status_code == 200
    assert "shortened" in response.text
    assert "Busan film festival" in titles(response)


def test_a_search_writes_nothing_to_the_database(client, content):
    with CaptureQueriesContext(connection) as queries:
        client.get("/fr/search/?q=Québec")
        client.get("/en/search/?q=Seoul&type=organization&page=2")
    writes = [
        q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE|CREATE|ALTER)", q["sql"], re.I)
    ]
    assert writes == []


def test_the_number_of_queries_does_not_grow_with_the_results(client, tree):
    """Every kind on the first page (titles sorted: agreement, event, organisation, update for
    each number), with 3 and with 15 of each kind, in both languages."""

    def add(numbers):
        for n in numbers:
            factories.AgreementFactory(
                title_fr=f"Compteur {n:02d} entente", title_en=f"Counter {n:02d} agreement"
            )
            factories.EventFactory(title_fr=f"Compteur {n:02d} evenement", title_en=f"Counter {n:02d} event")
            factories.OrganizationFactory(
                name_fr=f"Compteur {n:02d} organisme", name_en=f"Counter {n:02d} body"
            )
            factories.UpdatePageFactory(
                parent=tree.updates, title_fr=f"Compteur {n:02d} nouvelle", title_en=f"Counter {n:02d} update"
            )

    def queries(language):
        url = f"/{language}/search/?q=" + ("compteur" if language == "fr" else "counter")
        client.get(url)  # caches warmed (content types, site root paths)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(set(re.findall(r'<span class="tag">([^<]+)</span>', response.text))) == 4
        return len(captured)

    add(range(3))
    small = {language: queries(language) for language in ("fr", "en")}
    add(range(3, 15))
    assert {language: queries(language) for language in ("fr", "en")} == small
    assert max(small.values()) <= 12


def test_the_switcher_keeps_the_query(client, content):
    response = client.get("/fr/search/?q=Busan")
    assert 'href="/en/search/?q=Busan"' in response.text


def test_search_results_are_not_indexed_by_search_engines(client, content):
    assert '<meta name="robots" content="noindex, follow">' in client.get("/fr/search/?q=Busan").text


def test_events_show_their_date_and_updates_theirs(client, content):
    content["event"].start_date = datetime.date(2030, 10, 12)
    content["event"].save_revision().publish()
    response = client.get("/en/search/?q=Busan")
    assert "October 12, 2030" in response.text


# ---- The index: kept by Wagtail on every save, rebuilt by update_index -------------------


def test_aerospatiale_without_accents_finds_aerospatiale(client, content):
    found = titles(client.get("/fr/search/?q=aerospatiale"))
    assert "Entente sur la coopération coréenne en aérospatiale" in found


def test_a_publication_is_found_at_once_and_an_unpublication_no_more(client, tree):
    agreement = factories.AgreementFactory(title_fr="Entente sur le kimchi", title_en="Kimchi agreement")
    assert titles(client.get("/fr/search/?q=kimchi")) == ["Entente sur le kimchi"]
    agreement.title_fr = "Entente sur le bulgogi"
    agreement.save_revision().publish()
    assert titles(client.get("/fr/search/?q=kimchi")) == []
    assert titles(client.get("/fr/search/?q=bulgogi")) == ["Entente sur le bulgogi"]
    agreement.unpublish()
    assert titles(client.get("/fr/search/?q=bulgogi")) == []


def test_a_deleted_page_is_no_longer_found(client, tree):
    update = factories.UpdatePageFactory(parent=tree.updates, title_fr="Mission à Gwangju")
    assert titles(client.get("/fr/search/?q=Gwangju")) == ["Mission à Gwangju"]
    update.delete()
    assert titles(client.get("/fr/search/?q=Gwangju")) == []


def test_an_expired_agreement_is_not_found(client, tree):
    agreement = factories.AgreementFactory(title_fr="Entente échue sur le hanbok")
    assert titles(client.get("/fr/search/?q=hanbok")) == ["Entente échue sur le hanbok"]
    type(agreement).objects.filter(pk=agreement.pk).update(
        expire_at=timezone.now() - datetime.timedelta(days=1)
    )
    call_command("update_index", backend_name="site", verbosity=0)
    assert titles(client.get("/fr/search/?q=hanbok")) == []


def test_a_page_with_a_view_restriction_is_not_found(client, tree):
    hidden = factories.UpdatePageFactory(parent=tree.updates, title_fr="Réunion privée à Daejeon")
    assert titles(client.get("/fr/search/?q=Daejeon")) == ["Réunion privée à Daejeon"]
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="secret")
    assert titles(client.get("/fr/search/?q=Daejeon")) == []


def test_content_written_without_signals_is_found_after_update_index(client, tree):
    bulk.bulk_agreements(3, prefix="massif")
    assert titles(client.get("/fr/search/?q=massif")) == []
    call_command("update_index", backend_name="site", verbosity=0)
    assert len(titles(client.get("/fr/search/?q=massif"))) == 3
    call_command("update_index", backend_name="site", verbosity=0)  # rebuilt: nothing twice
    assert count(client.get("/fr/search/?q=massif")) == 3


def test_the_body_of_a_page_is_searched_without_its_block_names(client, tree):
    response = client.get("/en/search/?q=rich_text")
    assert titles(response) == []


def test_a_word_found_everywhere_shows_the_best_of_the_first_matches_and_says_so(client, tree, monkeypatch):
    monkeypatch.setattr(site_search, "MAX_RESULTS", 5)
    for number in range(4):
        factories.AgreementFactory(title_fr=f"Entente plafond {number}")
    assert "premières correspondances" not in client.get("/fr/search/?q=plafond").text
    factories.AgreementFactory(title_fr="Entente plafond 4")
    factories.AgreementFactory(title_fr="Entente plafond 5")
    response = client.get("/fr/search/?q=plafond")
    assert count(response) == 5
    assert "Seules les 5 premières correspondances trouvées sont classées" in response.text


# ---- PostgreSQL only: stemming and the text-search configurations ------------------------


def test_the_migration_made_the_text_search_configurations():
    postgres_only()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE '%%_unaccent' ORDER BY cfgname")
        assert [row[0] for row in cursor.fetchall()] == ["english_unaccent", "french_unaccent"]
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Coréennes Québécoise')::text")
        assert cursor.fetchone()[0] == "'coreen':1 'quebecois':2"


def test_french_words_are_stemmed(client, content):
    postgres_only()
    assert "Entente sur la coopération coréenne en aérospatiale" in titles(
        client.get("/fr/search/?q=ententes")
    )
    assert "Entente sur la coopération coréenne en aérospatiale" in titles(client.get("/fr/search/?q=coréen"))


def test_english_words_are_stemmed(client, content):
    postgres_only()
    assert "Busan film festival" in titles(client.get("/en/search/?q=films"))
    assert "Agreement on Korean cooperation in aerospace" in titles(client.get("/en/search/?q=agreements"))


def test_the_migration_does_nothing_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    import importlib

    from django.apps import apps

    migration = importlib.import_module("relations.migrations.0004_search_config")
    editor = SimpleNamespace(connection=connection)
    with CaptureQueriesContext(connection) as queries:
        migration.create_configs(apps, editor)
        migration.drop_configs(apps, editor)
    assert len(queries) == 0

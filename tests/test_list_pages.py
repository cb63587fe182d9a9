"""The rendered list pages: bounded, paginated, and what a visitor reads when the input is junk."""

import pytest

from django.utils.translation import override

from relations import models
from tests import bulk, factories

AGREEMENTS = {"fr": "/fr/ententes/", "en": "/en/agreements/"}
UPDATES = {"fr": "/fr/actualites/", "en": "/en/updates/"}
IGNORED_EN = "These filters were ignored because their values are not valid"


@pytest.fixture
def pages(tree):
    return tree  # index pages with the demo's slugs (tests/factories.py)


def items(response):
    return response.text.count('<article class="item item--')


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_updates_list_is_paginated(client, pages, language):
    bulk.bulk_updates(pages.updates, 45, prefix="u")
    first = client.get(UPDATES[language])
    assert items(first) == models.UpdateIndexPage.PER_PAGE
    assert 'rel="next"' in first.text and 'aria-current="page"' in first.text
    last = client.get(UPDATES[language] + "?page=3")
    assert items(last) == 5
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text


@pytest.mark.parametrize(
    ("query", "number", "notice"),
    [
        ("?page=abc", 1, True),
        ("?page=999999", 3, True),
        ("?page=-4", 1, True),
        ("?page=" + "9" * 5000, 1, True),  # too many digits for int(): not a number
        ("?page=2", 2, False),
        ("?page=2&page=x", 1, True),
        ("?utm_source=x&foo=%00", 1, False),
    ],
)
def test_junk_page_numbers_on_the_updates_list(client, pages, query, number, notice):
    bulk.bulk_updates(pages.updates, 45, prefix="u")
    response = client.get(UPDATES["fr"] + query)
    assert response.status_code == 200
    current = f'<span aria-current="page"><span class="visually-hidden">Page </span>{number}</span>'
    assert current in response.text
    assert ("La page demandée n’existe pas" in response.text) is notice


@pytest.mark.parametrize(
    ("language", "query", "says"),
    [
        ("fr", "?page=abc", "La page demandée n’existe pas\u00a0: voici la page 1."),
        ("en", "?page=999999", "The page asked for does not exist: here is page 2."),
        ("fr", "?area=nulle-part", "Ces filtres ont été ignorés, car leurs valeurs ne sont pas valides"),
        ("en", "?kind=treaty&status=<script>", IGNORED_EN),
        ("en", "?signed_after=2017-02-30", IGNORED_EN),
    ],
)
def test_the_agreements_list_says_what_it_ignored(client, pages, language, query, says):
    bulk.bulk_agreements(25, areas=[pages.economy], prefix="a")
    response = client.get(AGREEMENTS[language] + query)
    assert response.status_code == 200
    assert says in response.text
    assert "<script>" not in response.text.split("</header>", 1)[-1].split("<footer", 1)[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_empty_result_is_explained(client, pages, language):
    bulk.bulk_agreements(3, areas=[pages.economy], prefix="a")
    response = client.get(AGREEMENTS[language] + "?q=introuvable")
    assert response.status_code == 200
    says = {"fr": "Aucune entente ne correspond à ces filtres.", "en": "No agreement matches these filters."}
    assert says[language] in response.text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_area_page_shows_its_first_rows_and_links_to_the_full_lists(client, pages, language):
    bulk.bulk_agreements(models.AreaPage.LIST_SIZE + 5, prefix="a")
    bulk.bulk_events(models.AreaPage.LIST_SIZE + 5, prefix="e")
    for model in (models.Agreement, models.Event):
        model.areas.through.objects.bulk_create(
            [
                model.areas.through(**{f"{model._meta.model_name}_id": pk, "areapage_id": pages.economy.pk})
                for pk in model.objects.values_list("pk", flat=True)
            ]
        )
    url = {"fr": "/fr/economie/", "en": "/en/economy/"}[language]
    response = client.get(url)
    text = response.text
    assert text.count('<article class="item item--') == 2 * models.AreaPage.LIST_SIZE
    slug = {"fr": "economie", "en": "economy"}[language]
    assert f'href="{AGREEMENTS[language]}?area={slug}"' in text
    events = {"fr": "/fr/evenements/", "en": "/en/events/"}[language]
    assert f'href="{events}?area={slug}"' in text
    says = {"fr": "Toutes les ententes de ce domaine", "en": "All the agreements of this area"}
    assert says[language] in text


def test_a_small_area_links_to_its_filtered_lists_too(client, pages):
    factories.AgreementFactory(areas=[pages.economy])
    text = client.get("/fr/economie/").text
    assert 'href="/fr/ententes/?area=economie"' in text
    assert "Rechercher et filtrer ces ententes" in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_agreement_page_links_its_parties_and_says_which_documents_exist(
    client, pages, language, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = tmp_path
    party = factories.OrganizationFactory(name_fr="Consortium de recherche", name_en="Research consortium")
    agreement = factories.AgreementFactory(title_fr="Entente de recherche", areas=[pages.economy])
    agreement.parties.add(party)
    pdf = ContentFile(b"%PDF-1.4", name="texte.pdf")
    document = get_document_model().objects.create(title="Texte", file=pdf)
    models.AgreementDocument.objects.create(agreement=agreement, document=document, language="fr")
    agreement.save_revision().publish()
    factories.AgreementFactory(title_fr="Autre entente")  # not with this party

    with override(language):
        url = agreement.get_url()
    text = client.get(url).text
    link = f'href="{AGREEMENTS[language]}?party={party.pk}"'
    assert link in text
    assert {"fr": "Ses ententes", "en": "Its agreements"}[language] in text
    assert {"fr": "Français seulement", "en": "French only"}[language] in text
    register = client.get(f"{AGREEMENTS[language]}?party={party.pk}")
    assert items(register) == 1 and "Autre entente" not in register.text

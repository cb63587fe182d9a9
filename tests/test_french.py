"""French copy a reader notices: elision and contraction before names, non-breaking spaces that
are not doubled, headings that do not repeat each other."""

import pytest

from relations.core.french import of_name
from relations.management.commands.load_demo import french_typography
from tests import factories

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Institut coréen de technologie industrielle", "de l’Institut coréen de technologie industrielle"),
        ("Université Hankuk des études étrangères", "de l’Université Hankuk des études étrangères"),
        (
            "Organisation internationale de la Francophonie",
            "de l’Organisation internationale de la Francophonie",
        ),
        ("Consortium de recherche et d’innovation", "du Consortium de recherche et d’innovation"),
        ("Gouvernement du Québec", "du Gouvernement du Québec"),
        ("Fondation Lionel-Groulx", "de la Fondation Lionel-Groulx"),
        ("Les Grands Ballets", "des Grands Ballets"),
        ("L’Orchestre symphonique", "de l’Orchestre symphonique"),
        ("KITECH", "de KITECH"),
        ("Ottawa", "d’Ottawa"),
        ("Busan", "de Busan"),
    ],
)
def test_de_before_a_name_is_elided_or_contracted(name, expected):
    assert of_name(name) == expected


def test_a_guillemet_gets_one_non_breaking_space_however_often_the_text_is_loaded():
    once = french_typography("Source : « Domaines de collaboration »")
    assert once == f"Source{NBSP}: «{NBSP}Domaines de collaboration{NBSP}»"
    assert french_typography(once) == once
    assert french_typography(f"«{NBSP}{NBSP}Domaines") == f"«{NBSP}Domaines"


@pytest.mark.django_db
def test_the_search_links_an_organisations_agreements_with_the_right_article(client, tree):
    institute = factories.OrganizationFactory(
        name_fr="Institut coréen de technologie industrielle",
        name_en="Korea Institute of Industrial Technology",
    )
    factories.AgreementFactory(parties=[institute])
    html = client.get("/fr/search/?q=Institut").text
    assert "Ententes de l’Institut coréen de technologie industrielle" in html
    assert "Ententes de Institut" not in html
    html = client.get("/en/search/?q=Institute").text
    assert "Agreements of Korea Institute of Industrial Technology" in html


@pytest.mark.django_db
def test_undated_events_are_not_announced_twice_as_to_come(client, tree):
    """Under « Événements à venir », the undated ones were « Dates à venir »."""
    factories.EventFactory(start_date=None)
    html = client.get("/fr/").text
    assert "Événements à venir" in html and "Dates à préciser" in html
    assert "Dates à venir" not in html

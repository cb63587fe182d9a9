"""The organisations directory: filters by kind and country; each organisation's page lists its
published agreements and events; junk filters are ignored and said so, unknown ids are 404."""

import pytest

from relations.models import Country, OrganizationKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(tree):
    kaist = factories.OrganizationFactory(
        name_fr="Institut coréen",
        name_en="Korean institute",
        kind=OrganizationKind.RESEARCH,
        country=Country.SOUTH_KOREA,
    )
    udem = factories.OrganizationFactory(
        name_fr="Université de Montréal",
        name_en="University of Montréal",
        kind=OrganizationKind.UNIVERSITY,
        country=Country.CANADA,
    )
    return kaist, udem


def test_the_directory_filters_by_kind_and_country(client, organisations):
    html = client.get("/fr/organisations/").content.decode()
    assert "Institut coréen" in html and "Université de Montréal" in html
    korean = client.get("/fr/organisations/?country=KR").content.decode()
    assert "Institut coréen" in korean and "Université de Montréal" not in korean
    universities = client.get("/en/organisations/?kind=university").content.decode()
    assert "University of Montréal" in universities and "Korean institute" not in universities


def test_junk_filters_are_ignored_and_said_so(client, organisations):
    response = client.get("/fr/organisations/?kind=<script>&country=" + "x" * 10_000)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Institut coréen" in html and "&lt;script&gt;" not in html and "laissé de côté" in html


def test_an_organisation_lists_its_published_agreements_and_events(client, organisations):
    kaist, udem = organisations
    factories.AgreementFactory(title_fr="Entente de recherche", parties=[kaist])
    factories.AgreementFactory(title_fr="Entente en brouillon", parties=[kaist], publish=False)
    event = factories.EventFactory(title_fr="Colloque conjoint")
    event.organisers.set([kaist])
    event.save()  # a ParentalManyToManyField is written with its object
    html = client.get(f"/fr/organisations/{kaist.pk}/").content.decode()
    assert "Entente de recherche" in html and "Colloque conjoint" in html
    assert "Entente en brouillon" not in html
    assert "Aucune entente publiée" in client.get(f"/fr/organisations/{udem.pk}/").content.decode()
    assert client.get("/fr/organisations/999999/").status_code == 404

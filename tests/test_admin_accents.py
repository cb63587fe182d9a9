"""The admin's lists search without regard to accents or case, and sort names and titles in French
order, on SQLite as on PostgreSQL (run this file with DATABASE_URL set for the latter)."""

import datetime

import pytest

from django.urls import reverse

from relations.models import Agreement, Organization
from tests import factories
from tests.editorial import snippet_url

pytestmark = pytest.mark.django_db


def listed(client, model, **params):
    response = client.get(snippet_url(model, "list"), params)
    assert response.status_code == 200
    return [str(obj) for obj in response.context["object_list"]]


@pytest.mark.parametrize("typed", ["aerospatiale", "AÉROSPATIALE", "Aérospatiale", "aérospatiale"])
def test_agreement_search_ignores_accents_and_case(client, admin_user, tree, typed):
    factories.AgreementFactory(title_fr="Entente de collaboration en R-D dans l’aérospatiale")
    factories.AgreementFactory(title_fr="Entente sur la culture")
    client.force_login(admin_user)
    assert listed(client, Agreement, q=typed) == ["Entente de collaboration en R-D dans l’aérospatiale"]


def test_organisation_search_finds_quebec_without_its_accent(client, admin_user, tree):
    factories.OrganizationFactory(name_fr="Gouvernement du Québec", name_en="Government of Québec")
    factories.OrganizationFactory(name_fr="Université de Séoul", name_en="Seoul University")
    client.force_login(admin_user)
    assert listed(client, Organization, q="quebec") == ["Gouvernement du Québec"]
    assert listed(client, Organization, q="SEOUL") == ["Université de Séoul"]


def test_organisations_are_listed_in_french_order(client, admin_user, tree):
    for name in ["Zénith de Séoul", "École de Montréal", "Culture Québec", "Francophonie", "éditions Alto"]:
        factories.OrganizationFactory(name_fr=name)
    client.force_login(admin_user)
    assert listed(client, Organization) == [
        "Culture Québec",
        "École de Montréal",
        "éditions Alto",
        "Francophonie",
        "Zénith de Séoul",
    ]


def test_agreements_signed_the_same_day_are_in_french_title_order(client, admin_user, tree):
    day = datetime.date(2017, 2, 1)
    for title in ["Zone franche", "Économie verte", "Culture", "Entente sur l’eau"]:
        factories.AgreementFactory(title_fr=title, signed_on=day)
    client.force_login(admin_user)
    assert listed(client, Agreement) == ["Culture", "Économie verte", "Entente sur l’eau", "Zone franche"]


def test_the_page_explorer_sorts_titles_in_french_order(client, admin_user, tree):
    factories.StandardPageFactory(parent=tree.home, title_fr="Zone de libre-échange", slug_fr="zone")
    factories.StandardPageFactory(parent=tree.home, title_fr="Éducation", slug_fr="education")
    factories.StandardPageFactory(parent=tree.home, title_fr="Francophonie", slug_fr="francophonie")
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_explore", args=[tree.home.pk]), {"ordering": "title"})
    titles = [page.title for page in response.context["object_list"]]
    wanted = ["Éducation", "Francophonie", "Zone de libre-échange"]
    assert [title for title in titles if title in wanted] == wanted
    assert titles.index("Économie et commerce") < titles.index("Francophonie")

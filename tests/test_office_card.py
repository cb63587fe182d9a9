"""The office's card (Settings → Office card): only what is filled in is shown, in the footer of
every page and on the contact page with schema.org GovernmentOrganization data; the accessibility
and privacy pages link to it."""

import json
import re

import pytest

from relations.models import OfficeCard
from tests import factories

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def fill(**values):
    card = OfficeCard.load()
    for name, value in values.items():
        setattr(card, name, value)
    card.save()


def test_an_empty_card_shows_nothing(client, tree):
    html = client.get(tree.economy.url).content.decode()
    assert "office-card" not in html


def test_the_card_shows_only_what_is_filled_in(client, tree):
    fill(telephone="+82 2 000 0000", hours_fr="Du lundi au vendredi", hours_en="Monday to Friday")
    french = client.get(tree.economy.url).content.decode()
    assert 'href="tel:+8220000000"' in french and "Du lundi au vendredi" in french
    assert "mailto:" not in french and "office-card__address" not in french
    assert "Monday to Friday" in client.get("/en/economy/").content.decode()


def test_the_contact_page_shows_the_card_with_json_ld(client, tree):
    contact = factories.ContactPageFactory(parent=tree.home)
    fill(address_fr="1 rue Exemple\nSéoul", email="bureau@example.org")
    html = client.get(contact.url).content.decode()
    assert 'id="coordonnees"' in html and "1 rue Exemple<br>Séoul" in html
    (office,) = [data for data in json_ld(html) if data.get("@type") == "GovernmentOrganization"]
    assert office["email"] == "bureau@example.org"
    assert office["address"]["streetAddress"] == "1 rue Exemple, Séoul"
    assert office["contactPoint"]["email"] == "bureau@example.org"
    assert "telephone" not in office


def test_a_bad_telephone_or_address_is_a_field_error(admin_client):
    card = OfficeCard.load()
    response = admin_client.post(
        f"/admin/settings/relations/officecard/{card.pk}/",
        {"telephone": "<script>", "email": "not an address"},
    )
    assert response.status_code == 200
    assert {"telephone", "email"} <= set(response.context["form"].errors)
    assert not OfficeCard.load().telephone


def test_standard_pages_can_link_to_the_card(client, tree):
    contact = factories.ContactPageFactory(parent=tree.home)
    linked = factories.StandardPageFactory(parent=tree.home, show_office_card=True)
    plain = factories.StandardPageFactory(parent=tree.home)
    assert f'href="{contact.url}#coordonnees"' in client.get(linked.url).content.decode()
    assert "#coordonnees" not in client.get(plain.url).content.decode()

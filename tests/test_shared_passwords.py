"""Shared passwords of private pages and collections: five wrong tries from one address lock that
password for that address (429), as the login does; the right one still opens it for others."""

import pytest

from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "partenaires-2026"  # noqa: S105 -- a throwaway restriction of the test database


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def private_page(tree):
    page = factories.StandardPageFactory(parent=tree.home, title_fr="Projet d'entente", slug_fr="projet")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return page, url


def try_password(client, url, password, address="203.0.113.7", language="fr"):
    return client.post(
        url,
        {"password": password, "return_url": "/fr/"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_five_wrong_page_passwords_lock_that_address(client, axes_on, private_page):
    _page, url = private_page
    for _ in range(4):
        assert try_password(client, url, "devinette").status_code == 200  # the form again
    assert try_password(client, url, "devinette").status_code == 429
    response = try_password(client, url, PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    # Another address is not locked out, and the right password opens the page there.
    assert try_password(client, url, PASSWORD, address="198.51.100.20").status_code == 302


def test_the_right_page_password_still_opens_the_page(client, axes_on, private_page):
    _page, url = private_page
    try_password(client, url, "devinette")
    assert try_password(client, url, PASSWORD).status_code == 302


def test_five_wrong_collection_passwords_lock_that_address(client, axes_on, tree):
    collection = Collection.get_first_root_node().add_child(name="Partenaires")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    Document.objects.create(title="Projet", collection=collection)
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    for _ in range(5):
        try_password(client, url, "devinette")
    assert try_password(client, url, PASSWORD).status_code == 429
    assert try_password(client, url, PASSWORD, address="198.51.100.20").status_code == 302

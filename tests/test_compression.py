"""HTML, feeds and JSON are compressed when the client accepts it, and never a response that
carries a secret (BREACH: relations/core/compression.py)."""

import gzip
import re

import pytest

from django.http import HttpResponse
from django.test import RequestFactory

from relations.core.caching import purge_page_cache
from relations.core.compression import PublicGZipMiddleware
from relations.core.middleware import CACHE_HEADER
from tests import factories

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def compressed(response):
    return response.get("Content-Encoding") == "gzip"


@pytest.fixture
def site(db, tree):
    factories.AgreementFactory(title_fr="Entente connue", areas=[tree.economy])
    factories.ContactPageFactory(parent=tree.home, to_address="seoul@example.org")
    return tree


@pytest.mark.parametrize(
    "url",
    [
        "/fr/",
        "/en/agreements/",
        "/fr/search/?q=entente",  # reflects the query, but holds no secret
        "/fr/flux/ententes.atom",
        "/en/feeds/events.ics",
        "/api/v2/agreements/",
        "/fr/ententes/export.csv",
    ],
)
def test_text_is_compressed_when_the_client_accepts_it(client, site, url):
    plain = client.get(url)
    response = client.get(url, headers=GZIP)
    assert response.status_code == plain.status_code == 200
    assert compressed(response), url
    assert "Accept-Encoding" in response["Vary"]
    nonce = re.compile(rb'nonce="[^"]*"')  # each response has its own
    assert nonce.sub(b"", gzip.decompress(response.content)) == nonce.sub(b"", plain.content)
    assert not compressed(plain)


def test_pages_carrying_a_csrf_token_are_never_compressed(client, site):
    """The contact form holds a CSRF token: compressed beside a reflected value, its size would
    tell an attacker the token, a character at a time (BREACH)."""
    response = client.get("/fr/nous-joindre/", headers=GZIP)
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert not compressed(response)


def test_signed_in_users_and_the_admin_are_never_compressed(client, site, admin_user):
    client.force_login(admin_user)
    for url in ("/fr/", "/fr/search/?q=entente", "/admin/", "/admin/snippets/relations/agreement/"):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert not compressed(response), url


def test_page_cache_hits_are_compressed_and_the_cache_keeps_one_copy(client, site, settings, tmp_path):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PORTAL_PAGE_CACHE_STAMP_FILE = str(tmp_path / "page-cache.stamp")
    purge_page_cache()
    try:
        first = client.get("/fr/ententes/", headers=GZIP)
        plain_hit = client.get("/fr/ententes/")  # stored uncompressed: a client without gzip gets it
        gzip_hit = client.get("/fr/ententes/", headers=GZIP)
        assert (first[CACHE_HEADER], plain_hit[CACHE_HEADER], gzip_hit[CACHE_HEADER]) == (
            "miss",
            "hit",
            "hit",
        )
        assert compressed(first) and compressed(gzip_hit) and not compressed(plain_hit)
        assert "Entente connue" in plain_hit.text
        assert b"Entente connue" in gzip.decompress(gzip_hit.content)
    finally:
        purge_page_cache()


def test_only_text_is_compressed():
    """Images and PDF documents are compressed already."""
    request = RequestFactory().get("/documents/1/scan.pdf", headers=GZIP)
    pdf = HttpResponse(b"%PDF-" + b"0" * 5000, content_type="application/pdf")
    assert not compressed(PublicGZipMiddleware(lambda r: pdf)(request))
    text = HttpResponse(b"a" * 5000, content_type="text/plain")
    assert compressed(PublicGZipMiddleware(lambda r: text)(request))

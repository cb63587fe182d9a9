"""Language-neutral URLs: the root redirect by preferred language, and the health check."""

import pytest

pytestmark = pytest.mark.django_db


def test_root_redirects_to_french_by_default(client, home):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_redirects_to_english_when_the_browser_prefers_it(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9,fr;q=0.5")
    assert response["Location"] == "/en/"


def test_root_prefers_french_when_the_browser_ranks_it_first(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.8")
    assert response["Location"] == "/fr/"


def test_root_ignores_languages_the_portal_does_not_have(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response["Location"] == "/fr/"


def test_root_redirect_varies_on_the_language_header(client, home):
    assert "Accept-Language" in client.get("/")["Vary"]


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_says_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert client.get("/healthz").status_code == 503

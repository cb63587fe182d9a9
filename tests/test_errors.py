"""Error pages in the visitor's language, styled like the site, with a search box; the 500 page
asks nothing of the database (it may be what failed)."""

import re
from unittest import mock

import pytest

from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import path
from django.utils.translation import override
from django.views.defaults import server_error

from portal.urls import handler500  # noqa: F401 -- the portal's handler, for @pytest.mark.urls
from portal.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


# The portal's URLs plus a view that fails, in both languages (used with @pytest.mark.urls).
urlpatterns = i18n_patterns(path("boom/", boom), prefix_default_language=True) + portal_urlpatterns

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "language", "title", "search"),
    [
        ("/fr/nexiste-pas/", "fr", "Page introuvable", "/fr/search/"),
        ("/en/does-not-exist/", "en", "Page not found", "/en/search/"),
        ("/fr/ententes/inconnue/", "fr", "Page introuvable", "/fr/search/"),
        ("/en/events/unknown/", "en", "Page not found", "/en/search/"),
    ],
)
def test_404_in_the_visitors_language_with_a_search_box(client, tree, url, language, title, search):
    response = client.get(url)
    assert response.status_code == 404
    html = response.text
    assert f'<html lang="{language}"' in html
    assert f"<h1>{title}</h1>" in html
    form = re.search(r'<form class="search-page-form" role="search" method="get" action="([^"]+)"', html)
    assert form and form.group(1) == search
    assert 'id="error-search"' in html and '<label for="error-search">' in html
    assert "/static/css/portal.css" in html  # styled like the site
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.urls("tests.test_errors")
@pytest.mark.parametrize(
    ("url", "language", "title", "search"),
    [
        ("/fr/boom/", "fr", "Erreur du serveur", "/fr/search/"),
        ("/en/boom/", "en", "Server error", "/en/search/"),
    ],
)
def test_500_in_the_visitors_language_with_a_search_box(tree, url, language, title, search):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert f"<h1>{title}</h1>" in html
    assert f'action="{search}"' in html
    assert "/static/css/portal.css" in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_500_page_queries_no_database(rf, django_assert_num_queries, language):
    request = rf.get(f"/{language}/boom/")
    with override(language), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert f'action="/{language}/search/"' in response.content.decode()


def test_the_500_template_stands_alone():
    """No base template, no tag that reads the database (menus, the office's name)."""
    from django.template.loader import get_template

    source = get_template("500.html").template.source
    assert "{% extends" not in source
    assert "portal_menu" not in source and "government_office" not in source


def database_down():
    """Every query fails as it does while PostgreSQL restarts."""
    error = OperationalError("server closed the connection unexpectedly")
    return mock.patch.multiple(CursorWrapper, execute=mock.Mock(side_effect=error), executemany=mock.DEFAULT)


@pytest.mark.parametrize(
    ("url", "language", "title"),
    [
        ("/fr/", "fr", "Service momentanément indisponible"),
        ("/en/agreements/", "en", "Service temporarily unavailable"),
        ("/en/search/?q=seoul", "en", "Service temporarily unavailable"),
    ],
)
def test_pages_answer_503_with_retry_after_while_the_database_is_unreachable(tree, url, language, title):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert f"<h1>{title}</h1>" in html
    assert "/static/css/portal.css" in html  # the styled page, not a bare error
    assert client.get(url).status_code == 200  # and the page is back once the database is


def test_health_check_and_pages_agree_while_the_database_is_unreachable(tree):
    client = Client(raise_request_exception=False)
    with database_down():
        assert client.get("/healthz").status_code == 503
        assert client.get("/fr/").status_code == 503


@pytest.mark.urls("tests.test_errors")
def test_a_bug_is_still_a_500_not_a_503(tree):
    response = Client(raise_request_exception=False).get("/en/boom/")
    assert response.status_code == 500
    assert "Retry-After" not in response

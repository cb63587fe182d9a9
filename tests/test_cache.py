"""The anonymous page cache: hits, what is never cached, headers for a CDN, and purges on publish.

The test settings turn the page cache off (it outlives each test's transaction); the ``page_cache``
fixture turns it on and empties it around each test.
"""

import os
import re
import socket
import uuid

import pytest

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from relations.core import caching as page_cache_module
from relations.core.caching import PageStore, purge_page_cache, stamp_path
from relations.core.middleware import CACHE_HEADER, PageCacheMiddleware, PortalCSPMiddleware
from relations.models import KeyFigure, Organization
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    # A stamp file of this test's own: test runs in other checkouts' processes on this machine
    # would otherwise purge this run's cache (harmless in production, flaky in a test).
    settings.PORTAL_PAGE_CACHE_STAMP_FILE = str(tmp_path / "page-cache.stamp")
    settings.PORTAL_PAGE_CACHE_BROWSER_SECONDS = 60
    purge_page_cache()
    yield settings
    purge_page_cache()


NONCE = re.compile(rb'nonce="[^"]*"')


def cache_state(response):
    return response.get(CACHE_HEADER)


def test_the_second_anonymous_get_is_a_hit(client, tree, page_cache):
    first = client.get("/fr/")
    assert first.status_code == 200
    assert cache_state(first) == "miss"
    second = client.get("/fr/")
    assert cache_state(second) == "hit"
    assert NONCE.sub(b"", second.content) == NONCE.sub(b"", first.content)  # a fresh nonce each time
    assert second["Content-Type"] == first["Content-Type"]
    policy = re.compile(r"'nonce-[^']*'")
    assert policy.sub("", second["Content-Security-Policy"]) == policy.sub(
        "", first["Content-Security-Policy"]
    )


def test_a_hit_skips_the_view_and_runs_no_query(client, tree, page_cache, django_assert_num_queries):
    client.get("/fr/economie/")
    with django_assert_num_queries(0):
        assert cache_state(client.get("/fr/economie/")) == "hit"


def test_languages_and_query_strings_are_cached_apart(client, tree, page_cache):
    assert "Accueil" in client.get("/fr/").content.decode()
    assert cache_state(client.get("/en/")) == "miss"
    assert "Home" in client.get("/en/").content.decode()
    client.get("/fr/ententes/")
    assert cache_state(client.get("/fr/ententes/?kind=canadian")) == "miss"
    assert cache_state(client.get("/fr/ententes/?kind=canadian")) == "hit"


def test_the_order_of_parameters_and_empty_ones_make_no_new_entry(client, tree, page_cache):
    factories.AgreementFactory(kind="canadian")
    assert cache_state(client.get("/fr/ententes/?kind=canadian&sort=title")) == "miss"
    assert cache_state(client.get("/fr/ententes/?sort=title&kind=canadian&q=")) == "hit"
    assert cache_state(client.get("/fr/ententes/?sort=+title+&kind=canadian")) == "hit"


@pytest.mark.parametrize(
    "url",
    [
        "/fr/?utm_source=spam",  # a parameter the page does not read
        "/fr/ententes/?status=nonsense",  # a filter value the register ignores
        "/fr/ententes/?page=999999",  # a page out of range
        "/fr/evenements/?year=abc",
        "/fr/chronologie/?area=nowhere",
        "/fr/search/?q=zzqxjunk",  # a search that finds nothing
        "/fr/search/?q=entente&type=nonsense",
    ],
)
def test_junk_query_strings_are_answered_but_never_stored(client, tree, page_cache, url):
    """Every distinct junk query string would be an entry of its own: 4,611 junk searches in a
    minute grew a worker by 37 MB and pushed real pages out of the cache."""
    factories.TimelinePageFactory(parent=tree.home)
    factories.AgreementFactory(title_fr="Entente culturelle")
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, url
        assert cache_state(response) is None, url


def test_a_search_that_finds_something_is_stored(client, tree, page_cache):
    factories.AgreementFactory(title_fr="Entente culturelle")
    assert cache_state(client.get("/fr/search/?q=culturelle")) == "miss"
    assert cache_state(client.get("/fr/search/?q=culturelle")) == "hit"


def test_anonymous_pages_tell_a_cdn_how_long_to_keep_them(client, tree, page_cache):
    for response in (client.get("/fr/"), client.get("/fr/")):
        cache_control = response["Cache-Control"]
        assert "public" in cache_control
        assert "max-age=60" in cache_control
        assert "s-maxage=600" in cache_control


def test_signed_in_users_and_the_admin_are_never_cached(client, tree, page_cache):
    client.get("/fr/")  # cached for anonymous visitors
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "x")
    client.force_login(user)
    response = client.get("/fr/")
    assert cache_state(response) is None
    assert "private" in response["Cache-Control"]
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert cache_state(admin) is None
    assert "private" in admin["Cache-Control"] or "no-cache" in admin["Cache-Control"]


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_AUTHORIZATION": "Bearer x"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "csrftoken=abc"},
    ],
)
def test_requests_with_credentials_bypass_the_cache(client, tree, page_cache, extra):
    client.get("/fr/")
    response = client.get("/fr/", **extra)
    assert response.status_code == 200
    assert cache_state(response) is None


def test_what_is_never_stored(client, tree, page_cache):
    assert client.get("/fr/no-such-page/").status_code == 404
    assert cache_state(client.get("/fr/no-such-page/")) is None
    assert cache_state(client.get("/healthz")) is None
    client.head("/fr/")
    assert cache_state(client.get("/fr/")) == "miss"  # a HEAD is served from the cache, never stored
    assert cache_state(client.head("/fr/")) == "hit"
    assert client.post("/fr/").status_code in (200, 405)
    assert cache_state(client.post("/fr/")) is None


def test_responses_that_set_cookies_or_are_private_are_not_stored(page_cache):
    factory = RequestFactory()

    def with_cookie(request):
        response = HttpResponse("x")
        response.set_cookie("tracking", "1")
        return response

    def private(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "private"
        return response

    def varies(request):
        response = HttpResponse("x")
        response["Vary"] = "Accept"
        return response

    for view in (with_cookie, private, varies):
        middleware = PageCacheMiddleware(view)
        middleware(factory.get(f"/fr/{view.__name__}/"))
        assert cache_state(middleware(factory.get(f"/fr/{view.__name__}/"))) is None, view.__name__


def test_a_hit_gets_a_fresh_csp_nonce(page_cache):
    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')

    middleware = PageCacheMiddleware(PortalCSPMiddleware(view))
    factory = RequestFactory()
    responses = [middleware(factory.get("/fr/nonce/")) for _ in range(3)]
    assert [cache_state(r) for r in responses] == ["miss", "hit", "hit"]
    nonces = []
    for response in responses:
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


# --------------------------------------------------------------------------------------
# Purges: publish a change, the next anonymous GET shows it
# --------------------------------------------------------------------------------------


def test_publishing_a_page_purges(client, tree, page_cache):
    assert "Économie et commerce" in client.get("/fr/").content.decode()
    assert cache_state(client.get("/fr/")) == "hit"
    area = tree.economy
    area.title_fr = "Économie, commerce et investissement"
    area.save_revision().publish()
    response = client.get("/fr/")
    assert cache_state(response) == "miss"
    assert "Économie, commerce et investissement" in response.content.decode()


def test_a_draft_purges_nothing(client, tree, page_cache):
    client.get("/fr/economie/")
    area = tree.economy
    area.title_fr = "Brouillon"
    area.save_revision()
    response = client.get("/fr/economie/")
    assert cache_state(response) == "hit"
    assert "Brouillon" not in response.content.decode()


def test_unpublishing_and_deleting_a_page_purge(client, tree, page_cache):
    update = factories.UpdatePageFactory(
        parent=tree.updates, title_fr="Nouvelle actualité", slug_fr="nouvelle"
    )
    assert client.get("/fr/actualites/nouvelle/").status_code == 200
    assert "Nouvelle actualité" in client.get("/fr/actualites/").content.decode()
    update.unpublish()
    assert client.get("/fr/actualites/nouvelle/").status_code == 404
    assert "Nouvelle actualité" not in client.get("/fr/actualites/").content.decode()
    client.get("/fr/culture/")
    tree.culture.delete()
    assert client.get("/fr/culture/").status_code == 404


def test_publishing_and_unpublishing_a_snippet_purge(client, tree, page_cache):
    assert "Entente sur les jeunes" not in client.get("/fr/ententes/").content.decode()
    agreement = factories.AgreementFactory(title_fr="Entente sur les jeunes", publish=False)
    assert cache_state(client.get("/fr/ententes/")) == "hit"  # a draft changes nothing
    agreement.save_revision().publish()
    assert "Entente sur les jeunes" in client.get("/fr/ententes/").content.decode()
    agreement.refresh_from_db()
    agreement.unpublish()
    assert "Entente sur les jeunes" not in client.get("/fr/ententes/").content.decode()


def test_deleting_a_snippet_purges(client, tree, page_cache):
    event = factories.EventFactory(title_fr="Festival à effacer")
    assert "Festival à effacer" in client.get("/fr/evenements/").content.decode()
    event.delete()
    assert "Festival à effacer" not in client.get("/fr/evenements/").content.decode()


def test_saving_data_without_drafts_purges(client, tree, page_cache):
    organisation = Organization.objects.create(name_fr="Université A", kind="university", country="KR")
    agreement = factories.AgreementFactory(title_fr="Entente universitaire", parties=[organisation])
    agreement.save_revision().publish()
    url = agreement.get_url_for_language("fr")
    assert "Université A" in client.get(url).content.decode()
    organisation.name_fr = "Université B"
    organisation.save()
    assert "Université B" in client.get(url).content.decode()
    factories.KeyFigureFactory(label_fr="Chiffre tout neuf", show_on_home=True)
    assert KeyFigure.objects.filter(label_fr="Chiffre tout neuf").exists()
    assert "Chiffre tout neuf" in client.get("/fr/").content.decode()


def test_a_purge_in_another_process_reaches_this_one(page_cache):
    """Local-memory caches are per process: a new stamp file makes each process forget its pages."""
    store = PageStore()
    if not store.local:
        pytest.skip("the page cache is shared (Redis): no stamp file")
    store.set("k", (None, 200, [], b"old", None), 600)
    assert store.get("k") is not None
    path = stamp_path()
    replacement = path.with_name(path.name + ".other")
    replacement.write_text(uuid.uuid4().hex)
    os.replace(replacement, path)  # what another worker's purge does
    assert store.get("k") is None


def redis_available():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_a_purge_changes_the_generation(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        },
    }
    try:
        store = PageStore()
        assert not store.local
        store.set("k", (None, 200, [("Content-Type", "text/html")], b"page", None), 60)
        assert store.get("k")[3] == b"page"
        page_cache_module._purge_now()
        assert store.get("k") is None  # the entry is still in Redis, but from an old generation
        store.set("k", (None, 200, [], b"new", None), 60)
        assert store.get("k")[3] == b"new"
    finally:
        page_cache_module.page_cache().clear()


def test_a_cache_outage_is_a_miss_not_an_error(settings, client, tree, page_cache):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    assert client.get("/fr/").status_code == 200
    assert client.get("/fr/").status_code == 200
    purge_page_cache()  # logs, does not raise


def test_frontend_cache_is_installed_and_off_by_default(settings):
    assert "wagtail.contrib.frontend_cache" in settings.INSTALLED_APPS
    assert settings.WAGTAILFRONTENDCACHE == {}


def test_a_configured_cdn_is_purged_with_every_page_in_both_languages(
    settings, tree, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://cdn",
        }
    }
    purged = []
    monkeypatch.setattr(
        "wagtail.contrib.frontend_cache.utils.purge_urls_from_cache", lambda urls, **kw: purged.extend(urls)
    )
    agreement = factories.AgreementFactory(title_fr="Entente pour le CDN", publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        agreement.save_revision().publish()
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in purged}
    assert {"/fr/", "/en/", "/fr/economie/", "/en/economy/", "/fr/ententes/", "/en/agreements/"} <= paths
    assert f"/fr/ententes/{agreement.slug_fr}/" in paths

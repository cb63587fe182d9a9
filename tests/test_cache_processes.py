"""Two processes that share the page cache: what one purges, the other forgets on its next request.

These run with whatever cache the settings give: local memory with its stamp file by default, and
Redis when ``REDIS_URL`` is set (CI runs them both ways). The second process is a real one
(``python manage.py shell``) with the same settings, stamp file and Redis keys as this one: it
stands for the other gunicorn worker, or the other web container, that handled the publication.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings

from relations.core.caching import PageStore, purge_page_cache
from relations.core.middleware import CACHE_HEADER
from relations.models import AreaPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PORTAL_PAGE_CACHE_STAMP_FILE = str(tmp_path / "page-cache.stamp")
    purge_page_cache()
    yield settings
    purge_page_cache()


def purge_in_another_process():
    """What a publication handled by another worker does to the shared cache: its purge."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PORTAL_PAGE_CACHE_STAMP_FILE": settings.PORTAL_PAGE_CACHE_STAMP_FILE,
        # The same Redis keys as this process (portal/settings/test.py).
        "PORTAL_TEST_RUN": settings.PORTAL_TEST_RUN,
        # A purge needs no table, but Django may open a connection (on_commit): to a database that
        # always exists, not the one DATABASE_URL names (pytest made its test copy, not it).
        "DATABASE_URL": "sqlite:///:memory:",
    }
    code = "from relations.core.caching import purge_page_cache; purge_page_cache()"
    subprocess.run(  # noqa: S603 -- our own interpreter and manage.py, no user input
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=120
    )


def test_the_second_process_shares_this_processs_cache(page_cache):
    store = PageStore()
    expected_local = "REDIS_URL" not in os.environ
    assert store.local is expected_local


def test_a_purge_by_another_process_is_seen_on_the_next_request(client, tree, page_cache):
    assert client.get("/fr/").get(CACHE_HEADER) == "miss"
    assert client.get("/fr/").get(CACHE_HEADER) == "hit"
    # The economy page renamed behind this process's back (as the other worker's database write).
    AreaPage.objects.filter(pk=tree.economy.pk).update(title_fr="Commerce renommé")
    assert "Commerce renommé" not in client.get("/fr/").text  # still this process's cached page
    purge_in_another_process()
    response = client.get("/fr/")
    assert response.get(CACHE_HEADER) == "miss"
    # The menu (kept until the next publication) is built again too.
    assert "Commerce renommé" in response.text
    assert client.get("/fr/").get(CACHE_HEADER) == "hit"

"""Shared fixtures: a small page tree built with factories (not the whole demo)."""

import pytest

from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from wagtail.models import Page, Site

from relations.core.caching import forget_shared_lookups
from tests import factories


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/… leaves English active in the thread: each test starts in French again."""
    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture(autouse=True)
def _empty_caches():
    """Caches outlive the test database's rollbacks: start every test with empty ones."""
    for cache in caches.all():
        cache.clear()
    forget_shared_lookups()
    yield


@pytest.fixture
def home(db):
    root = Page.objects.get(depth=1)
    home = factories.HomePageFactory(parent=root)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def tree(home):
    """Home, two areas, and the three index pages, as the demo has them."""

    class Tree:
        pass

    t = Tree()
    t.home = home
    t.economy = factories.AreaPageFactory(
        parent=home,
        title_fr="Économie et commerce",
        title_en="Economy and trade",
        slug_fr="economie",
        slug_en="economy",
    )
    t.culture = factories.AreaPageFactory(
        parent=home, title_fr="Culture", title_en="Culture", slug_fr="culture", slug_en="culture"
    )
    t.agreements = factories.AgreementIndexPageFactory(parent=home)
    t.events = factories.EventIndexPageFactory(parent=home)
    t.updates = factories.UpdateIndexPageFactory(parent=home)
    return t


# Staff accounts of the editorial-workflow tests (editor, moderator, admin_user).
from tests.editorial import admin_user, editor, moderator  # noqa: E402, F401, I001


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; alerts and confirmations go to it through smtplib."""
    from tests.smtp import SMTPServer

    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.PORTAL_ALERTS_MAX_RATE = 0
        yield server

"""Links staff and partners follow are built on the configured base URL (WAGTAILADMIN_BASE_URL):
the demo's port, the moderation e-mails, and the API's absolute URLs, not the Site record's host."""

import shutil
import subprocess
from pathlib import Path

import pytest

from django.conf import settings
from django.core import mail

from relations.models import Event
from tests import factories
from tests.editorial import encode, event_form_data, snippet_url

ROOT = Path(__file__).resolve().parents[1]


MAKE = shutil.which("make")


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_demo_passes_its_port_to_the_base_url():
    commands = subprocess.run(  # noqa: S603 -- fixed arguments
        [MAKE, "-n", "demo", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for step in ("demo_users", "gunicorn"):
        (line,) = [command for command in commands if step in command]
        assert "WAGTAILADMIN_BASE_URL=http://127.0.0.1:8123" in line
        assert "--bind 127.0.0.1:8123" in line or step != "gunicorn"


def test_the_api_base_url_is_the_admin_base_url():
    assert settings.WAGTAILAPI_BASE_URL == settings.WAGTAILADMIN_BASE_URL


@pytest.mark.django_db
def test_api_urls_use_the_base_url_not_the_site_record(client, tree):
    factories.AgreementFactory()
    assert tree.home.get_site().root_url == "http://localhost"
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    pages = client.get("/api/v2/pages/").json()["items"]
    assert pages
    for page in pages:
        assert page["meta"]["detail_url"].startswith(f"{base}/api/v2/pages/")
        assert page["meta"]["html_url"].startswith(f"{base}/fr/")
    detail = client.get(f"/api/v2/pages/{tree.economy.pk}/").json()
    assert detail["meta"]["html_url"] == f"{base}/fr/economie/"
    (agreement,) = client.get("/api/v2/agreements/").json()["items"]
    assert agreement["meta"]["detail_url"].startswith(f"{base}/api/v2/agreements/")


@pytest.mark.django_db
def test_moderation_e_mails_link_to_the_base_url(client, editor, moderator, tree, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    client.force_login(editor)
    client.post(snippet_url(Event, "add"), encode(event_form_data(), submit=True))
    assert Event.objects.exists()
    (message,) = [m for m in mail.outbox if moderator.email in m.to]
    assert "http://127.0.0.1:8123/admin/" in message.body
    assert "localhost" not in message.body and ":8000" not in message.body

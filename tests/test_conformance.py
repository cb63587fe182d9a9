"""Every output follows its specification, checked with tools nobody here wrote.

- HTML: the W3C Nu HTML checker (npm ``vnu-jar``, pinned in ``tests/validators/``, run by Java)
  over every public page type in both languages, in one Java run (it takes seconds to start).
  Locally the test is skipped when Java or the jar is missing; in CI (``CI=true``) it fails.

Set up the checker with ``npm ci --prefix tests/validators --ignore-scripts`` and Debian's
``default-jre-headless``, as ``.ci/run`` does.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command

from relations.models import Agreement, Event, UpdatePage

pytestmark = pytest.mark.django_db

VNU_JAR = (
    Path(settings.BASE_DIR)
    / "tests"
    / "validators"
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)


def require(available, reason):
    """Skips with ``reason`` when a tool is missing, except in CI, where a missing tool fails."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run this check)")
    pytest.skip(reason)


@pytest.fixture
def demo(db):
    """The demo content: every page type with real text, charts and key figures included."""
    call_command("load_demo", verbosity=0)


def public_pages(client):
    """``{name: path}`` for every public page type, in French and in English."""
    agreement = Agreement.objects.get(slug_fr="accord-de-libre-echange-canada-coree")
    event = Event.objects.filter(start_date__isnull=False).order_by("start_date").first()
    update = UpdatePage.objects.live().order_by("-date").first()
    paths = {}
    for language in ("fr", "en"):
        fr = language == "fr"
        paths |= {
            f"home-{language}": f"/{language}/",
            f"area-{language}": "/fr/economie/" if fr else "/en/economy/",
            f"standard-{language}": "/fr/a-propos/" if fr else "/en/about/",
            f"contact-{language}": "/fr/nous-joindre/" if fr else "/en/contact/",
            f"agreements-{language}": "/fr/ententes/" if fr else "/en/agreements/",
            f"agreements-filtered-{language}": ("/fr/ententes/" if fr else "/en/agreements/")
            + "?status=in_force&signed_after=x",
            f"agreement-{language}": agreement.get_url_for_language(language),
            f"events-{language}": "/fr/evenements/" if fr else "/en/events/",
            f"event-{language}": event.get_url_for_language(language),
            f"updates-{language}": "/fr/actualites/" if fr else "/en/updates/",
            f"update-{language}": f"/fr/actualites/{update.slug_fr}/"
            if fr
            else f"/en/updates/{update.slug_en}/",
            f"timeline-{language}": "/fr/chronologie/" if fr else "/en/timeline/",
            f"search-{language}": f"/{language}/search/?q=culture",
            f"not-found-{language}": f"/{language}/nothing-here/",
        }
    return paths


def test_every_public_page_type_passes_the_nu_html_checker(client, demo, tmp_path):
    java = shutil.which("java")
    require(java, "java is missing (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), f"{VNU_JAR} is missing (npm ci --prefix tests/validators --ignore-scripts)")
    files = []
    for name, path in public_pages(client).items():
        response = client.get(path)
        expected = 404 if name.startswith("not-found") else 200
        assert response.status_code == expected, f"{name}: {path} answered {response.status_code}"
        if name.startswith("search"):
            assert '<li class="result"' in response.text, "the search shows results"
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    run = subprocess.run(  # noqa: S603 -- a fixed command on files this test wrote
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
    assert len(files) == 28

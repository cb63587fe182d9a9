"""The alerts' mails (HTML part) and pages pass the Nu HTML checker (vnu).

vnu runs with Java; the jar is found at ``$VNU_JAR`` or where ``npm ci --prefix tests/validators``
puts it (pinned there, as for tests/test_conformance.py). Without it the test is skipped locally and
fails in CI.
"""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from django.urls import reverse
from django.utils import timezone

from relations.alerts import mail
from relations.alerts.models import AlertItem, Subscriber

ROOT = Path(__file__).resolve().parents[1]
JAR = Path(
    os.environ.get("VNU_JAR")
    or ROOT / "tests" / "validators" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)

if not (JAR.exists() and shutil.which("java")):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the Nu HTML checker is missing ({JAR}, java)", pytrace=False)
    pytest.skip(
        "the Nu HTML checker is missing: npm ci --prefix tests/validators (and Java)", allow_module_level=True
    )

pytestmark = pytest.mark.django_db


def vnu_errors(files):
    result = subprocess.run(  # noqa: S603 -- this jar and our own files
        [shutil.which("java"), "-jar", str(JAR), "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr.strip()


def item(kind, title):
    return AlertItem(
        kind=kind,
        titles={"fr": f"{title} & <i>", "en": f"{title} (en)"},
        summaries={"fr": "Résumé."},
        urls={"fr": "/fr/ententes/a/", "en": "/en/agreements/a/"},
        published_at=timezone.now(),
    )


def test_mails_and_pages_pass_the_nu_checker(client, tree, tmp_path):
    files = []
    for language in ("fr", "en"):
        subscriber = Subscriber.objects.create(email=f"{language}@example.org", language=language)
        items = [item("agreements", "Entente"), item("events", "Événement")]
        mails = {
            "alert": mail.alert_mail(subscriber, items[:1], uuid.uuid4()),
            "digest": mail.alert_mail(subscriber, items, uuid.uuid4()),
            "confirm": mail.confirmation_mail(subscriber, ["Domaine : Culture"]),
        }
        for name, message in mails.items():
            (html, mimetype) = message.alternatives[0]
            assert mimetype == "text/html"
            files.append(tmp_path / f"mail-{name}-{language}.html")
            files[-1].write_text(html)
        pages = {
            "signup": f"/{language}/" + ("alertes/" if language == "fr" else "alerts/"),
            "manage": reverse("alerts:manage", kwargs={"key": subscriber.key}),
            "delete": reverse("alerts:delete", kwargs={"key": subscriber.key}),
            "invalid": reverse("alerts:confirm", kwargs={"token": "forged"}),
        }
        for name, path in pages.items():
            files.append(tmp_path / f"page-{name}-{language}.html")
            files[-1].write_bytes(client.get(path, HTTP_ACCEPT_LANGUAGE=language).content)
    assert not vnu_errors(files)

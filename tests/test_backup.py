"""`make backup` / `make restore` round-trip the demo content and the media files.

On SQLite (dumpdata/loaddata) always; on PostgreSQL (pg_dump/pg_restore) when the suite runs on
PostgreSQL and pg_dump is installed. The commands run in-process on the test database.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from wagtail.documents import get_document_model
from wagtail.models import Page

from relations.models import Agreement, Event, KeyFigure, Organization

ROOT = Path(__file__).resolve().parent.parent


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("pk", "title_fr", "title_en", "url_path_fr", "live")),
        "agreements": sorted(Agreement.objects.values_list("pk", "title_fr", "title_en", "live")),
        "agreement areas": sorted(Agreement.areas.through.objects.values_list("agreement_id", "areapage_id")),
        "events": sorted(Event.objects.values_list("pk", "title_fr", "title_en", "start_date")),
        "organisations": sorted(Organization.objects.values_list("pk", "name_fr", "name_en")),
        "figures": sorted(KeyFigure.objects.values_list("pk", "label_fr", "value")),
        "documents": sorted(get_document_model().objects.values_list("pk", "title", "file")),
    }


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    document = get_document_model().objects.create(
        title="Texte de l'entente", file=ContentFile(b"%PDF-1.4 demo", name="entente.pdf")
    )
    return Path(settings.MEDIA_ROOT) / document.file.name


def round_trip(client, tmp_path, media_file):
    before = snapshot()
    assert before["agreements"] and before["events"] and len(before["pages"]) > 5
    backup = tmp_path / "backup"
    call_command("backup", output=str(backup), verbosity=0)
    assert (backup / "manifest.json").exists()

    # Damage: content deleted, changed and added; a media file lost.
    Event.objects.all().delete()
    Page.objects.filter(depth=2).update(title_fr="Titre abîmé")
    Agreement.objects.filter(pk=before["agreements"][0][0]).update(title_en="Damaged")
    Organization.objects.create(name_fr="Ajout après la sauvegarde", kind="company", country="KR")
    media_file.unlink()
    assert snapshot() != before

    call_command("restore", str(backup), interactive=False, verbosity=0)
    after = snapshot()
    for key in before:
        assert after[key] == before[key], key
    assert media_file.read_bytes() == b"%PDF-1.4 demo"
    response = client.get("/fr/")
    assert response.status_code == 200
    assert "Titre abîmé" not in response.content.decode()


@pytest.fixture(scope="module")
def _migrations_data_back_afterwards(django_db_setup, django_db_blocker):
    """A transactional test ends with an empty database (Django flushes it, migration data included:
    root page, site, groups, workflow). Put that data back for the tests this worker runs next."""
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            # Sequences kept (as Django's own flush between tests): the ids reloaded are below them.
            call_command(
                "flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False
            )
            connection.creation.deserialize_db_from_string(contents)
            ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_round_trip(client, demo, tmp_path, _migrations_data_back_afterwards):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    round_trip(client, tmp_path, demo)


@pytest.mark.django_db
def test_a_backup_is_readable_by_the_account_that_made_it_only(settings, tmp_path):
    """It holds password hashes, sessions and contact messages: 0700 folders, 0600 files."""
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "photo.jpg").write_bytes(b"jpeg")
    folder = tmp_path / "backups" / "today"
    previous = os.umask(0o022)  # the usual umask, which makes files world-readable
    try:
        call_command("backup", output=str(folder), verbosity=0)
    finally:
        os.umask(previous)
    files = sorted(path.name for path in folder.iterdir())
    assert files == ["database.dump" if connection.vendor == "postgresql" else "database.json.gz",
                     "manifest.json", "media.tar.gz"]  # fmt: skip
    for path in (folder.parent, folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_restore_without_a_terminal_stops_with_a_message_and_no_traceback(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    manifest = {"engine": connection.vendor, "files": {"database": "x", "media": "y"}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "No terminal to confirm on" in result.stderr
    assert "--yes" in result.stderr and "YES=1" in result.stderr
    assert "Traceback" not in result.stderr and "EOFError" not in result.stderr


def test_make_restore_passes_yes_only_when_asked(tmp_path):
    def command(*args):
        result = subprocess.run(  # noqa: S603 -- fixed arguments
            ["make", "-n", "restore", f"BACKUP={tmp_path}", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return [line for line in result.stdout.splitlines() if "manage.py restore" in line][0]

    assert command("YES=1").split()[-2:] == [str(tmp_path), "--yes"]
    assert "--yes" not in command()

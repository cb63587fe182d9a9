"""``manage.py backup [--output DIR]``: the database and the media files, in one folder of ``backups/``.

PostgreSQL: ``pg_dump -Fc`` (custom format, restored with ``pg_restore --clean``). SQLite (the demo):
``dumpdata --natural-foreign`` without what is rebuilt or transient (content types, permissions,
sessions, search index entries, image renditions, the reference index, login attempts). Media
(uploaded images and documents): ``media.tar.gz``. A ``manifest.json`` says what is there.
A backup holds password hashes, sessions and contact messages: its folder is created ``0700`` and
its files ``0600`` (readable by the account that made it only), whatever the umask.
``make backup`` runs it; ``make restore`` (``manage.py restore``) puts a backup back.
"""

import gzip
import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

# What dumpdata leaves out (bakerydemo's list, plus transient tables): rebuilt by migrate,
# update_index or on demand, or of no value in a restore.
DUMPDATA_EXCLUDES = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
    "relations.searchentry",  # the site search's index, rebuilt by update_index as Wagtail's
    "wagtailimages.rendition",
    "wagtailcore.referenceindex",
    "wagtailadmin.editingsession",
    "axes",
    "relations.contactattempt",  # the contact form's counts per address: an hour's worth
]


def postgres_environment(database):
    """libpq environment variables for ``database`` (a DATABASES entry): no password on a command line."""
    env = os.environ.copy()
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = database["NAME"]
    return env


def sqlite_dump():
    """dumpdata --natural-foreign, as JSON text.

    Wagtail keeps the history of deleted pages (log entries whose page no longer exists, without a
    database constraint); natural keys cannot be written for them, so those entries are left out.
    """
    from django.apps import apps
    from django.core import serializers

    from wagtail.models import Page, PageLogEntry

    def exists(label):
        try:
            apps.get_app_config(label) if "." not in label else apps.get_model(label)
        except LookupError:
            return False
        return True

    buffer = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=[label for label in [*DUMPDATA_EXCLUDES, "wagtailcore.pagelogentry"] if exists(label)],
        stdout=buffer,
        verbosity=0,
    )
    rows = json.loads(buffer.getvalue() or "[]")
    entries = PageLogEntry.objects.filter(page_id__in=Page.objects.values("pk")).order_by("pk")
    rows += json.loads(serializers.serialize("json", entries, use_natural_foreign_keys=True))
    return json.dumps(rows)


def media_root():
    return Path(settings.MEDIA_ROOT)


class Command(BaseCommand):
    help = "Backs up the database (pg_dump or dumpdata) and the media files into backups/<date>/."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="folder to write (default: backups/<date-time>/)")

    def handle(self, *args, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        target = Path(options["output"] or Path(settings.BASE_DIR) / "backups" / stamp)
        # Every file this process (and pg_dump) creates is private from its first byte.
        previous_umask = os.umask(0o077)
        try:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            target.chmod(0o700)  # also when the folder existed
            self.write_backup(target)
        finally:
            os.umask(previous_umask)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))

    def write_backup(self, target):
        database = connection.settings_dict
        manifest = {"created": timezone.now().isoformat(), "engine": connection.vendor, "files": {}}

        if connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump is not installed (Debian: postgresql-client).")
            dump = target / "database.dump"
            result = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],  # noqa: S607
                env=postgres_environment(database),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            manifest["files"]["database"] = dump.name
        else:
            dump = target / "database.json.gz"
            with gzip.open(dump, "wt", encoding="utf-8") as stream:
                stream.write(sqlite_dump())
            manifest["files"]["database"] = dump.name

        media = media_root()
        archive = target / "media.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            if media.is_dir():
                for child in sorted(media.iterdir()):
                    tar.add(child, arcname=child.name)
        manifest["files"]["media"] = archive.name
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
        for path in target.iterdir():
            if path.is_file():
                path.chmod(0o600)  # files written before into an existing folder too

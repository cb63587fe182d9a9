"""``manage.py restore [DIR]``: puts back a backup made by ``manage.py backup`` (default: the newest).

PostgreSQL: ``pg_restore --clean --if-exists`` in one transaction. SQLite: ``migrate``, ``flush``,
then ``loaddata`` of the dump. Media: the archive replaces the media folder's content. Then the
search index is rebuilt (``update_index``) and the page cache purged. Everything that was in the
database is replaced: it asks first unless ``--yes`` (or ``--noinput``; ``make restore YES=1``).
Without a terminal to ask on (a script, CI, ``docker-compose exec -T``) and without ``--yes`` it
stops with a message saying so, before touching anything.
"""

import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction

from relations.core.caching import purge_page_cache

from .backup import media_root, postgres_environment


def newest_backup():
    folder = Path(settings.BASE_DIR) / "backups"
    candidates = sorted(path for path in folder.glob("*") if (path / "manifest.json").exists())
    if not candidates:
        raise CommandError(f"No backup in {folder}: run `make backup` first or name a folder.")
    return candidates[-1]


class Command(BaseCommand):
    help = "Restores a backup folder (database and media); replaces what is there."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="a folder made by `manage.py backup` (default: newest)")
        parser.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="replace the database and the media without asking",
        )

    def handle(self, *args, **options):
        folder = Path(options["folder"]) if options["folder"] else newest_backup()
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest["engine"] != connection.vendor:
            raise CommandError(
                f"This backup is of a {manifest['engine']} database; the current one is {connection.vendor}."
            )
        if options["interactive"]:
            if not sys.stdin or not sys.stdin.isatty():
                raise CommandError(
                    "No terminal to confirm on: this replaces the database and the media. "
                    "Run `manage.py restore --yes` (or `make restore YES=1`) to go ahead."
                )
            answer = input(
                f"Replace the database {connection.settings_dict['NAME']} and the media with {folder}? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes", "o", "oui"):
                raise CommandError("Restore cancelled.")

        dump = folder / manifest["files"]["database"]
        if connection.vendor == "postgresql":
            if not shutil.which("pg_restore"):
                raise CommandError("pg_restore is not installed (Debian: postgresql-client).")
            database = connection.settings_dict
            connections.close_all()  # no open transaction may hold locks on the tables to drop
            result = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
                [  # noqa: S607
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    f"--dbname={database['NAME']}",
                    str(dump),
                ],
                env=postgres_environment(database),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            call_command("migrate", interactive=False, verbosity=0)
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                with connection.cursor() as cursor:
                    # SQLite's full-text table is virtual: flush leaves it, update_index refills it.
                    if "wagtailsearch_indexentry_fts" in connection.introspection.table_names(cursor):
                        cursor.execute("DELETE FROM wagtailsearch_indexentry_fts")
                call_command("loaddata", str(dump), verbosity=0)

        media = media_root()
        archive = folder / manifest["files"]["media"]
        if archive.exists():
            media.mkdir(parents=True, exist_ok=True)
            for child in media.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(media, filter="data")  # no absolute paths, no "..", no devices

        call_command("update_index", verbosity=0)
        purge_page_cache()
        self.stdout.write(self.style.SUCCESS(f"Restored {folder}"))

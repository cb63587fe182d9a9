"""``manage.py seed_volume --agreements 10000 --events 10000 --updates 10000``: volume data for the
benchmarks.

Writes live agreements, events and updates (pages under the update index) straight to the
database with ``bulk_create`` (thousands a second, where publishing through revisions as the admin
does would take minutes), in both
languages, spread over the areas, with parties and organisers, and signature and event dates
spread over past and future years so that every list (in force, upcoming, past, per area) fills
up. Shows a plain-text progress bar on the terminal. Never run it on a real database: the rows are
marked (slugs starting with ``volume-``) and ``--clear`` deletes them, but they are not content.

The search index is not updated (run ``manage.py update_index`` when the benchmark needs search).
"""

import datetime
import random
import sys
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from relations import models
from relations.core.caching import purge_page_cache

PREFIX = "volume-"
BATCH = 500


class Progress:
    """``label [#####.....]  42 %  4,200/10,000  1,234/s``, redrawn in place with ``\\r``."""

    def __init__(self, label, total, stream=None, width=30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream or sys.stdout
        self.started = time.monotonic()
        self.done = 0

    def advance(self, count):
        self.done += count
        filled = int(self.width * self.done / self.total)
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label:<12} [{'#' * filled}{'.' * (self.width - filled)}]"
            f" {100 * self.done // self.total:3d} %  {self.done:,}/{self.total:,}  {rate:,.0f}/s"
        )
        self.stream.flush()

    def finish(self):
        self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Adds many live agreements and events (bulk_create) for the benchmarks; --clear removes them."

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, default=10_000)
        parser.add_argument("--events", type=int, default=10_000)
        parser.add_argument("--updates", type=int, default=0, help="update pages under the update index")
        parser.add_argument("--clear", action="store_true", help="delete earlier volume rows first")
        parser.add_argument("--seed", type=int, default=2024, help="random seed (same data each run)")

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        if options["clear"]:
            _, agreements = models.Agreement.objects.filter(slug_fr__startswith=PREFIX).delete()
            _, events = models.Event.objects.filter(slug_fr__startswith=PREFIX).delete()
            Page.objects.filter(slug_fr__startswith=PREFIX, depth__gt=2).delete()
            self.stdout.write(
                f"Deleted {agreements.get('relations.Agreement', 0):,} agreements and "
                f"{events.get('relations.Event', 0):,} events of earlier runs."
            )
        areas = list(models.AreaPage.objects.live().values_list("pk", flat=True))
        organisations = self.organisations(rng)
        start = time.monotonic()
        with transaction.atomic():
            self.agreements(options["agreements"], rng, areas, organisations)
            self.events(options["events"], rng, areas, organisations)
            self.updates(options["updates"], rng, areas)
        purge_page_cache()
        elapsed = time.monotonic() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"{options['agreements']:,} agreements, {options['events']:,} events and "
                f"{options['updates']:,} updates in {elapsed:.1f} s "
                f"({models.Agreement.objects.count():,} agreements, "
                f"{models.Event.objects.count():,} events and "
                f"{models.UpdatePage.objects.count():,} updates now)."
            )
        )
        if not areas:
            self.stdout.write("No live area page: rows are not linked to areas (run load_demo first).")

    def organisations(self, rng):
        existing = list(models.Organization.objects.values_list("pk", flat=True))
        if len(existing) >= 20:
            return existing
        kinds = [choice for choice, _label in models.OrganizationKind.choices]
        models.Organization.objects.bulk_create(
            models.Organization(
                name=f"Organisme volume {n}",
                name_fr=f"Organisme volume {n}",
                name_en=f"Volume organisation {n}",
                kind=rng.choice(kinds),
                country=rng.choice(["KR", "CA"]),
            )
            for n in range(20)
        )
        return list(models.Organization.objects.values_list("pk", flat=True))

    def next_number(self, model):
        return model.objects.filter(slug_fr__startswith=PREFIX).count()

    def link(self, through, owner_field, target_field, owners, targets, rng, per_owner):
        if not targets:
            return
        rows = []
        for owner in owners:
            for target in rng.sample(targets, min(per_owner, len(targets))):
                rows.append(through(**{owner_field: owner, target_field: target}))
        through.objects.bulk_create(rows, batch_size=2000)

    def agreements(self, count, rng, areas, organisations):
        if count <= 0:
            return
        now = timezone.now()
        first = self.next_number(models.Agreement)
        kinds = [choice for choice, _label in models.AgreementKind.choices]
        progress = Progress("agreements", count)
        for offset in range(0, count, BATCH):
            rows = []
            for n in range(first + offset, first + min(offset + BATCH, count)):
                signed = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(0, 13_000))
                in_force = (
                    signed + datetime.timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.7 else None
                )
                ended = (
                    in_force + datetime.timedelta(days=rng.randrange(365, 9000))
                    if in_force and rng.random() < 0.2
                    else None
                )
                rows.append(
                    models.Agreement(
                        title=f"Entente de volume {n}",
                        title_fr=f"Entente de volume {n}",
                        title_en=f"Volume agreement {n}",
                        slug=f"{PREFIX}entente-{n}",
                        slug_fr=f"{PREFIX}entente-{n}",
                        slug_en=f"{PREFIX}agreement-{n}",
                        summary_fr=f"Entente générée pour les mesures de performance, numéro {n}.",
                        summary_en=f"Agreement generated for the performance measurements, number {n}.",
                        reference_number=f"VOL-{n:06d}",
                        kind=rng.choice(kinds),
                        signed_on=signed,
                        in_force_on=in_force,
                        ended_on=ended,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                    )
                )
            models.Agreement.objects.bulk_create(rows)
            progress.advance(len(rows))
        progress.finish()
        created = list(
            models.Agreement.objects.filter(slug_fr__startswith=PREFIX)
            .order_by("-pk")
            .values_list("pk", flat=True)[:count]
        )
        self.link(models.Agreement.areas.through, "agreement_id", "areapage_id", created, areas, rng, 1)
        self.link(
            models.Agreement.parties.through,
            "agreement_id",
            "organization_id",
            created,
            organisations,
            rng,
            2,
        )

    def events(self, count, rng, areas, organisations):
        if count <= 0:
            return
        now = timezone.now()
        today = datetime.date.today()
        first = self.next_number(models.Event)
        kinds = [choice for choice, _label in models.EventKind.choices]
        zones = [choice for choice, _label in models.EventTimeZone.choices]
        progress = Progress("events", count)
        for offset in range(0, count, BATCH):
            rows = []
            for n in range(first + offset, first + min(offset + BATCH, count)):
                start = today + datetime.timedelta(days=rng.randrange(-3650, 730))
                end = start + datetime.timedelta(days=rng.randrange(0, 5))
                rows.append(
                    models.Event(
                        title=f"Événement de volume {n}",
                        title_fr=f"Événement de volume {n}",
                        title_en=f"Volume event {n}",
                        slug=f"{PREFIX}evenement-{n}",
                        slug_fr=f"{PREFIX}evenement-{n}",
                        slug_en=f"{PREFIX}event-{n}",
                        summary_fr=f"Événement généré pour les mesures de performance, numéro {n}.",
                        summary_en=f"Event generated for the performance measurements, number {n}.",
                        kind=rng.choice(kinds),
                        start_date=start,
                        end_date=end if end != start else None,
                        last_day=end,
                        all_day=True,
                        timezone=rng.choice(zones),
                        venue_fr="Centre des congrès",
                        venue_en="Convention centre",
                        city_fr="Séoul",
                        city_en="Seoul",
                        country=models.Country.SOUTH_KOREA,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                    )
                )
            models.Event.objects.bulk_create(rows)
            progress.advance(len(rows))
        progress.finish()
        created = list(
            models.Event.objects.filter(slug_fr__startswith=PREFIX)
            .order_by("-pk")
            .values_list("pk", flat=True)[:count]
        )
        self.link(models.Event.areas.through, "event_id", "areapage_id", created, areas, rng, 1)
        self.link(
            models.Event.organisers.through, "event_id", "organization_id", created, organisations, rng, 1
        )

    def updates(self, count, rng, areas):
        """Update pages under the update index, ``BATCH`` at a time (``insert_update_pages``)."""
        if count <= 0:
            return
        index = models.UpdateIndexPage.objects.first()
        if index is None:
            raise CommandError("No update index page: run load_demo first.")
        progress = Progress("updates", count, self.stdout)
        tag = uuid.uuid4().hex[:6]  # runs without --clear add pages, never reuse slugs
        for start in range(0, count, BATCH):
            rows = [
                {
                    "title_fr": f"Actualité de volume {n}",
                    "title_en": f"Volume update {n}",
                    "slug_fr": f"{PREFIX}actualite-{tag}-{n}",
                    "slug_en": f"{PREFIX}update-{tag}-{n}",
                    "date": datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(0, 9500)),
                    "intro": "Introduction.",
                }
                for n in range(start, min(start + BATCH, count))
            ]
            created = insert_update_pages(index, rows)
            if areas:
                through = models.UpdatePage.areas.through
                through.objects.bulk_create(
                    [through(updatepage_id=pk, areapage_id=rng.choice(areas)) for pk in created]
                )
            progress.advance(len(rows))
        progress.finish()


def insert_update_pages(parent, rows):
    """Live update pages under ``parent``, written straight into the page tree; their pks, in order.

    ``rows``: dicts with ``title_fr``, ``title_en``, ``slug_fr``, ``slug_en``, ``date`` and
    ``intro`` (both languages). ``bulk_create`` cannot write multi-table models: the
    ``wagtailcore_page`` rows are bulk created with their tree paths and both languages' URL paths,
    then the ``relations_updatepage`` rows inserted, as ``bulk_create`` does for one table. For the
    benchmarks and the tests at volume, where publishing through revisions would take minutes.
    """
    parent = Page.objects.get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(models.UpdatePage)
    now = timezone.now()
    depth = parent.depth + 1
    first_free = Page.objects.filter(path__startswith=parent.path, depth=depth).count() + 1
    pages = [
        Page(
            content_type=content_type,
            path=Page._get_path(parent.path, depth, first_free + n),
            depth=depth,
            numchild=0,
            locale_id=parent.locale_id,
            title=row["title_fr"],
            title_fr=row["title_fr"],
            title_en=row["title_en"],
            draft_title=row["title_fr"],
            slug=row["slug_fr"],
            slug_fr=row["slug_fr"],
            slug_en=row["slug_en"],
            url_path=f"{parent.url_path_fr}{row['slug_fr']}/",
            url_path_fr=f"{parent.url_path_fr}{row['slug_fr']}/",
            url_path_en=f"{parent.url_path_en}{row['slug_en']}/",
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        for n, row in enumerate(rows)
    ]
    Page.objects.bulk_create(pages)
    created = list(
        Page.objects.filter(path__in=[page.path for page in pages])
        .order_by("path")
        .values_list("pk", flat=True)
    )
    children = [
        models.UpdatePage(
            page_ptr_id=pk,
            intro_fr=row["intro"],
            intro_en=row["intro"],
            date=row["date"],
            date_precision="day",
        )
        for pk, row in zip(created, rows, strict=True)
    ]
    models.UpdatePage._base_manager._insert(children, fields=models.UpdatePage._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=first_free - 1 + len(rows))
    return created

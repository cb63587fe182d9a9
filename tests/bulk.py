"""Many published rows at once, for the tests that count queries at 10 and at 1,000 rows.

The factories publish through revisions (as the admin does), which is right but slow; these
helpers write live rows directly with ``bulk_create``. Rows get both languages' titles and
slugs, publication dates, and (for some) areas and parties through the M2M tables.
"""

import datetime

from django.utils import timezone

from relations import models
from relations.management.commands.seed_volume import insert_update_pages


def _link(through, source_field, target_field, pairs):
    through.objects.bulk_create([through(**{source_field: a, target_field: b}) for a, b in pairs])


def bulk_agreements(count, areas=(), parties=(), prefix="bulk", **fields):
    """``count`` live agreements; the first three get ``areas`` and ``parties``."""
    now = timezone.now()
    rows = [
        models.Agreement(
            title=f"Entente {prefix} {n}",
            title_fr=f"Entente {prefix} {n}",
            title_en=f"Agreement {prefix} {n}",
            slug=f"entente-{prefix}-{n}",
            slug_fr=f"entente-{prefix}-{n}",
            slug_en=f"agreement-{prefix}-{n}",
            summary_fr=f"Résumé {n}.",
            summary_en=f"Summary {n}.",
            reference_number=f"{prefix.upper()}-{n:05d}",
            kind=models.AgreementKind.INSTITUTIONAL,
            signed_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=n),
            live=True,
            first_published_at=now,
            last_published_at=now,
            **fields,
        )
        for n in range(count)
    ]
    models.Agreement.objects.bulk_create(rows)
    created = list(models.Agreement.objects.filter(slug_fr__startswith=f"entente-{prefix}-").order_by("pk"))
    through = models.Agreement.areas.through
    _link(through, "agreement_id", "areapage_id", [(a.pk, area.pk) for a in created[:3] for area in areas])
    through = models.Agreement.parties.through
    _link(through, "agreement_id", "organization_id", [(a.pk, p.pk) for a in created[:3] for p in parties])
    return created


def bulk_events(count, areas=(), prefix="bulk", **fields):
    """``count`` live events known to the day, a week apart from today; the first three get ``areas``."""
    now = timezone.now()
    today = datetime.date.today()
    rows = []
    for n in range(count):
        start = today + datetime.timedelta(days=7 * n)
        rows.append(
            models.Event(
                title=f"Événement {prefix} {n}",
                title_fr=f"Événement {prefix} {n}",
                title_en=f"Event {prefix} {n}",
                slug=f"evenement-{prefix}-{n}",
                slug_fr=f"evenement-{prefix}-{n}",
                slug_en=f"event-{prefix}-{n}",
                summary_fr=f"Résumé {n}.",
                summary_en=f"Summary {n}.",
                kind=models.EventKind.FESTIVAL,
                start_date=start,
                last_day=start,
                city_fr="Séoul",
                city_en="Seoul",
                country=models.Country.SOUTH_KOREA,
                timezone=models.EventTimeZone.SEOUL,
                live=True,
                first_published_at=now,
                last_published_at=now,
                **fields,
            )
        )
    models.Event.objects.bulk_create(rows)
    created = list(models.Event.objects.filter(slug_fr__startswith=f"evenement-{prefix}-").order_by("pk"))
    through = models.Event.areas.through
    _link(through, "event_id", "areapage_id", [(e.pk, area.pk) for e in created[:3] for area in areas])
    return created


def bulk_updates(parent, count, areas=(), prefix="bulk"):
    """``count`` live UpdatePages under ``parent`` (seed_volume's ``insert_update_pages``); the
    first three get ``areas``."""
    rows = [
        {
            "title_fr": f"Actualité {prefix} {n}",
            "title_en": f"Update {prefix} {n}",
            "slug_fr": f"actualite-{prefix}-{n}",
            "slug_en": f"update-{prefix}-{n}",
            "date": datetime.date(2020, 1, 1),
            "intro": f"Introduction {n}.",
        }
        for n in range(count)
    ]
    created = insert_update_pages(parent, rows)
    through = models.UpdatePage.areas.through
    _link(through, "updatepage_id", "areapage_id", [(pk, area.pk) for pk in created[:3] for area in areas])
    return created

"""From a publication to mails in mailboxes, exactly once.

- ``record(obj)``: a new agreement, event or update becomes one ``AlertItem`` (once: its key is
  unique) and ``fan_out`` gives each subscriber who follows it one ``Delivery`` (once: unique on
  subscriber and item), due now or at the next digest;
- ``send_due``: for each subscriber with due deliveries, claims them (``mail_key``), sends one mail
  (one item, or a digest) and records it as sent at the moment ``smtp.py`` describes. A claim
  older than ``PORTAL_ALERTS_CLAIM_SECONDS`` belonged to a worker that died: it is released.
  Temporary failures come back after a back-off that doubles (``PORTAL_ALERTS_RETRY_SECONDS`` ×
  2^attempts, at most ``PORTAL_ALERTS_MAX_ATTEMPTS`` tries); after
  ``PORTAL_ALERTS_MAX_PERMANENT_FAILURES`` permanent failures in a row an address is suspended.
  At most ``PORTAL_ALERTS_MAX_RATE`` mails a second leave each worker;
- ``send_confirmations``: the double opt-in mails, with the same retries;
- ``purge_expired``: unconfirmed sign-ups, addresses without alerts, old deliveries.
"""

import datetime
import logging
import time
import uuid
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import override

from relations.models import Agreement, Event, UpdatePage

from . import mail, smtp, topics
from .models import AlertItem, Delivery, DeliveryStatus, Frequency, Subscriber, Subscription

logger = logging.getLogger(__name__)

KINDS = {Agreement: "agreements", Event: "events", UpdatePage: "updates"}
FREQUENCY_ORDER = [Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY]
BATCH = 200


def item_values(obj):
    """Titles, summaries and links of ``obj`` in each language, as subscribers will read them."""
    values = {"titles": {}, "summaries": {}, "urls": {}}
    for language, _name in settings.LANGUAGES:
        with override(language):
            values["titles"][language] = obj.title
            values["summaries"][language] = getattr(obj, "summary", "") or getattr(obj, "intro", "") or ""
            url = obj.get_url() or ""
            values["urls"][language] = url.removeprefix(settings.PORTAL_BASE_URL.rstrip("/"))
    return values


def record(obj):
    """The ``AlertItem`` of ``obj``'s first publication, fanned out; None if not worth a mail."""
    kind = KINDS.get(type(obj))
    if kind is None or not obj.live:
        return None
    item, created = AlertItem.objects.get_or_create(
        key=f"{type(obj)._meta.model_name}:{obj.pk}",
        defaults={
            "kind": kind,
            "page_id": obj.pk if kind == "updates" else None,
            "agreement_id": obj.pk if kind == "agreements" else None,
            "area_ids": list(obj.areas.values_list("pk", flat=True)),
            **item_values(obj),
        },
    )
    if item.fanned_out_at is None:
        fan_out(item)
    return item


def next_digest(frequency, now):
    """When a daily or weekly digest next goes out: ``PORTAL_ALERTS_DIGEST_HOUR`` o'clock in the
    portal's time zone, every day or every Monday."""
    if frequency == Frequency.IMMEDIATE:
        return now
    local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    moment = local.replace(hour=settings.PORTAL_ALERTS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if moment <= local:
        moment += datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        moment += datetime.timedelta(days=(7 - moment.weekday()) % 7)
    return moment


def fan_out(item, now=None):
    """One delivery per active subscriber following ``item`` (the most frequent of their
    subscriptions wins); returns how many were made."""
    now = now or timezone.now()
    registers = (
        Subscription.objects.filter(confirmed=True, target__startswith="register:")
        .values_list("target", flat=True)
        .distinct()
    )
    targets = topics.targets_for(item, list(registers))
    wanted = {}
    rows = (
        Subscription.objects.filter(
            target__in=targets, confirmed=True, subscriber__in=Subscriber.objects.active()
        )
        .values_list("subscriber_id", "frequency")
        .iterator(chunk_size=2000)
    )
    for subscriber_id, frequency in rows:
        known = wanted.get(subscriber_id)
        if known is None or FREQUENCY_ORDER.index(frequency) < FREQUENCY_ORDER.index(known):
            wanted[subscriber_id] = frequency
    deliveries = [
        Delivery(
            subscriber_id=subscriber_id, item=item, frequency=frequency, due_at=next_digest(frequency, now)
        )
        for subscriber_id, frequency in wanted.items()
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=1000, ignore_conflicts=True)
    AlertItem.objects.filter(pk=item.pk).update(fanned_out_at=now)
    return len(deliveries)


def backoff(attempts):
    return datetime.timedelta(seconds=settings.PORTAL_ALERTS_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


class Pacer:
    """At most ``rate`` mails a second from this process (0: no bound)."""

    def __init__(self, rate):
        self.interval = 1 / rate if rate else 0
        self.next = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if self.next > now:
            time.sleep(self.next - now)
        self.next = max(self.next, now) + self.interval


def release_stale_claims(now):
    stale = now - datetime.timedelta(seconds=settings.PORTAL_ALERTS_CLAIM_SECONDS)
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale).update(
        status=DeliveryStatus.PENDING, mail_key=None, claimed_at=None
    )


def due_subscribers(now):
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=now)
        .order_by()
        .values_list("subscriber_id", flat=True)
        .distinct()[:BATCH]
    )


def claim_batch(now):
    """Claims the due deliveries of up to ``BATCH`` subscribers at once (three queries for the
    batch): ``(batch key, [(subscriber, [deliveries]), …])``, or None when nothing is due."""
    subscriber_ids = due_subscribers(now)
    if not subscriber_ids:
        return None
    key = uuid.uuid4()
    Delivery.objects.filter(
        subscriber_id__in=subscriber_ids, status=DeliveryStatus.PENDING, due_at__lte=now
    ).update(status=DeliveryStatus.SENDING, mail_key=key, claimed_at=timezone.now())
    groups = {}
    for row in (
        Delivery.objects.filter(mail_key=key)
        .select_related("item", "subscriber")
        .order_by("subscriber_id", "item__published_at", "pk")
    ):
        groups.setdefault(row.subscriber_id, (row.subscriber, []))[1].append(row)
    return key, list(groups.values())


def send_due(now=None, transport=None):
    """Sends every due delivery; returns the number of mails the server accepted."""
    now = now or timezone.now()
    release_stale_claims(timezone.now())
    pacer = Pacer(settings.PORTAL_ALERTS_MAX_RATE)
    sent = 0
    with transport or smtp.transport() as connection:
        while batch := claim_batch(now):
            key, groups = batch
            for subscriber, rows in groups:
                outcome = send_one(key, subscriber, rows, connection, pacer)
                if outcome.status == smtp.SENT:
                    sent += 1
                elif outcome.connection_lost:
                    # The server is down: the rest of the batch waits for the next run.
                    Delivery.objects.filter(mail_key=key, status=DeliveryStatus.SENDING).update(
                        status=DeliveryStatus.PENDING, mail_key=None, claimed_at=None
                    )
                    return sent
    return sent


def send_one(key, subscriber, rows, connection, pacer):
    """One mail: ``rows`` (claimed under ``key``) to ``subscriber``; one query when it goes well,
    the commit that records it as sent (``smtp.py`` says when)."""
    message_id = uuid.uuid5(key, str(subscriber.pk))  # the same if the mail is ever sent again
    message = mail.alert_mail(subscriber, [row.item for row in rows], message_id)
    mine = Delivery.objects.filter(mail_key=key, subscriber_id=subscriber.pk)

    def commit():
        return (
            mine.filter(status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now()
            )
            > 0
        )

    pacer.wait()
    outcome = connection.send(message, commit)
    if outcome.status == smtp.SENT:
        if subscriber.permanent_failures:
            Subscriber.objects.filter(pk=subscriber.pk).update(permanent_failures=0)
    elif outcome.status != smtp.ABANDONED:
        failed(mine, subscriber, outcome)
    return outcome


def failed(rows, subscriber, outcome):
    """Undoes a send the server refused: retry later, or give up on the address."""
    now = timezone.now()
    if outcome.status == smtp.PERMANENT:
        rows.update(status=DeliveryStatus.FAILED, last_error=outcome.detail, mail_key=None)
        count = subscriber.permanent_failures + 1
        Subscriber.objects.filter(pk=subscriber.pk).update(permanent_failures=F("permanent_failures") + 1)
        if count >= settings.PORTAL_ALERTS_MAX_PERMANENT_FAILURES:
            Subscriber.objects.filter(pk=subscriber.pk).update(suspended_at=now)
            subscriber.deliveries.filter(status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.FAILED, last_error="address suspended"
            )
        return
    for row in rows:
        attempts = row.attempts + 1
        row.attempts = attempts
        row.last_error = outcome.detail
        row.mail_key = None
        row.claimed_at = None
        if attempts >= settings.PORTAL_ALERTS_MAX_ATTEMPTS:
            row.status = DeliveryStatus.FAILED
        else:
            row.status = DeliveryStatus.PENDING
            row.due_at = now + backoff(attempts)
    Delivery.objects.bulk_update(
        rows, ["attempts", "last_error", "mail_key", "claimed_at", "status", "due_at"]
    )


def send_confirmations(now=None, transport=None):
    """Sends the confirmation mails that are due; returns how many the server accepted."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.PORTAL_ALERTS_CLAIM_SECONDS)
    sent = 0
    with transport or smtp.transport() as connection:
        for subscriber in Subscriber.objects.filter(confirmation_due_at__lte=now)[:BATCH]:
            leased_until = timezone.now() + lease
            mine = Subscriber.objects.filter(
                pk=subscriber.pk, confirmation_due_at=subscriber.confirmation_due_at
            )
            if not mine.update(confirmation_due_at=leased_until):
                continue
            pending = [
                topics.label(target, subscriber.language)
                for target in subscriber.subscriptions.filter(confirmed=False).values_list(
                    "target", flat=True
                )
            ]
            message = mail.confirmation_mail(subscriber, pending)
            claim = Subscriber.objects.filter(pk=subscriber.pk, confirmation_due_at=leased_until)
            outcome = connection.send(message, lambda claim=claim: claim.update(confirmation_due_at=None) > 0)
            if outcome.status == smtp.SENT:
                sent += 1
                continue
            if outcome.status == smtp.ABANDONED:
                continue
            attempts = subscriber.confirmation_attempts + 1
            retry = outcome.status == smtp.TEMPORARY and attempts < settings.PORTAL_ALERTS_MAX_ATTEMPTS
            Subscriber.objects.filter(pk=subscriber.pk).update(
                confirmation_attempts=attempts, confirmation_due_at=now + backoff(attempts) if retry else None
            )
            if outcome.connection_lost:
                break
    return sent


def has_due_work(now=None):
    now = now or timezone.now()
    return (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=now).exists()
        or Subscriber.objects.filter(confirmation_due_at__lte=now).exists()
        or Delivery.objects.filter(
            status=DeliveryStatus.SENDING,
            claimed_at__lt=now - datetime.timedelta(seconds=settings.PORTAL_ALERTS_CLAIM_SECONDS),
        ).exists()
    )


@transaction.atomic
def purge_expired(now=None):
    """Deletes what is no longer needed (the privacy page says the same); returns the counts."""
    now = now or timezone.now()
    days = datetime.timedelta(days=1)
    unconfirmed = Subscriber.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - settings.PORTAL_ALERTS_UNCONFIRMED_DAYS * days
    ).delete()[0]
    stale_pending = Subscription.objects.filter(
        confirmed=False, created_at__lt=now - settings.PORTAL_ALERTS_UNCONFIRMED_DAYS * days
    ).delete()[0]
    left = Subscriber.objects.filter(
        unsubscribed_at__lt=now - settings.PORTAL_ALERTS_UNSUBSCRIBED_DAYS * days, subscriptions__isnull=True
    ).delete()[0]
    old = Delivery.objects.filter(
        status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED],
        due_at__lt=now - settings.PORTAL_ALERTS_DELIVERY_DAYS * days,
    ).delete()[0]
    return {"unconfirmed": unconfirmed, "pending": stale_pending, "unsubscribed": left, "deliveries": old}

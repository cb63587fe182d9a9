"""The data of the e-mail alerts.

- ``Subscriber``: one address, its language (the language of sign-up), whether it is confirmed or
  suspended, and ``key``, the random secret in the links of every mail (manage, unsubscribe);
- ``Subscription``: what a subscriber follows (``target``, see ``topics.py``) and how often;
- ``AlertItem``: one publication worth a mail (a new agreement, event or update; later a major
  change), with its titles, summaries and links in every language, kept as published;
- ``Delivery``: one item for one subscriber. Unique on (subscriber, item): a subscriber cannot be
  given the same item twice, however often a publication is processed. Its ``status`` moves
  pending → sending (claimed into one mail, ``mail_key``) → sent, or back to pending with a later
  ``due_at`` after a temporary SMTP failure, or to failed.

Addresses are personal information: only the "Subscription managers" group sees them in the admin
(``admin.py``), and ``purge_expired`` (``sending.py``) deletes what is no longer needed.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As soon as it is published")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not suspended: the addresses alerts go to."""
        return self.filter(confirmed_at__isnull=False, suspended_at__isnull=True)


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("signed up on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    suspended_at = models.DateTimeField(
        _("suspended on"),
        null=True,
        blank=True,
        help_text=_("Set after repeated permanent delivery failures: no more mail goes to this address."),
    )
    permanent_failures = models.PositiveSmallIntegerField(_("permanent failures in a row"), default=0)
    # The confirmation mail: due at sign-up, sent by the worker, retried with back-off.
    confirmation_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    unsubscribed_at = models.DateTimeField(_("left every alert on"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert subscriber")
        verbose_name_plural = _("alert subscribers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["confirmation_due_at"], name="alerts_confirm_due_idx")]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    target = models.CharField(_("what is followed"), max_length=600)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "target"], name="alerts_one_subscription_per_target"
            )
        ]
        indexes = [models.Index(fields=["target", "confirmed"], name="alerts_target_idx")]

    def __str__(self):
        return self.target


class AlertItem(models.Model):
    """What was published, as subscribers are told about it (kept even if the content changes)."""

    key = models.CharField(max_length=100, unique=True)  # "agreement:42": one item per publication
    kind = models.CharField(max_length=20)  # agreements, events, updates, changes
    page_id = models.IntegerField(null=True, blank=True)  # the page, for "follow this page"
    area_ids = models.JSONField(default=list)  # the areas (page ids) it belongs to
    agreement_id = models.IntegerField(null=True, blank=True)  # for the filtered register
    titles = models.JSONField(default=dict)  # language → text
    summaries = models.JSONField(default=dict)
    urls = models.JSONField(default=dict)  # language → absolute URL
    published_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("published item")
        verbose_name_plural = _("published items")

    def __str__(self):
        return self.key

    def in_language(self, field, language):
        values = getattr(self, field) or {}
        return values.get(language) or values.get(settings.LANGUAGE_CODE) or ""


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    item = models.ForeignKey(AlertItem, on_delete=models.CASCADE, related_name="deliveries")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    mail_key = models.UUIDField(null=True, blank=True, default=None)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "item"], name="alerts_one_delivery_per_item")
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="alerts_delivery_due_idx"),
            models.Index(fields=["mail_key"], name="alerts_delivery_mail_idx"),
        ]

    def __str__(self):
        return f"{self.item_id} → {self.subscriber_id}"

    @staticmethod
    def new_mail_key():
        return uuid.uuid4()

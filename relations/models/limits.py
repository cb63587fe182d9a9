"""Limits on what one visitor may send, counted in the database (the contact form: 5 an hour).

``RateLimit.allow(address)`` records an attempt from ``address`` and says whether it is within the
limit. The count is in the database (``ContactAttempt``) so that every gunicorn worker and every
web container share it and it survives restarts: counted in each process's memory, 10 messages
got through a limit of 5 with two workers. The address is kept only as a keyed hash (HMAC with
``SECRET_KEY``), and rows older than the window are deleted as new ones come.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class ContactAttempt(models.Model):
    """One message accepted from one address (a keyed hash of it), for the limit per address."""

    scope = models.CharField(_("scope"), max_length=32)
    address_hash = models.CharField(_("address (hashed)"), max_length=64)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        indexes = [
            models.Index(fields=["scope", "address_hash", "created_at"], name="contact_attempt_count"),
            models.Index(fields=["scope", "created_at"], name="contact_attempt_expiry"),
        ]

    def __str__(self):
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"


class RateLimit:
    """At most ``limit()`` accepted attempts per address in ``window()`` seconds, for all workers.

    ``limit_setting`` and ``window_setting`` name the settings that may override the defaults.
    """

    def __init__(self, scope, limit_setting, default_limit, window_setting, default_window):
        self.scope = scope
        self.limit_setting, self.default_limit = limit_setting, default_limit
        self.window_setting, self.default_window = window_setting, default_window

    def limit(self):
        return getattr(settings, self.limit_setting, self.default_limit)

    def window(self):
        return getattr(settings, self.window_setting, self.default_window)

    def address_hash(self, address):
        return salted_hmac("relations.limits", f"{self.scope}:{address or 'unknown'}").hexdigest()

    def allow(self, address):
        """Records an attempt from ``address``; False (and nothing kept) when over the limit.

        The attempt is written first, then ranked by primary key among the window's attempts of the
        same address: two workers racing for the last place cannot both get it.
        """
        now = timezone.now()
        since = now - datetime.timedelta(seconds=self.window())
        address_hash = self.address_hash(address)
        ContactAttempt.objects.filter(scope=self.scope, created_at__lt=since).delete()
        attempt = ContactAttempt.objects.create(scope=self.scope, address_hash=address_hash, created_at=now)
        mine = ContactAttempt.objects.filter(
            scope=self.scope, address_hash=address_hash, created_at__gte=since
        )
        if mine.filter(pk__lte=attempt.pk).count() <= self.limit():
            return True
        attempt.delete()
        return False

"""The mails of the alerts: the confirmation of a sign-up, and the alerts (one item, or a digest).

Each mail is plain text with an HTML alternative (``templates/alerts/mail/``), in the subscriber's
language, and carries the links to the page where every subscription is managed and to the
one-click unsubscribe, also as ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers
(RFC 8058: mail programs show their own "Unsubscribe" button and POST to that address).
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from .topics import ITEM_KINDS

CONFIRM_SALT = "relations.alerts.confirm"


def absolute(path):
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def confirmation_token(subscriber):
    return signing.dumps(subscriber.key, salt=CONFIRM_SALT, compress=True)


def read_confirmation_token(token):
    """The subscriber key in ``token``; raises ``signing.BadSignature`` (or its subclass
    ``SignatureExpired``) when it is forged or older than ``PORTAL_ALERTS_CONFIRM_MAX_AGE``."""
    return signing.loads(token, salt=CONFIRM_SALT, max_age=settings.PORTAL_ALERTS_CONFIRM_MAX_AGE)


def links(subscriber):
    with override(subscriber.language):
        return {
            "manage_url": absolute(reverse("alerts:manage", kwargs={"key": subscriber.key})),
            "unsubscribe_url": absolute(reverse("alerts:unsubscribe", kwargs={"key": subscriber.key})),
        }


def build(subscriber, subject, template, context, message_id=None):
    context = {"subscriber": subscriber, "subject": subject, "site_url": absolute("/"), **context}
    context.update(links(subscriber))
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<alerts.{settings.PORTAL_UID_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
        "Content-Language": subscriber.language,
    }
    if message_id:
        headers["Message-ID"] = f"<{message_id}@{settings.PORTAL_UID_DOMAIN}>"
    with override(subscriber.language):
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"alerts/mail/{template}.txt", context),
            from_email=settings.PORTAL_ALERTS_FROM_EMAIL,
            to=[subscriber.email],
            headers=headers,
        )
        message.attach_alternative(render_to_string(f"alerts/mail/{template}.html", context), "text/html")
    return message


def confirmation_mail(subscriber, pending_labels):
    with override(subscriber.language):
        token = confirmation_token(subscriber)
        confirm_url = absolute(reverse("alerts:confirm", kwargs={"token": token}))
        subject = _("Confirm your alerts from the Québec–South Korea portal")
        hours = settings.PORTAL_ALERTS_CONFIRM_MAX_AGE // 3600
        return build(
            subscriber,
            subject,
            "confirm",
            {"confirm_url": confirm_url, "pending": pending_labels, "hours": hours},
        )


def alert_mail(subscriber, items, mail_key):
    """One item, or several as a digest; ``mail_key`` makes the Message-ID (the same if sent again)."""
    language = subscriber.language
    with override(language):
        entries = [
            {
                "kind": ITEM_KINDS.get(item.kind, ""),
                "title": item.in_language("titles", language),
                "summary": item.in_language("summaries", language),
                "url": absolute(item.in_language("urls", language)),
                "published_at": item.published_at,
            }
            for item in items
        ]
        if len(entries) == 1:
            subject = _("%(kind)s: %(title)s") % entries[0]
        else:
            subject = ngettext(
                "Your alerts: %(count)d new item", "Your alerts: %(count)d new items", len(entries)
            ) % {"count": len(entries)}
        return build(subscriber, subject, "alert", {"entries": entries}, message_id=str(mail_key))

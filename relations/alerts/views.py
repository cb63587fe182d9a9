"""The alerts' public pages: sign-up, "check your mailbox", confirmation, the manage page (reached
by the secret link of every mail: no account), one-click unsubscribe and deletion.

Sign-up answers the same whatever the address: new, waiting for confirmation, already confirmed
or over its limit of confirmation mails (``PORTAL_ALERTS_SIGNUP_PER_ADDRESS`` a day, after which
no mail goes out and nothing says so). Beyond ``PORTAL_ALERTS_SIGNUP_PER_CLIENT`` sign-ups an
hour from one client, the page answers 429. Every page here is personal: never cached.
"""

import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from relations.models import StandardPage, current_language
from relations.security import client_ip

from . import mail, topics
from .forms import FrequencyForm, SignUpForm
from .models import Delivery, DeliveryStatus, Frequency, Subscriber, Subscription
from .tasks import enqueue_after_commit, send_due_mail

logger = logging.getLogger(__name__)
HOUR, DAY = 3600, 86400
PRIVACY_SLUG = "confidentialite"  # the demo's privacy page (fixtures/demo.yaml)


def page(request, template, context=None, status=200):
    context = {
        "personal": template not in ("signup", "sent"),
        "privacy_url": privacy_url(),
        **(context or {}),
    }
    context["translations"] = {code: translate_url(request.path, code) for code, _name in settings.LANGUAGES}
    return render(request, f"alerts/{template}.html", context, status=status)


def privacy_url():
    """The privacy page (what the alerts keep, why and how long), found by its French slug."""
    privacy = StandardPage.objects.live().filter(slug_fr=PRIVACY_SLUG).first()
    return privacy.get_url() if privacy else None


def over_limit(key, limit, window):
    """Counts one more use of ``key``; True once ``limit`` uses were counted within ``window``
    seconds. A cache outage lets everything through (the form must keep working)."""
    key = "portal:alerts:" + hashlib.sha256(key.encode()).hexdigest()[:32]
    try:
        if cache.add(key, 1, window):
            return limit < 1
        try:
            return cache.incr(key) > limit
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, window)
            return False
    except Exception:
        logger.warning("alerts throttle: cache unavailable", exc_info=True)
        return False


def preset_from(request, language):
    """``?follow=…`` on the sign-up page: a page, an area, a kind, or the register as filtered."""
    follow = request.GET.get("follow", "")[: topics.MAX_TARGET]
    if follow == "register":
        return topics.register_target(request.GET, language)
    return follow if topics.is_valid(follow) else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    language = current_language()
    preset = request.POST.get("preset") if request.method == "POST" else preset_from(request, language)
    preset_label = topics.label(preset, language) if preset and topics.is_valid(preset) else None
    form = SignUpForm(
        request.POST if request.method == "POST" else None,
        language=language,
        preset_label=preset_label,
        initial={"preset": preset or ""},
    )
    if request.method == "POST":
        if over_limit(f"client:{client_ip(request)}", settings.PORTAL_ALERTS_SIGNUP_PER_CLIENT, HOUR):
            return page(request, "signup", {"form": form, "throttled": True}, status=429)
        if form.is_bot:
            return HttpResponseRedirect(reverse("alerts:sent"))
        if form.is_valid():
            subscribe(
                form.cleaned_data["email"], form.chosen_targets(), form.cleaned_data["frequency"], language
            )
            return HttpResponseRedirect(reverse("alerts:sent"))
    return page(request, "signup", {"form": form}, status=400 if form.is_bound else 200)


@transaction.atomic
def subscribe(email, targets, frequency, language):
    """Pending subscriptions for ``email`` and, within the address's limit, a confirmation mail."""
    subscriber, _created = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
    for target in targets:
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber, target=target, defaults={"frequency": frequency}
        )
        if not created and not subscription.confirmed and subscription.frequency != frequency:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
    if over_limit(f"address:{email}", settings.PORTAL_ALERTS_SIGNUP_PER_ADDRESS, DAY):
        return
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmation_due_at=timezone.now(), confirmation_attempts=0
    )
    enqueue_after_commit(send_due_mail)


@never_cache
def sent(request):
    return page(request, "sent", {"hours": settings.PORTAL_ALERTS_CONFIRM_MAX_AGE // HOUR})


def by_key(key):
    return Subscriber.objects.filter(key=key[:64]).first() if key else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        subscriber = by_key(mail.read_confirmation_token(token))
    except signing.SignatureExpired:
        return page(request, "invalid", {"reason": "expired"}, status=400)
    except signing.BadSignature:
        subscriber = None
    if subscriber is None:
        return page(request, "invalid", {"reason": "invalid"}, status=400)
    if request.method != "POST":
        return page(request, "confirm", {"subscriber": subscriber})
    with transaction.atomic():
        now = timezone.now()
        Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(confirmed_at=now)
        Subscriber.objects.filter(pk=subscriber.pk).update(unsubscribed_at=None)
        subscriber.subscriptions.filter(confirmed=False).update(confirmed=True)
    return HttpResponseRedirect(reverse("alerts:manage", kwargs={"key": subscriber.key}) + "?confirmed=1")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, key):
    subscriber = by_key(key)
    if subscriber is None:
        return page(request, "invalid", {"reason": "unknown"}, status=404)
    notice = "confirmed" if request.GET.get("confirmed") else None
    if request.method == "POST":
        notice = change(request, subscriber) or "unchanged"
    language = get_language()
    subscriptions = [
        {
            "pk": subscription.pk,
            "label": topics.label(subscription.target, language),
            "form": FrequencyForm(
                initial={"frequency": subscription.frequency}, prefix=f"s{subscription.pk}"
            ),
            "confirmed": subscription.confirmed,
        }
        for subscription in subscriber.subscriptions.all()
    ]
    return page(
        request, "manage", {"subscriber": subscriber, "subscriptions": subscriptions, "notice": notice}
    )


def change(request, subscriber):
    """One change from the manage page: a frequency, or a subscription removed."""
    action, _sep, pk = request.POST.get("action", "").partition(":")
    subscription = subscriber.subscriptions.filter(pk=pk).first() if pk.isdigit() else None
    if subscription is None:
        return None
    if action == "remove":
        subscription.delete()
        if not subscriber.subscriptions.exists():
            unsubscribe_all(subscriber)
        return "removed"
    if action == "frequency":
        form = FrequencyForm(request.POST, prefix=f"s{subscription.pk}")
        if form.is_valid():
            subscription.frequency = form.cleaned_data["frequency"]
            subscription.save(update_fields=["frequency"])
            if subscription.frequency == Frequency.IMMEDIATE:
                subscriber.deliveries.filter(status=DeliveryStatus.PENDING).update(due_at=timezone.now())
            return "saved"
    return None


@transaction.atomic
def unsubscribe_all(subscriber):
    subscriber.subscriptions.all().delete()
    subscriber.deliveries.filter(status=DeliveryStatus.PENDING).delete()
    Subscriber.objects.filter(pk=subscriber.pk).update(
        unsubscribed_at=timezone.now(), confirmation_due_at=None
    )


@csrf_exempt  # RFC 8058: mail programs POST here without a form of ours; the key is the secret
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, key):
    subscriber = by_key(key)
    if request.method != "POST":
        if subscriber is None:
            return page(request, "invalid", {"reason": "unknown"}, status=404)
        return page(request, "unsubscribe", {"subscriber": subscriber})
    if subscriber is not None:
        unsubscribe_all(subscriber)
    return page(request, "unsubscribed", {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, key):
    subscriber = by_key(key)
    if subscriber is None:
        return page(request, "invalid", {"reason": "unknown"}, status=404)
    if request.method != "POST":
        return page(request, "delete", {"subscriber": subscriber})
    with transaction.atomic():
        Delivery.objects.filter(subscriber=subscriber).delete()
        subscriber.delete()
    return HttpResponseRedirect(reverse("alerts:deleted"))


@never_cache
def deleted(request):
    return page(request, "deleted")

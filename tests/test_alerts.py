"""E-mail alerts as a visitor and a subscriber see them: sign-up, the confirmation mail from a real
SMTP server on loopback, immediate and digest alerts, one-click unsubscribe, the manage page,
deletion, and what goes wrong (forged links, SMTP errors, floods of sign-ups)."""

import datetime
import re
import time
from unittest import mock
from urllib.parse import urlsplit

import pytest

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from relations.alerts import sending
from relations.alerts.models import Delivery, DeliveryStatus, Subscriber, Subscription
from tests import factories
from tests.smtp import body, free_port

pytestmark = pytest.mark.django_db


def run_worker():
    """Runs every queued task, as ``manage.py db_worker`` does in production, then stops.

    The worker closes old connections between tasks (``close_old_connections``); inside a test's
    transaction that would close PostgreSQL's connection under the test, so it is left open here
    (tests/test_alerts_worker.py runs the real worker process, connections and all).
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", "--backend", "alerts", "--batch", "--no-reload", "--no-startup-delay", verbosity=0
        )


def sign_up(client, email, targets, frequency="immediate", language="fr", **extra):
    with translation.override(language):
        url = reverse("alerts:signup")
    data = {"email": email, "targets": targets, "frequency": frequency, "consent": "on", **extra}
    return client.post(url, data)


def link(message, pattern):
    found = re.search(rf"(https?://\S*{pattern}\S*/)", body(message, "plain"))
    assert found, body(message, "plain")
    return urlsplit(found.group(1)).path


def confirm_from_mail(client, message):
    path = link(message, "/(?:confirmer|confirm)/")
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    return response


@pytest.fixture
def signed_up(client, tree, smtp_server, django_capture_on_commit_callbacks):
    """Returns a function: signs ``email`` up to ``targets`` and confirms from the mail."""

    def make(email, targets, frequency="immediate", language="fr", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client, email, targets, frequency, language, **extra)
        assert response.status_code == 302
        run_worker()
        confirm_from_mail(client, smtp_server.recorder.to(email)[-1])
        return Subscriber.objects.get(email=email)

    return make


def publish_agreement(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = factories.AgreementFactory(**kwargs)
    run_worker()
    return agreement


def test_sign_up_gives_the_same_answer_whatever_the_address(client, tree, smtp_server):
    target = f"area:{tree.economy.pk}"
    first = sign_up(client, "new@example.org", [target])
    Subscriber.objects.create(email="known@example.org", language="fr", confirmed_at=timezone.now())
    second = sign_up(client, "known@example.org", [target])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    page = client.get(first["Location"])
    assert "Vérifiez votre boîte de réception" in page.content.decode()


def test_confirmation_mail_comes_from_the_smtp_server_and_confirms(
    client, tree, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "Reader@Example.org", [f"area:{tree.economy.pk}"])
    assert not smtp_server.messages  # sent by the worker, not by the web request
    run_worker()
    (message,) = smtp_server.messages
    assert message["To"] == "reader@example.org"
    assert "Confirmez" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    subscriber = Subscriber.objects.get()
    assert not subscriber.is_confirmed
    response = confirm_from_mail(client, message)
    subscriber.refresh_from_db()
    assert subscriber.is_confirmed
    assert subscriber.subscriptions.get().confirmed
    assert "Merci" in client.get(response["Location"]).content.decode()


def test_a_new_agreement_is_mailed_at_once_in_the_language_of_sign_up(
    signed_up, smtp_server, tree, django_capture_on_commit_callbacks
):
    signed_up("fr@example.org", [f"area:{tree.economy.pk}"], language="fr")
    signed_up("en@example.org", ["kind:agreements"], language="en")
    publish_agreement(
        django_capture_on_commit_callbacks,
        title_fr="Entente sur l’eau & l’air",
        title_en="Water & air agreement",
        areas=[tree.economy],
    )
    (french,) = [m for m in smtp_server.recorder.to("fr@example.org") if "Entente" in m["Subject"]]
    (english,) = [m for m in smtp_server.recorder.to("en@example.org") if "agreement" in m["Subject"]]
    assert french["Subject"] == "Entente : Entente sur l’eau & l’air"
    assert "Entente sur l’eau &amp; l’air" in body(french, "html")
    assert "Water & air agreement" in body(english, "plain")
    assert english["Content-Language"] == "en"
    for message in (french, english):
        assert message["List-Unsubscribe"].strip().startswith("<http")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link(message, "/(?:gerer|manage)/")


def test_a_daily_digest_gathers_the_day_in_one_mail(
    signed_up, smtp_server, tree, django_capture_on_commit_callbacks
):
    signed_up("daily@example.org", ["kind:agreements"], frequency="daily")
    before = len(smtp_server.messages)
    publish_agreement(django_capture_on_commit_callbacks, title_fr="Première entente")
    publish_agreement(django_capture_on_commit_callbacks, title_fr="Deuxième entente")
    assert len(smtp_server.messages) == before  # nothing before the digest's hour
    sending.send_due(now=timezone.now() + datetime.timedelta(days=1))
    (digest,) = smtp_server.messages[before:]
    text = body(digest, "plain")
    assert "2 nouveautés" in digest["Subject"]
    assert "Première entente" in text and "Deuxième entente" in text


def test_one_click_unsubscribe_stops_alerts_and_can_be_replayed(
    client, signed_up, smtp_server, django_capture_on_commit_callbacks
):
    subscriber = signed_up("leaving@example.org", ["kind:agreements"])
    publish_agreement(django_capture_on_commit_callbacks)
    message = smtp_server.recorder.to("leaving@example.org")[-1]
    url = urlsplit(message["List-Unsubscribe"].strip().strip("<>")).path
    # What a mail program does (RFC 8058): a POST with this body, no cookie, no CSRF token.
    for _attempt in range(2):
        response = client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
    assert not subscriber.subscriptions.exists()
    count = len(smtp_server.messages)
    publish_agreement(django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == count


def test_a_subscriber_deletes_everything_about_themselves(
    client, signed_up, smtp_server, django_capture_on_commit_callbacks
):
    subscriber = signed_up("gone@example.org", ["kind:agreements"])
    publish_agreement(django_capture_on_commit_callbacks)
    delete_url = reverse("alerts:delete", kwargs={"key": subscriber.key})
    assert "gone@example.org" in client.get(delete_url).content.decode()
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not Subscriber.objects.filter(email="gone@example.org").exists()
    assert not Delivery.objects.exists() and not Subscription.objects.exists()
    assert client.get(reverse("alerts:manage", kwargs={"key": subscriber.key})).status_code == 404


def test_manage_page_changes_a_frequency_and_removes_a_subscription(client, signed_up, tree):
    subscriber = signed_up("manager@example.org", ["kind:events", f"area:{tree.culture.pk}"])
    url = reverse("alerts:manage", kwargs={"key": subscriber.key})
    page = client.get(url)
    assert "Domaine : Culture" in page.content.decode()
    events = subscriber.subscriptions.get(target="kind:events")
    client.post(url, {"action": f"frequency:{events.pk}", f"s{events.pk}-frequency": "weekly"})
    events.refresh_from_db()
    assert events.frequency == "weekly"
    client.post(url, {"action": f"remove:{events.pk}"})
    assert list(subscriber.subscriptions.values_list("target", flat=True)) == [f"area:{tree.culture.pk}"]
    # Junk actions change nothing and never fail.
    for action in ("remove:abc", "frequency:999999", "x" * 10_000, ""):
        assert client.post(url, {"action": action}).status_code == 200


@pytest.mark.parametrize("token", ["forged", "a" * 5000, "eyJrIjoiMSJ9:1abc:deadbeef"])
def test_forged_confirmation_links_get_a_clear_message(client, token):
    response = client.get(reverse("alerts:confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert "Ce lien ne fonctionne pas" in response.content.decode()


def test_expired_confirmation_link_says_so(
    client, tree, smtp_server, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "late@example.org", ["kind:events"])
    run_worker()
    settings.PORTAL_ALERTS_CONFIRM_MAX_AGE = -1
    path = link(smtp_server.messages[-1], "/confirmer/")
    response = client.post(path)
    assert response.status_code == 400
    assert "expiré" in response.content.decode()
    assert not Subscriber.objects.get().is_confirmed


def test_bad_sign_ups_get_field_errors_and_nothing_is_half_made(client, tree):
    for data in (
        {"email": "not an address", "targets": ["kind:events"], "frequency": "daily", "consent": "on"},
        {
            "email": "x" * 10_000 + "@example.org",
            "targets": ["kind:events"],
            "frequency": "daily",
            "consent": "on",
        },
        {"email": "a@example.org", "targets": ["kind:nothing"], "frequency": "daily", "consent": "on"},
        {"email": "a@example.org", "targets": ["kind:events"], "frequency": "hourly", "consent": "on"},
        {"email": "a@example.org", "targets": ["kind:events"], "frequency": "daily"},  # no consent
        {"email": "a@example.org", "frequency": "daily", "consent": "on", "preset": "page:" + "9" * 5000},
    ):
        response = client.post(reverse("alerts:signup"), data)
        assert response.status_code == 400
        assert "erreur" in response.content.decode()
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()


def test_sign_up_is_throttled_per_client(client, tree, settings):
    settings.PORTAL_ALERTS_SIGNUP_PER_CLIENT = 3
    answers = [sign_up(client, f"n{i}@example.org", ["kind:events"]).status_code for i in range(5)]
    assert answers == [302, 302, 302, 429, 429]


def test_confirmation_mails_to_one_address_are_bounded_silently(
    client, tree, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_ALERTS_SIGNUP_PER_ADDRESS = 2
    for _attempt in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client, "victim@example.org", ["kind:events"], REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302  # the same answer every time
        run_worker()
    assert len(smtp_server.recorder.to("victim@example.org")) == 2


def test_an_smtp_server_that_is_down_loses_nothing(
    signed_up, smtp_server, settings, django_capture_on_commit_callbacks
):
    signed_up("patient@example.org", ["kind:agreements"])
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    publish_agreement(django_capture_on_commit_callbacks, title_fr="Entente retardée")  # no 500, no mail
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.due_at > timezone.now()  # retried after a back-off
    settings.EMAIL_PORT = port
    sending.send_due(now=delivery.due_at)
    sending.send_due(now=delivery.due_at + datetime.timedelta(hours=1))
    assert [m["Subject"] for m in smtp_server.recorder.to("patient@example.org")][
        -1
    ] == "Entente : Entente retardée"
    assert len([m for m in smtp_server.recorder.to("patient@example.org") if "retardée" in m["Subject"]]) == 1


def test_temporary_refusals_back_off_and_permanent_ones_suspend(
    signed_up, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_ALERTS_MAX_PERMANENT_FAILURES = 2
    soon = signed_up("busy@example.org", ["kind:agreements"])
    gone = signed_up("bounce@example.org", ["kind:agreements"])
    smtp_server.recorder.refuse = {
        "busy@example.org": "451 Try again later",
        "bounce@example.org": "550 No such user",
    }
    publish_agreement(django_capture_on_commit_callbacks)
    first = soon.deliveries.get()
    assert (first.status, first.attempts) == (DeliveryStatus.PENDING, 1)
    sending.send_due(now=first.due_at)
    second = soon.deliveries.get()
    assert second.attempts == 2 and second.due_at - first.due_at >= datetime.timedelta(seconds=59)
    publish_agreement(django_capture_on_commit_callbacks)
    gone.refresh_from_db()
    assert gone.suspended_at is not None
    assert set(gone.deliveries.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    publish_agreement(django_capture_on_commit_callbacks)
    assert gone.deliveries.count() == 2  # a suspended address is not given new items


def test_the_send_rate_is_bounded(signed_up, smtp_server, settings, django_capture_on_commit_callbacks):
    for n in range(6):
        signed_up(f"r{n}@example.org", ["kind:events"])
    settings.PORTAL_ALERTS_MAX_RATE = 20
    with django_capture_on_commit_callbacks(execute=True):
        factories.EventFactory()
    start = time.monotonic()
    run_worker()
    assert time.monotonic() - start >= 5 / 20
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 6


def test_an_item_processed_twice_is_mailed_once(signed_up, smtp_server, django_capture_on_commit_callbacks):
    signed_up("once@example.org", ["kind:agreements"])
    agreement = publish_agreement(django_capture_on_commit_callbacks, title_fr="Une seule fois")
    sending.record(agreement)
    item = Delivery.objects.get().item
    item.fanned_out_at = None
    item.save()
    sending.record(agreement)
    sending.send_due()
    agreement.save_revision().publish()  # published again: not a new item
    run_worker()
    assert len([m for m in smtp_server.messages if "Une seule fois" in m["Subject"]]) == 1


def test_the_register_as_filtered_is_followed(
    client, signed_up, smtp_server, tree, django_capture_on_commit_callbacks
):
    page = client.get(reverse("alerts:signup") + "?follow=register&kind=international&q=eau")
    assert "Registre des ententes" in page.content.decode()
    target = re.search(r'name="preset" value="([^"]+)"', page.content.decode()).group(1)
    signed_up("filtered@example.org", [], preset=target.replace("&amp;", "&"))
    publish_agreement(django_capture_on_commit_callbacks, title_fr="Entente sur l’eau", kind="international")
    publish_agreement(
        django_capture_on_commit_callbacks, title_fr="Entente sur l’eau potable", kind="institutional"
    )
    publish_agreement(django_capture_on_commit_callbacks, title_fr="Entente sur l’air", kind="international")
    mails = [
        m["Subject"] for m in smtp_server.recorder.to("filtered@example.org") if "Confirm" not in m["Subject"]
    ]
    assert mails == ["Entente : Entente sur l’eau"]


def test_only_subscription_managers_see_addresses(client, editor, django_user_model):
    from django.contrib.auth.models import Group

    Subscriber.objects.create(email="private@example.org", language="fr")
    url = reverse("alert_subscribers:index")
    client.force_login(editor)
    assert "private@example.org" not in client.get(url).content.decode()
    manager = django_user_model.objects.create_user("manager", password="x")
    manager.groups.add(Group.objects.get(name="Subscription managers"))
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert "private@example.org" in response.content.decode()


def test_expired_data_is_purged(tree):
    old = timezone.now() - datetime.timedelta(days=8)
    Subscriber.objects.create(email="never@example.org", language="fr", created_at=old)
    Subscriber.objects.create(email="kept@example.org", language="fr", created_at=old, confirmed_at=old)
    sending.purge_expired()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kept@example.org"]


def test_the_scheduler_publishes_scheduled_pages_and_enqueues_due_mail(tree, smtp_server):
    from django_tasks_db.models import DBTaskResult

    update = factories.UpdatePageFactory(parent=tree.updates, live=False)
    revision = update.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    update.has_unpublished_changes = True
    update.save()
    subscriber = Subscriber.objects.create(email="due@example.org", language="fr")
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_due_at=timezone.now())
    call_command("scheduler", once=True)
    update.refresh_from_db()
    assert update.live
    assert DBTaskResult.objects.filter(task_path="relations.alerts.tasks.send_due_mail").exists()
    run_worker()
    assert smtp_server.recorder.to("due@example.org")

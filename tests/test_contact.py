"""The contact form of the Seoul office: translated labels, messages in the visitor's language,
a honeypot, a rate limit per address, submissions kept in the admin, e-mail through Django."""

import datetime
import re
from io import StringIO
from unittest import mock

import pytest

from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import override

from wagtail.contrib.forms.models import FormSubmission

from relations.pages.contact import HONEYPOT, ContactFormField, ContactPage
from tests import factories
from tests.editorial import make_user
from tests.test_deployment import compose_trusted_proxy_count

pytestmark = pytest.mark.django_db

VALID = {"nom": "Kim Min-ji", "courriel": "minji@example.kr", "message": "Bonjour, une question."}


@pytest.fixture
def contact(tree):
    return factories.ContactPageFactory(parent=tree.home, to_address="seoul@example.org")


def post(client, url, data=None, address="192.0.2.1"):
    return client.post(url, data or VALID, REMOTE_ADDR=address)


def test_the_form_shows_its_labels_in_each_language(client, contact):
    fr = client.get("/fr/nous-joindre/").text
    en = client.get("/en/contact/").text
    assert re.search(r'<label class="field__label" for="id_courriel">Courriel', fr)
    assert re.search(r'<label class="field__label" for="id_courriel">Email', en)
    assert '<html lang="fr"' in fr and '<html lang="en"' in en
    assert 'autocomplete="email"' in en
    assert "novalidate" in fr  # messages come from the server, in the page's language


def test_the_page_is_in_the_footer(client, contact):
    footer = client.get("/en/").text.split('class="site-footer"')[1]
    assert 'href="/en/contact/"' in footer


def test_a_valid_message_is_kept_and_mailed(client, contact):
    response = post(client, "/en/contact/")
    assert response.status_code == 200
    assert "Message sent" in response.text
    submission = FormSubmission.objects.get(page=contact)
    assert submission.get_data()["courriel"] == "minji@example.kr"
    assert HONEYPOT not in submission.form_data
    (message,) = mail.outbox
    assert message.to == ["seoul@example.org"]
    assert message.reply_to == ["minji@example.kr"]
    assert "Email: minji@example.kr" in message.body
    assert "Bonjour, une question." in message.body
    assert "http://localhost/en/contact/" in message.body or "/en/contact/" in message.body


def test_a_message_is_kept_when_no_address_is_set(client, contact):
    contact.to_address = ""
    contact.save_revision().publish()
    assert post(client, "/fr/nous-joindre/").status_code == 200
    assert FormSubmission.objects.filter(page=contact).count() == 1
    assert mail.outbox == []


def test_a_mail_failure_does_not_lose_the_message(client, contact, monkeypatch):
    def fail(self, *args, **kwargs):
        raise OSError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    response = post(client, "/fr/nous-joindre/")
    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=contact).count() == 1


@pytest.mark.parametrize(
    ("url", "required", "invalid_email", "error_word"),
    [
        ("/fr/nous-joindre/", "Ce champ est obligatoire.", "Saisissez une adresse e-mail valide.", "Erreur"),
        ("/en/contact/", "This field is required.", "Enter a valid email address.", "Error"),
    ],
)
def test_errors_are_said_in_the_visitors_language(client, contact, url, required, invalid_email, error_word):
    response = post(client, url, {"nom": "", "courriel": "pas-une-adresse", "message": ""})
    assert response.status_code == 200
    html = response.text
    assert required in html and invalid_email in html
    assert re.search(rf"<title>{error_word}", html)
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_nom"' in html
    # Each field in error says so and points to its message.
    assert re.search(
        r'<input[^>]+aria-describedby="id_nom-error"[^>]*aria-invalid="true"|'
        r'<input[^>]+aria-invalid="true"[^>]*aria-describedby="id_nom-error"',
        html,
    ) or ('aria-invalid="true"' in html and 'id="id_nom-error"' in html)
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_help_texts_are_tied_to_their_fields(client, tree):
    page = factories.ContactPageFactory(parent=tree.home, fields=[("Courriel", "Email", "email", True)])
    field = ContactFormField.objects.get(page=page)
    field.help_text_fr = "Pour vous répondre."
    field.help_text_en = "To answer you."
    field.save()
    html = client.get("/en/contact/").text
    assert '<p class="hint" id="id_courriel-help">To answer you.</p>' in html
    assert 'aria-describedby="id_courriel-help"' in html


def test_the_honeypot_is_hidden_and_a_bot_filling_it_is_ignored(client, contact):
    html = client.get("/fr/nous-joindre/").text
    hidden = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert f'name="{HONEYPOT}"' in hidden and 'tabindex="-1"' in hidden and 'autocomplete="off"' in hidden
    response = post(client, "/fr/nous-joindre/", {**VALID, HONEYPOT: "http://spam.example"})
    assert response.status_code == 200  # the bot is told nothing
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


@override_settings(PORTAL_CONTACT_RATE_LIMIT=5)
def test_more_than_five_messages_an_hour_from_one_address_are_refused(client, contact):
    for _ in range(5):
        assert post(client, "/en/contact/").status_code == 200
    refused = post(client, "/en/contact/", {**VALID, "message": "A sixth one."})
    assert refused.status_code == 429
    assert "try again later" in refused.text
    assert "A sixth one." in refused.text  # what the visitor wrote is kept
    assert FormSubmission.objects.count() == 5
    french = post(client, "/fr/nous-joindre/")
    assert french.status_code == 429 and "réessayer" in french.text
    # Another address is not concerned.
    assert post(client, "/en/contact/", address="198.51.100.7").status_code == 200
    assert FormSubmission.objects.count() == 6


def test_behind_the_compose_proxy_the_limit_is_per_visitor_not_site_wide(client, contact, settings):
    settings.PORTAL_CONTACT_RATE_LIMIT = 2
    settings.PORTAL_TRUSTED_PROXY_COUNT = compose_trusted_proxy_count()

    def post_through_proxy(visitor):
        return client.post("/en/contact/", VALID, REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR=visitor)

    assert [post_through_proxy("203.0.113.7").status_code for _ in range(3)] == [200, 200, 429]
    assert post_through_proxy("198.51.100.20").status_code == 200


@override_settings(PORTAL_CONTACT_RATE_LIMIT=5)
def test_the_limit_holds_across_workers_and_restarts(client, contact):
    """Each gunicorn worker (and each restart) starts with an empty local-memory cache."""
    for _ in range(3):
        assert post(client, "/en/contact/").status_code == 200
    for cache in caches.all():
        cache.clear()  # another worker, or the same after a restart
    assert [post(client, "/en/contact/").status_code for _ in range(3)] == [200, 200, 429]
    assert FormSubmission.objects.count() == 5


def test_the_count_forgets_messages_older_than_the_window(client, contact, settings):
    settings.PORTAL_CONTACT_RATE_LIMIT = 1
    assert post(client, "/en/contact/").status_code == 200
    assert post(client, "/en/contact/").status_code == 429
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=2)):
        assert post(client, "/en/contact/").status_code == 200


@pytest.mark.parametrize(
    ("field", "length", "url", "error"),
    [
        ("message", 1_000_000, "/en/contact/", "Ensure this value has at most 5000 characters"),
        (
            "message",
            5001,
            "/fr/nous-joindre/",
            "Assurez-vous que cette valeur comporte au plus 5000 caractères",
        ),
        ("nom", 256, "/en/contact/", "at most 255 characters"),
        ("courriel", 300, "/en/contact/", "Ensure this value has at most 254 characters"),
    ],
)
def test_every_answer_has_a_maximum_length(client, contact, field, length, url, error):
    value = "a" * length if field != "courriel" else "a" * (length - 11) + "@example.kr"
    response = post(client, url, {**VALID, field: value})
    assert response.status_code == 200
    assert error in response.text.replace("\u202f", " ").replace("&#x27;", "'")
    assert FormSubmission.objects.count() == 0
    assert post(client, url, {**VALID, "message": "a" * 5000}).status_code == 200
    assert FormSubmission.objects.count() == 1


def test_browsers_are_told_each_answers_maximum_length(client, contact):
    html = client.get("/en/contact/").text
    assert re.search(r'<textarea[^>]*maxlength="5000"', html)
    assert re.search(r'<input type="text" name="nom"[^>]*maxlength="255"', html)
    assert re.search(r'<input type="email" name="courriel"[^>]*maxlength="254"', html)


def test_invalid_attempts_do_not_count_against_the_limit(client, contact, settings):
    settings.PORTAL_CONTACT_RATE_LIMIT = 2
    for _ in range(5):
        post(client, "/en/contact/", {"nom": ""})
    assert post(client, "/en/contact/").status_code == 200


def test_pages_with_the_form_are_not_cached_anywhere(client, contact):
    response = client.get("/fr/nous-joindre/")
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in response.text


def test_the_answers_key_comes_from_the_french_label_whatever_the_language(tree):
    page = factories.ContactPageFactory(parent=tree.home, fields=[])
    with override("en"):
        field = ContactFormField(page=page, label_fr="Téléphone", label_en="Phone", field_type="singleline")
        field.save()
    assert field.clean_name == "telephone"
    with override("en"):
        assert field.label == "Phone"
        form = page.get_form()
        assert form.fields["telephone"].label == "Phone"
    with override("fr"):
        assert page.get_form().fields["telephone"].label == "Téléphone"


def test_translated_choices_in_each_language(client, tree):
    page = factories.ContactPageFactory(parent=tree.home, fields=[])
    ContactFormField.objects.create(
        page=page,
        label_fr="Domaine",
        label_en="Area",
        field_type="radio",
        required=False,
        choices_fr="Culture\nAutre sujet",
        choices_en="Culture\nOther subject",
    )
    fr = client.get("/fr/nous-joindre/").text
    en = client.get("/en/contact/").text
    assert "Autre sujet" in fr and "Other subject" in en
    assert "<fieldset" in fr and "<legend" in fr


def test_submissions_are_listed_in_the_admin(client, contact):
    post(client, "/fr/nous-joindre/")
    client.force_login(make_user("boss", superuser=True))
    response = client.get(f"/admin/forms/submissions/{contact.pk}/")
    assert response.status_code == 200
    assert "minji@example.kr" in response.text


def test_the_demo_has_a_contact_page_without_an_address(client):
    call_command("load_demo", skip_index=True, stdout=StringIO())
    page = ContactPage.objects.get()
    assert page.live and page.to_address == ""
    labels = [(field.label_fr, field.label_en) for field in page.form_fields.all()]
    assert ("Courriel", "Email") in labels and ("Message", "Message") in labels
    assert client.get("/fr/nous-joindre/").status_code == 200
    assert client.get("/en/contact/").status_code == 200
    response = client.post("/en/contact/", {"nom": "Kim", "courriel": "kim@example.kr", "message": "Hello"})
    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=page).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(("mode", "label"), [("fr", "Courriel"), ("en", "Email")])
def test_editors_preview_the_form_in_each_language(contact, mode, label):
    response = contact.make_preview_request(preview_mode=mode)
    assert response.status_code == 200
    html = response.content.decode() if hasattr(response, "content") else response.rendered_content
    assert f'<html lang="{mode}"' in html
    assert re.search(rf'<label class="field__label" for="id_courriel">{label}', html)

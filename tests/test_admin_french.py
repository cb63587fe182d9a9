"""What an editor and a moderator read in the French admin is French and true: no "(e)" forms, no
"planifié(e) pour la publication" after a submission, the workflow's own names in French too, items
waiting for moderation listed as such."""

import re

import pytest

from django.core import mail
from django.urls import reverse
from django.utils.html import strip_tags

from relations.models import Agreement, Event, KeyFigure, Organization, Sector
from tests import factories
from tests.editorial import agreement_form_data, encode, snippet_url

pytestmark = pytest.mark.django_db

GENDER_SLASHES = re.compile(r"\w\((e|elle|tte|s)\)|\bce/cette\b|\bLe\(la\)|\bun\(e\)", re.IGNORECASE)


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(strip_tags(html).split())


def assert_reads_right(text):
    assert not GENDER_SLASHES.search(text), GENDER_SLASHES.search(text).group(0)
    for english in ("Moderation", "Moderators approval"):
        assert english not in text


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_submitting_says_submitted_not_scheduled_and_the_list_says_in_moderation(client, editor, tree):
    client.force_login(editor)
    data = agreement_form_data(title_fr="Entente soumise", title_en="Submitted agreement")
    response = client.post(snippet_url(Agreement, "add"), encode(data, submit=True), follow=True)
    (message,) = messages_of(response)
    assert "Entente « Entente soumise » : création enregistrée et soumise à la modération" in message
    assert "planifié" not in message
    listing = text_of(client.get(snippet_url(Agreement, "list")))
    assert "en modération" in listing
    assert "brouillon" not in listing.lower()
    assert_reads_right(listing)

    agreement = Agreement.objects.get()
    edit = text_of(client.get(snippet_url(Agreement, "edit", agreement.pk)))
    assert_reads_right(edit)
    response = client.post(
        snippet_url(Agreement, "edit", agreement.pk), encode(data, submit=True), follow=True
    )
    assert_reads_right(" ".join(messages_of(response)))


def test_approving_says_approved_and_published(client, editor, moderator, tree):
    client.force_login(editor)
    data = agreement_form_data(title_fr="Entente à approuver", title_en="To approve")
    client.post(snippet_url(Agreement, "add"), encode(data, submit=True))
    agreement = Agreement.objects.get()
    client.force_login(moderator)
    edit = client.get(snippet_url(Agreement, "edit", agreement.pk))
    assert "Soumettre au circuit « Validation »" in text_of(edit) or "Approuver et publier" in text_of(edit)
    assert_reads_right(text_of(edit))
    form = encode(data)
    form["action-workflow-action"] = "true"
    form["workflow-action-name"] = "approve"
    response = client.post(snippet_url(Agreement, "edit", agreement.pk), form, follow=True)
    agreement.refresh_from_db()
    assert agreement.live
    (message,) = messages_of(response)
    assert "Entente « Entente à approuver » : approbation donnée, en ligne." in message
    history = text_of(client.get(snippet_url(Agreement, "history", agreement.pk)))
    assert "Approbation donnée à l’étape « Approbation ». Circuit « Validation » terminé" in history
    assert_reads_right(history)


def test_the_moderators_e_mail_reads_right(client, editor, moderator, tree):
    client.force_login(editor)
    client.post(snippet_url(Agreement, "add"), encode(agreement_form_data(title_fr="Entente"), submit=True))
    (message,) = [m for m in mail.outbox if moderator.email in m.to]
    assert "« Approbation »" in message.subject
    assert_reads_right(message.subject + " " + message.body)


@pytest.mark.parametrize(
    ("model", "label"),
    [
        (Agreement, "Ajouter une entente"),
        (Event, "Ajouter un événement"),
        (Organization, "Ajouter un organisme"),
        (KeyFigure, "Ajouter un chiffre clé"),
        (Sector, "Ajouter un secteur"),
    ],
)
def test_each_list_and_form_reads_right(client, editor, tree, model, label):
    client.force_login(editor)
    listing = text_of(client.get(snippet_url(model, "list")))
    assert label in listing
    assert_reads_right(listing)
    assert_reads_right(text_of(client.get(snippet_url(model, "add"))))
    assert_reads_right(text_of(client.get(snippet_url(model, "list"), {"q": "introuvable"})))


def test_the_documents_inline_panel_reads_right(client, editor, tree):
    agreement = factories.AgreementFactory()
    client.force_login(editor)
    text = text_of(client.get(snippet_url(Agreement, "edit", agreement.pk)))
    assert "Ajouter dans Documents" in text
    assert_reads_right(text)


@pytest.mark.parametrize(
    "url_name",
    ["wagtaildocs:index", "wagtailimages:index", "wagtaildocs:add_multiple", "wagtailimages:add_multiple"],
)
def test_documents_and_images_read_right(client, editor, url_name):
    client.force_login(editor)
    assert_reads_right(text_of(client.get(reverse(url_name))))


def test_pages_read_right(client, editor, tree):
    client.force_login(editor)
    for url in (
        reverse("wagtailadmin_explore", args=[tree.home.pk]),
        reverse("wagtailadmin_pages:edit", args=[tree.economy.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[tree.home.pk]),
        reverse("wagtailadmin_home"),
    ):
        assert_reads_right(text_of(client.get(url)))

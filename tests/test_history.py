"""Wagtail's history and audit log record who changed what, for pages and snippets."""

import pytest

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from wagtail.models import ModelLogEntry, PageLogEntry

from relations.models import Agreement, Event, Organization
from tests import factories
from tests.editorial import (
    agreement_form_data,
    encode,
    event_form_data,
    page_form_data,
    snippet_url,
)

pytestmark = pytest.mark.django_db


def _snippet_log(model, obj):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
    ).order_by("timestamp", "pk")


def test_creating_and_editing_a_snippet_is_logged_with_the_user(client, editor, tree):
    client.force_login(editor)
    client.post(snippet_url(Agreement, "add"), encode(agreement_form_data()))
    agreement = Agreement.objects.get()
    client.post(
        snippet_url(Agreement, "edit", agreement.pk), encode(agreement_form_data(title_en="A better title"))
    )
    entries = list(_snippet_log(Agreement, agreement))
    assert [entry.action for entry in entries] == ["wagtail.create", "wagtail.edit"]
    assert all(entry.user == editor for entry in entries)
    assert entries[-1].revision.content["title_en"] == "A better title"

    html = client.get(snippet_url(Agreement, "history", agreement.pk)).content.decode()
    assert "editor" in html


def test_snippets_without_drafts_are_logged_too(client, editor, tree):
    organization = factories.OrganizationFactory()
    client.force_login(editor)
    response = client.post(
        snippet_url(Organization, "edit", organization.pk),
        {
            "name_fr": "Université Laval",
            "name_en": "Laval University",
            "acronym": "UL",
            "kind": "university",
            "country": "CA",
            "city_fr": "Québec",
            "city_en": "Quebec City",
            "website": "https://www.ulaval.ca/",
            "founded_year": "1852",
            "description_fr": "",
            "description_en": "",
        },
    )
    assert response.status_code == 302
    entry = _snippet_log(Organization, organization).get()
    assert entry.action == "wagtail.edit" and entry.user == editor


def test_submission_approval_and_publication_are_logged(client, editor, moderator, tree):
    client.force_login(editor)
    client.post(snippet_url(Event, "add"), encode(event_form_data(), submit=True))
    event = Event.objects.get()
    client.force_login(moderator)
    task_state = event.current_workflow_task_state
    client.post(snippet_url(Event, "workflow_action", event.pk, "approve", task_state.pk))
    actions = {(entry.action, entry.user.username) for entry in _snippet_log(Event, event)}
    assert ("wagtail.create", "editor") in actions
    assert ("wagtail.workflow.start", "editor") in actions
    assert ("wagtail.workflow.approve", "moderator") in actions
    assert ("wagtail.publish", "moderator") in actions


def test_editing_a_page_is_logged_with_the_user(client, editor, tree):
    page = tree.economy
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        encode(page_form_data(page, intro_en="A new introduction")),
    )
    assert response.status_code == 302
    entry = PageLogEntry.objects.filter(page=page).latest("timestamp")
    assert entry.action == "wagtail.edit"
    assert entry.user == editor
    assert entry.revision.content["intro_en"] == "A new introduction"
    html = client.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert "editor" in html


def test_site_history_report_lists_snippet_and_page_changes(client, editor, admin_user, tree):
    client.force_login(editor)
    client.post(snippet_url(Agreement, "add"), encode(agreement_form_data()))
    client.post(
        reverse("wagtailadmin_pages:edit", args=[tree.culture.pk]),
        encode(page_form_data(tree.culture, intro_en="Culture!")),
    )
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Entente de coopération en recherche" in html
    assert "Culture" in html

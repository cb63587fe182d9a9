"""Groups, the "Validation" workflow, and who may publish: editors submit, moderators approve."""

import importlib

import pytest

from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    TaskState,
    Workflow,
    WorkflowState,
)

from relations.models import Agreement, Event, KeyFigure, Organization, Sector
from tests import factories
from tests.editorial import agreement_form_data, encode, event_form_data, page_form_data, snippet_url

pytestmark = pytest.mark.django_db

migration = importlib.import_module("relations.migrations.0003_editorial_groups_and_workflow")


# --------------------------------------------------------------------------------------
# Groups and permissions (data migration)
# --------------------------------------------------------------------------------------


def _codenames(group):
    return set(group.permissions.values_list("codename", flat=True))


def _page_codenames(group):
    root = Page.objects.get(depth=1)
    return set(
        GroupPagePermission.objects.filter(group=group, page=root).values_list(
            "permission__codename", flat=True
        )
    )


def test_editors_create_and_edit_but_cannot_publish():
    editors = Group.objects.get(name="Editors")
    codenames = _codenames(editors)
    assert "access_admin" in codenames
    for model in (Agreement, Event, Organization, KeyFigure, Sector):
        name = model._meta.model_name
        assert {f"add_{name}", f"change_{name}"} <= codenames
        assert f"publish_{name}" not in codenames
        assert f"lock_{name}" not in codenames
    assert _page_codenames(editors) == {"add_page", "change_page"}
    assert not GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").exists()
    collection = set(
        GroupCollectionPermission.objects.filter(group=editors).values_list("permission__codename", flat=True)
    )
    assert {"add_document", "choose_document", "add_image", "choose_image"} <= collection


def test_moderators_also_publish_unpublish_and_lock():
    moderators = Group.objects.get(name="Moderators")
    codenames = _codenames(moderators)
    assert _codenames(Group.objects.get(name="Editors")) <= codenames
    for name in ("agreement", "event"):
        assert {f"publish_{name}", f"lock_{name}", f"unlock_{name}"} <= codenames
    assert _page_codenames(moderators) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }


def test_moderation_workflow_covers_the_page_tree_agreements_and_events(tree):
    workflow = Workflow.objects.get(name="Validation")
    assert workflow.active
    task = workflow.tasks.get().specific
    assert isinstance(task, GroupApprovalTask)
    assert task.name == "Approbation"
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]
    for page in (tree.home, tree.economy, tree.events):
        assert page.get_workflow() == workflow
    assert Agreement().get_workflow() == workflow
    assert Event().get_workflow() == workflow
    assert Organization not in (Agreement, Event)  # organisations have no drafts: no workflow


def test_the_data_migration_can_run_again_without_duplicates():
    counts = (Group.objects.count(), Workflow.objects.count(), GroupPagePermission.objects.count())
    migration.create_groups_and_workflow(global_apps, connection.schema_editor())
    assert (Group.objects.count(), Workflow.objects.count(), GroupPagePermission.objects.count()) == counts
    assert Workflow.objects.get(name="Validation").workflow_tasks.count() == 1


def test_the_data_migration_takes_back_publish_rights_given_to_editors():
    editors = Group.objects.get(name="Editors")
    root = Page.objects.get(depth=1)
    from django.contrib.auth.models import Permission

    publish = Permission.objects.get(codename="publish_page")
    GroupPagePermission.objects.create(group=editors, page=root, permission=publish)
    editors.permissions.add(Permission.objects.get(codename="publish_agreement"))
    migration.create_groups_and_workflow(global_apps, connection.schema_editor())
    assert "publish_page" not in _page_codenames(editors)
    assert "publish_agreement" not in _codenames(editors)


def test_demo_accounts_join_their_groups(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    call_command("demo_users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    User = get_user_model()
    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert User.objects.get(username="moderator").groups.filter(name="Moderators").exists()


# --------------------------------------------------------------------------------------
# Editors cannot publish
# --------------------------------------------------------------------------------------


def _actions(html):
    import re

    return set(re.findall(r'name="(action-[a-z-]+)"', html))


def test_editor_has_submit_but_no_publish_button(client, editor, tree):
    event = factories.EventFactory()
    client.force_login(editor)
    for url in (snippet_url(Event, "add"), snippet_url(Event, "edit", event.pk)):
        actions = _actions(client.get(url).content.decode())
        assert "action-submit" in actions
        assert "action-publish" not in actions
    actions = _actions(
        client.get(reverse("wagtailadmin_pages:edit", args=[tree.economy.pk])).content.decode()
    )
    assert "action-submit" in actions and "action-publish" not in actions


def test_moderator_has_the_publish_button(client, moderator, tree):
    client.force_login(moderator)
    assert "action-publish" in _actions(client.get(snippet_url(Event, "add")).content.decode())


def test_a_direct_post_to_publish_a_new_event_is_refused(client, editor, tree):
    client.force_login(editor)
    client.post(snippet_url(Event, "add"), encode(event_form_data(), publish=True))
    event = Event.objects.get()
    assert not event.live
    assert event.last_published_at is None


def test_a_direct_post_to_publish_changes_is_refused(client, editor, tree):
    agreement = factories.AgreementFactory(title_fr="Titre publié")
    client.force_login(editor)
    client.post(
        snippet_url(Agreement, "edit", agreement.pk),
        encode(agreement_form_data(title_fr="Titre non approuvé"), publish=True),
    )
    agreement.refresh_from_db()
    assert agreement.title_fr == "Titre publié"
    assert agreement.latest_revision.content["title_fr"] == "Titre non approuvé"  # kept as a draft


def test_a_direct_post_to_publish_a_page_is_refused(client, editor, tree):
    page = tree.economy
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        encode(page_form_data(page, title_fr="Économie non approuvée"), publish=True),
    )
    page.refresh_from_db()
    assert page.title_fr == "Économie et commerce"


def test_editor_cannot_unpublish(client, editor, tree):
    event = factories.EventFactory()
    client.force_login(editor)
    response = client.post(snippet_url(Event, "unpublish", event.pk))
    assert response.status_code in (302, 403)
    event.refresh_from_db()
    assert event.live
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[tree.economy.pk]))
    tree.economy.refresh_from_db()
    assert tree.economy.live


# --------------------------------------------------------------------------------------
# Submit, approve, reject
# --------------------------------------------------------------------------------------


def _workflow_action(client, model, obj, action, **data):
    task_state = obj.current_workflow_task_state
    url = snippet_url(model, "workflow_action", obj.pk, action, task_state.pk)
    return client.post(url, data)


def test_editor_submits_an_event_and_the_moderator_approves_it(client, editor, moderator, tree):
    client.force_login(editor)
    data = event_form_data(title_fr="Semaine du Québec à Séoul", title_en="Québec Week in Seoul")
    response = client.post(snippet_url(Event, "add"), encode(data, submit=True))
    assert response.status_code == 302
    event = Event.objects.get()
    assert not event.live
    state = WorkflowState.objects.get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == editor

    # Editors are not in the task's group: they cannot approve (redirected away, nothing done).
    assert _workflow_action(client, Event, event, "approve").status_code in (302, 403)
    event.refresh_from_db()
    assert not event.live

    client.force_login(moderator)
    response = _workflow_action(client, Event, event, "approve")
    assert response.status_code in (200, 302)
    event.refresh_from_db()
    assert event.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    client.logout()
    assert "Semaine du Québec à Séoul" in client.get("/fr/evenements/").content.decode()
    assert "Québec Week in Seoul" in client.get("/en/events/").content.decode()
    assert "Semaine du Québec à Séoul" in client.get("/fr/flux/evenements.ics").content.decode()
    assert "Québec Week in Seoul" in client.get("/en/feeds/events.ics").content.decode()


def test_moderator_rejects_a_change_with_a_comment(client, editor, moderator, tree):
    agreement = factories.AgreementFactory(title_fr="Entente d’origine", title_en="Original agreement")
    client.force_login(editor)
    client.post(
        snippet_url(Agreement, "edit", agreement.pk),
        encode(agreement_form_data(title_fr="Entente modifiée", title_en="Changed agreement"), submit=True),
    )
    agreement.refresh_from_db()
    assert agreement.current_workflow_task_state is not None

    client.force_login(moderator)
    response = _workflow_action(client, Agreement, agreement, "reject", comment="Titre à revoir")
    assert response.status_code in (200, 302)
    task_state = TaskState.objects.get()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == "Titre à revoir"
    agreement.refresh_from_db()
    assert agreement.title_fr == "Entente d’origine"
    assert agreement.live

    client.logout()
    detail = client.get(agreement.get_url_for_language("fr")).content.decode()
    assert "Entente d’origine" in detail and "Entente modifiée" not in detail


def test_a_page_change_goes_through_moderation(client, editor, moderator, tree):
    page = tree.culture
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        encode(page_form_data(page, title_fr="Culture et arts", title_en="Culture and arts"), submit=True),
    )
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    assert task_state is not None
    assert page.title_fr == "Culture"

    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    assert client.post(url).status_code in (200, 302)
    page.refresh_from_db()
    assert page.title_fr == "Culture et arts"
    assert page.title_en == "Culture and arts"


def test_moderator_can_publish_directly(client, moderator, tree):
    client.force_login(moderator)
    client.post(snippet_url(Event, "add"), encode(event_form_data(), publish=True))
    assert Event.objects.get().live


def test_a_database_migrated_with_the_english_names_gets_the_bilingual_ones():
    """Names are shown as stored, in French and English alike: "Soumettre à Moderation" was what a
    French editor read. A database made before keeps its workflow, renamed."""
    workflow = Workflow.objects.get(name="Validation")
    task = workflow.tasks.get()
    Workflow.objects.filter(pk=workflow.pk).update(name="Moderation")
    type(task).objects.filter(pk=task.pk).update(name="Moderators approval")
    renaming = importlib.import_module("relations.migrations.0011_bilingual_workflow_names")
    renaming.groups_and_workflow.create_groups_and_workflow(global_apps, connection.schema_editor())
    workflow.refresh_from_db()
    task.refresh_from_db()
    assert (workflow.name, task.name) == ("Validation", "Approbation")
    assert Workflow.objects.filter(name__in=["Moderation", "Validation"]).count() == 1

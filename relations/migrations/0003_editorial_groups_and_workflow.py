"""The editorial groups and the "Validation" workflow (issue 4).

Editors create and edit pages, snippets, documents and images and submit them for moderation;
they cannot publish. Moderators can do the same, and approve, reject, publish, unpublish, lock
and unlock. Wagtail's own migrations already made groups named "Editors" and "Moderators" and a
"Moderators approval" workflow on the root page: this migration takes them over and sets their
permissions exactly, so that running it on an existing database gives the same result as on a
fresh one.

The workflow and its task were first named "Moderation" and "Moderators approval", English
words that French editors read in buttons, history and e-mails ("Soumettre à Moderation"). Their
names are stored data, shown as they are in every language: they are now "Validation" and
"Approbation", words of both languages. Existing ones under the old names are renamed (migration
0011 runs this again for databases migrated before).

In a fresh database the permissions Django and Wagtail make after migrating (``post_migrate``)
do not exist yet: they are made here with the same codenames, and the later ``post_migrate``
pass sees them and leaves them alone.
"""

from django.db import migrations

SNIPPET_MODELS = ["agreement", "event", "organization", "keyfigure", "sector"]
MODERATED_MODELS = ["agreement", "event"]  # drafts, moderation, locking

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Validation"
TASK_NAME = "Approbation"
OLD_WORKFLOW_NAME = "Moderation"
WAGTAIL_DEFAULT_NAME = "Moderators approval"  # Wagtail's own workflow and task, and our old task


def _permission(apps, app_label, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {model}"},
    )
    return permission


def create_groups_and_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors, _created = Group.objects.get_or_create(name=EDITORS)
    moderators, _created = Group.objects.get_or_create(name=MODERATORS)

    admin_content_type, _created = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _created = Permission.objects.get_or_create(
        content_type=admin_content_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )

    # Model permissions: snippets. Editors add and change; Moderators also publish (which
    # includes unpublish) and lock/unlock the moderated ones.
    editor_permissions = [access_admin]
    for model in SNIPPET_MODELS:
        editor_permissions += [_permission(apps, "relations", model, action) for action in ("add", "change")]
    moderator_permissions = list(editor_permissions)
    for model in MODERATED_MODELS:
        moderator_permissions += [
            _permission(apps, "relations", model, action) for action in ("publish", "lock", "unlock")
        ]
    editors.permissions.set(editor_permissions)
    moderators.permissions.set(moderator_permissions)

    # Page permissions on the root page (depth 1), which exists even before any home page.
    root = Page.objects.get(depth=1)
    page_actions = {
        editors: ["add", "change"],
        moderators: ["add", "change", "publish", "lock", "unlock"],
    }
    for group, actions in page_actions.items():
        wanted = [_permission(apps, "wagtailcore", "page", action) for action in actions]
        GroupPagePermission.objects.filter(group=group).exclude(page=root, permission__in=wanted).delete()
        for permission in wanted:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)

    # Documents and images: choose and add (an uploader may then edit their own files).
    root_collection = Collection.objects.get(depth=1)
    media_permissions = [
        _permission(apps, app_label, model, action)
        for app_label, model in (("wagtaildocs", "document"), ("wagtailimages", "image"))
        for action in ("add", "choose")
    ]
    for group in (editors, moderators):
        for permission in media_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )

    # The "Validation" workflow: one group-approval task for the Moderators.
    task_content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = (
        GroupApprovalTask.objects.filter(name=TASK_NAME).first()
        or GroupApprovalTask.objects.filter(name=WAGTAIL_DEFAULT_NAME).first()
    )
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_content_type, active=True)
    task.name, task.active = TASK_NAME, True
    task.save(update_fields=["name", "active"])
    task.groups.set([moderators])

    workflow = (
        Workflow.objects.filter(name=WORKFLOW_NAME).first()
        or Workflow.objects.filter(name=OLD_WORKFLOW_NAME).first()
    )
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    workflow.name, workflow.active = WORKFLOW_NAME, True
    workflow.save(update_fields=["name", "active"])
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    # The whole page tree, and agreements and events.
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    for model in MODERATED_MODELS:
        content_type, _created = ContentType.objects.get_or_create(app_label="relations", model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )

    # Wagtail's default "Moderators approval" workflow is now unused: deactivate it.
    for other in Workflow.objects.exclude(pk=workflow.pk).filter(name=WAGTAIL_DEFAULT_NAME, active=True):
        if not other.workflow_pages.exists() and not other.workflow_content_types.exists():
            other.active = False
            other.save(update_fields=["active"])


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0002_page_review_by"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    # Reversing keeps the groups, permissions and workflow: other data may depend on them.
    operations = [migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop)]

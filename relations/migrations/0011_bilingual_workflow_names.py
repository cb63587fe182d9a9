"""The workflow "Moderation" and its task "Moderators approval" become "Validation" and
"Approbation": stored names, shown as they are to French and English editors alike, so words of
both languages (see 0003, whose function does the renaming and is run again here)."""

import importlib

from django.db import migrations

groups_and_workflow = importlib.import_module("relations.migrations.0003_editorial_groups_and_workflow")


class Migration(migrations.Migration):
    dependencies = [("relations", "0010_search_entry")]

    operations = [
        migrations.RunPython(groups_and_workflow.create_groups_and_workflow, migrations.RunPython.noop)
    ]

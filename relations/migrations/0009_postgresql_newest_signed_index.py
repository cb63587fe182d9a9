"""PostgreSQL only: an index in the register's order (``newest_signed_first``).

PostgreSQL sorts NULLs first in a descending order unless told otherwise; the register puts
agreements without a date last (``DESC NULLS LAST``), which no plain index serves: it sorted every
published agreement for each page (2.3 ms at 10,000). SQLite sorts NULLs last in a descending order
already (the index of ``signed_on`` serves it) and does not accept NULLS LAST in an index.
"""

from django.db import migrations

INDEX = "agreement_newest_signed"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON relations_agreement "
            "(signed_on DESC NULLS LAST, ratified_on DESC NULLS LAST, in_force_on DESC NULLS LAST, title_fr)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("relations", "0008_list_indexes")]

    operations = [migrations.RunPython(create, drop)]

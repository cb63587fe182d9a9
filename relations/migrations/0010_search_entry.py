"""The site search's index (``relations.models.search.SearchEntry``): one entry per object and
language, and on PostgreSQL a GIN index on its stored ``tsvector``.

Before it, each search computed the text-search vectors of every agreement, event, organisation
and page on the fly (30,000 rows at the benchmarks' volume: 3.4-4.3 s a search). The entries are
written by ``manage.py update_index`` (run it once after this migration) and kept by Wagtail's
signal handlers on every save and delete.

SQLite has no GIN index: the search matches the entries' folded text there.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

INDEX = "search_entry_vector"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # fastupdate off: a save writes the index at once, where the pending list it would keep
        # otherwise is read in full by every search until a vacuum (11 ms a search after
        # update_index at 10,000 rows, against 0.1 ms).
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON relations_searchentry "
            "USING gin (vector) WITH (fastupdate = off)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("relations", "0009_postgresql_newest_signed_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.PositiveBigIntegerField()),
                ("language", models.CharField(max_length=8)),
                ("kind", models.CharField(max_length=16)),
                ("path", models.CharField(blank=True, default="", max_length=255)),
                ("expire_at", models.DateTimeField(blank=True, null=True)),
                ("title", models.TextField(blank=True, default="")),
                ("body", models.TextField(blank=True, default="")),
                ("vector", django.contrib.postgres.search.SearchVectorField(blank=True, null=True)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_id", "language"), name="search_entry_object_language"
                    )
                ],
            },
        ),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]

"""Text-search configurations for the site search on PostgreSQL (relations/search.py).

``french_unaccent``: a copy of ``french`` whose words go through ``unaccent`` before the French
stemmer, so that ``Quebec`` finds ``Québec`` and ``coreen`` finds ``coréenne``.
``english_unaccent``: the same for English (``Quebec`` finds ``Québec`` in English text too).

On any other database (SQLite for the demo and the tests) this migration does nothing: the
search falls back to accent-insensitive word matching there.
"""

from django.db import migrations

CONFIGS = {"french_unaccent": ("french", "french_stem"), "english_unaccent": ("english", "english_stem")}


def create_configs(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        for name, (source, stemmer) in CONFIGS.items():
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [name])
            if cursor.fetchone():
                continue
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source})")
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} "
                f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}"
            )


def drop_configs(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in CONFIGS:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("relations", "0003_editorial_groups_and_workflow")]

    operations = [migrations.RunPython(create_configs, drop_configs, elidable=False)]

"""Text compared and ordered as a French reader expects, on PostgreSQL and SQLite alike.

``Folded(field)`` is a column's text without accents and in lower case, in SQL: ``lower(unaccent(…))``
on PostgreSQL (the ``unaccent`` extension comes from migration 0004), and ``portal_fold(…)`` on
SQLite, a function registered on each new connection (``register()``, from ``apps.py``) that runs
``fold`` below. ``fold(text)`` does the same in Python, for a search term. Used by the admin's
lists (``wagtail_hooks``): searching "aerospatiale" finds "aérospatiale", and "Économie" sorts
between "Culture" and "Francophonie" instead of after "Z" (SQLite compares code points).
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField


def fold(text):
    """``"Élan Aérospatial"`` → ``"elan aerospatial"``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def _sqlite_fold(value):
    return None if value is None else fold(value)


class Folded(Func):
    function = "portal_fold"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="LOWER(UNACCENT(%(expressions)s))", **extra_context)


def french_order(term):
    """An ``order_by`` term (``"name_fr"``, ``"-title_fr"``) as folded text, then as written
    (so that "Ete" and "Été" keep one order)."""
    name = term.lstrip("-")
    descending = term.startswith("-")
    folded = Folded(name)
    return [folded.desc() if descending else folded.asc(), term]


def _add_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_fold", 1, _sqlite_fold, deterministic=True)


def register():
    connection_created.connect(_add_sqlite_function, dispatch_uid="relations.collation")

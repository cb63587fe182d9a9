"""Shared by the browser tests: the database each one starts from, and the one they leave behind.

Browser tests use pytest-django's ``live_server``, hence real transactions: the database is
flushed after each test, and ``serialized_rollback=True`` (in each module's ``django_db`` mark)
loads the data the migrations made (root page, site, groups, workflow, permissions…) back at the
start of the next one. Three gaps are closed here, for the whole folder:

* the reload collides with content types (and their permissions) made again under other ids
  since the flush — by a transactional test of another folder whose flush re-created them, or by
  a lookup of a model not yet in Django's content type cache (a request the live server was still
  answering). Each reload therefore empties the database first, then forgets the content type
  ids cached in memory; and when the live server, still answering the previous test's last request,
  makes a content type between the flush and the reload, the reload is tried again;
* after the last browser test the saved data is loaded back, for the transactional tests that run
  next and expect the migrations' data without asking for it.
"""

import time

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection


@pytest.fixture(scope="package", autouse=True)
def _database_as_migrated(django_db_setup, django_db_blocker):
    creation_class = type(connection.creation)
    reload = creation_class.deserialize_db_from_string

    def empty_then_reload(self, data):
        for attempt in range(3):
            call_command(
                "flush",
                database=self.connection.alias,
                verbosity=0,
                interactive=False,
                reset_sequences=False,  # as Django's own flush between tests: ids keep growing
                inhibit_post_migrate=True,
            )
            try:
                reload(self, data)  # in one transaction: nothing half-loaded when it fails
                break
            except IntegrityError:
                # The live server (one for the whole session) was still answering the previous
                # test's last request and made a content type between the flush and the reload.
                if attempt == 2:
                    raise
                time.sleep(0.5)
        ContentType.objects.clear_cache()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(creation_class, "deserialize_db_from_string", empty_then_reload)
        yield
        with django_db_blocker.unblock():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)

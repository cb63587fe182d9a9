"""Settings for the test suite: base, plus only what tests need."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"  # noqa: S105 -- tests never run in production
ALLOWED_HOSTS = ["*"]  # the test client and live_server use several host names
# Plain static storage: tests must not need `collectstatic` first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing: thousands of users are not created, but every login hashes.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
    "site": {"BACKEND": "relations.search_index.SiteSearchBackend"},
}
WHITENOISE_USE_FINDERS = True  # tests run without collectstatic
# django-axes counts failed logins and answers 429 once locked; with it on, `client.login()` fails
# (axes needs the request). Tests log in with `force_login`; tests/test_security.py turns axes
# back on to prove the lock.
AXES_ENABLED = False
# The anonymous page cache is process-wide and outlives each test's transaction: a page cached in
# one test would be served in the next. tests/test_cache.py turns it on where it is tested.
PORTAL_PAGE_CACHE_SECONDS = 0
# The purge stamp and the Redis keys (relations/core/caching.py) of this test process alone: test
# processes running side by side (pytest-xdist workers) would otherwise see each other's purges.
# PORTAL_TEST_RUN lets a test start a second process that shares them (tests/test_cache_processes.py).
PORTAL_TEST_RUN = _run = os.environ.get("PORTAL_TEST_RUN") or str(os.getpid())
PORTAL_PAGE_CACHE_STAMP_FILE = os.environ.get("PORTAL_PAGE_CACHE_STAMP_FILE") or str(
    Path(tempfile.gettempdir()) / f"portal-test-{_run}.stamp"
)
for _cache in CACHES.values():  # noqa: F405
    if "KEY_PREFIX" in _cache:
        _cache["KEY_PREFIX"] = f"{_cache['KEY_PREFIX']}-test-{_run}"

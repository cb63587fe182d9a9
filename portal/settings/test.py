"""Settings for the test suite: base, plus only what tests need."""

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
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WHITENOISE_USE_FINDERS = True  # tests run without collectstatic

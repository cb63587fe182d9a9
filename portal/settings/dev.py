"""Local development and `make demo`.

DEBUG is on for `runserver`; `make demo` sets DJANGO_DEBUG=0 so the demo shows what
production shows (static files through WhiteNoise, real error pages).
"""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = os.environ.get("DJANGO_DEBUG", "1") not in ("0", "false", "False", "")
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if DEBUG:
    PORTAL_PAGE_CACHE_SECONDS = 0  # template edits show at once; `make demo` (DEBUG off) caches

"""Settings shared by every environment.

Safe defaults only: DEBUG is off and no secret lives here. ``dev``, ``test`` and
``production`` build on this module; each environment variable is listed in the README.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False

INSTALLED_APPS = [
    # wagtail_modeltranslation must come before the project app (DescendantRegistered otherwise).
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "relations",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compression of what carries no secret (BREACH: relations/core/compression.py), then ETags
    # and 304s for conditional requests: both outside the page cache, so that its hits get them
    # too and it keeps uncompressed bodies. GZip first, so that the ETag is the uncompressed body's.
    "relations.core.compression.PublicGZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous page cache: placed early so that a hit skips the rest (relations/core/middleware.py).
    "relations.core.middleware.PageCacheMiddleware",
    "relations.core.middleware.KeptLookupsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, except that a 404 under /api/ stays a JSON 404.
    "relations.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp with a strict policy for the public site and a looser one for /admin/.
    "relations.core.middleware.PortalCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # django-axes: last, so that it turns a lockout into its 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username + IP
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "relations.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite file beside manage.py unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The threaded server and admin autosave can otherwise hit "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first (the default and required language), English expected,
# Korean optional (for the Seoul office's partners). Each language is named in itself.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("ko", "한국어")]
# The portal's catalogues, then its overrides of Wagtail's French (locale_overrides/fr/…/django.po
# says why): both come before every app's own catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "America/Toronto"  # Québec's zone (Eastern Time)
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]  # Québec French times (19 h 30), Korean dates (2015년 1월 1일)

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
# A visitor never sees an empty page: English falls back to French, Korean to English then French
# (the Seoul office's partners read English more often than French).
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr",), "ko": ("en", "fr")}
MODELTRANSLATION_CUSTOM_FIELDS = ("StreamField", "RichTextField")
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = True
WAGTAILMODELTRANSLATION_LOCALE_PICKER = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Wagtail
WAGTAIL_SITE_NAME = "Québec – Corée du Sud"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The API's absolute URLs (meta.detail_url) from the same address, not from the Site record's
# host name (``localhost`` in the demo); html_url too (relations/api.py).
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAIL_I18N_ENABLED = False  # languages come from django-modeltranslation, not locale trees
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES  # Wagtail's admin has its own Korean catalogue
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# "default": Wagtail's index, for the admin's search. "site": the site search's own index, one entry
# per object and language (relations/search_index.py), kept by the same signals and update_index.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
    "site": {"BACKEND": "relations.search_index.SiteSearchBackend"},
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no call to another host
WAGTAIL_ENABLE_UPDATE_CHECK = False
# ASCII slugs, accents folded (« Québec–Séoul » → quebec-seoul), as relations/core/slugs.py makes them.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "csv", "txt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# Read-only API (/api/v2/): at most this many items a request (?limit=).
WAGTAILAPI_LIMIT_MAX = 100
# The domain part of the Atom ids and iCalendar UIDs of feeds: fixed, so that feed readers and
# calendars keep recognising items whatever host name serves them. Never change it once public.
PORTAL_UID_DOMAIN = "quebec-coree.portal"

# Key figures older than this many years show "may be outdated" to visitors.
PORTAL_FIGURE_MAX_AGE_YEARS = int(os.environ.get("PORTAL_FIGURE_MAX_AGE_YEARS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --------------------------------------------------------------------------------------
# Security shared by every environment (production.py adds HTTPS, HSTS and secure cookies)
# --------------------------------------------------------------------------------------

# Content-Security-Policy (django-csp 4). Public pages: scripts from this origin or carrying the
# request's nonce (`<script nonce="{{ request.csp_nonce }}">`), styles from this origin only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],  # as X-Frame-Options: DENY; previews get the admin's policy
    },
}
# The Wagtail admin (and page/snippet previews, `request.is_dummy`) cannot be strict:
# wagtail-modeltranslation and the date widgets emit inline scripts, the rich-text editor inline
# styles. No nonce here: a nonce would make browsers ignore 'unsafe-inline'.
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
PORTAL_ADMIN_PATH_PREFIXES = ("/admin/",)

# django-axes on the Wagtail login: 5 failures for one username from one address lock that pair
# for 15 minutes (a timed cool-off, not axes' permanent IP-only default); the lock answers 429.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "relations.security.client_ip"
# Proxies in front of gunicorn that append to X-Forwarded-For (0: use REMOTE_ADDR).
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Uploads: no SVG images (scripts inside); documents downloaded as attachments except PDF.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # request bodies without files (admin forms)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000  # long StreamField forms exceed Django's 1,000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads go to a temporary file
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Wagtail sets no limit on documents; signed agreements scanned to PDF stay well under this.
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]

# --------------------------------------------------------------------------------------
# Caching
# --------------------------------------------------------------------------------------

# Local memory by default (one cache per process); Redis when REDIS_URL is set, shared by every
# worker and every web container, so that one publish purges the page cache everywhere.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "portal"},
        "pages": {**_redis, "KEY_PREFIX": "portal-pages"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal-pages",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# Anonymous pages are kept this long in the page cache and by a CDN (s-maxage); publishing purges
# them. Browsers keep them PAGE_CACHE_BROWSER_SECONDS (they cannot be purged). 0 turns caching off.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PORTAL_PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
PORTAL_PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/healthz", "/static/", "/media/")

# CDN purges on publish (wagtail.contrib.frontend_cache): off unless the environment names a
# cache. FRONTEND_CACHE_PURGE_URL: an HTTP cache (Varnish, nginx) that accepts PURGE requests;
# CLOUDFLARE_ZONE_ID + CLOUDFLARE_BEARER_TOKEN: Cloudflare.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ.get("FRONTEND_CACHE_PURGE_URL"),
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ.get("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN"),
    }

# --------------------------------------------------------------------------------------
# E-mail alerts (relations/alerts/): Django's Tasks API through the django-tasks backport, with
# its database backend (the queue is a table; `manage.py db_worker` runs it). Mail leaves through
# Django's EMAIL_* settings; docs/alerts.md tells what each limit is for.
# --------------------------------------------------------------------------------------
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
# Wagtail's own tasks (search index, reference index) stay on the default backend, which runs them
# at once as before; the alerts have their own, kept in the database for `db_worker --backend alerts`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "alerts": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") in ("1", "true", "True")
EMAIL_TIMEOUT = 30
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", WAGTAILADMIN_BASE_URL)
PORTAL_ALERTS_FROM_EMAIL = os.environ.get("ALERTS_FROM_EMAIL", "alertes@quebec-coree.portal")
PORTAL_ALERTS_CONFIRM_MAX_AGE = 48 * 3600  # seconds a confirmation link stays valid
PORTAL_ALERTS_UNCONFIRMED_DAYS = 7  # unconfirmed sign-ups are then deleted
PORTAL_ALERTS_UNSUBSCRIBED_DAYS = 30  # an address that left every alert is then deleted
PORTAL_ALERTS_DELIVERY_DAYS = 90  # the record of what was sent to whom
PORTAL_ALERTS_DIGEST_HOUR = 7  # local time (TIME_ZONE) of the daily and weekly (Monday) digests
PORTAL_ALERTS_MAX_RATE = float(os.environ.get("ALERTS_MAX_RATE", "20"))  # mails a second a worker
PORTAL_ALERTS_CLAIM_SECONDS = int(os.environ.get("ALERTS_CLAIM_SECONDS", "300"))  # then a claim is stale
PORTAL_ALERTS_RETRY_SECONDS = 60  # first back-off after a temporary failure; doubles each time
PORTAL_ALERTS_MAX_ATTEMPTS = 8
PORTAL_ALERTS_MAX_PERMANENT_FAILURES = 3  # in a row: then the address is suspended
PORTAL_ALERTS_SIGNUP_PER_ADDRESS = 3  # confirmation mails a day to one address
PORTAL_ALERTS_SIGNUP_PER_CLIENT = 10  # sign-ups an hour from one client

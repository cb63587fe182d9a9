"""Production settings pass Django's deployment checklist and send the security headers.

Each test runs Django in a subprocess with ``portal.settings.production`` and the environment a
deployment sets (settings are read once per process).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SECRET = "k3J9-x2Lq_8vPz0WmRt5yHn7BcDf4GsAe6UiOo1Xw3Za-9QeRtY7uIoPlKjHg"  # 50+ characters


def production_env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "SECURE_SSL_REDIRECT", "PAGE_CACHE_SECONDS")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "portal.example",
            "WAGTAILADMIN_BASE_URL": "https://portal.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run(  # noqa: S603 -- this interpreter and fixed arguments
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_check_deploy_passes_at_warning_level(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "HSTS": s.SECURE_HSTS_SECONDS, "subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "session_secure": s.SESSION_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "nosniff": s.SECURE_CONTENT_TYPE_NOSNIFF, "referrer": s.SECURE_REFERRER_POLICY,
    "xframe": s.X_FRAME_OPTIONS, "debug": s.DEBUG, "admin_base": s.WAGTAILADMIN_BASE_URL,
    "axes": s.AXES_ENABLED, "cache": s.CACHES["pages"]["BACKEND"],
    "frontend_cache": s.WAGTAILFRONTENDCACHE,
    "middleware": s.MIDDLEWARE,
}))
"""


def probe(env):
    result = run([sys.executable, "-c", SETTINGS_PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_values(tmp_path):
    values = probe(production_env(tmp_path))
    assert values["HSTS"] >= 365 * 24 * 3600
    assert values["subdomains"] is True
    assert values["ssl_redirect"] is True
    assert values["session_secure"] and values["session_httponly"] and values["csrf_secure"]
    assert values["nosniff"] is True
    assert values["referrer"] == "strict-origin-when-cross-origin"
    assert values["xframe"] == "DENY"
    assert values["debug"] is False
    assert values["admin_base"] == "https://portal.example"
    assert values["axes"] is True
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["frontend_cache"] == {}  # CDN purges are off unless the environment names one


def test_redis_and_a_cdn_come_from_the_environment(tmp_path):
    values = probe(
        production_env(
            tmp_path,
            REDIS_URL="redis://cache:6379/0",
            FRONTEND_CACHE_PURGE_URL="http://varnish:6081",
        )
    )
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["frontend_cache"]["http"]["LOCATION"] == "http://varnish:6081"


HEADERS_PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.test import Client
client = Client(HTTP_HOST="portal.example")
plain = client.get("/healthz")
secure = client.get("/healthz", secure=True)
print(json.dumps({
    "plain": plain.status_code,
    "redirect": client.get("/fr/").status_code,
    "secure": secure.status_code,
    "headers": dict(secure.headers),
}))
"""


def test_security_headers_on_a_production_response(tmp_path):
    result = run([sys.executable, "-c", HEADERS_PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["plain"] == 200  # /healthz is exempt from the HTTPS redirect (load balancers)
    assert values["redirect"] == 301  # every other plain-HTTP request goes to HTTPS
    headers = values["headers"]
    assert values["secure"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL"])
def test_missing_secrets_stop_start_up(tmp_path, missing):
    env = production_env(tmp_path)
    env.pop(missing)
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production" in result.stderr


# --------------------------------------------------------------------------------------
# docker-compose.yml and docs/deployment.md
# --------------------------------------------------------------------------------------


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_a_shared_redis_cache():
    services = compose()["services"]
    assert services["cache"]["image"].startswith("redis:7")
    assert "redis-cli" in " ".join(services["cache"]["healthcheck"]["test"])
    web = services["web"]
    assert web["environment"]["REDIS_URL"] == "redis://cache:6379/0"
    assert web["depends_on"]["cache"]["condition"] == "service_healthy"

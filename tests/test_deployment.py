"""The compose file, the Dockerfile and the settings agree; production fails fast without its secrets."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "portal" / "settings"


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose_default(value):
    """``${NAME:-1}`` → ``"1"``: what compose gives when the environment does not set NAME."""
    default = re.fullmatch(r"\$\{\w+:-([^}]*)\}", str(value))
    return default.group(1) if default else str(value)


def compose_trusted_proxy_count():
    """The web service's TRUSTED_PROXY_COUNT as docker-compose.yml sets it by default."""
    return int(compose_default(compose()["services"]["web"]["environment"].get("TRUSTED_PROXY_COUNT", "0")))


def variables_read_by(path):
    text = path.read_text()
    names = set(re.findall(r"""(?:environ\.get|environ\[|required|env_list)\(\s*["']([A-Z_]+)["']""", text))
    names |= set(re.findall(r"""environ\[["']([A-Z_]+)["']\]""", text))
    return names


def test_compose_has_database_migration_and_web_services():
    services = compose()["services"]
    assert set(services) >= {"db", "migrate", "web"}
    assert services["db"]["image"] == "postgres:16"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])


def test_web_starts_only_once_the_database_is_healthy_and_migrations_ran():
    depends = compose()["services"]["web"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert compose()["services"]["migrate"]["command"][-2:] == ["migrate", "--noinput"]


def test_one_scheduler_publishes_what_editors_scheduled():
    services = compose()["services"]
    commands = {name: str(service.get("command", "")) for name, service in services.items()}
    # manage.py scheduler runs publish_scheduled every minute (and the alerts' due mails).
    runs_it = [name for name, command in commands.items() if "'scheduler'" in command]
    assert runs_it == ["scheduler"]
    scheduler = services["scheduler"]
    assert scheduler["environment"] == services["web"]["environment"]
    assert scheduler["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "replicas" not in str(scheduler.get("deploy", ""))


def test_media_lives_on_a_volume():
    web = compose()["services"]["web"]
    assert any(volume.endswith(":/app/media") for volume in web["volumes"])
    assert web["environment"]["MEDIA_ROOT"] == "/app/media"


def test_compose_environment_matches_what_the_settings_read():
    web_env = set(compose()["services"]["web"]["environment"])
    read = variables_read_by(SETTINGS / "base.py") | variables_read_by(SETTINGS / "production.py")
    required = set(re.findall(r'required\("([A-Z_]+)"\)', (SETTINGS / "production.py").read_text()))
    assert required <= web_env, f"compose misses required variables {required - web_env}"
    unknown = web_env - read - {"DJANGO_SETTINGS_MODULE"}
    assert not unknown, f"compose sets variables no setting reads: {unknown}"
    settings_module = compose()["services"]["web"]["environment"]["DJANGO_SETTINGS_MODULE"]
    assert settings_module == "portal.settings.production"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL"])
def test_production_settings_fail_fast_with_a_clear_message(missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portal.example",
        "WAGTAILADMIN_BASE_URL": "https://portal.example",
    }
    env.pop(missing)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_dockerfile_runs_gunicorn_with_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in dockerfile
    assert "gunicorn portal.wsgi:application" in dockerfile
    assert "collectstatic" in dockerfile


def test_visitors_reach_the_web_only_through_the_tls_proxy():
    services = compose()["services"]
    published = sorted(
        name
        for name, service in services.items()
        if service.get("ports") and "demo" not in service.get("profiles", ())
    )
    assert published == ["proxy"]
    # The demo's mail catcher, only with --profile demo, answers on loopback alone.
    assert services["mail"]["ports"] == ["127.0.0.1:8025:8025"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy {$PORTAL_UPSTREAM:web:8000}" in caddyfile  # one proxy, straight to web


def test_the_web_trusts_the_one_proxy_in_front_of_it():
    """One proxy appends to X-Forwarded-For (tests/test_proxy.py runs it): the count is 1."""
    assert compose_trusted_proxy_count() == 1
    env = compose()["services"]["web"]["environment"]
    # Behind TLS: the links Wagtail and the CSRF check use are https.
    assert compose_default(env["WAGTAILADMIN_BASE_URL"]).startswith("https://")
    assert compose_default(env["CSRF_TRUSTED_ORIGINS"]).startswith("https://")


def test_the_proxy_serves_the_media_volume_read_only():
    services = compose()["services"]
    media = [volume for volume in services["proxy"]["volumes"] if volume.startswith("media:")]
    assert media == ["media:/srv/media:ro"]
    assert "media:/app/media" in services["web"]["volumes"]

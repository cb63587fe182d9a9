# The portal's everyday commands. `make demo` and `make test` are the two set-up commands.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
# The address links in e-mails, the login hint and the API's URLs use: the demo's own port.
WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
DEMO_ENV := DJANGO_SETTINGS_MODULE=portal.settings.dev DJANGO_DEBUG=0 WAGTAILADMIN_BASE_URL=$(WAGTAILADMIN_BASE_URL)

.PHONY: install demo test lint format messages run clean backup restore

# Creates the virtualenv with the machine's python3 if missing, installs what is not installed yet.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Migrates (SQLite unless DATABASE_URL is set), loads the demo content, creates the demo
# accounts and serves with DEBUG off through gunicorn + WhiteNoise, as production does; beside it the
# task worker (e-mail alerts, printed by the console mail backend) and the scheduler (scheduled
# publishing, digests).
demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py demo_users
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on $(WAGTAILADMIN_BASE_URL)/ (Ctrl-C to stop), with the task worker and the scheduler"
	$(DEMO_ENV) $(PY) manage.py db_worker --backend alerts --no-reload & worker=$$!; \
	$(DEMO_ENV) $(PY) manage.py scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) -m gunicorn portal.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL is set; one worker per core.
PYTEST_ARGS ?= -n auto --dist loadscope
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Refreshes the interface translations after a template or label change.
messages: install
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

# Database (pg_dump, or dumpdata on SQLite) and media into backups/<date-time>/ (git-ignored);
# `make restore` puts back the newest one, or BACKUP=backups/<folder>; it asks first, unless
# YES=1 (needed without a terminal: scripts, CI). See docs/deployment.md.
backup: install
	$(PY) manage.py backup

restore: install
	$(PY) manage.py restore $(BACKUP) $(if $(YES),--yes)

run: install
	WAGTAILADMIN_BASE_URL=$(WAGTAILADMIN_BASE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache

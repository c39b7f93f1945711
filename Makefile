# Civsam: `make run` serves a demo site on http://127.0.0.1:8000, `make test` is the fast edit–test
# loop, `make test-all` the whole suite but the browser tests, `make lint` and `make typecheck` the checks.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# The targets here are for development: debug on, with a local key made under var/. Production
# leaves DJANGO_DEBUG unset and sets DJANGO_SECRET_KEY (docs/operations.md). `make run` is the
# exception: see below.
export DJANGO_DEBUG ?= 1

.PHONY: run test test-all test-postgres e2e ci lint typecheck messages openapi bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

# The demo serves as production does, debug off: Civsam's own 404 and 403 pages, static files
# collected and served by WhiteNoise. Only what a machine without HTTPS needs differs: plain HTTP,
# a key kept under var/, and staff reminded of the second factor instead of sent to set one up.
# `make run DEBUG=1` serves with Django's debug pages instead.
DEBUG ?=
run: export DJANGO_DEBUG = $(DEBUG)
run: export DJANGO_SECURE_HTTPS = 0
run: export CIVSAM_BASE_URL = http://127.0.0.1:8000
run: export CIVSAM_DEMO = 1
run: export CIVSAM_STAFF_MFA_REMIND_ONLY = 1
run: export CIVSAM_LOG_FORMAT = text
run: $(VENV)/.installed var/demo-secret-key
	@export DJANGO_SECRET_KEY="$$(cat var/demo-secret-key)"; set -e; \
	$(PY) manage.py migrate --noinput -v0; \
	$(PY) manage.py load_reference_data; \
	$(PY) manage.py load_demo_data; \
	$(PY) manage.py load_demo_meetings; \
	$(PY) manage.py load_demo_followup; \
	$(PY) manage.py load_financial_proxies; \
	$(PY) manage.py load_demo_analyses; \
	$(PY) manage.py load_demo_funding; \
	$(PY) manage.py load_demo_agreements; \
	$(PY) manage.py load_demo_market; \
	$(PY) manage.py load_demo_statistics; \
	$(PY) manage.py collectstatic --noinput -v0; \
	echo "Civsam körs på http://127.0.0.1:8000  (demo logins above; Ctrl-C to stop)"; \
	: "The background worker (report PDFs, docs/adr/0049-*) runs beside the server and stops with it."; \
	$(PY) manage.py db_worker -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The demo's secret key, made once: sessions survive a restart, and no key is written in the code.
var/demo-secret-key: | $(VENV)/.installed
	@mkdir -p var
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

# The edit–test loop: SQLite, without the browser tests, the slow ones (PDFs, concurrency, large
# property tests) and those that only bite on PostgreSQL. CI runs all of them.
test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	DATABASE_URL= $(PY) -m pytest -n 2 -m "not e2e and not slow and not postgres" $(PYTEST_ARGS)

# Everything but the browser tests, on SQLite: the `postgres` tests are listed as skipped. The slow
# e-ID tests start the npm OpenID Provider (tests/oidc), hence node_modules.
test-all: $(VENV)/.installed-dev node_modules/.installed
	DATABASE_URL= $(PY) -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

# Everything but the browser tests, on PostgreSQL; CIVSAM_REQUIRE_POSTGRES stops the run at once if
# it found itself on another database, so the `postgres` tests can never be skipped here.
test-postgres: $(VENV)/.installed-dev node_modules/.installed
	CIVSAM_REQUIRE_POSTGRES=1 DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

e2e: $(VENV)/.installed-dev node_modules/.installed
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	CIVSAM_E2E_REQUIRED=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# ruff, the import contracts of pyproject.toml (the layers, ADR 0055) and migrations in step with the models.
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# mypy with django-stubs over the modules listed in pyproject.toml ([tool.mypy] files).
typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

ci:
	bash .ci/run

messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=bench
	$(PY) manage.py compilemessages -l en --ignore=.venv

openapi: $(VENV)/.installed
	$(PY) manage.py export_openapi docs/openapi.json

bench: $(VENV)/.installed-dev
	$(PY) bench/registry_bench.py
	$(PY) bench/plan_bench.py

clean:
	rm -rf $(VENV) var node_modules staticfiles

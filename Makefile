# Civsam: `make run` serves a demo site on http://127.0.0.1:8000, `make test` runs the test suite.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres e2e ci lint messages openapi bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data
	$(PY) manage.py load_demo_meetings
	$(PY) manage.py load_demo_followup
	$(PY) manage.py load_financial_proxies
	@echo "Civsam körs på http://127.0.0.1:8000  (demo logins above; Ctrl-C to stop)"
	@# The background worker (report PDFs, docs/adr/0049-*) runs beside the server and stops with it.
	$(PY) manage.py db_worker -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

e2e: $(VENV)/.installed-dev node_modules/.installed
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	CIVSAM_E2E_REQUIRED=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

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

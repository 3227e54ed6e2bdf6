# Two commands do everything: `make run` (demo on SQLite) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.belfaa-synced
# Tests and lint load the settings with DEBUG off, which needs some secret.
TEST_ENV := SECRET_KEY=test-only-not-a-secret

.PHONY: help venv messages run test lint worker serve bench clean

help:
	@echo "make run     set up, load the demo and serve it at http://127.0.0.1:8000 (SQLite)"
	@echo "make test    set up, lint, check migrations and run the test suite"
	@echo "make lint    ruff (check + format) and mypy"
	@echo "make worker  Celery worker and beat against REDIS_URL"
	@echo "make serve   gunicorn with production-like settings"
	@echo "make bench   wrk load on the public pages against a bare view (see README)"

$(STAMP): pyproject.toml uv.lock scripts/bootstrap scripts/find-python
	scripts/bootstrap
	@touch $@

venv: $(STAMP)

messages: venv
	$(PY) scripts/compile_messages.py

run: venv messages
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo
	@echo "Public site:  http://127.0.0.1:8000/ar/   (also /fr/ and /en/)"
	@echo "Admin:        http://127.0.0.1:8000/ar/admin/"
	@echo "Health:       http://127.0.0.1:8000/healthz"
	@echo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(VENV)/bin/mypy .

test: lint messages
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest

worker: venv
	@test -n "$$REDIS_URL" || { echo "error: set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for a worker"; exit 2; }
	$(VENV)/bin/celery -A belfaa worker --beat --loglevel=info

serve: venv messages
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn belfaa.wsgi --workers 2 --bind 127.0.0.1:8000 --access-logfile -

bench: venv messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var/static .mypy_cache .ruff_cache .pytest_cache

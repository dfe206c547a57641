# Two commands for a newcomer: `make run` (portal with demo data) and `make test` (whole suite).
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

# Local overrides (see .env.example); the environment still wins over the file.
-include .env
export

.PHONY: run test lint messages serve migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps: pip runs again only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: export DJANGO_DEBUG ?= 1
# Links in e-mail and the reports' verification address point at the server `make run` starts.
run: export PORTAL_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py make_demo_certificate
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: export DJANGO_SETTINGS_MODULE = egov_portal.test_settings
test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check_translations
	$(BIN)/python -m pytest

# Extract new strings into the English catalogue and compile it.
messages: export DJANGO_DEBUG ?= 1
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages --locale en --ignore tests --ignore staticfiles --ignore .venv --ignore .ci-venv --no-obsolete
	$(BIN)/python manage.py compilemessages --locale en --ignore .venv --ignore .ci-venv

clean:
	rm -rf $(VENV) .ci-venv staticfiles .pytest_cache .ruff_cache

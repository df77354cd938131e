# Bianmin — `make run` serves the demo district; `make test` runs lint and the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: CJK fonts (PDF, screenshots), WeasyPrint's libraries, chromium for browser tests, pdftoppm.
DEB_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium poppler-utils gettext

.PHONY: run test deps venv install migrate seed serve worker lint format test-py test-e2e messages bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip setuptools wheel

venv: $(PY)

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0

migrate: install messages
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

run: deps seed
	$(PY) manage.py collectstatic --noinput -v 0
	@echo "Serving on http://$(HOST):$(PORT)/  (demo accounts: see README.md; password bianmin-demo)"
	@$(PY) manage.py run_huey --quiet & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --preload --access-logfile - --log-level warning

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: deps install messages lint
	$(BIN)/pytest -q

test-py: install messages
	$(BIN)/pytest -q -m "not e2e"

bench: install messages
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) var

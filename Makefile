# Bianmin — `make run` serves the demo district; `make test` runs lint and the whole suite.
# Needs only python3 (3.11+), make and apt-get on Debian 12; `make deps` installs the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
VAR_DIR := $(or $(BIANMIN_VAR_DIR),var)
STATIC_ROOT := $(or $(BIANMIN_STATIC_ROOT),$(VAR_DIR)/staticfiles)
# Debian packages: venv support, CJK fonts (PDF, screenshots), WeasyPrint's libraries, chromium for the
# browser tests, pdftoppm (poppler-utils), msgfmt (gettext). wrk only for `make bench`.
DEB_PACKAGES := python3-venv fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	chromium poppler-utils gettext
DEB_BENCH_PACKAGES := wrk
STATIC_SOURCES := $(shell find bianmin -path '*/static/*' -type f 2>/dev/null)

.PHONY: run test deps deps-bench venv install messages migrate seed static serve lint format test-py bench clean

# Install missing Debian packages when root (apt-get update only when the package lists lack them);
# otherwise print the exact command and stop (or, given a second argument, print it and go on).
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq --no-install-recommends$$missing \
	      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends$$missing; }; \
	  else \
	    echo "Missing Debian packages. Run as root:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$$missing"; \
	    $(if $(2),echo "$(2)",exit 1); \
	  fi; \
	fi
endef

deps:
	$(call apt_install,$(DEB_PACKAGES))

deps-bench:
	$(call apt_install,$(DEB_BENCH_PACKAGES),Without wrk the benchmarks use the slower Python load generator.)

$(PY):
	$(PYTHON) -m venv $(VENV) || { echo "'$(PYTHON) -m venv' failed: run 'make deps' (python3-venv) first"; exit 1; }

venv: $(PY)

# Reinstall only when pyproject.toml changes; every version there is pinned.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0

migrate: install messages
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

# whitenoise compresses every file (about a minute): only when a static source or a package changed.
$(STATIC_ROOT)/staticfiles.json: $(STATIC_SOURCES) $(VENV)/.installed
	$(PY) manage.py collectstatic --noinput -v 0
	touch $@

static: $(STATIC_ROOT)/staticfiles.json

# gunicorn (config/gunicorn.conf.py: 2 sync workers, preload) + one huey consumer; Ctrl-C stops both.
serve: static
	@echo "Serving on http://$(HOST):$(PORT)/  (demo accounts in README.md, password bianmin-demo; Ctrl-C stops)"
	@$(PY) manage.py run_huey & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi:application -c config/gunicorn.conf.py --bind $(HOST):$(PORT) \
	  --access-logfile -

run: deps seed
	@$(MAKE) --no-print-directory serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: deps install messages lint
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-py: install messages
	$(BIN)/pytest -q -m "not e2e" $(PYTEST_ARGS)

bench: deps-bench install messages
	$(PY) -m bench.run $(BENCH)

clean:
	rm -rf $(VENV) var bench/out

# The two commands that matter: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | sha1sum | cut -c1-12)

.PHONY: help run test setup lint format check bench messages browser node clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

run: setup ## Set up and start the site with demo content on 127.0.0.1:$(PORT), plus a task worker
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py ensure_demo_learner
	$(PY) manage.py run_site --port $(PORT)

test: $(STAMP) messages browser node ## Install what the tests need and run the whole suite
	DJANGO_SETTINGS_MODULE=cms.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

setup: $(STAMP) messages ## Create .venv, install, compile translations and migrate
	$(PY) manage.py migrate --no-input

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

messages: $(STAMP) ## Compile the translation catalogues in locale/
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory gettext
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

gettext:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	else echo "Please install GNU gettext (msgfmt), e.g. 'sudo apt-get install gettext'"; exit 1; fi

browser: ## Make sure Debian's Chromium is installed for the browser tests
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Chromium from Debian..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: run 'sudo apt-get install chromium'"; exit 1; fi; }

node: node_modules/.package-lock.json ## Install axe-core (npm) for the accessibility scans

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

lint: $(STAMP) ## Check code style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP) ## Format code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(STAMP) ## Django system checks and missing migrations
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

makemessages: $(STAMP) ## Extract translatable strings into locale/
	$(PY) manage.py makemessages --ignore=.venv --ignore=node_modules --ignore=tests -l nb -l nn -l en -l sv -l da

# The benchmarks themselves; the other files in benchmarks/ are their setup and helpers.
BENCHMARKS := serve_home quiz_submit group_session certificates transcode

bench: $(STAMP) ## Run the benchmarks in benchmarks/
	for name in $(BENCHMARKS); do $(PY) benchmarks/$$name.py || exit 1; done

clean: ## Remove the local database, media and caches (keeps .venv)
	rm -rf var static_collected .pytest_cache

# Puente: `make run` serves on SQLite with zero configuration; `make test` runs every test.
# `run`, `demo` and `install` need Python 3.11+ and make only; `test`, `lint` and `lint-js` use
# npm too (ESLint and the browser modules' Node tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev vendor wheel translations extract-messages lint lint-js bench demo clean

run: install
	$(BIN)/puente db upgrade
	$(BIN)/puente serve --host $(HOST) --port $(PORT)

# Test files are shared out between TEST_WORKERS processes (pytest-xdist; `auto` is one per
# CPU); `make test TEST_WORKERS=0` runs them in this process, one after another.
TEST_WORKERS ?= auto

test: install-dev lint-js
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Loads the demo and prints its links; it starts no server (`make run HOST=... PORT=...` does).
demo: install
	$(BIN)/puente db upgrade
	$(BIN)/puente demo --base-url "$${BASE_URL:-http://$(HOST):$(PORT)}"

install: $(VENV)/.installed vendor translations

install-dev: $(VENV)/.installed-dev vendor translations

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Puente needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The front-end libraries package-lock.json pins, fetched from the npm registry and checked
# against its integrity by Python alone (scripts/vendor.py): no Node.js to run Puente.
vendor: static/vendor/.vendored

static/vendor/.vendored: package-lock.json scripts/vendor.py | $(BIN)/python
	$(BIN)/python scripts/vendor.py

# dist/puente-VERSION-py3-none-any.whl: templates, static files (vendored libraries included),
# migrations and compiled catalogues inside (build_hooks.py). `pip install` it anywhere.
wheel: $(VENV)/.installed-dev vendor
	rm -rf build
	$(BIN)/python -m build --wheel --outdir dist

translations: $(BIN)/python
	$(BIN)/pybabel compile --statistics -d webapp/translations

# Re-extract marked strings and merge them into the es and zh_Hans catalogues.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location \
		--sort-output -o webapp/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i webapp/translations/messages.pot -d webapp/translations

lint: install-dev lint-js
	$(BIN)/ruff check .

# The browser modules and their Node tests (eslint.config.mjs); eslint comes from `npm ci`.
lint-js: node_modules/.package-lock.json
	npx --no-install eslint static/js tests/js bench eslint.config.mjs

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules static/vendor build dist

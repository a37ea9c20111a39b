# The commands people type. `make run` starts the demo; `make test` runs the whole suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: install run test test-fast screenshots lint bench browser-deps clean

install: $(VENV)/.installed

# uv installs the same packages from PyPI in a fraction of pip's time (docs/performance.md,
# "First start"); pip does it alone when uv cannot be had. uv reads no pip.conf: the constraint
# files pip is configured with are handed to it. Bytecode is compiled for what the server runs
# (Jinlin's own dependencies), not for the dev tools: compiling those too added 7-10 s to every
# install, while with none compiled (and PYTHONDONTWRITEBYTECODE set, as on our machines) every
# server process compiled Django again at every start.
INSTALL_PACKAGES = install_with() { \
	  if $(BIN)/pip install --quiet uv; then \
	    constraints=""; for file in $$($(BIN)/pip config list | sed -n "s/^[^=]*\.constraint='\(.*\)'$$/\1/p"); do \
	      [ -f "$$file" ] && constraints="$$constraints --constraint $$file"; done; \
	    uv="$(BIN)/uv pip install --quiet --python $(BIN)/python $$constraints"; \
	    $$uv --compile-bytecode -e . && $$uv "$$@" && return; \
	  fi; \
	  $(BIN)/pip install --quiet --upgrade pip && $(BIN)/pip install --quiet "$$@"; \
	}; install_with

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(INSTALL_PACKAGES) -e '.[dev]'
	touch $@

## Start Jinlin on SQLite (./var) with demo data; prints the address and demo accounts.
run: install
	$(BIN)/jinlin serve --demo

## Whole suite (unit, API, browser) in parallel; DATABASE_URL picks PostgreSQL.
test: install browser-deps
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

## The browser tests, writing their screenshots to docs/screenshots/ (the README's pictures).
screenshots: install browser-deps
	JINLIN_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -n 2 --dist loadfile -m browser $(PYTEST_ARGS)

## Everything but the browser tests.
test-fast: install
	$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

## Debian's chromium and CJK fonts for the browser tests (installed when missing and root).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "browser tests need: sudo apt-get install chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0"; fi; \
	fi

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	@if grep -rnE 'type: ignore(\[[^]]*\])? *$$' --include='*.py' --exclude-dir=migrations src/jinlin; then \
	  echo 'each type: ignore says why in a comment after it'; exit 1; fi
	$(BIN)/jinlin makemigrations --check --dry-run

## Every bench/ script in its quick form (the _helpers are not scripts); load.py needs locust.
bench: install $(VENV)/.installed-load
	for script in bench/[!_]*.py; do $(BIN)/python $$script --quick || exit 1; done

$(VENV)/.installed-load: $(VENV)/.installed pyproject.toml
	$(INSTALL_PACKAGES) -e '.[dev,load]'
	touch $@

clean:
	rm -rf $(VENV) var

# The two commands the README starts with: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

LINT_DIR := tools/cypher-lint

.PHONY: help setup cypher-lint-setup test-deps run load serve test check lint format bench loadtest clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(STAMP)  ## create .venv and install the project with its dev tools

$(LINT_DIR)/node_modules/.installed-stamp: $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	cd $(LINT_DIR) && npm ci
	@touch $@

cypher-lint-setup: $(LINT_DIR)/node_modules/.installed-stamp  ## install Neo4j's Cypher parser for the suite (needs node and npm)

load: setup  ## load the bundled dataset into the embedded graph file
	$(BIN)/gcx load

run: load  ## set up, load the bundled dataset, and run the explorer (prints its URL)
	$(BIN)/gcx serve --host $(HOST) --port $(PORT)

lint: setup  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint  ## lint, format check and mypy --strict
	$(BIN)/mypy

test-deps:  ## Neo4j's Cypher parser where node and npm exist (its tests skip, with the reason, where not)
	@if command -v npm >/dev/null && command -v node >/dev/null; then \
	  $(MAKE) --no-print-directory cypher-lint-setup; \
	else \
	  echo "node/npm not found: the Neo4j-parser tests will skip (Debian: apt-get install nodejs npm)"; \
	fi

test: check test-deps  ## set up and run the whole test suite (lint, types, unit, browser, notebooks, Neo4j parser)
	$(BIN)/pytest

bench: setup  ## measure load, snapshot, row-by-row, API and pyvis paths; table + bench/results/latest.json
	$(BIN)/python -m bench.run

loadtest: setup  ## wrk against gunicorn (30 s, 32 connections), then again while `gcx load` swaps data
	$(BIN)/python -m bench.loadtest

clean:  ## remove the virtual environment, databases and caches
	rm -rf $(VENV) var test-artifacts .mypy_cache .ruff_cache .pytest_cache $(LINT_DIR)/node_modules

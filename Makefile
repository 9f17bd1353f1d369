# Two commands do everything on a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
export SLIVERS_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test venv assets browser lint typecheck bench clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## Migrate, seed the demo, then serve http://127.0.0.1:8000 and run the scheduler together (Procfile; Ctrl-C stops both)
run: venv assets
	BIN="$(CURDIR)/$(BIN)" sh scripts/run.sh

## The whole suite: lint, types, unit, integration (SQLite and PostgreSQL) and browser tests
test: venv assets browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/slivers
	$(BIN)/lint-imports
	# One worker per core, at most four (each starts its own PostgreSQL cluster and test server).
	$(BIN)/pytest -q --numprocesses=auto --maxprocesses=4

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: venv
	$(BIN)/mypy src/slivers

## Benchmarks: numbers go to docs/benchmarks.md
bench: venv
	$(BIN)/python bench/candidates.py
	$(BIN)/python bench/scheduling.py

## Front-end files from the npm registry (htmx for pages, axe-core for the accessibility tests)
assets: venv node_modules/.package-lock.json
	$(BIN)/python scripts/vendor_assets.py

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## Debian's Chromium for the browser tests (installed with apt-get when missing and we are root)
browser:
	sh scripts/ensure-chromium.sh

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache test-artifacts

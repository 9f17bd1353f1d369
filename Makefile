# Two commands do everything on a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
export SLIVERS_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test venv assets lint typecheck bench clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## Serve the embedded default (SQLite, ledger payments) with demo data on http://127.0.0.1:8000
run: venv assets
	$(BIN)/slivers db upgrade
	$(BIN)/slivers demo
	$(BIN)/slivers serve --host 127.0.0.1 --port 8000

## The whole suite: lint, types, unit, integration (SQLite and PostgreSQL) and browser tests
test: venv assets
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/slivers
	$(BIN)/pytest -q

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: venv
	$(BIN)/mypy src/slivers

## Benchmarks: numbers go to docs/benchmarks.md
bench: venv
	$(BIN)/python bench/candidates.py
	$(BIN)/python bench/scheduling.py

assets:
	@true

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts

# Two commands matter: `make run` (demo desk) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= $(CURDIR)/.demo/demo.db
DEMO_TICKETS ?= 5000

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## Opens the desk on a demo database in ./.demo (never your real database).
run: $(STAMP)
	@mkdir -p $(dir $(DEMO_DB))
	@test -f $(DEMO_DB) || $(BIN)/deskui --db sqlite:///$(DEMO_DB) demo --tickets $(DEMO_TICKETS)
	$(BIN)/deskui --db sqlite:///$(DEMO_DB)

## Runs lint and the whole test suite (SQLite, plus PostgreSQL when DESKUI_TEST_PG_URL is set).
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .demo

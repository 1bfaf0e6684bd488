# Two commands matter: `make run` (demo desk) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= $(CURDIR)/.demo/demo.db
DEMO_TICKETS ?= 5000

.PHONY: run test lint bench clean

# UI tests run a second time with every desk call through the codec: each one proves its
# calls survive the wire (DESKUI_TEST_API=loopback pytest tests/ui runs them all).
LOOPBACK_TESTS := tests/ui/test_flow.py tests/ui/test_detail.py tests/ui/test_intake.py \
	tests/ui/test_callbacks_panel.py tests/ui/test_repairs_ui.py

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
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 -q
	@echo "again with the clock 400 days on (no test may depend on today's date); SQLite, no snapshots:"
	$(BIN)/pytest -n 2 -q -p no:cacheprovider -m "not postgres and not slow" -k "not snapshot" --shift-clock=400
	@echo "the desk's flows again through the API's codec (RemoteDeskApi -> JSON -> dispatch):"
	DESKUI_TEST_API=loopback $(BIN)/pytest -n 2 -q -p no:cacheprovider -k "not snapshot" $(LOOPBACK_TESTS)

## Every benchmark on the 1,000,000-ticket demo database (built once into bench/out/). The desk's
## benchmarks run embedded and as a server's client (BENCH_MODE=embedded|server|both).
BENCH_DB := bench/out/demo-1m.db
BENCH_MODE ?= both
bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	test -f $(BENCH_DB) || $(BIN)/python bench/make_db.py --tickets 1000000 --out $(BENCH_DB)
	$(BIN)/python bench/bench_sla.py
	$(BIN)/python bench/bench_reports.py --db $(BENCH_DB)
	$(BIN)/python bench/launch_pty.py --db $(BENCH_DB) --mode $(BENCH_MODE)
	$(BIN)/python bench/keys_pty.py --db $(BENCH_DB) --mode $(BENCH_MODE)
	$(BIN)/python bench/idle_bandwidth.py --db $(BENCH_DB) --mode $(BENCH_MODE)
	$(BIN)/python bench/server_roundtrip.py
	$(BIN)/python bench/bench_import.py

clean:
	rm -rf $(VENV) .demo

# Two commands matter: `make demo` and `make test`. Both build .venv from nothing but Python 3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= demo/tierwise.duckdb

.PHONY: demo test bench lint typecheck clean browser postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/tierwise --db $(DB) demo --out demo --replace
	$(BIN)/tierwise --db $(DB) metrics --out demo/metrics.csv
	$(BIN)/tierwise --db $(DB) classify --as-of 2026-03-31 --scheme abc > /dev/null
	$(BIN)/tierwise --db $(DB) classify
	$(BIN)/tierwise --db $(DB) migration --scheme abc
	$(BIN)/tierwise --db $(DB) tasks --date 2026-09-30 --manager S001 --limit 8 --out demo/tasks.xlsx
	$(BIN)/tierwise --db $(DB) tasks --date 2026-09-30 --rep S009 --limit 8 --out demo/tasks-S009.ics
	$(BIN)/tierwise --db $(DB) report --out demo/report.xlsx
	$(BIN)/tierwise --db $(DB) report --out demo/report.html

test: $(VENV)/.installed-test browser postgres
	$(BIN)/python -m ruff check src tests benchmarks
	$(BIN)/python -m mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# Page tests drive Debian's chromium (never a downloaded browser); PNG charts need a CJK font.
# Install both when missing and this user may; otherwise say so (those tests then skip).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } \
	  || echo "chromium not found: page tests will skip (apt-get install chromium fonts-noto-cjk)"

# The --from-db test starts Debian's PostgreSQL server of its own; install it when missing.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
	  && command -v apt-get >/dev/null && apt-get update -qq \
	  && apt-get install -y -qq postgresql >/dev/null; } \
	  || echo "PostgreSQL not found: its import test will skip (apt-get install postgresql)"

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_metrics.py
	$(BIN)/python benchmarks/bench_clv_fit.py
	$(BIN)/python benchmarks/bench_classify.py --timeout 3000
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_latency.py
	$(BIN)/python benchmarks/bench_pipeline.py

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check src tests benchmarks
	$(BIN)/python -m mypy
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) demo .pytest_cache

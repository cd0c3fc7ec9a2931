# The verbs a newcomer looks for. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run migrate test lint locales bench bench-updates clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'

install: $(BIN)/python

run: install
	$(BIN)/python -m bot

migrate: install
	$(BIN)/python -m bot migrate

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Extract messages from code and templates, merge them into the catalogs, compile them.
locales: install
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k lazy_gettext --no-location \
		--sort-output --project=Nastavnik -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d locales -D messages --statistics

bench: install
	$(BIN)/python -m bench.outbox_throughput

# The path of one update (docs/benchmarks.md): in-process on SQLite, then black-box.
bench-updates: install
	$(BIN)/python -m bench.update_path
	$(BIN)/python -m bench.update_path --black-box

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

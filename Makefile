# The verbs a newcomer looks for. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# The catalogs' line width; extract and update must agree, or every run rewraps the files.
PO_WIDTH := 100
POT := locales/messages.pot

.PHONY: install dev run migrate test lint locales bench bench-updates clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'

install: $(BIN)/python

# The README's run command installs the bot without the dev tools; add them when one is missing.
dev: install
	@for tool in pytest ruff mypy pybabel; do \
		[ -x $(BIN)/$$tool ] || { $(BIN)/pip install -q -e '.[dev]' && break; }; \
	done

run: install
	$(BIN)/python -m bot

migrate: install
	$(BIN)/python -m bot migrate

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Extract messages from code and templates, merge them into the catalogs, compile them.
# Run on an unchanged tree it changes nothing: the template is replaced only when more than its
# creation date differs, and both steps wrap at the same width.
locales: dev
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k lazy_gettext -k N_ --no-location \
		--sort-output --project=Nastavnik --width=$(PO_WIDTH) -o $(POT).new .
	@if [ -f $(POT) ] && diff -q -I '^"POT-Creation-Date:' $(POT) $(POT).new >/dev/null; \
		then rm $(POT).new; else mv $(POT).new $(POT); fi
	$(BIN)/pybabel update -i $(POT) -d locales -D messages --no-fuzzy-matching --ignore-obsolete \
		--width=$(PO_WIDTH)
	$(BIN)/pybabel compile -d locales -D messages --statistics

bench: dev
	$(BIN)/python -m bench.outbox_throughput

# The path of one update (docs/benchmarks.md): in-process on SQLite, then black-box (people the
# process has not seen yet, then each person's second message).
bench-updates: dev
	$(BIN)/python -m bench.update_path
	$(BIN)/python -m bench.update_path --black-box
	$(BIN)/python -m bench.update_path --black-box --returning

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

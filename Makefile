# `make run` and `make test` do all the set-up: a .venv with the pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Variables from .env (if present) reach the assistant; see .env.example.
-include .env
export

.PHONY: run chat test test-fast lint browser messages check-content eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run

chat: $(STAMP)
	$(BIN)/python -m bot chat

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The staff desk's tests drive Debian's chromium through Playwright (its own browser download
# does not work offline): installed from the distribution's packages when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }

test: lint browser
	$(BIN)/python -m pytest

# The inner loop: lint, then the tests not marked slow (no processes started, about a minute).
test-fast: lint
	$(BIN)/python -m pytest -m "not slow"

# Extract the strings from the code, merge them into lt/lv/ru, compile the .mo files.
messages: $(STAMP)
	$(BIN)/pybabel extract -F pyproject.toml -k _ -k N_ -k n_:1,2 -k fill --no-location --sort-output \
		--project=socassist -o locales/messages.pot bot dialogs storage
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d locales -D messages --statistics

# Grade the intent model on the held-out examples (accuracy per language and intent).
eval: $(STAMP)
	$(BIN)/python -m bot nlu --eval

# Throughput, latency, SMS cost, memory and start-up against baselines (a few minutes);
# prints a table and writes benchmarks/results/latest.json.
bench: $(STAMP)
	$(BIN)/python -m benchmarks

check-content: $(STAMP)
	$(BIN)/python -m bot content check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

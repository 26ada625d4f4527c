# `make run` and `make test` do all the set-up: a .venv with the pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Variables from .env (if present) reach the assistant; see .env.example.
-include .env
export

.PHONY: run chat test test-fast lint tools messages check-content eval bench clean wheel

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

# The tests use Debian's packages, installed when missing: chromium (the staff desk's tests
# drive it through Playwright, whose own browser download does not work offline), prometheus
# and promtool (the alert rules), systemd-analyze (the unit), unshare (a full disk), caddy (the
# TLS proxy).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TOOLS := chromium:chromium promtool:prometheus systemd-analyze:systemd unshare:util-linux \
	caddy:caddy
tools:
	@missing=""; for pair in $(TOOLS); do command -v $${pair%%:*} >/dev/null || \
		missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi

# Two at a time (the machine has two cores, the tests wait on processes and sockets), then
# the ones timed under load, alone.
test: lint tools
	$(BIN)/python -m pytest -m "not serial" -n 2
	$(BIN)/python -m pytest -m serial

# The inner loop: lint, then the tests not marked slow (no processes started, about a minute).
test-fast: lint
	$(BIN)/python -m pytest -m "not slow"

# The installable package (dist/socassist-VERSION-py3-none-any.whl), see README "Operating it".
wheel: $(STAMP)
	$(BIN)/python -c "from dialogs.understanding.nlu.models import intent_model; intent_model()"
	$(BIN)/python -m build --wheel --no-isolation --outdir dist .

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

# coopeval — the two commands of the README:
#   make run    set up, create the sample project on first run, serve the dashboards (Voilà);
#               make run HOST=0.0.0.0 for participants' phones on the local network
#   make test   set up and run the whole test suite (starts a throwaway PostgreSQL, uses Chromium)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROJECT ?= var/projet_exemple.sqlite
PORT ?= 8866
# HOST=0.0.0.0 serves the local network (participants' phones); default: this machine only
HOST ?= 127.0.0.1

.PHONY: setup run test lint bench clean

setup: $(VENV)/.setup-done

$(VENV)/.setup-done: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dashboards,bench]"
	touch $@

run: setup
	$(BIN)/coopeval serve $(PROJECT) --port $(PORT) --host $(HOST)

test: setup
	bash tests/run_tests.sh

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache tests/_artifacts

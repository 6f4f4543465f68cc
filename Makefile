# coopeval — the two commands of the README:
#   make run    set up, create the sample project on first run, serve the dashboards (Voilà);
#               make run HOST=0.0.0.0 for participants' phones on the local network
#   make test   set up and run the whole test suite (starts a throwaway PostgreSQL, uses Chromium)
# and, for contributors (see CONTRIBUTING.md):
#   make test-fast  every test but the browser, PostgreSQL and slow ones (no root needed, minutes)
#   make docs       build the documentation site in docs/_build/html (warnings are errors)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROJECT ?= var/projet_exemple.sqlite
PORT ?= 8866
# HOST=0.0.0.0 serves the local network (participants' phones); default: this machine only
HOST ?= 127.0.0.1

.PHONY: setup run test lint bench clean test-fast docs

setup: $(VENV)/.setup-done

$(VENV)/.setup-done: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dashboards,bench,docs]"
	touch $@

run: setup
	$(BIN)/coopeval serve $(PROJECT) --port $(PORT) --host $(HOST)

test: setup
	bash tests/run_tests.sh

test-fast: setup
	$(BIN)/ruff check .
	MPLBACKEND=Agg $(BIN)/python -m pytest -m "not slow and not browser and not postgres and not docs" -n 2 -q $(ARGS)

docs: setup
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache tests/_artifacts docs/_build docs/generated

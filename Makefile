PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_QUICK ?=
BENCH_METRICS ?=
MONSTER_UI ?=
SMARTPBX ?=
CALLFLOWS ?=

.PHONY: help install run test lint fmt bench e2e

help: ## list the targets
	@grep -E '^[a-z0-9]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its test extra

run: $(STAMP) ## start the gateway on the embedded store with the demo fixtures
	GATEWAY_DATA_DIR=$${GATEWAY_DATA_DIR:-./data} $(BIN)/python -m gateway serve \
		--host $(HOST) --port $(PORT) --fixtures fixtures

test: $(STAMP) ## run the whole test suite (one worker per core)
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP) ## ruff check, ruff format --check, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP) ## benchmark against a bare server into docs/performance.md (BENCH_QUICK=1: short)
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && apt-get install -y wrk)
	BENCH_QUICK=$(BENCH_QUICK) BENCH_METRICS=$(BENCH_METRICS) $(BIN)/python -m bench

e2e: $(STAMP) ## drive Monster UI with SmartPBX and Callflows in headless Chromium (MONSTER_UI= SMARTPBX= CALLFLOWS=)
	@$(BIN)/python -m e2e.run --monster-ui "$(MONSTER_UI)" --smartpbx "$(SMARTPBX)" --callflows "$(CALLFLOWS)"

fmt: $(STAMP) ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

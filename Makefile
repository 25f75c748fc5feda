# Every command of the project. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_PY := $(CURDIR)/.venv/bin/python
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup run test lint typecheck engine-test unit integration e2e browser train bench eval prepare

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup:  ## create/reuse both Python environments from the lock files
	@scripts/setup-env.sh engine
	@scripts/setup-env.sh app

prepare: setup  ## migrate the catalogue and load the demo catalogue if it is empty
	$(APP_PY) -m bot prepare

train: setup  ## train the Rasa model if config.yml, domain/ or nlu_data/ changed
	$(APP_PY) -m bot train

run: setup  ## run the assistant (SQLite, demo catalogue) until Ctrl-C
	$(APP_PY) -m bot run

lint: setup  ## ruff lint and format check
	$(APP_PY) -m ruff check .
	$(APP_PY) -m ruff format --check .

typecheck: setup  ## mypy
	$(APP_PY) -m mypy

unit: setup  ## fast tests without servers
	$(APP_PY) -m pytest tests/unit -q

integration: setup  ## tests on SQLite and PostgreSQL, and against the real Rasa stack
	$(APP_PY) -m pytest tests/integration -q

engine-test: setup  ## custom Rasa components, in the engine environment
	$(CURDIR)/.venv-engine/bin/python -m pytest --noconftest -p no:cacheprovider -q tests/engine

e2e: setup  ## end-to-end conversations through the real stack
	$(APP_PY) -m pytest tests/e2e -q

browser: setup  ## browser tests (Playwright + Debian's Chromium): desk, public widget, admin
	@scripts/ensure-browser.sh
	$(APP_PY) -m pytest tests/browser -q

test: setup  ## everything CI runs: lint, types, engine components, unit, integration, e2e, browser
	$(MAKE) --no-print-directory lint typecheck engine-test
	@scripts/ensure-browser.sh
	$(APP_PY) -m pytest -q --durations=25

eval: setup  ## per-language intent accuracy/macro-F1 and search top-1/top-3 on held-out data
	$(APP_PY) -m bot eval

bench: setup  ## conversations (1 and 20 concurrent) and search latency (10,000 services)
	$(APP_PY) -m bot bench --conversations 1 --conversations 20
	$(APP_PY) -m bot bench-search --services 10000

.PHONY: run-production production-test bench-load
run-production: setup  ## production profile: 2 Rasa + 2 action servers, balancer, PostgreSQL, Redis
	$(APP_PY) -m bot run-production

production-test: setup  ## production-profile tests: ordering, lock lifetime, faults, restart (~4 min)
	$(APP_PY) -m pytest tests/production -q

bench-load: setup  ## 200 concurrent conversations in 5 languages for 10 minutes (production profile)
	$(APP_PY) -m bot bench-load --conversations 200 --languages 5 --minutes 10

.PHONY: audit
audit: setup  ## known vulnerabilities in the app's pinned dependencies (pip-audit, needs osv.dev)
	$(APP_PY) -m pip_audit --requirement requirements/app.lock --no-deps --disable-pip \
	  --vulnerability-service osv --progress-spinner off --strict

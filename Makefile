# Tacrolimus in nephrotic syndrome: a teaching dashboard.
# `make help` lists every target with the comment above it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup run dev serve test test-fast test-unit test-repo test-app test-browser test-deploy lint fmt check screenshots data-docs content-report bench load-bench load-bench-all poll-load page-load clean

## Show this help.
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  \033[1m%-14s\033[0m %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -e .
	touch $(STAMP)

## Create .venv and install the dashboard with its test tools (only when requirements change).
setup: $(STAMP)

## Set up, then serve the dashboard on http://localhost:$(PORT).
run: $(STAMP)
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

## Like run, but reload the page when a source file is saved (development only).
dev: $(STAMP)
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT) --server.fileWatcherType auto --server.runOnSave true

## Serve three dashboard processes per core behind nginx on http://localhost:8080 (deploy/README.md).
serve: $(STAMP)
	$(BIN)/python -m deploy.serve --port 8080

# Python writes its bytecode caches (__pycache__, git-ignored) even where the
# environment turns them off: without them every run, and every xdist worker,
# compiles the package and rewrites the tests' asserts again (8-10 s here).
export PYTHONDONTWRITEBYTECODE :=

# The fast layers run in parallel on every core (pytest-xdist, one worker per
# core, idle workers steal queued tests; WORKERS=0 runs them in this process),
# the live-server layers one by one.
WORKERS ?= auto
FAST    := tests/unit tests/repo tests/app
PARALLEL = $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist worksteal)

## Set up, then run every test layer: lint, unit, repo, app (AppTest), browser (Playwright + chromium), deploy.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PARALLEL) $(FAST)
	$(BIN)/python -m pytest tests/browser tests/deploy

## The edit loop: unit, repo and app tests in parallel, on SQLite only (no servers, no browser).
test-fast: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) -m "not postgres" $(FAST)

## Unit tests on the pure code (seconds).
test-unit: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) tests/unit

## The repository's content and data against their schemas, quotes and sources.
test-repo: $(STAMP)
	$(BIN)/python -m pytest tests/repo

## Headless AppTest runs of every page and its widgets.
test-app: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) tests/app

## Real-browser tests: Debian's chromium against `python -m streamlit run`.
test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

## Deployment tests: a live 2-process cluster behind nginx, and the Docker/Compose/Kubernetes files.
test-deploy: $(STAMP)
	$(BIN)/python -m pytest tests/deploy

## Lint and check formatting with ruff.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Format the code and apply safe lint fixes.
fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Lint plus every test layer (what CI runs).
check: test

## Take screenshots of every page (desktop and projector size) into artifacts/screenshots.
screenshots: $(STAMP)
	$(BIN)/python -m dashboard.tools.screenshots

## Measure load, figure-building and page-load times; prints a Markdown table.
bench: $(STAMP)
	$(BIN)/python -m dashboard.tools.bench
	$(BIN)/python -m dashboard.tools.bench_tdm
	$(BIN)/python -m dashboard.tools.bench_pooling

## One process under load: CPU per control move on each page, then 50 and 100 students at once, project settings vs Streamlit defaults (about 10 min).
load-bench: $(STAMP)
	$(BIN)/python -m dashboard.tools.classload --scenario moves --scenario burst50 --scenario burst --config defaults --config project

## The whole class-load benchmark: lecture, burst and soak on 1, 2 and 6 processes (about 30 min).
load-bench-all: $(STAMP)
	$(BIN)/python -m dashboard.tools.classload

## A live class check under load: 300 students waiting on one poll, then through a two-round poll in a session; one process and six.
poll-load: $(STAMP)
	$(BIN)/python -m dashboard.tools.pollload --processes 1
	$(BIN)/python -m dashboard.tools.pollload --processes 6
	$(BIN)/python -m dashboard.tools.pollload --session --processes 1
	$(BIN)/python -m dashboard.tools.pollload --session --processes 6

## Page load in Debian's chromium, cold and warm, direct and behind nginx.
page-load: $(STAMP)
	$(BIN)/python -m dashboard.tools.pageload

## Print the column tables of every dataset, for content/data/README.md.
data-docs: $(STAMP)
	$(BIN)/python -m dashboard.tools.data_docs

## Print what in the content needs review: secondary or unattributed sources, rows not checked in 12 months, superseded guidelines.
content-report: $(STAMP)
	$(BIN)/python -m dashboard.tools.content_report

## Remove the virtual environment and caches.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info artifacts

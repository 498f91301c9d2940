# Two commands on a fresh machine: `make lab` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8888
# Jupyter refuses to run as root without this flag (containers, CI, some lab machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test setup browser lint exercises datadoc bench voila clean-notebooks check-sources clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) ## Create .venv with the pinned requirements and the course package.

lab: setup ## Open JupyterLab on the start notebook.
	$(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) notebooks/00_start_here.ipynb

voila: setup ## Serve the explorer app in Voila (code hidden); stop with Ctrl+C.
	@echo "Open http://localhost:$(PORT)/voila/render/apps/explorer.ipynb"
	$(BIN)/voila --port=$(PORT) --no-browser .

browser: ## Make sure Debian's chromium is there for the browser tests.
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium for the browser tests (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium"; \
	    echo "(or set CHROMIUM=/path/to/chromium). Skipping nothing: the tests will fail without it."; exit 1; \
	  fi; }

test: setup browser ## Run every test: data, package, notebooks, exercises and real-browser tests.
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks

exercises: setup ## Regenerate exercises/ and solutions/ from masters/.
	$(BIN)/python -m vndiplomacy.exercises

datadoc: setup ## Regenerate the tables section of data/README.md from datapackage.json.
	$(BIN)/python -m vndiplomacy.datadoc

bench: setup ## Benchmarks: notebook run time vs a bare kernel, widget latency, notebook sizes.
	$(BIN)/python benchmarks/run.py

clean-notebooks: setup ## Strip outputs and execution counts from every committed notebook.
	$(BIN)/python -m vndiplomacy.notebooks strip

check-sources: setup ## Check quotes and wording against the source documents (needs ../shared).
	$(BIN)/python ../shared/tools/check_sources.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts

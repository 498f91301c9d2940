# Two commands on a fresh machine: `make lab` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8888
# Extra server options, e.g. LAB_ARGS=--no-browser (the browser tests add a base URL and a token this way).
LAB_ARGS ?=
VOILA_ARGS ?=

PROXY := hub/node_modules/.bin/configurable-http-proxy
HUB_PORT ?= 8000

.PHONY: site lab test check setup browser hub hub-link lint exercises datadoc alignment handouts bench mutation voila clean-notebooks check-sources clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml $(wildcard jupyter-config/*/* jupyter-config/*.json)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m vndiplomacy.launch install-config >/dev/null
	touch $(STAMP)

setup: $(STAMP) ## Create .venv with the pinned requirements and the course package.

$(PROXY): hub/package.json hub/package-lock.json
	cd hub && npm ci --no-audit --no-fund --loglevel=error
	touch $(PROXY)

lab: setup ## Open JupyterLab on the whole course, at the start notebook; stop with Ctrl+C.
	@$(BIN)/python -m vndiplomacy.launch lab --port=$(PORT) $(LAB_ARGS)

voila: setup ## Serve the explorer app in Voila (code hidden), on the first free port from 8866; stop with Ctrl+C.
	@$(BIN)/python -m vndiplomacy.launch voila $(VOILA_ARGS)

browser: ## Make sure Debian's chromium is there for the browser tests.
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium for the browser tests (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium"; \
	    echo "(or set CHROMIUM=/path/to/chromium). Skipping nothing: the tests will fail without it."; exit 1; \
	  fi; }

hub: setup $(PROXY) ## A JupyterHub for a class on this machine (see hub/jupyterhub_config.py and the teacher guide).
	cd hub && PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/jupyterhub -f jupyterhub_config.py --port=$(HUB_PORT)

hub-link: setup ## Print the nbgitpuller link for a hub: make hub-link HUB=https://hub.example.edu [NOTEBOOK=notebooks/01_history.ipynb]
	@$(BIN)/python -m vndiplomacy.hub link $(HUB) $(NOTEBOOK)

test: setup browser $(PROXY) ## Run every test: data, package, notebooks, exercises, a class on a real hub, and real-browser tests.
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

check: setup ## Fast checks (under a minute): lint, and the kernel-side unit tests on every core (no browser, no notebook runs).
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n auto -m "not browser and not notebooks" --ignore=tests/browser --ignore=tests/test_hub.py \
	  --ignore=tests/test_exercises.py --ignore=tests/test_notebooks.py

lint: setup
	$(BIN)/ruff check .

exercises: setup ## Regenerate exercises/ and solutions/ from masters/.
	$(BIN)/python -m vndiplomacy.exercises

datadoc: setup ## Regenerate the tables section of data/README.md from datapackage.json.
	$(BIN)/python -m vndiplomacy.datadoc

alignment: setup ## Regenerate the objectives and alignment tables of teacher/guide.md from the notebooks, banks and teacher/alignment/.
	$(BIN)/python -m vndiplomacy.alignment

handouts: setup ## Printable handouts (worksheets, timeline and glossary, model answers) from the data, into handouts/.
	$(BIN)/python -m vndiplomacy.handouts
	@echo "Open handouts/index.html in a browser and print the pages you need."

site: setup ## The website edition: a static site of the course (no kernel needed) into _site/; publish that folder.
	$(BIN)/python -m vndiplomacy.website build

bench: setup browser ## Benchmarks against baselines of the same run: kernels, widget callbacks, the browser (JupyterLab and Voila); the website's build time and size.
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/browser.py
	$(BIN)/python benchmarks/site.py
	@$(BIN)/python benchmarks/mutation.py --show

mutation: setup ## Mutation score of views, quizbank, quiz, progress, data and style (mutmut, in a copy that keeps its verdicts; over an hour from scratch).
	$(BIN)/python benchmarks/mutation.py

clean-notebooks: setup ## Strip outputs and execution counts from every committed notebook.
	$(BIN)/python -m vndiplomacy.notebooks strip

check-sources: setup ## Check quotes and wording against the source documents (needs ../shared).
	$(BIN)/python ../shared/tools/check_sources.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts hub/node_modules

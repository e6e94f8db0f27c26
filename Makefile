# The two commands a new machine needs:   make serve   (build and preview the demo portal)
#                                          make test    (lint and the whole test suite)
# Everything they need is installed by the targets below: a virtualenv, the Python packages,
# the Pagefind 1.6 binary, axe-core and the Nu HTML Checker (npm), Debian's Chromium with CJK fonts
# for the browser tests, and Debian's Java for the Nu HTML Checker.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PAGEFIND_BINARY_PATH := $(CURDIR)/node_modules/@pagefind/linux-x64/bin/pagefind_extended

.PHONY: install serve site test lint format browser java bench bench-scale bench-window mutate clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

site: install
	$(BIN)/gongkai build --data data --out site

serve: install
	$(BIN)/gongkai serve --data data --out site --port $(PORT)

# Debian's Chromium (never a downloaded browser) and CJK fonts, for the headless browser tests.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	fi

# Debian's Java (headless) for the Nu HTML Checker (vnu.jar from npm) in tests/test_markup.py.
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; \
	fi

lint: install
	$(BIN)/ruff check generator tests bench docs setup.py
	$(BIN)/ruff format --check generator tests bench docs setup.py
	$(BIN)/mypy

format: install
	$(BIN)/ruff format generator tests bench docs setup.py
	$(BIN)/ruff check --fix generator tests bench docs setup.py

test: install browser java lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: install
	$(BIN)/python bench/bench.py

# One cold build of 1,000,000 decisions (most of an hour, ~70 GB of disk; not in CI): its time, peak
# memory, the site's files and bytes, and what a first search transfers. SCALE="--units 100" etc.
bench-scale: install browser
	$(BIN)/python bench/scale.py $(SCALE)

# A publishing window at 20,000 decisions: every unit's newest quarter held back, then published one
# unit at a time, each rebuild timed against a cold build (about seven minutes; not in CI).
bench-window: install
	$(BIN)/python bench/window.py

# Mutation testing of the modules that guard users (docs/mutation.md). Slow, so not part of `make test`
# or CI. mutmut lives in a virtualenv of its own (.mutvenv) so that it never changes the test venv.
# `make mutate MODULE=generator/validate/privacy.py` runs one module; FRESH=1 forgets the earlier results.
MUTVENV := .mutvenv
$(MUTVENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(MUTVENV)
	$(MUTVENV)/bin/pip install --quiet --upgrade pip
	$(MUTVENV)/bin/pip install --quiet -e '.[test,mutate]'
	touch $@

mutate: $(MUTVENV)/.installed
	$(MUTVENV)/bin/python bench/mutate.py $(if $(FRESH),--fresh) $(MODULE)

clean:
	rm -rf site .pytest_cache .ruff_cache bench-out bench-scale-out bench-window-out mutation-work

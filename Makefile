# Two commands do everything on a fresh machine:
#   make run    install, index seeds/ if needed, open the chat at http://127.0.0.1:7860
#   make test   install with dev extras, then ruff, mypy and pytest (what CI runs)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

RUN_STAMP := $(VENV)/.installed-run-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-12)
# llama.cpp compiled for this CPU (scripts/install_runtime.sh), at the version pyproject pins.
XLLAMACPP_VERSION := $(shell sed -n 's/.*"xllamacpp==\([0-9.]*\)".*/\1/p' pyproject.toml)
RUNTIME_STAMP := $(VENV)/.installed-llama-$(XLLAMACPP_VERSION)

.PHONY: run test lint typecheck pytest eval bench chromium install install-dev clean-data

# A download can break off mid-file (CI once failed at 26.7 of gradio's 31.4 MB, after pip's
# own five resumes). pip retries and resumes itself; a whole install that still fails is tried
# twice more after a pause, which also retries what pip does not (an index page, a resolve).
# A real error (a missing version) fails three times, then stops make with pip's message.
# Each step prints one line of its own; the recipes themselves are not echoed (@). pip runs
# at its error level (-qq): a machine whose pip.conf names index folders it does not have
# gets a warning per package and folder (hundreds of lines) that says nothing about the
# install; what fails still prints pip's ERROR lines.
export PIP_RETRIES := 10
export PIP_RESUME_RETRIES := 10
PIP_INSTALL = for attempt in 1 2 3; do $(BIN)/pip install -qq $(1) && exit 0; \
	echo "pip install failed (attempt $$attempt of 3)" >&2; [ $$attempt = 3 ] || sleep 30; \
	done; exit 1
# (in variables: a comma in $(call)'s arguments would split them)
RUN_SPEC := -e '.[model,ui,api]'
DEV_SPEC := -e '.[model,model-small,ui,api,evals,st,dev]'

$(BIN)/python:
	@echo "Creating the virtual environment in $(VENV)..."
	@$(PYTHON) -m venv $(VENV)
	@$(call PIP_INSTALL,--upgrade pip)

$(RUNTIME_STAMP): $(BIN)/python
	@scripts/install_runtime.sh $(BIN)/pip $(XLLAMACPP_VERSION) $(VENV)/llama-build.log
	@touch $@

$(RUN_STAMP): $(RUNTIME_STAMP) pyproject.toml
	@echo "Installing the assistant and its dependencies, with the bundled models (a few minutes the first time)..."
	@$(call PIP_INSTALL,$(RUN_SPEC))
	@touch $@

# torch first, as the CPU build (a plain torch requirement can pull a multi-GB CUDA build);
# sentence-transformers (the 'st' extra) needs it.
$(DEV_STAMP): $(RUNTIME_STAMP) pyproject.toml
	@echo "Installing the assistant with the development and test tools (torch CPU, playwright, ...)..."
	@$(call PIP_INSTALL,'torch==2.13.0')
	@$(call PIP_INSTALL,$(DEV_SPEC))
	@touch $@

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

run: $(RUN_STAMP)
	@$(BIN)/rag chat

chromium:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests..."; apt-get -o Acquire::Retries=5 update -qq && apt-get -o Acquire::Retries=5 install -y -qq chromium >/dev/null; }

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP) chromium
	$(BIN)/pytest -q

test: lint typecheck pytest

eval: $(DEV_STAMP)
	$(BIN)/rag eval --gold evals/gold/kazakhstan.jsonl --out evals/results/latest --generator bundled --reuse --resume

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run

clean-data:
	rm -rf .rag

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

.PHONY: run test lint typecheck pytest eval bench chromium install install-dev clean-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[model,ui,api]'
	touch $@

# torch first, as the CPU build (a plain torch requirement can pull a multi-GB CUDA build);
# sentence-transformers (the 'st' extra) needs it.
$(DEV_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet 'torch==2.13.0'
	$(BIN)/pip install --quiet -e '.[model,model-small,ui,api,evals,st,dev]'
	touch $@

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/rag chat

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP) chromium
	$(BIN)/pytest -q

test: lint typecheck pytest

eval: $(DEV_STAMP)
	$(BIN)/rag eval --gold evals/gold/kazakhstan.jsonl --out evals/results/latest --generator bundled --resume

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run

clean-data:
	rm -rf .rag

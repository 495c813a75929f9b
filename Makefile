# dvcbot: the two commands a person needs are `make run` and `make test`.
# Everything else here is a step they depend on; each step is skipped when it is up to date.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
RASA_VENV ?= .venv-rasa
PY        := $(VENV)/bin/python
DVCBOT    := $(VENV)/bin/dvcbot
RASA      := $(abspath $(RASA_VENV))/bin/rasa
PIP_FLAGS ?= --disable-pip-version-check --progress-bar off

RASA_INPUTS := $(wildcard bot/*.yml bot/data/*.yml)
RASA_MODEL  := bot/models/dvcbot.tar.gz

.PHONY: help setup run test eval bench lint venv rasa-venv model index nlu-model rasa-model system-deps clean

help:
	@echo "make run   set everything up (first time: ~10 min) and start the assistant on http://127.0.0.1:8000"
	@echo "make test  set up what is missing and run the whole test suite"
	@echo "make eval  measure the knowledge base on the dev set and write docs/EVALUATION.md"
	@echo "make bench run every benchmark (knowledge base, NLU, routing, chat load) into docs/EVALUATION.md"

# --- environments ---------------------------------------------------------------------------
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@echo ">> Python 3.11 environment ($(VENV))"
	@[ -x $(PY) ] || "$$(scripts/find_python.sh 3.11)" -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -q --upgrade pip
	$(PY) -m pip install $(PIP_FLAGS) torch==2.13.0
	$(PY) -m pip install $(PIP_FLAGS) -e '.[dev]'
	$(PY) -m pip install $(PIP_FLAGS) --no-deps 'pipecat-ai==1.14.0'
	@touch $@

rasa-venv: $(RASA_VENV)/.installed
$(RASA_VENV)/.installed: bot/requirements.txt
	@echo ">> Rasa environment ($(RASA_VENV), Python 3.10; first time about 3 minutes)"
	@[ -x $(RASA_VENV)/bin/python ] || "$$(scripts/find_python.sh 3.10)" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install $(PIP_FLAGS) -q --upgrade pip
	$(RASA_VENV)/bin/python -m pip install $(PIP_FLAGS) -r bot/requirements.txt
	@touch $@

# --- models and indexes (each command checks its own content hash and skips when current) ----
model: venv
	$(DVCBOT) kb convert-model

index: model
	$(DVCBOT) kb build

nlu-model: index
	$(DVCBOT) nlu train

rasa-model: $(RASA_MODEL)
$(RASA_MODEL): $(RASA_VENV)/.installed $(RASA_INPUTS)
	@echo ">> training the Rasa dialogue model"
	cd bot && $(RASA) train core --fixed-model-name dvcbot --out models
	@touch $@

setup: venv rasa-venv model index nlu-model rasa-model

# --- the two commands -------------------------------------------------------------------------
run: setup
	$(DVCBOT) db upgrade
	$(DVCBOT) run

system-deps:
	@bash scripts/system_deps.sh

test: setup system-deps
	$(PY) -m ruff check .
	$(PY) -m pytest -ra

eval: index
	$(DVCBOT) kb eval

# every benchmark of docs/EVALUATION.md (several minutes; the figures depend on the machine's load)
bench: setup
	$(DVCBOT) kb eval
	$(DVCBOT) nlu eval
	$(PY) benchmarks/nlu_latency.py
	$(PY) benchmarks/routing_bench.py
	$(PY) benchmarks/chat_load.py

lint: venv
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

clean:
	rm -rf var bot/models

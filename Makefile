# spbe-extract: the commands a newcomer needs. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SPBE   := $(VENV)/bin/spbe
DB     ?= sqlite:///spbe.db
SHARED ?= ../shared
N      ?= 10000

.PHONY: help venv demo test lint eval bench train-ner train-stanza clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed  ## create .venv and install the project with its dev extras

demo: venv  ## ingest the bundled corpus/, extract into spbe.db, print the facts
	$(SPBE) ingest corpus/samples --db $(DB)
	$(SPBE) run --db $(DB)
	$(SPBE) query --db $(DB)

test: venv  ## run the test suite (lint first)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: venv  ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

eval: venv  ## score extraction on the project's samples and the real articles in ../shared
	$(SPBE) eval corpus/gold.jsonl --corpus corpus
	for set in a b c; do $(SPBE) eval corpus/heldout/$$set/gold.jsonl --corpus corpus/heldout/$$set; done
	$(SPBE) eval $(SHARED)/gold/seeds.jsonl --corpus $(SHARED)/corpus/seeds
	$(SPBE) eval $(SHARED)/gold/dev.jsonl --corpus $(SHARED)/corpus/dev

bench: venv  ## speed and memory figures (N= articles, default 10000)
	$(SPBE) bench --articles $(N)

train-ner: venv  ## train the spaCy NER in models/ from ../shared/data/idner-news-2k
	$(PY) models/train_ner.py --data $(SHARED)/data/idner-news-2k

train-stanza: venv  ## train the stanza tokenizer from ../shared/data/UD_Indonesian-CSUI (needs the stanza extra)
	$(PY) models/train_stanza.py --data $(SHARED)/data/UD_Indonesian-CSUI

clean:  ## remove the demo store and caches
	rm -rf spbe.db .pytest_cache .ruff_cache

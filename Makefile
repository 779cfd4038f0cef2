# argoplane: `make demo` sets up and runs the main job; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := $(CURDIR)/.tools/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install tools lint typecheck bench clean

demo: $(STAMP)
	$(BIN)/argoplane render examples/vigo-platform

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(STAMP)

tools: $(STAMP)
	$(BIN)/python tools/install_binaries.py $(TOOLS)

lint: $(STAMP)
	$(BIN)/ruff check src tests tools bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) tools lint typecheck
	PATH="$(TOOLS):$$PATH" ARGOPLANE_HELM_BINARY="$(TOOLS)/helm" $(BIN)/pytest -q

bench: $(STAMP) tools
	PATH="$(TOOLS):$$PATH" $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache .mypy_cache

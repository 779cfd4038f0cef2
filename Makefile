# argoplane: `make demo` sets up and runs the main job; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := $(CURDIR)/.tools/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install tools browser lint typecheck bench docs clean

demo: $(STAMP)
	$(BIN)/argoplane render examples/vigo-platform

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(STAMP)

tools: $(STAMP) browser
	$(BIN)/python tools/install_binaries.py $(TOOLS)

# Headless Chromium for the HTML report test (Debian's package; skipped where apt is absent).
browser:
	@test -x /usr/bin/chromium || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: $(STAMP)
	$(BIN)/ruff check src tests tools bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) tools lint typecheck
	PATH="$(TOOLS):$$PATH" ARGOPLANE_HELM_BINARY="$(TOOLS)/helm" $(BIN)/pytest -q

bench: $(STAMP) tools
	PATH="$(TOOLS):$$PATH" $(BIN)/python bench/run.py

docs: $(STAMP)
	$(BIN)/argoplane compare examples/vigo-platform examples/microservices -o markdown \
	  > docs/example-compare.md.tmp
	mv docs/example-compare.md.tmp docs/example-compare.md

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache .mypy_cache

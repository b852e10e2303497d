# Two entry points (see README): `make demo` and `make test`. Each sets up what it needs.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# A developer checkout next to the project's shared/ folder uses its boundary files;
# anywhere else the package finds them itself (cache, then a pinned download).
ifeq ($(origin INCIDENT_MAPPER_GEODATA), undefined)
  ifneq ($(wildcard ../shared/geodata/geoBoundaries-KHM-ADM1.geojson),)
    export INCIDENT_MAPPER_GEODATA := $(abspath ../shared/geodata)
  endif
endif
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install browser pdf-deps assets axe bench wheel-test clean

$(BIN)/incident-mapper: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/incident-mapper

# With a geodata folder known, its checked layers are also copied into the user cache, so the
# README's CLI commands work afterwards from any shell with no flag or variable.
demo: install
	@if [ -n "$$INCIDENT_MAPPER_GEODATA" ]; then \
	  $(BIN)/incident-mapper --quiet boundaries --install "$$INCIDENT_MAPPER_GEODATA" >/dev/null; fi
	$(BIN)/incident-mapper demo

# Debian's chromium drives the browser tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The PDF report (`summarize --pdf`, the `pdf` extra): WeasyPrint draws with Pango and needs a
# Khmer font; poppler-utils (pdfinfo, pdftoppm) counts and looks at its pages.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-khmeros fonts-dejavu-core poppler-utils
pdf-deps:
	@missing=$$(for p in $(PDF_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

assets: install
	$(BIN)/incident-mapper assets fetch

# axe-core's accessibility rules, from the npm registry, for the browser tests only (the
# maps never carry it).
AXE := .cache/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --silent --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4.14.1
axe: $(AXE)

test: install browser pdf-deps assets axe
	$(BIN)/ruff check mapper tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not scale"
	$(BIN)/python -m pytest -m scale -n 0

# The built wheel in a fresh virtual environment, run from outside the source tree.
wheel-test: install
	rm -rf dist && $(BIN)/python -m build --wheel --outdir dist . >/dev/null 2>&1
	@tmp=$$(mktemp -d) && wheel=$$(ls $(CURDIR)/dist/*.whl) && set -e && \
	  $(PYTHON) -m venv $$tmp/venv && \
	  $$tmp/venv/bin/python -m pip install --quiet "$$wheel" && \
	  cd $$tmp && venv/bin/incident-mapper demo --out demo && \
	  venv/bin/incident-mapper validate demo/incidents.csv && \
	  test -s demo/map.html && test -s demo/summary/report.html && \
	  echo "wheel-test: $$(basename $$wheel) runs demo and validate from a fresh venv" && \
	  rm -rf $$tmp

bench: install
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) outputs/demo .pytest_cache

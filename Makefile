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

.PHONY: demo test install browser assets bench clean

$(BIN)/incident-mapper: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/incident-mapper

demo: install
	$(BIN)/incident-mapper demo

# Debian's chromium drives the browser tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

assets: install
	$(BIN)/incident-mapper assets fetch

test: install browser assets
	$(BIN)/ruff check mapper tests bench
	$(BIN)/python -m pytest

bench: install
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) outputs/demo .pytest_cache

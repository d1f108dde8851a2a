# Two commands do everything: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export DBT_PROFILES_DIR := $(CURDIR)/dbt_project
WAREHOUSE_DIR := $(if $(MLW_WAREHOUSE),$(dir $(MLW_WAREHOUSE)),warehouse)
# The demo inputs (sample reports without ../shared/corpus, the demo I-MILO export), written only
# if missing, unless both inputs are configured: the pipeline never generates inputs itself.
DEMO_INPUTS := $(if $(and $(MLW_INPUTS),$(MLW_IMILO_EXPORTS)),true,$(BIN)/python -m sample_inputs.demo $(WAREHOUSE_DIR))

.PHONY: run test install browser dagster-ui clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Materialise every asset on the default inputs into warehouse/warehouse.duckdb, gates included.
## Without MLW_PSEUDONYMISATION_KEY, the run is the demo (MLW_DEMO=1: a public key, fine for
## the generated sample export only).
run: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(DEMO_INPUTS)
	$(if $(MLW_PSEUDONYMISATION_KEY),,MLW_DEMO=1) $(BIN)/mlw run

# A persistent local instance, without telemetry (no network beyond the package registries).
$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	printf 'telemetry:\n  enabled: false\n' > $@

## Headless Chromium for the audit page's browser tests and `mlw audit-page --screenshot`:
## Debian's package, driven by Playwright through its executable (no browser download).
## Installed with apt when missing (CI runs as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "installing chromium (apt-get)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

## The whole test suite (what CI runs).
test: $(STAMP) browser
	$(BIN)/python -m pytest

## Open the Dagster UI on the instance that `make run` filled.
dagster-ui: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(DEMO_INPUTS)
	$(if $(MLW_PSEUDONYMISATION_KEY),,MLW_DEMO=1) $(BIN)/dagster dev -m orchestration.definitions

clean:
	rm -rf warehouse .dagster dbt_project/target dbt_project/logs

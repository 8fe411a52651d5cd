# Two commands on a fresh machine (see README.md):
#   make demo   set everything up and run the main job on the embedded default
#               (Airflow is left running for its UI; make stop stops it)
#   make test   run the test suite (what CI runs)
PYTHON ?= python3
VENV := .venv
DBT_VENV := .venv-dbt
UV_VERSION := 0.13.9

.PHONY: setup browser demo stop test bench lint simulators clean

setup: $(VENV)/.installed $(DBT_VENV)/.installed

# uv installs the locked requirements in seconds instead of minutes; it comes from PyPI itself.
$(VENV)/.installed: requirements/pipeline.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required (set PYTHON=python3.11)")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install -q --python $(VENV)/bin/python -r requirements/pipeline.txt
	$(VENV)/bin/uv pip install -q --python $(VENV)/bin/python --no-deps -e .
	touch $@

# dbt lives in its own virtual environment: see docs/decisions.md.
$(DBT_VENV)/.installed: requirements/dbt.txt $(VENV)/.installed
	test -x $(DBT_VENV)/bin/python || $(PYTHON) -m venv $(DBT_VENV)
	$(VENV)/bin/uv pip install -q --python $(DBT_VENV)/bin/python -r requirements/dbt.txt
	touch $@

# Debian's Chromium and its driver, for the scorecard site's browser tests (root installs them;
# without them those tests skip and say so).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium/chromedriver missing and not root: browser tests will skip"; fi

# SCENARIO=hung_yen_reform runs the scenario across the reform of 1/7/2025 (docs/scenarios.md).
SCENARIO ?= my_hao_2023h1
demo: setup
	$(VENV)/bin/python -m include.demo --scenario $(SCENARIO)

# Airflow, the simulators and the embedded PostgreSQL that make demo left running.
stop:
	-$(VENV)/bin/python -m include.demo stop

test: setup browser
	$(VENV)/bin/ruff check include tests bench dags
	$(VENV)/bin/ruff format --check include tests bench dags
	$(VENV)/bin/pytest

bench: setup
	$(VENV)/bin/python -m bench

simulators: setup
	$(VENV)/bin/python -m include.simulators all --scenario small --port 8081

clean: stop
	rm -rf .local

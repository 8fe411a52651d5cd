"""Airflow for the DAG tests: a home of its own under ``.local/test``, nothing in ``~`` or /tmp."""

from __future__ import annotations

import os

from include.paths import PROJECT_ROOT

TEST_AIRFLOW_HOME = PROJECT_ROOT / ".local" / "test" / "airflow-dags"

# Set before anything imports Airflow (it reads its configuration once, at import).
os.environ.setdefault("AIRFLOW_HOME", str(TEST_AIRFLOW_HOME))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__COSMOS__CACHE_DIR", str(TEST_AIRFLOW_HOME / "cosmos"))

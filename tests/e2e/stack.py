"""The stack an end-to-end test runs ``dti_nightly`` on: every source's simulator, a
warehouse and a metadata database of the tests' embedded PostgreSQL, and Airflow's
environment: for ``airflow dags test`` (the README's command) in a subprocess, or for the
scheduler, dag-processor, triggerer and api-server as a deployment runs them
(``include/local_airflow.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import psycopg

from include.connections import CONNECTION_IDS
from include.local_airflow import LocalAirflow, free_port, metadata_url
from include.paths import PROJECT_ROOT
from include.simulators import DEMO_CREDENTIALS, FaultConfig
from include.sources import registry

E2E_DIR = PROJECT_ROOT / ".local" / "test" / "e2e"
#: The primary key of marts.indicator_value (warehouse.md §1): a total order for comparisons.
INDICATOR_VALUE_KEY = "scheme, unit_code, handling_level, period_type, period_key, indicator_code"


def _database(server_dsn: str, name: str) -> str:
    base, _, query = server_dsn.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}?{query}"


def _conn_uri(source: str, url: str) -> str:
    creds = DEMO_CREDENTIALS[source]
    host = url.split("://", 1)[1]
    return f"http://{creds['login']}:{creds['password']}@{host}"


class Stack:
    """Simulators, databases and the environment of ``airflow dags test``."""

    def __init__(self, server_dsn: str, scenario, faults: FaultConfig | None = None) -> None:
        run = uuid.uuid4().hex[:8]
        self.home = E2E_DIR / run
        self.home.mkdir(parents=True)
        self.warehouse = _database(server_dsn, f"e2e_dti_{run}")
        self.metadata_db = f"e2e_airflow_{run}"
        self.server_dsn = server_dsn
        with psycopg.connect(server_dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE e2e_dti_{run}")
            conn.execute(f"CREATE DATABASE {self.metadata_db}")
        socket_dir = server_dsn.partition("host=")[2].split("&")[0]
        self.local_airflow = LocalAirflow(
            home=self.home / "airflow",
            metadata=metadata_url(socket_dir, self.metadata_db),
            port=free_port(0),
            inherit={
                "PATH": os.environ["PATH"],
                # This checkout's code, whichever checkout the virtual environment was
                # installed from.
                "PYTHONPATH": str(PROJECT_ROOT),
                "HOME": str(self.home),
            },
        )
        self.env = self.local_airflow.environment()
        self.env.update(
            {
                "DTI_LOCAL_DIR": str(PROJECT_ROOT / ".local" / "test"),
                "DTI_LANDING_DIR": str(self.home / "landing"),
                "DTI_REPORTS_DIR": str(self.home / "reports"),
                "AIRFLOW_CONN_DTI_WAREHOUSE": self.warehouse,
                "AIRFLOW_VAR_DTI_PII_HMAC_KEY": "e2e-test-hmac-key-0123456789abcdef",
                # Triggered runs only: unpaused, the DAG would at once get the latest 01:00
                # run, a night the scenario of the past has nothing for (docs/decisions.md).
                "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            }
        )
        self.simulators: dict = {}
        self.serve(scenario, FaultConfig.all(seed=7) if faults is None else faults)

    def serve(self, scenario, faults: FaultConfig) -> None:
        """(Re)start every source's simulator on ``scenario`` and point the connections at them."""
        for simulator in self.simulators.values():
            simulator.stop()
        self.simulators = {
            slug: simulator(scenario, faults=faults).start()
            for slug, simulator in registry.simulators().items()
        }
        for source, simulator in self.simulators.items():
            self.point_at(source, simulator.url)

    def point_at(self, source: str, url: str) -> None:
        self.env[f"AIRFLOW_CONN_{CONNECTION_IDS[source].upper()}"] = _conn_uri(source, url)

    def airflow(self, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        """One Airflow CLI call with this stack's environment as it is now."""
        self.local_airflow.env = dict(self.env)
        return self.local_airflow.cli(*args, timeout=timeout)

    def start_airflow(self) -> LocalAirflow:
        """Start the scheduler, dag-processor, triggerer and api-server on this stack, with
        its environment as it is now (connections, variables)."""
        self.local_airflow.env = dict(self.env)
        self.local_airflow.migrate()
        self.local_airflow.start()
        self.local_airflow.wait_for_dag("dti_nightly")
        return self.local_airflow

    def run_window(self, conf: dict[str, str]) -> subprocess.CompletedProcess[str]:
        result = self.airflow("dags", "test", "dti_nightly", "--conf", json.dumps(conf))
        log = self.home / f"run-{len(list(self.home.glob('run-*.log')))}.log"
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        return result

    def close(self) -> None:
        self.local_airflow.stop()
        for simulator in self.simulators.values():
            simulator.stop()
        with psycopg.connect(self.server_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.metadata_db} WITH (FORCE)")


def marts_snapshot(dsn: str) -> dict[str, list[tuple]]:
    """Every row of every published table, as BI (``dti_bi``) reads it."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET ROLE dti_bi")
        columns: dict[str, list[str]] = {}
        for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'marts' ORDER BY table_name, ordinal_position"
        ):
            columns.setdefault(table, []).append(column)

        def rows(table: str) -> list:
            select = f"SELECT {', '.join(columns[table])} FROM marts.{table}"
            if table == "indicator_value":
                return conn.execute(f"{select} ORDER BY {INDICATOR_VALUE_KEY}").fetchall()
            return sorted(map(repr, conn.execute(select).fetchall()))

        return {table: rows(table) for table in columns}


def audit_rows(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT run_id, source, entity, extracts, loaded, validation, validation_message, "
            "published FROM ops.run_audit ORDER BY recorded_at, source, entity"
        ).fetchall()

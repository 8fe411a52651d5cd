"""``dti_nightly`` end to end with real Airflow, dbt and Great Expectations.

The three portal simulators serve the ``small`` scenario (Mỹ Hào, Apr–Jun 2023) with every
transport fault on; ``airflow dags test dti_nightly --conf ...`` — the README's command — runs
the whole DAG in a subprocess against a metadata database and a warehouse of the tests'
embedded PostgreSQL. Slow (several minutes per run): dbt runs once per model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from include.paths import PROJECT_ROOT
from include.scenario import DataFaults, build_scenario
from include.simulators import (
    DEMO_CREDENTIALS,
    DvcPortalSimulator,
    FaultConfig,
    OnestopSimulator,
    QlvbSimulator,
)

pytestmark = pytest.mark.slow

WINDOW = {"window_start": "2023-04-01", "window_end": "2023-06-30"}
E2E_DIR = PROJECT_ROOT / ".local" / "test" / "e2e"
#: The primary key of marts.indicator_value (warehouse.md §1): a total order for comparisons.
INDICATOR_VALUE_KEY = "scheme, unit_code, handling_level, period_type, period_key, indicator_code"
CONN_IDS = {"onestop": "onestop_api", "qlvb": "qlvb_api", "dvc_portal": "dvc_portal_api"}


def _database(server_dsn: str, name: str) -> str:
    base, _, query = server_dsn.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}?{query}"


def _conn_uri(source: str, url: str) -> str:
    creds = DEMO_CREDENTIALS[source]
    host = url.split("://", 1)[1]
    return f"http://{creds['login']}:{creds['password']}@{host}"


class Stack:
    """Simulators, databases and the environment of ``airflow dags test``."""

    def __init__(self, server_dsn: str, scenario) -> None:
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
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.home),
            "AIRFLOW_HOME": str(self.home / "airflow"),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": (
                f"postgresql+psycopg://postgres:@/{self.metadata_db}?host={socket_dir}"
            ),
            "AIRFLOW__COSMOS__CACHE_DIR": str(self.home / "cosmos"),
            "DTI_LOCAL_DIR": str(PROJECT_ROOT / ".local" / "test"),
            "DTI_LANDING_DIR": str(self.home / "landing"),
            "AIRFLOW_CONN_DTI_WAREHOUSE": self.warehouse,
            "AIRFLOW_VAR_DTI_PII_HMAC_KEY": "e2e-test-hmac-key-0123456789abcdef",
        }
        self.simulators: dict = {}
        self.serve(scenario, FaultConfig.all(seed=7))

    def serve(self, scenario, faults: FaultConfig) -> None:
        """(Re)start the three simulators on ``scenario`` and point the connections at them."""
        for simulator in self.simulators.values():
            simulator.stop()
        self.simulators = {
            "onestop": OnestopSimulator(scenario, faults=faults).start(),
            "qlvb": QlvbSimulator(scenario, faults=faults).start(),
            "dvc_portal": DvcPortalSimulator(scenario, faults=faults).start(),
        }
        for source, simulator in self.simulators.items():
            self.point_at(source, simulator.url)

    def point_at(self, source: str, url: str) -> None:
        self.env[f"AIRFLOW_CONN_{CONN_IDS[source].upper()}"] = _conn_uri(source, url)

    def airflow(self, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PROJECT_ROOT / ".venv" / "bin" / "airflow"), *args],
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def run_window(self, conf: dict[str, str]) -> subprocess.CompletedProcess[str]:
        result = self.airflow("dags", "test", "dti_nightly", "--conf", json.dumps(conf))
        log = self.home / f"run-{len(list(self.home.glob('run-*.log')))}.log"
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        return result

    def close(self) -> None:
        for simulator in self.simulators.values():
            simulator.stop()
        with psycopg.connect(self.server_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.metadata_db} WITH (FORCE)")


@pytest.fixture(scope="module")
def scenario():
    return build_scenario("small", 0, data_faults=DataFaults.all())


@pytest.fixture(scope="module")
def stack(server_dsn: str, scenario) -> Iterator[Stack]:
    stack = Stack(server_dsn, scenario)
    try:
        migrated = stack.airflow("db", "migrate", timeout=600)
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        yield stack
    finally:
        stack.close()


def marts_snapshot(dsn: str) -> dict[str, list[tuple]]:
    """Every row of every published table, as BI (``dti_bi``) reads it."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET ROLE dti_bi")
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'marts' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(
                f"SELECT * FROM marts.{table} ORDER BY {INDICATOR_VALUE_KEY}"
            ).fetchall()
            if table == "indicator_value"
            else sorted(map(repr, conn.execute(f"SELECT * FROM marts.{table}").fetchall()))
            for table in tables
        }


def audit_rows(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT run_id, source, entity, extracts, loaded, validation, validation_message, "
            "published FROM ops.run_audit ORDER BY recorded_at, source, entity"
        ).fetchall()


@pytest.fixture(scope="module")
def first_run(stack: Stack) -> dict[str, list[tuple]]:
    result = stack.run_window(WINDOW)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    return marts_snapshot(stack.warehouse)


def test_a_window_is_extracted_loaded_validated_and_published(stack: Stack, first_run) -> None:
    assert len(first_run["indicator_value"]) > 100
    assert {"indicator_value", "dti_index", "indicator_catalog", "dossiers"} <= set(first_run)
    with psycopg.connect(stack.warehouse) as conn:
        states = dict(
            conn.execute(
                "SELECT nspname, obj_description(oid, 'pg_namespace')::jsonb->>'state' "
                "FROM pg_namespace WHERE nspname IN ('marts', 'marts_build')"
            ).fetchall()
        )
        quarantined = conn.execute("SELECT count(*) FROM ops.quarantine").fetchone()[0]
    assert states == {"marts": "published", "marts_build": "retired"}
    assert quarantined > 0  # the scenario's broken records were kept aside, not dropped
    rows = audit_rows(stack.warehouse)
    assert len(rows) == 10  # one per source and entity
    assert {row[5] for row in rows} == {"passed"}
    assert all(row[7] for row in rows)


def test_the_same_window_again_changes_no_published_row(stack: Stack, scenario, first_run) -> None:
    # "Same range twice = no change" needs the same source data twice. The first run's drift
    # fault really changed records while it listed them (updates at the source's clock, some
    # moved out of the window, to be picked up by a later night), so the comparison is between
    # two runs that meet the same data: every transport fault stays on, no live update.
    stack.serve(scenario, dataclasses.replace(FaultConfig.all(seed=8), drift=0.0))
    results = []
    snapshots = []
    for _ in range(2):
        results.append(stack.run_window(WINDOW))
        snapshots.append(marts_snapshot(stack.warehouse))
    for result in results:
        assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    assert set(snapshots[0]) == set(first_run)
    assert snapshots[1] == snapshots[0]


def _accepted_before_submitted(scenario) -> str:
    """Make one dossier of the window read as accepted a day before it was submitted: a
    record the extractor lands (its fields are well formed) but a blocking check refuses."""
    for index, record in enumerate(scenario.dossiers):
        updated = record.get("NgayCapNhat") or ""
        if (
            "20230401" <= updated[:8] <= "20230630"
            and record.get("NgayTiepNhan")
            and not record.get("_malformed")
        ):
            submitted = dt.datetime.strptime(record["NgayNopHoSo"], "%Y%m%d%H%M%S")
            early = (submitted - dt.timedelta(days=1)).strftime("%Y%m%d%H%M%S")
            scenario.dossiers[index] = {**record, "NgayTiepNhan": early}
            return record["MaHoSo"]
    raise AssertionError("the scenario has no accepted dossier updated in the window")


def test_a_blocking_failure_stops_publishing_and_names_the_check(
    stack: Stack, scenario, first_run
) -> None:
    published_before = marts_snapshot(stack.warehouse)
    _accepted_before_submitted(scenario)
    tampered = OnestopSimulator(scenario, faults=FaultConfig.none()).start()
    try:
        stack.point_at("onestop", tampered.url)
        result = stack.run_window(WINDOW)
    finally:
        tampered.stop()
        stack.point_at("onestop", stack.simulators["onestop"].url)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "onestop window 2023-04-01..2023-06-30" in output
    assert "NgayTiepNhan" in output  # the failed check names the columns it compares
    assert "dti_nightly run" in output  # the failure callback's sentence
    assert marts_snapshot(stack.warehouse) == published_before  # previous figures, queryable
    failed = [row for row in audit_rows(stack.warehouse) if row[5] == "failed"]
    assert [(row[1], row[2]) for row in failed] == [("onestop", "hoso")]
    assert "NgayTiepNhan" in failed[0][6] and not failed[0][7]

"""Crash and restart: the worker killed (SIGKILL) mid-load and mid-publish, the warehouse
restarted during a run. Each time, running the steps again converges to what one undisturbed
run gives: the same staging models (what every mart is computed from), the same marts."""

from __future__ import annotations

import json
import signal
from typing import Any

import psycopg
import pytest
from conftest import new_database
from pipeline_world import (
    AGENCIES,
    APRIL,
    MAY,
    RENAMED,
    build_staging,
    den,
    land,
    month_of_dossiers,
    run_steps,
    staging_state,
    start_child,
    wait_for,
)
from psycopg import sql

from include.landing import LandingArea
from include.publish import mark_candidate, prepare_candidate, publish, schema_state

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

#: In the child: load the manifests, killed by the test while copying the second file.
LOAD_PAUSED_MID_COPY = """
import sys, time
from pathlib import Path
from include.load import loader
from include.pipeline.steps import load_extracts

rows, files = loader._verbatim_rows, []
def pausing(path, prefix):
    files.append(path)
    for number, row in enumerate(rows(path, prefix)):
        if len(files) == 2 and number == 1:
            print("copying", flush=True)
            time.sleep(600)
        yield row
loader._verbatim_rows = pausing
load_extracts(sys.argv[1], Path(sys.argv[2]), sys.argv[3:])
"""

#: In the child: load the manifests, stopping after the first file until the test says go.
LOAD_WAITING_AFTER_ONE = """
import sys
from pathlib import Path
from include.load import loader
from include.pipeline.steps import load_extracts

load_manifest, done = loader.load_manifest, []
def waiting(*args, **kwargs):
    result = load_manifest(*args, **kwargs)
    if not done:
        done.append(result)
        print("committed", flush=True)
        sys.stdin.readline()
    return result
loader.load_manifest = waiting
load_extracts(sys.argv[1], Path(sys.argv[2]), sys.argv[3:])
"""

#: In the child: publish, killed by the test inside the transaction, after the swap.
PUBLISH_PAUSED_AFTER_SWAP = """
import sys, time
from include.publish import wap

swap = wap._swap
def pausing(conn):
    swap(conn)
    print("swapped", flush=True)
    time.sleep(600)
wap._swap = pausing
wap.publish(sys.argv[1], sys.argv[2], sys.argv[3:])
"""

TABLES = ["dti_index", "indicator_value"]


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> tuple[LandingArea, list[str]]:
    """One night's extracts, landed once for every run of this module."""
    landing = LandingArea(tmp_path_factory.mktemp("landing"))
    documents = [den(7, "VB-001", APRIL[0]), den(8, "VB-001", APRIL[0]), den(8, "VB-002", APRIL[1])]
    paths = [
        # The catalogue A, then B, then A again: the last is the truth.
        land(landing, "onestop", "donvi", APRIL, AGENCIES),
        land(landing, "onestop", "donvi", APRIL, RENAMED),
        land(landing, "onestop", "donvi", APRIL, AGENCIES),
        land(landing, "onestop", "hoso", APRIL, month_of_dossiers(APRIL, "A", 4)),
        land(landing, "onestop", "hoso", MAY, month_of_dossiers(MAY, "M", 4)),
        # Two units register a document under the same code (a code is unique per unit).
        land(landing, "qlvb", "den", APRIL, documents),
    ]
    return landing, paths


@pytest.fixture(scope="module")
def undisturbed(
    module_dsn: str, night: tuple[LandingArea, list[str]], tmp_path_factory
) -> dict[str, list[str]]:
    landing, paths = night
    workdir = tmp_path_factory.mktemp("undisturbed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DTI_VALIDATION_DIR", str(workdir / "validation"))
        run_steps(module_dsn, landing.root, paths)
    build_staging(module_dsn, workdir)
    return staging_state(module_dsn)


def rows_of(state: dict[str, list[str]], table: str) -> list[dict[str, Any]]:
    return [json.loads(row) for row in state[table]]


def test_the_undisturbed_night_keeps_the_latest_catalogue_and_each_unit_s_documents(
    undisturbed,
):
    agencies = rows_of(undisturbed, "stg_onestop__agencies")
    names = {agency["agency_code"]: agency["agency_name"] for agency in agencies}
    assert names == {a["MaDonVi"]: a["TenDonVi"] for a in AGENCIES}
    documents = rows_of(undisturbed, "stg_qlvb__incoming_documents")
    assert sorted((d["unit_id"], d["document_code"]) for d in documents) == [
        (7, "VB-001"),
        (8, "VB-001"),
        (8, "VB-002"),
    ]
    assert len(rows_of(undisturbed, "stg_onestop__dossiers")) == 8


def test_a_worker_killed_mid_load_converges_on_the_rerun(fresh_dsn, night, undisturbed, tmp_path):
    landing, paths = night
    child = start_child(LOAD_PAUSED_MID_COPY, fresh_dsn, str(landing.root), *paths)
    wait_for(child, "copying")
    child.send_signal(signal.SIGKILL)
    child.wait()
    with psycopg.connect(fresh_dsn) as conn:  # the first file committed, the second not at all
        assert conn.execute("SELECT count(*) FROM ops.load_ledger").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM onestop.donvi").fetchone() == (3,)

    run_steps(fresh_dsn, landing.root, paths)
    build_staging(fresh_dsn, tmp_path)

    assert staging_state(fresh_dsn) == undisturbed


def test_the_warehouse_restarted_during_a_run_converges_on_the_rerun(
    restartable_server, night, undisturbed, tmp_path
):
    landing, paths = night
    with new_database(restartable_server.dsn) as dsn:
        child = start_child(LOAD_WAITING_AFTER_ONE, dsn, str(landing.root), *paths)
        wait_for(child, "committed")
        restartable_server.restart()
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.wait() != 0  # the task fails: its connection was ended by the restart
        assert "terminating connection due to administrator command" in child.stderr.read()

        run_steps(dsn, landing.root, paths)
        build_staging(dsn, tmp_path)

        assert staging_state(dsn) == undisturbed


def publish_run(dsn: str, run_id: str, *, child: bool = False) -> None:
    """A run's candidate (tables holding the run's id), validated, then published."""
    prepare_candidate(dsn, run_id, TABLES)
    with psycopg.connect(dsn) as conn:
        for table in TABLES:
            name = sql.Identifier("marts_build", table)
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))
            create = "CREATE TABLE {} AS SELECT %s::text AS run_id, n FROM generate_series(1, 3) n"
            conn.execute(sql.SQL(create).format(name), (run_id,))
    mark_candidate(dsn, run_id, passed=True, message="validated")
    if not child:
        publish(dsn, run_id, TABLES)


def marts_state(dsn: str) -> dict[str, Any]:
    with psycopg.connect(dsn) as conn:
        state: dict[str, Any] = {
            schema: (schema_state(conn, schema).state, schema_state(conn, schema).run_id)
            for schema in ("marts", "marts_build")
        }
        for table in TABLES:
            state[table] = conn.execute(
                f"SELECT run_id, n FROM marts.{table} ORDER BY n"
            ).fetchall()
        state["log"] = conn.execute(
            "SELECT action, run_id, replaced_run FROM ops.publish_log ORDER BY publish_id"
        ).fetchall()
    return state


def test_a_worker_killed_mid_publish_leaves_the_figures_and_the_rerun_publishes(
    fresh_dsn, other_dsn
):
    for dsn in (fresh_dsn, other_dsn):
        publish_run(dsn, "night-1")
    publish_run(other_dsn, "night-2")  # undisturbed
    publish_run(fresh_dsn, "night-2", child=True)
    before = marts_state(fresh_dsn)

    child = start_child(PUBLISH_PAUSED_AFTER_SWAP, fresh_dsn, "night-2", *TABLES)
    wait_for(child, "swapped")
    child.send_signal(signal.SIGKILL)
    child.wait()

    assert marts_state(fresh_dsn) == before  # BI still reads night 1, whole
    assert (
        before["marts"] == ("published", "night-1") and before["indicator_value"][0][0] == "night-1"
    )
    publish(fresh_dsn, "night-2", TABLES)  # the task, cleared and run again
    assert marts_state(fresh_dsn) == marts_state(other_dsn)
    assert marts_state(fresh_dsn)["marts"] == ("published", "night-2")

"""Only validated data reaches the models: a retried load is validated whole, a failed batch is
built on no later night until an operator accepts it (docs/operations.md)."""

from __future__ import annotations

import signal

import psycopg
import pytest
from pipeline_world import (
    AGENCIES,
    APRIL,
    JUNE,
    MAY,
    build_staging,
    dossier_codes,
    land,
    month_of_dossiers,
    run_steps,
    start_child,
    wait_for,
)

from include.pipeline import steps
from include.validate import accept_load
from include.validate.verdicts import held_loads

#: In the child: load every given manifest, stopping for good after the first one committed.
LOAD_THEN_HANG = """
import sys, time
from pathlib import Path
from include.load import loader
from include.pipeline.steps import load_extracts

load_manifest = loader.load_manifest
def committing_one(*args, **kwargs):
    result = load_manifest(*args, **kwargs)
    print("committed", flush=True)
    time.sleep(600)
loader.load_manifest = committing_one
load_extracts(sys.argv[1], Path(sys.argv[2]), sys.argv[3:])
"""


def test_a_load_task_killed_between_two_files_and_retried_is_validated_whole(fresh_dsn, landing):
    paths = [
        land(landing, "onestop", "hoso", APRIL, month_of_dossiers(APRIL, "A", 5)),
        land(landing, "onestop", "hoso", MAY, month_of_dossiers(MAY, "M", 5)),
    ]
    child = start_child(LOAD_THEN_HANG, fresh_dsn, str(landing.root), *paths)
    wait_for(child, "committed")
    child.send_signal(signal.SIGKILL)  # the worker dies between the two files
    child.wait()

    retried = steps.load_extracts(fresh_dsn, landing.root, paths)  # Airflow's retry
    outcomes = steps.validate_loads(fresh_dsn, landing.root, "onestop", retried)

    assert [load["new"] for load in retried] == [False, True]
    assert sorted(o["load_id"] for o in outcomes) == sorted(load["load_id"] for load in retried)
    with psycopg.connect(fresh_dsn) as conn:
        verdicts = conn.execute("SELECT verdict FROM ops.load_verdict").fetchall()
    assert verdicts == [("passed",), ("passed",)]


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_a_batch_that_failed_validation_is_built_on_no_later_night_until_accepted(
    fresh_dsn, landing, tmp_path
):
    may = month_of_dossiers(MAY, "M", 3)
    may[1]["TrangThaiHoSo"] = "11"  # 1 of 3: far beyond the tolerance, the batch blocks
    night_one = [
        land(landing, "onestop", "donvi", APRIL, AGENCIES),
        land(landing, "onestop", "hoso", APRIL, month_of_dossiers(APRIL, "A", 3)),
        land(landing, "onestop", "hoso", MAY, may),
    ]
    with pytest.raises(steps.ValidationFailed, match="1 of 3 loads failed validation"):
        run_steps(fresh_dsn, landing.root, night_one)

    # The next night loads June; May is not validated again, does not block, and is not read.
    june = land(landing, "onestop", "hoso", JUNE, month_of_dossiers(JUNE, "J", 3))
    run_steps(fresh_dsn, landing.root, [june])
    build_staging(fresh_dsn, tmp_path)

    assert dossier_codes(fresh_dsn) == {"A-000", "A-001", "A-002", "J-000", "J-001", "J-002"}
    with psycopg.connect(fresh_dsn) as conn:
        [held] = held_loads(conn)
        kept = conn.execute(
            "SELECT count(*) FROM onestop.hoso WHERE load_id = %s", (held.load_id,)
        ).fetchone()[0]
    assert (held.window_start, held.verdict, kept) == (MAY[0], "failed", 3)  # inspectable

    accept_load(fresh_dsn, held.load_id, reason="status 11 is a test status", by="operator")
    build_staging(fresh_dsn, tmp_path)  # incremental: a release older than the kept rows

    assert dossier_codes(fresh_dsn) >= {"M-000", "M-002"}
    assert "M-001" not in dossier_codes(fresh_dsn)  # quarantined on acceptance: invalid

"""Write-audit-publish: BI never sees a missing or half-built marts; failures change nothing."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from include.publish import (
    PublishError,
    mark_candidate,
    prepare_candidate,
    publish,
    rollback,
    schema_state,
)

TABLES = ("indicator_value", "dti_index")
ROWS = 2000


def build_candidate(dsn: str, version: int, *, slowly: bool = False) -> None:
    """What dbt does to the candidate: replace each table, in several commits when ``slowly``."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS marts_build.{table}")
            conn.execute(f"CREATE TABLE marts_build.{table} (k int PRIMARY KEY, v int NOT NULL)")
            step = ROWS // 4 if slowly else ROWS
            for start in range(0, ROWS, step):
                conn.execute(
                    f"INSERT INTO marts_build.{table} "
                    "SELECT g, %s::int FROM generate_series(%s::int, %s::int) g",
                    (version, start, start + step - 1),
                )
                if slowly:
                    time.sleep(0.01)


def run_cycle(dsn: str, run_id: str, version: int, *, passes: bool, slowly: bool = False) -> None:
    prepare_candidate(dsn, run_id, TABLES)
    build_candidate(dsn, version, slowly=slowly)
    mark_candidate(dsn, run_id, passed=passes, message="ok" if passes else "check failed")
    if passes:
        publish(dsn, run_id, TABLES)


def snapshot(dsn: str) -> tuple:
    """Everything BI could observe of marts, plus the identity of its relations."""
    with psycopg.connect(dsn) as conn:
        oids = conn.execute(
            "SELECT c.relname, c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'marts' ORDER BY 1"
        ).fetchall()
        rows = [
            conn.execute(f"SELECT k, v FROM marts.{table} ORDER BY k").fetchall()
            for table in TABLES
        ]
        return oids, rows, schema_state(conn, "marts").detail


def test_reader_never_sees_a_missing_or_partial_table_during_publishes(fresh_dsn: str) -> None:
    run_cycle(fresh_dsn, "run-1", 1, passes=True)
    stop = threading.Event()
    seen: set[int] = set()
    errors: list[BaseException] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        try:
            with psycopg.connect(fresh_dsn, autocommit=True) as conn:
                conn.execute("SET ROLE dti_bi")
                while not stop.is_set():
                    count, low, high = conn.execute(
                        "SELECT count(*), min(v), max(v) FROM marts.indicator_value"
                    ).fetchone()
                    assert count == ROWS and low == high, (count, low, high)
                    seen.add(low)
                    reads += 1
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for version in range(2, 8):
            run_cycle(fresh_dsn, f"run-{version}", version, passes=True, slowly=True)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert reads > 50
    assert len(seen) >= 3  # the reader really observed several publishes


def test_failed_validation_leaves_marts_identical_and_the_failed_build_inspectable(
    fresh_dsn: str,
) -> None:
    run_cycle(fresh_dsn, "run-1", 1, passes=True)
    before = snapshot(fresh_dsn)
    run_cycle(fresh_dsn, "run-2", 2, passes=False)
    with pytest.raises(PublishError, match="'failed' for run 'run-2'"):
        publish(fresh_dsn, "run-2", TABLES)
    assert snapshot(fresh_dsn) == before
    with psycopg.connect(fresh_dsn) as conn:
        assert conn.execute("SELECT DISTINCT v FROM marts_build.indicator_value").fetchall() == [
            (2,)
        ]
        state = schema_state(conn, "marts_build")
    assert (state.state, state.run_id, state.detail["message"]) == (
        "failed",
        "run-2",
        "check failed",
    )


def test_the_candidate_is_closed_to_bi_even_if_the_build_granted_it(fresh_dsn: str) -> None:
    prepare_candidate(fresh_dsn, "run-1", TABLES)
    build_candidate(fresh_dsn, 1)
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("GRANT USAGE ON SCHEMA marts_build TO dti_bi")
    mark_candidate(fresh_dsn, "run-1", passed=True, message="ok")
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE dti_bi")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM marts_build.indicator_value")


def test_publish_refuses_a_candidate_missing_a_table(fresh_dsn: str) -> None:
    run_cycle(fresh_dsn, "run-1", 1, passes=True)
    before = snapshot(fresh_dsn)
    prepare_candidate(fresh_dsn, "run-2", TABLES)
    build_candidate(fresh_dsn, 2)
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE marts_build.dti_index")
    mark_candidate(fresh_dsn, "run-2", passed=True, message="ok")
    with pytest.raises(PublishError, match="lacks dti_index"):
        publish(fresh_dsn, "run-2", TABLES)
    assert snapshot(fresh_dsn) == before


def test_publish_refuses_another_runs_candidate(fresh_dsn: str) -> None:
    prepare_candidate(fresh_dsn, "run-1", TABLES)
    build_candidate(fresh_dsn, 1)
    prepare_candidate(fresh_dsn, "run-2", TABLES)  # a later run took the candidate over
    with pytest.raises(PublishError, match="another run took it over"):
        mark_candidate(fresh_dsn, "run-1", passed=True, message="ok")
    with pytest.raises(PublishError, match="'building' for run 'run-2'"):
        publish(fresh_dsn, "run-1", TABLES)


def test_rollback_restores_the_previous_figures_until_the_next_build(fresh_dsn: str) -> None:
    run_cycle(fresh_dsn, "run-1", 1, passes=True)
    first = snapshot(fresh_dsn)[1]
    run_cycle(fresh_dsn, "run-2", 2, passes=True)
    assert rollback(fresh_dsn) == "run-1"
    assert snapshot(fresh_dsn)[1] == first
    with psycopg.connect(fresh_dsn) as conn:
        actions = conn.execute(
            "SELECT action, run_id FROM ops.publish_log ORDER BY 1, 2"
        ).fetchall()
    assert actions == [("publish", "run-1"), ("publish", "run-2"), ("rollback", "run-1")]
    prepare_candidate(fresh_dsn, "run-3", TABLES)
    with pytest.raises(PublishError, match="no previous figures"):
        rollback(fresh_dsn)


def test_prepare_drops_candidate_tables_that_are_no_longer_models(fresh_dsn: str) -> None:
    run_cycle(fresh_dsn, "run-1", 1, passes=True)
    run_cycle(fresh_dsn, "run-2", 2, passes=True)
    prepare_candidate(fresh_dsn, "run-3", ("indicator_value",))
    with psycopg.connect(fresh_dsn) as conn:
        names = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'marts_build'"
        ).fetchall()
    assert names == [("indicator_value",)]

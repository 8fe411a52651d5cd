"""``ops.validation_run``: one summary row per suite run, kept beside the load ledger."""

from __future__ import annotations

import psycopg

from include.validate.outcome import SuiteRun

DDL = """
CREATE SCHEMA IF NOT EXISTS ops;

CREATE TABLE IF NOT EXISTS ops.validation_run (
    validation_run_id  bigserial   PRIMARY KEY,
    run_id             text        NOT NULL,
    suite              text        NOT NULL,
    source             text,
    entity             text,
    load_id            bigint,
    scope              text        NOT NULL,
    blocking_evaluated integer     NOT NULL,
    blocking_failed    integer     NOT NULL,
    warning_evaluated  integer     NOT NULL,
    warning_failed     integer     NOT NULL,
    passed             boolean     NOT NULL,
    failures           text        NOT NULL,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz NOT NULL,
    data_docs_path     text,
    quarantined_rows   integer     NOT NULL DEFAULT 0
);
ALTER TABLE ops.validation_run
    ADD COLUMN IF NOT EXISTS quarantined_rows integer NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS validation_run_load_id_idx ON ops.validation_run (load_id);
"""


def ensure_table(conn: psycopg.Connection) -> None:
    # One lock so two validations starting together don't race on CREATE ... IF NOT EXISTS.
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('dti_validation_run'))")
        conn.execute(DDL)


def record_runs(dsn: str, runs: list[SuiteRun]) -> None:
    with psycopg.connect(dsn) as conn:
        ensure_table(conn)
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                """
                INSERT INTO ops.validation_run (run_id, suite, source, entity, load_id, scope,
                    blocking_evaluated, blocking_failed, warning_evaluated, warning_failed,
                    passed, failures, started_at, finished_at, data_docs_path,
                    quarantined_rows)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                """,
                [
                    (
                        run.run_id,
                        run.suite,
                        run.source,
                        run.entity,
                        run.load_id,
                        run.scope,
                        run.evaluated.get("blocking", 0),
                        len(run.failed("blocking")),
                        run.evaluated.get("warning", 0),
                        len(run.failed("warning")),
                        run.passed,
                        "\n".join(str(f) for f in run.failures),
                        run.started_at,
                        run.finished_at,
                        str(run.data_docs_page) if run.data_docs_page else None,
                        run.quarantined_rows,
                    )
                    for run in runs
                ],
            )

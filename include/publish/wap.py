"""Write-audit-publish of the marts: build beside the published figures, swap after validation.

Two schemas take turns (blue/green):

* ``marts`` — the published figures, the only schema ``dti_bi`` can use;
* ``marts_build`` — the candidate: dbt builds the marts models here (var ``marts_schema``),
  validation runs here, and a failed build stays here to be inspected.

Publishing is one transaction that renames ``marts`` → ``marts_swap``, ``marts_build`` →
``marts`` and ``marts_swap`` → ``marts_build`` and moves the ``USAGE`` grant with the name.
PostgreSQL resolves a schema name under a catalog snapshot, so a reader sees either the old or
the new schema, never neither and never a half-built table; queries already running keep
reading the tables they opened. The previous figures become the next candidate, so they stay
available for a rollback (the same swap back) until the next run starts building.

Each schema carries its state as a JSON comment, which travels with it through the renames:
``building`` (a run's dbt is writing it), ``validated``, ``failed`` (validation refused it),
``published`` (what BI reads) and ``retired`` (the previous figures, still intact).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from include.warehouse.roles import BI_ROLE, CANDIDATE_SCHEMA, PUBLISHED_SCHEMA, ensure_roles

log = logging.getLogger(__name__)

SWAP_SCHEMA = "marts_swap"

PUBLISH_LOG_DDL = """
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.publish_log (
    publish_id    bigserial   PRIMARY KEY,
    action        text        NOT NULL CHECK (action IN ('publish', 'rollback')),
    run_id        text        NOT NULL,
    replaced_run  text,
    tables        integer     NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now()
);
"""


class PublishError(RuntimeError):
    """The candidate cannot be published (or the previous figures cannot be restored)."""


@dataclass(frozen=True)
class SchemaState:
    schema: str
    state: str | None
    run_id: str | None
    detail: dict[str, Any]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def schema_state(conn: psycopg.Connection, schema: str) -> SchemaState:
    """The state comment of ``schema`` (``state`` None when it has none or does not exist)."""
    row = conn.execute(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
        (schema,),
    ).fetchone()
    try:
        detail = json.loads(row[0]) if row and row[0] else {}
    except json.JSONDecodeError:
        detail = {}
    return SchemaState(schema, detail.get("state"), detail.get("run_id"), detail)


def _set_state(
    conn: psycopg.Connection, schema: str, state: str, run_id: str, **extra: Any
) -> None:
    comment = json.dumps({"state": state, "run_id": run_id, "at": _now(), **extra})
    conn.execute(
        sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(schema), sql.Literal(comment))
    )


def tables_in(conn: psycopg.Connection, schema: str) -> set[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
    ).fetchall()
    return {name for (name,) in rows}


@contextlib.contextmanager
def _publish_transaction(dsn: str) -> Iterator[psycopg.Connection]:
    """One transaction holding the publish lock, with the roles and the publish log in place:
    the transaction every change to the two marts schemas runs in."""
    with psycopg.connect(dsn) as conn:
        ensure_roles(conn)
        with conn.transaction():
            conn.execute(PUBLISH_LOG_DDL)
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('dti_publish'))")
            yield conn


def prepare_candidate(dsn: str, run_id: str, expected_tables: Iterable[str]) -> None:
    """Make ``marts_build`` ready for a run's dbt build.

    Creates the schemas, role and grants if missing, drops candidate tables that are no
    longer marts models (so a removed model is never published again) and marks the candidate
    ``building``: from now on it holds no publishable or restorable figures until validated.
    """
    expected = set(expected_tables)
    with _publish_transaction(dsn) as conn:
        for table in sorted(tables_in(conn, CANDIDATE_SCHEMA) - expected):
            log.info("dropping %s.%s: no longer a marts model", CANDIDATE_SCHEMA, table)
            conn.execute(
                sql.SQL("DROP TABLE {}.{} CASCADE").format(
                    sql.Identifier(CANDIDATE_SCHEMA), sql.Identifier(table)
                )
            )
        _set_state(conn, CANDIDATE_SCHEMA, "building", run_id)


def mark_candidate(dsn: str, run_id: str, *, passed: bool, message: str) -> None:
    """Record the validation outcome of ``run_id``'s candidate (``validated`` or ``failed``)."""
    with psycopg.connect(dsn) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('dti_publish'))")
        current = schema_state(conn, CANDIDATE_SCHEMA)
        if current.run_id != run_id or current.state != "building":
            raise PublishError(
                f"{CANDIDATE_SCHEMA} is {current.state!r} for run {current.run_id!r}, not being "
                f"built by run {run_id!r}: another run took it over; nothing recorded"
            )
        # Whatever a build step granted, BI never reads a candidate.
        conn.execute(
            sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(
                sql.Identifier(CANDIDATE_SCHEMA), sql.Identifier(BI_ROLE)
            )
        )
        _set_state(
            conn, CANDIDATE_SCHEMA, "validated" if passed else "failed", run_id, message=message
        )


def _swap(conn: psycopg.Connection) -> None:
    published = sql.Identifier(PUBLISHED_SCHEMA)
    candidate = sql.Identifier(CANDIDATE_SCHEMA)
    swap = sql.Identifier(SWAP_SCHEMA)
    bi = sql.Identifier(BI_ROLE)
    rename = sql.SQL("ALTER SCHEMA {} RENAME TO {}")
    conn.execute(rename.format(published, swap))
    conn.execute(rename.format(candidate, published))
    conn.execute(rename.format(swap, candidate))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(published, bi))
    conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(published, bi))
    conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(candidate, bi))


def publish(dsn: str, run_id: str, expected_tables: Iterable[str]) -> int:
    """Swap ``run_id``'s validated candidate in as ``marts``, atomically; returns its table count.

    Refuses unless the candidate was validated for this very run and holds every expected
    table, so BI can never lose a relation it relied on.
    """
    expected = set(expected_tables)
    with _publish_transaction(dsn) as conn:
        candidate = schema_state(conn, CANDIDATE_SCHEMA)
        if candidate.state != "validated" or candidate.run_id != run_id:
            raise PublishError(
                f"not publishing: {CANDIDATE_SCHEMA} is {candidate.state!r} for run "
                f"{candidate.run_id!r}; only a candidate validated by run {run_id!r} is "
                f"published. {PUBLISHED_SCHEMA} is unchanged."
            )
        missing = expected - tables_in(conn, CANDIDATE_SCHEMA)
        if missing:
            raise PublishError(
                f"not publishing: {CANDIDATE_SCHEMA} lacks {', '.join(sorted(missing))} "
                f"(dbt must build the marts models into {CANDIDATE_SCHEMA}: "
                f"var marts_schema). {PUBLISHED_SCHEMA} is unchanged."
            )
        replaced = schema_state(conn, PUBLISHED_SCHEMA)
        _swap(conn)
        _set_state(conn, PUBLISHED_SCHEMA, "published", run_id)
        _set_state(conn, CANDIDATE_SCHEMA, "retired", replaced.run_id or "", retired_by=run_id)
        count = len(tables_in(conn, PUBLISHED_SCHEMA))
        conn.execute(
            "INSERT INTO ops.publish_log (action, run_id, replaced_run, tables) "
            "VALUES ('publish', %s, %s, %s)",
            (run_id, replaced.run_id, count),
        )
    log.info(
        "published run %s: %d tables in %s (previous figures of run %s kept in %s)",
        run_id,
        count,
        PUBLISHED_SCHEMA,
        replaced.run_id,
        CANDIDATE_SCHEMA,
    )
    return count


def rollback(dsn: str) -> str:
    """Put the previous published figures back (the swap in reverse); returns their run id.

    Possible only while ``marts_build`` still holds them intact (state ``retired``), i.e.
    before the next run starts building.
    """
    with _publish_transaction(dsn) as conn:
        previous = schema_state(conn, CANDIDATE_SCHEMA)
        if previous.state != "retired" or not previous.run_id:
            raise PublishError(
                f"no previous figures to restore: {CANDIDATE_SCHEMA} is {previous.state!r} "
                f"(run {previous.run_id!r}); a run has started building since the last "
                f"publish. Re-publish by triggering dti_nightly for the wanted window."
            )
        current = schema_state(conn, PUBLISHED_SCHEMA)
        _swap(conn)
        _set_state(conn, PUBLISHED_SCHEMA, "published", previous.run_id, restored=True)
        _set_state(conn, CANDIDATE_SCHEMA, "retired", current.run_id or "", retired_by="rollback")
        conn.execute(
            "INSERT INTO ops.publish_log (action, run_id, replaced_run, tables) "
            "VALUES ('rollback', %s, %s, %s)",
            (previous.run_id, current.run_id, len(tables_in(conn, PUBLISHED_SCHEMA))),
        )
    log.info("rolled back: %s holds run %s again", PUBLISHED_SCHEMA, previous.run_id)
    return previous.run_id

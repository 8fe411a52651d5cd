"""The run audit (warehouse.md §2): one row per run, source and entity in ``ops.run_audit``.

Written by the last task of ``dti_nightly`` whatever happened before it, from the small
summaries the tasks passed on: how many extracts and records, loaded, already loaded by an
earlier run, quarantined, the validation results and timings, and whether the run published.
The per-file detail stays in ``ops.load_audit`` (keyed by ``load_id``, listed here).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from typing import Any

import psycopg

from include.pipeline.plan import SOURCE_ENTITIES, RunWindow

log = logging.getLogger(__name__)

RUN_AUDIT_DDL = """
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.run_audit (
    run_id              text        NOT NULL,
    source              text        NOT NULL,
    entity              text        NOT NULL,
    window_start        date        NOT NULL,
    window_end          date        NOT NULL,
    nightly             boolean     NOT NULL,
    extracts            integer     NOT NULL,
    extracted           integer     NOT NULL,
    loaded              integer     NOT NULL,
    already_loaded      integer     NOT NULL,
    quarantined         integer     NOT NULL,
    load_ids            bigint[]    NOT NULL,
    validation          text        NOT NULL
        CHECK (validation IN ('passed', 'failed', 'not_run', 'nothing_new')),
    validation_message  text,
    extract_seconds     numeric     NOT NULL,
    load_seconds        numeric     NOT NULL,
    published           boolean     NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, source, entity)
);
"""


@dataclass(frozen=True)
class AuditRow:
    run_id: str
    source: str
    entity: str
    window_start: str
    window_end: str
    nightly: bool
    extracts: int
    extracted: int
    loaded: int
    already_loaded: int
    quarantined: int
    load_ids: list[int]
    validation: str
    validation_message: str | None
    extract_seconds: float
    load_seconds: float
    published: bool


def _validation_status(
    loads: Sequence[Mapping[str, Any]] | None, outcomes: Sequence[Mapping[str, Any]]
) -> tuple[str, str | None]:
    failed = [o for o in outcomes if not o["passed"]]
    if failed:
        return "failed", "; ".join(o["message"] for o in failed)
    if outcomes:
        return "passed", None
    if loads is not None and not any(load["new"] for load in loads):
        return "nothing_new", None
    return "not_run", None


def audit_rows(
    run_id: str,
    run: RunWindow,
    loads: Mapping[str, Sequence[Mapping[str, Any]] | None],
    validations: Mapping[str, Sequence[Mapping[str, Any]] | None],
    *,
    published: bool,
) -> list[AuditRow]:
    """One row per source and entity of the run (zeros where nothing was extracted).

    ``loads`` and ``validations`` map each source to its tasks' summaries, None where the
    task did not run (an upstream failure).
    """
    rows = []
    for source, entities in SOURCE_ENTITIES.items():
        source_loads = loads.get(source)
        for entity in entities:
            mine = [load for load in source_loads or () if load["entity"] == entity]
            outcomes = [o for o in validations.get(source) or () if o["entity"] == entity]
            status, message = _validation_status(
                mine if source_loads is not None else None, outcomes
            )
            # Records validation moved from this run's new loads to the quarantine.
            new_ids = {load["load_id"] for load in mine if load["new"]}
            moved = sum(o.get("quarantined", 0) for o in outcomes if o["load_id"] in new_ids)
            rows.append(
                AuditRow(
                    run_id=run_id,
                    source=source,
                    entity=entity,
                    window_start=run.start.isoformat(),
                    window_end=run.end.isoformat(),
                    nightly=run.nightly,
                    extracts=len(mine),
                    extracted=sum(load["extracted"] for load in mine),
                    loaded=sum(load["loaded"] for load in mine) - moved,
                    already_loaded=sum(1 for load in mine if not load["new"]),
                    quarantined=sum(load["quarantined"] for load in mine if load["new"]) + moved,
                    load_ids=[load["load_id"] for load in mine if load["load_id"] is not None],
                    validation=status,
                    validation_message=message,
                    extract_seconds=round(sum(load["extract_seconds"] for load in mine), 3),
                    load_seconds=round(sum(load["load_seconds"] for load in mine), 3),
                    published=published,
                )
            )
    return rows


def write_audit(dsn: str, rows: Sequence[AuditRow]) -> None:
    """Insert (or, for a re-run of the audit task, replace) the run's rows."""
    names = [f.name for f in fields(AuditRow)]
    columns = ", ".join(names)
    placeholders = ", ".join(["%s"] * len(names))
    updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in names[3:])
    with psycopg.connect(dsn) as conn, conn.transaction():
        conn.execute(RUN_AUDIT_DDL)
        with conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO ops.run_audit ({columns}) VALUES ({placeholders}) "
                f"ON CONFLICT (run_id, source, entity) "
                f"DO UPDATE SET {updates}, recorded_at = now()",
                [astuple(row) for row in rows],
            )


def format_audit(rows: Sequence[AuditRow]) -> str:
    """The audit as a small table for the task log."""
    header = (
        f"{'source.entity':<22} {'extracts':>8} {'extracted':>9} {'loaded':>7} {'again':>6} "
        f"{'quar.':>6}  validation"
    )
    lines = [header]
    for row in rows:
        lines.append(
            f"{row.source + '.' + row.entity:<22} {row.extracts:>8} {row.extracted:>9} "
            f"{row.loaded:>7} {row.already_loaded:>6} {row.quarantined:>6}  {row.validation}"
            + (f": {row.validation_message}" if row.validation_message else "")
        )
    return "\n".join(lines)

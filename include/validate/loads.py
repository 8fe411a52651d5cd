"""Validating one raw load (one landed file, one ``ops.load_ledger`` row) before it is used.

Two suites run per load, both scoped to that load only:

* ``<source>.<entity>`` — the records: the rows of ``<source>.<entity>`` with this ``load_id``,
  projected by the suite's definition and checked by PostgreSQL through GX's SQL engine;
* ``<source>.<entity>.load`` — the load as a whole: its row counts against the ledger, the
  landing manifest and the source's own totals (API totals, QLVB footer counts per unit), and
  how long after the window's end it was extracted. One row per scope (``load``, and for the
  QLVB registers ``unit <id>``), so a failure names the unit whose count is off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import psycopg
from psycopg.types.json import Jsonb

from include.landing import Manifest
from include.landing.manifest import MANIFEST_NAME
from include.load.schema import RAW_TABLES
from include.paths import landing_dir
from include.sources import registry
from include.validate.definitions import load_level_definition, raw_definition
from include.validate.gx_runner import BatchLabel, GxRunner, output_dir
from include.validate.outcome import SuiteRun, ValidationOutcome
from include.validate.run_log import record_runs
from include.validate.settings import record_tolerance
from include.validate.verdicts import accept, check_acceptable, record_verdict

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
#: The source totals an API reports for a whole listing: every entity's in the registry, so a
#: landed extract is checked against whichever of them it carries, a listing's API total before
#: a snapshot's count of what was served.
_TOTAL_KEYS = tuple(
    dict.fromkeys(
        entity.total_field
        for entity in sorted(registry.all_entities(), key=lambda entity: entity.snapshot)
        if entity.total_field is not None
    )
)


@dataclass(frozen=True)
class LedgerRow:
    load_id: int
    sha256: str
    source: str
    entity: str
    extract_id: str
    landing_file: str
    window_start: dt.date
    window_end: dt.date
    extracted_at: dt.datetime
    record_count: int
    quarantined: int

    @property
    def batch(self) -> str:
        return (
            f"{self.source}.{self.entity} load_id={self.load_id} window "
            f"{self.window_start}..{self.window_end} extract {self.extract_id}"
        )


def validate_load(
    dsn: str,
    load_id: int,
    *,
    landing_root: Path | str | None = None,
    output: Path | str | None = None,
    tolerance: float | None = None,
) -> ValidationOutcome:
    """Validate one load; ``.passed`` is False when a blocking check failed."""
    [outcome] = validate_loads(
        dsn, [load_id], landing_root=landing_root, output=output, tolerance=tolerance
    )
    return outcome


def validate_loads(
    dsn: str,
    load_ids: Iterable[int],
    *,
    landing_root: Path | str | None = None,
    output: Path | str | None = None,
    tolerance: float | None = None,
    record: bool = True,
) -> list[ValidationOutcome]:
    """Validate each load on its own (one outcome per load, in order) and record its verdict
    in ``ops.load_verdict`` (unless ``record`` is False), which is what releases it to dbt.

    ``tolerance`` is the share of records a ``record`` check may refuse (default: the setting,
    ``include/validate/settings.py``); the refused records are quarantined. ``landing_root`` is
    the landing area the loads came from (default: the project's, see
    ``include.paths.landing_dir``); ``output`` the directory of results and Data Docs.
    """
    ids = [int(load_id) for load_id in load_ids]
    if not ids:
        return []
    share = record_tolerance() if tolerance is None else tolerance
    landing = Path(landing_root) if landing_root is not None else landing_dir()
    runner = GxRunner(dsn, output_dir(output))
    outcomes = []
    for load_id in ids:
        outcome = _validate_one(dsn, runner, landing, load_id, share)
        if record:
            record_verdict(dsn, load_id, passed=outcome.passed, message=outcome.message())
        outcomes.append(outcome)
    return outcomes


def accept_load(
    dsn: str,
    load_id: int,
    *,
    reason: str,
    by: str,
    landing_root: Path | str | None = None,
    output: Path | str | None = None,
) -> ValidationOutcome:
    """Release a load that failed validation, on an operator's word.

    The load is validated once more with no limit on record checks, so every record invalid
    under its spec is quarantined (it counts nowhere, as within the tolerance); the batch-level
    failures that remain are what the operator accepts. Who and why are kept in
    ``ops.load_verdict`` beside the failures.
    """
    with psycopg.connect(dsn) as conn:
        check_acceptable(conn, load_id, reason)  # before anything is quarantined
    [outcome] = validate_loads(
        dsn, [load_id], landing_root=landing_root, output=output, tolerance=1.0, record=False
    )
    accept(dsn, load_id, reason=reason, by=by, message=outcome.message())
    return outcome


def _validate_one(
    dsn: str, runner: GxRunner, landing: Path, load_id: int, tolerance: float
) -> ValidationOutcome:
    """Records first (quarantining what their checks refuse within the tolerance), then the
    load's counts, which see the quarantine as it now is."""
    with psycopg.connect(dsn) as conn:
        ledger = _ledger_row(conn, load_id)
    label = _label(ledger)
    name = f"{ledger.source}.{ledger.entity}"
    records = raw_definition(ledger.source, ledger.entity)
    query = records.select_sql(f"load_id = {ledger.load_id}")
    runs = [runner.run_query(records, name, query, label, tolerance)]
    if runs[0].passed and runs[0].rejected:
        _quarantine_rejected(dsn, ledger, runs[0])
    with psycopg.connect(dsn) as conn:
        frame = load_frame(conn, ledger, _read_manifest(landing, ledger))
    load_label = replace(
        label, scope=f"load {ledger.load_id}: ledger, manifest, ops.quarantine, source totals"
    )
    runs.append(runner.run_frame(load_level_definition(), f"{name}.load", frame, load_label))
    record_runs(dsn, runs)
    window = f"window {ledger.window_start}..{ledger.window_end}"
    return ValidationOutcome(
        ledger.batch, runs, runner.data_docs_index, batch=f"load {ledger.load_id} ({window})"
    )


def _label(ledger: LedgerRow) -> BatchLabel:
    name = f"{ledger.source}.{ledger.entity}"
    return BatchLabel(
        run_id=f"load-{ledger.load_id}",
        scope=f"{name} WHERE load_id = {ledger.load_id}",
        batch=ledger.batch,
        source=ledger.source,
        entity=ledger.entity,
        load_id=ledger.load_id,
    )


def _quarantine_rejected(dsn: str, ledger: LedgerRow, run: SuiteRun) -> None:
    """Move the rows ``run``'s record checks refused from the raw table to ``ops.quarantine``
    (stage ``validation``, every refusing check in the reason), in one transaction."""
    reasons: dict[int, list[str]] = {}
    for rejected in run.rejected:
        for line in rejected.lines:
            reasons.setdefault(int(line), []).append(rejected.reason)
    table = f"{ledger.source}.{ledger.entity}"  # from RAW_TABLES, checked in _ledger_row
    with psycopg.connect(dsn) as conn, conn.transaction():
        moved = conn.execute(
            f"DELETE FROM {table} WHERE load_id = %s AND line_no = ANY(%s) "
            "RETURNING line_no, record",
            (ledger.load_id, sorted(reasons)),
        ).fetchall()
        if len(moved) != len(reasons):
            # The rows changed under this validation (another one of the same load moved them):
            # roll back rather than quarantine part of the set.
            raise RuntimeError(
                f"{ledger.batch}: {len(reasons)} rows to quarantine, {len(moved)} found; the "
                "load changed during validation, validate it again"
            )
        with conn.cursor() as cur:
            cur.executemany(
                """
                INSERT INTO ops.quarantine (load_id, source, entity, extract_id, reason, record,
                    stage, line_no)
                VALUES (%s, %s, %s, %s, %s, %s, 'validation', %s)
                """,
                [
                    (ledger.load_id, ledger.source, ledger.entity, ledger.extract_id,
                     "; ".join(reasons[line]), Jsonb(record), line)
                    for line, record in moved
                ],
            )  # fmt: skip


def _ledger_row(conn: psycopg.Connection, load_id: int) -> LedgerRow:
    row = conn.execute(
        """
        SELECT load_id, sha256, source, entity, extract_id, landing_file, window_start,
            window_end, extracted_at, record_count, quarantined
        FROM ops.load_ledger WHERE load_id = %s
        """,
        (load_id,),
    ).fetchone()
    if row is None:
        raise LookupError(f"load_id {load_id} is not in ops.load_ledger")
    ledger = LedgerRow(*row)
    if (ledger.source, ledger.entity) not in RAW_TABLES:
        raise ValueError(f"load_id {load_id}: no raw table for {ledger.source}.{ledger.entity}")
    return ledger


def _read_manifest(landing: Path, ledger: LedgerRow) -> Manifest | None:
    path = (landing / ledger.landing_file).parent / MANIFEST_NAME
    if not path.is_file():
        return None
    return Manifest.from_json(path.read_text(encoding="utf-8"), directory=path.parent)


def load_frame(
    conn: psycopg.Connection, ledger: LedgerRow, manifest: Manifest | None
) -> pd.DataFrame:
    """The ``.load`` suite's batch: one row per count scope, indexed by the scope's name."""
    table = f"{ledger.source}.{ledger.entity}"  # from RAW_TABLES, checked in _ledger_row
    raw_rows = conn.execute(
        f"SELECT count(*) FROM {table} WHERE load_id = %s", (ledger.load_id,)
    ).fetchone()[0]
    by_stage = dict(
        conn.execute(
            "SELECT stage, count(*) FROM ops.quarantine WHERE load_id = %s GROUP BY stage",
            (ledger.load_id,),
        ).fetchall()
    )
    # Validation moves refused records from the raw table to the quarantine: the ledger's
    # counts (the loader's) are compared with that move taken into account.
    moved = by_stage.get("validation", 0)
    totals = manifest.source_totals if manifest is not None else {}
    window_closed = dt.datetime.combine(
        ledger.window_end + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM
    )
    rows: dict[str, dict[str, Any]] = {
        "load": {
            "raw_rows": raw_rows,
            "quarantined_rows": sum(by_stage.values()),
            "extracted": raw_rows + sum(by_stage.values()),
            "ledger_records": ledger.record_count - moved,
            "ledger_quarantined": ledger.quarantined + moved,
            "ledger_extracted": ledger.record_count + ledger.quarantined,
            "extract_quarantined_rows": by_stage.get("extract", 0),
            "manifest": _manifest_state(manifest, ledger),
            "manifest_extracted": (
                manifest.record_count + manifest.quarantine_count if manifest else None
            ),
            "manifest_quarantined": manifest.quarantine_count if manifest else None,
            "source_total": _whole_total(ledger, totals),
            "hours_after_window_end": round(
                (ledger.extracted_at - window_closed).total_seconds() / 3600, 2
            ),
        }
    }
    unit_field = registry.get_entity(ledger.source, ledger.entity).unit_field
    if unit_field is not None:
        rows |= _unit_rows(conn, ledger, totals, unit_field)
    return pd.DataFrame.from_dict(rows, orient="index")


def _manifest_state(manifest: Manifest | None, ledger: LedgerRow) -> str:
    if manifest is None:
        return "missing"
    if manifest.sha256 != ledger.sha256:
        return "checksum differs from the ledger"
    return "matches ledger"


def _whole_total(ledger: LedgerRow, totals: dict[str, Any]) -> int | None:
    if registry.get_entity(ledger.source, ledger.entity).unit_field is not None:
        footers = totals.get("footer_counts") or {}
        units = totals.get("rows_per_unit") or {}
        # csv exports have no footer: then the source states no total for the window.
        if units and set(footers) == set(units):
            return sum(footers.values())
        return None
    for key in _TOTAL_KEYS:
        value = totals.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _unit_rows(
    conn: psycopg.Connection, ledger: LedgerRow, totals: dict[str, Any], unit_field: str
) -> dict[str, dict[str, Any]]:
    """Per unit (QLVB): rows landed and quarantined against the export's footer count."""
    table = f"{ledger.source}.{ledger.entity}"
    per_unit = dict(
        conn.execute(
            f"SELECT record->>'{unit_field}', count(*) FROM {table} WHERE load_id = %s GROUP BY 1",
            (ledger.load_id,),
        ).fetchall()
    )
    quarantined = dict(
        conn.execute(
            f"SELECT record->>'{unit_field}', count(*) FROM ops.quarantine "
            "WHERE load_id = %s GROUP BY 1",
            (ledger.load_id,),
        ).fetchall()
    )
    footers = totals.get("footer_counts") or {}
    units = set(per_unit) | set(quarantined) | set(footers) | set(totals.get("rows_per_unit") or {})
    rows = {}
    for unit in sorted(units, key=str):
        landed, held = per_unit.get(unit, 0), quarantined.get(unit, 0)
        rows[f"unit {unit}"] = {
            "raw_rows": landed,
            "quarantined_rows": held,
            "extracted": landed + held,
            "source_total": footers.get(unit),
        }
    return rows

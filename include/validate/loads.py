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

from include.landing import Manifest
from include.landing.manifest import MANIFEST_NAME
from include.load.schema import RAW_TABLES
from include.paths import landing_dir
from include.validate.definitions import load_level_definition, raw_definition
from include.validate.gx_runner import BatchLabel, GxRunner, output_dir
from include.validate.outcome import SuiteRun, ValidationOutcome
from include.validate.run_log import record_runs

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
#: The source totals an API reports for a whole listing, by source (sources/*.md).
_TOTAL_KEYS = ("tong_so_ban_ghi", "totalElements", "records_served")
#: QLVB rows carry the unit they were exported for (include/extract/qlvb.py).
_QLVB_UNIT_FIELD = "don_vi_id"
_QLVB_REGISTERS = ("den", "di", "hscv")


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
) -> ValidationOutcome:
    """Validate one load; ``.passed`` is False when a blocking check failed."""
    [outcome] = validate_loads(dsn, [load_id], landing_root=landing_root, output=output)
    return outcome


def validate_loads(
    dsn: str,
    load_ids: Iterable[int],
    *,
    landing_root: Path | str | None = None,
    output: Path | str | None = None,
) -> list[ValidationOutcome]:
    """Validate each load on its own (one outcome per load, in order).

    ``landing_root`` is the landing area the loads came from (default: the project's, see
    ``include.paths.landing_dir``); ``output`` the directory of results and Data Docs.
    """
    ids = [int(load_id) for load_id in load_ids]
    if not ids:
        return []
    landing = Path(landing_root) if landing_root is not None else landing_dir()
    runner = GxRunner(dsn, output_dir(output))
    outcomes = []
    for load_id in ids:
        with psycopg.connect(dsn) as conn:
            ledger = _ledger_row(conn, load_id)
            frame = load_frame(conn, ledger, _read_manifest(landing, ledger))
        runs = _run_suites(runner, ledger, frame)
        record_runs(dsn, runs)
        outcomes.append(ValidationOutcome(ledger.batch, runs, runner.data_docs_index))
    return outcomes


def _run_suites(runner: GxRunner, ledger: LedgerRow, frame: pd.DataFrame) -> list[SuiteRun]:
    name = f"{ledger.source}.{ledger.entity}"
    label = BatchLabel(
        run_id=f"load-{ledger.load_id}",
        scope=f"{name} WHERE load_id = {ledger.load_id}",
        batch=ledger.batch,
        source=ledger.source,
        entity=ledger.entity,
        load_id=ledger.load_id,
    )
    records = raw_definition(ledger.source, ledger.entity)
    query = records.select_sql(f"load_id = {ledger.load_id}")
    load_label = replace(
        label, scope=f"load {ledger.load_id}: ledger, manifest, ops.quarantine, source totals"
    )
    return [
        runner.run_query(records, name, query, label),
        runner.run_frame(load_level_definition(), f"{name}.load", frame, load_label),
    ]


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
    quarantined_rows = conn.execute(
        "SELECT count(*) FROM ops.quarantine WHERE load_id = %s", (ledger.load_id,)
    ).fetchone()[0]
    totals = manifest.source_totals if manifest is not None else {}
    window_closed = dt.datetime.combine(
        ledger.window_end + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM
    )
    rows: dict[str, dict[str, Any]] = {
        "load": {
            "raw_rows": raw_rows,
            "quarantined_rows": quarantined_rows,
            "extracted": raw_rows + quarantined_rows,
            "ledger_records": ledger.record_count,
            "ledger_quarantined": ledger.quarantined,
            "manifest": _manifest_state(manifest, ledger),
            "manifest_records": manifest.record_count if manifest else None,
            "manifest_quarantined": manifest.quarantine_count if manifest else None,
            "source_total": _whole_total(ledger, totals),
            "hours_after_window_end": round(
                (ledger.extracted_at - window_closed).total_seconds() / 3600, 2
            ),
        }
    }
    if ledger.source == "qlvb" and ledger.entity in _QLVB_REGISTERS:
        rows |= _unit_rows(conn, ledger, totals)
    return pd.DataFrame.from_dict(rows, orient="index")


def _manifest_state(manifest: Manifest | None, ledger: LedgerRow) -> str:
    if manifest is None:
        return "missing"
    if manifest.sha256 != ledger.sha256:
        return "checksum differs from the ledger"
    return "matches ledger"


def _whole_total(ledger: LedgerRow, totals: dict[str, Any]) -> int | None:
    if ledger.source == "qlvb" and ledger.entity in _QLVB_REGISTERS:
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
    conn: psycopg.Connection, ledger: LedgerRow, totals: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Per QLVB unit: rows landed and quarantined against the export's footer count."""
    table = f"{ledger.source}.{ledger.entity}"
    per_unit = dict(
        conn.execute(
            f"SELECT record->>'{_QLVB_UNIT_FIELD}', count(*) FROM {table} "
            "WHERE load_id = %s GROUP BY 1",
            (ledger.load_id,),
        ).fetchall()
    )
    quarantined = dict(
        conn.execute(
            f"SELECT record->>'{_QLVB_UNIT_FIELD}', count(*) FROM ops.quarantine "
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

"""Test helpers for the dbt project: raw tables in the loader's contract, filled from records,
and the real ``dbt`` executable run against a database of the embedded PostgreSQL server.

The raw tables are the loader's own (``include.load.ensure_schema``): one schema per source,
one table per entity, the record as jsonb, each load in ``ops.load_ledger``. Personal data is
dropped here the way the extractor drops it before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import psycopg

from include.load import ensure_schema
from include.paths import PROJECT_ROOT
from include.pii import ONESTOP_PII_FIELDS, QLVB_PII_COLUMNS

DBT_PROJECT = PROJECT_ROOT / "dbt_project"
DBT_EXECUTABLE = PROJECT_ROOT / ".venv-dbt" / "bin" / "dbt"

Record = dict[str, Any]

#: Columns the harness fills (``record_key`` is computed by PostgreSQL from the record).
RAW_COLUMNS = (
    "load_id",
    "extract_id",
    "landing_file",
    "extracted_at",
    "window_start",
    "window_end",
    "record",
)

#: Fields that never leave the extractor (sources/onestop.md, sources/qlvb.md).
PERSONAL_FIELDS = ONESTOP_PII_FIELDS | frozenset(QLVB_PII_COLUMNS)


def _landed(record: Record) -> Record:
    """The record as the extractor lands it: no personal data, no generator annotations, QLVB
    rows tagged with ``don_vi_id`` instead of ``_unit_id`` and without ``STT``, dates as ISO
    strings."""
    out: Record = {}
    for key, value in record.items():
        if key == "_unit_id":
            out["don_vi_id"] = value
        elif key in PERSONAL_FIELDS or key.startswith("_") or key == "STT":
            continue
        else:
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


@dataclass
class RawLoader:
    """Writes loads into the raw tables with COPY, numbering loads like the loader does."""

    conn: psycopg.Connection
    next_load_id: int = 1

    def load(
        self,
        schema: str,
        table: str,
        records: Iterable[Record],
        *,
        extracted_at: dt.datetime,
        window: tuple[dt.date, dt.date] | None = None,
    ) -> int:
        """Land ``records`` as one load (one landed file); return its load id."""
        load_id = self.next_load_id
        self.next_load_id += 1
        extract_id = f"{schema}.{table}.{load_id}"
        # A snapshot (no window) is labelled with the day it was taken, as the extractor does.
        start, end = window or (extracted_at.date(), extracted_at.date())
        self.conn.execute(
            """
            insert into ops.load_ledger (load_id, sha256, source, entity, mode, extract_id,
                landing_file, window_start, window_end, extracted_at, record_count, quarantined)
            values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, 0)
            """,
            (
                load_id,
                extract_id,
                schema,
                table,
                "incremental" if window else "snapshot",
                extract_id,
                f"{extract_id}.jsonl",
                start,
                end,
                extracted_at,
            ),
        )
        # Released to the marts as a passed validation would (include/validate/verdicts.py):
        # the dbt models read released loads only.
        self.conn.execute(
            "insert into ops.load_verdict (load_id, verdict, release_seq, decided_by, message) "
            "values (%s, 'passed', nextval('ops.load_release_seq'), 'test harness', '')",
            (load_id,),
        )
        with self.conn.cursor() as cur:
            columns = ", ".join(RAW_COLUMNS)
            with cur.copy(f"copy {schema}.{table} ({columns}) from stdin") as copy:
                for record in records:
                    copy.write_row(
                        (
                            load_id,
                            extract_id,
                            f"{extract_id}.jsonl",
                            extracted_at,
                            start,
                            end,
                            json.dumps(_landed(record), ensure_ascii=False),
                        )
                    )
        self.conn.commit()
        return load_id


def load_scenario(loader: RawLoader, scenario: Any) -> None:
    """Fill the raw tables from an ``include.scenario.model.Scenario``: one load per entity,
    windowed on the scenario's dates, extracted at the scenario's clock."""
    extracted_at = scenario.now.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    window = (scenario.start, scenario.end)
    loader.load("onestop", "donvi", scenario.agencies, extracted_at=extracted_at)
    loader.load("onestop", "hoso", scenario.dossiers, extracted_at=extracted_at, window=window)
    loader.load("onestop", "tientrinh", scenario.steps, extracted_at=extracted_at, window=window)
    loader.load("qlvb", "donvi", scenario.qlvb_units, extracted_at=extracted_at)
    for register in ("den", "di", "hscv"):
        rows = scenario.documents.get(register, [])
        loader.load("qlvb", register, rows, extracted_at=extracted_at, window=window)
    loader.load("dvc_portal", "services", scenario.services, extracted_at=extracted_at)
    for entity in ("payments", "ratings"):
        records = getattr(scenario, entity)
        loader.load("dvc_portal", entity, records, extracted_at=extracted_at, window=window)


@dataclass(frozen=True)
class Warehouse:
    """One database of the embedded server that a dbt project is built into."""

    socket_dir: str
    dbname: str
    target_dir: Path

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host=self.socket_dir, dbname=self.dbname, user="postgres")

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the real dbt executable on the project; raise with its output when it fails."""
        env = {
            **os.environ,
            "DTI_PG_HOST": self.socket_dir,
            "DTI_PG_PORT": "5432",
            "DTI_PG_USER": "postgres",
            "DTI_PG_PASSWORD": "",
            "DTI_PG_DBNAME": self.dbname,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [
            str(DBT_EXECUTABLE),
            *args,
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(self.target_dir / "target"),
            "--log-path",
            str(self.target_dir / "logs"),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connect() as conn:
            return conn.execute(sql, tuple(params)).fetchall()


def create_warehouse(uri: str, dbname: str, target_dir: Path) -> Warehouse:
    """(Re)create database ``dbname`` on the server ``uri`` points at, with the raw tables."""
    socket_dir = parse_qs(urlparse(uri).query)["host"][0]
    with psycopg.connect(host=socket_dir, dbname="postgres", user="postgres", autocommit=True) as c:
        c.execute(f'drop database if exists "{dbname}" with (force)')
        c.execute(f'create database "{dbname}"')
    warehouse = Warehouse(socket_dir=socket_dir, dbname=dbname, target_dir=target_dir)
    with warehouse.connect() as conn:
        ensure_schema(conn)
    return warehouse

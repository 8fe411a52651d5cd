"""A small world for the pipeline tests, and the pipeline's own steps run on it.

Extracts are landed the way the extractors land them (the real landing area, with the
sources' totals), then the steps of ``dti_nightly`` run on them as its tasks do
(``include.pipeline.steps``), and dbt's staging models — what every mart is computed from —
are built from the released loads with the real dbt executable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg

from include.landing import LandingArea, RecordIdentity
from include.landing.manifest import MANIFEST_NAME
from include.paths import PROJECT_ROOT
from include.pipeline import steps
from include.pipeline.dbt import DBT_PROJECT_DIR, dbt_environment, dbt_executable
from include.pipeline.plan import RunWindow

APRIL = (dt.date(2023, 4, 1), dt.date(2023, 4, 30))
MAY = (dt.date(2023, 5, 1), dt.date(2023, 5, 31))
JUNE = (dt.date(2023, 6, 1), dt.date(2023, 6, 30))
RUN = RunWindow(APRIL[0], JUNE[1], nightly=False)

DISTRICT, COMMUNE = "000.00.34.H51", "000.01.34.H51"
AGENCIES = [
    {"MaDonVi": "000.00.00.H51", "TenDonVi": "UBND tỉnh", "CapDonVi": "1", "MaDVHC": "51"},
    {"MaDonVi": DISTRICT, "TenDonVi": "UBND thị xã Đức Phổ", "CapDonVi": "2", "MaDVHC": "534",
     "MaDonViCha": "000.00.00.H51"},
    {"MaDonVi": COMMUNE, "TenDonVi": "UBND phường Nguyễn Nghiêm", "CapDonVi": "3",
     "MaDVHC": "21439", "MaDonViCha": DISTRICT},
]  # fmt: skip
#: The catalogue as the portal briefly served it: the commune renamed, then renamed back.
RENAMED = [*AGENCIES[:2], {**AGENCIES[2], "TenDonVi": "UBND phường (tạm)"}]

_IDENTITIES = {
    ("onestop", "donvi"): RecordIdentity(("MaDonVi",)),
    ("onestop", "hoso"): RecordIdentity(("MaHoSo",), "NgayCapNhat", "yyyyMMddHHmmss"),
    ("qlvb", "den"): RecordIdentity(("don_vi_id", "Mã văn bản")),
}


def dossier(code: str, day: dt.date, **fields: Any) -> dict[str, Any]:
    """A resolved, consistent dossier received and updated on ``day``."""
    stamp = f"{day:%Y%m%d}"
    return {
        "MaHoSo": code,
        "MaTTHC": "1.001193",
        "MaDonVi": COMMUNE,
        "KenhThucHien": "2",
        "TrangThaiHoSo": "10",
        "NgayNopHoSo": f"{stamp}080000",
        "NgayTiepNhan": f"{stamp}090000",
        "NgayHenTra": f"{stamp}170000",
        "NgayKetThucXuLy": f"{stamp}100000",
        "NgayTra": f"{stamp}150000",
        "NgayCapNhat": f"{stamp}150000",
        "HoSoCoThanhPhanSoHoa": "1",
        "DuocThanhToanTrucTuyen": "0",
        **fields,
    }


def month_of_dossiers(window: tuple[dt.date, dt.date], prefix: str, count: int) -> list[dict]:
    """``count`` dossiers of ``window``, coded ``<prefix>-000``, ``<prefix>-001``, ..."""
    return [
        dossier(f"{prefix}-{n:03d}", window[0] + dt.timedelta(days=n % 28)) for n in range(count)
    ]


def den(unit: int, code: str, day: dt.date) -> dict[str, Any]:
    return {
        "don_vi_id": unit,
        "Mã văn bản": code,
        "Số đến": code[-2:],
        "Ngày đến": day.isoformat(),
        "Độ mật": "Thường",
        "Hình thức": "Điện tử",
        "Ký số": "Có",
    }


def land(
    landing: LandingArea,
    source: str,
    entity: str,
    window: tuple[dt.date, dt.date],
    records: Sequence[dict[str, Any]],
) -> str:
    """Land one extract as its extractor would; the manifest's path relative to the landing
    root (what the extract task passes to the load task)."""
    if source == "qlvb":
        per_unit: dict[str, int] = {}
        for record in records:
            per_unit[str(record["don_vi_id"])] = per_unit.get(str(record["don_vi_id"]), 0) + 1
        totals: dict[str, Any] = {"footer_counts": per_unit, "rows_per_unit": per_unit}
    elif entity == "donvi":
        totals = {"records_served": len(records)}
    else:
        totals = {"tong_so_ban_ghi": len(records)}
    manifest = landing.write_extract(
        source=source,
        entity=entity,
        mode="snapshot" if entity == "donvi" else "incremental",
        window_start=window[0],
        window_end=window[1],
        records=records,
        started_at=dt.datetime.now(dt.UTC),
        extractor_version="pipeline-tests",
        identity=_IDENTITIES[(source, entity)],
        source_totals=totals,
    )
    assert manifest.directory is not None
    return str((manifest.directory / MANIFEST_NAME).relative_to(landing.root))


def run_steps(dsn: str, landing_root: Path, paths: Sequence[str]) -> None:
    """The load and validate tasks of every source for ``paths``; raises as they would."""
    manifests = {path: steps.read_manifest(landing_root, path) for path in paths}
    for source in dict.fromkeys(m.source for m in manifests.values()):
        mine = [path for path, m in manifests.items() if m.source == source]
        loads = steps.load_extracts(dsn, landing_root, mine)
        outcomes = steps.validate_loads(dsn, landing_root, source, loads)
        steps.raise_if_failed(source, RUN, outcomes)


def build_staging(dsn: str, workdir: Path) -> None:
    """``dbt run`` of the staging models (the real executable, as Cosmos runs it)."""
    env = {**os.environ, **dbt_environment(dsn), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [
            str(dbt_executable()),
            "run",
            "--select",
            "staging",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def staging_state(dsn: str) -> dict[str, list[str]]:
    """Every staging row without its load id (a rerun numbers its loads afresh), sorted."""
    with psycopg.connect(dsn) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'staging' ORDER BY 1"
            )
        ]
        return {
            table: sorted(
                json.dumps(row, sort_keys=True, ensure_ascii=False)
                for (row,) in conn.execute(
                    f"SELECT to_jsonb(t) - 'load_id' FROM staging.{table} AS t"
                )
            )
            for table in tables
        }


def dossier_codes(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT dossier_code FROM staging.stg_onestop__dossiers")
        return {code for (code,) in rows}


def start_child(script: str, *args: str) -> subprocess.Popen[str]:
    """A Python process running ``script`` (a step of the pipeline, paused where the test
    will disturb it), with the project importable; stdin/stdout are pipes for signalling."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(child: subprocess.Popen[str], line: str) -> None:
    """Block until the child prints ``line`` (it has reached the point to disturb)."""
    assert child.stdout is not None
    for got in child.stdout:
        if got.strip() == line:
            return
    raise AssertionError(f"the child ended before {line!r}: {child.wait()} {child.stderr.read()}")

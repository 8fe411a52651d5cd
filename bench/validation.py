"""What issue 10's validation checks cost a night: the same loads validated with and without them.

One night of the province (``hung_yen_province`` at ``--scale 1.0``: the per-day volumes of
docs/operations.md's two-year scenario — dossiers, steps, payments, ratings — and each QLVB
register re-exported over its lookback, ``den`` 92, ``di`` 31, ``hscv`` 366 days, beside the
agency catalogue) is synthesised, landed (``LandingArea.write_extract``, with the sources'
totals) and loaded by the real loader. Its dossiers carry the anomalies the issue names: 0.2 %
end a few minutes "before" their intake on the same day (44 of 22,168 in the issue), and two
are invalid (a status outside 1..10, an end on the day before intake).

* **with** — ``include.validate.validate_loads`` as the DAG runs it: every suite as defined,
  ``record`` checks with GX's ``mostly`` at the default tolerance, the rows they refuse asked
  of GX again and moved to the quarantine, the load's verdict written (``ops.load_verdict``);
* **without** — the same GX runner on the same loads with what this issue added taken out:
  the same-day end check removed, ``record`` checks run as plain blocking ones (no ``mostly``,
  no rows asked again, nothing moved), no verdict: the validation as it was before.

Each repetition validates fresh copies of the loads (one database per variant and repetition,
loaded from one landing area), the variants alternating; the medians and their ratio are
printed. An embedded server of its own (``DTI_LOCAL_DIR``, default ``.local/bval``).

    python -m bench.validation [--scale 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from include.landing import LandingArea, Manifest, RecordIdentity
from include.landing.manifest import MANIFEST_NAME
from include.load import load_landing
from include.paths import PROJECT_ROOT
from include.sources import registry
from include.validate import validate_loads
from include.validate.definitions import SuiteDefinition, load_level_definition, raw_definition
from include.validate.gx_runner import BatchLabel, GxRunner
from include.validate.loads import LedgerRow, load_frame
from include.validate.settings import DEFAULT_TOLERANCE

DEFAULT_LOCAL_DIR = PROJECT_ROOT / ".local" / "bval"
#: Last night in Vietnam, as a nightly run loads it.
NIGHT = (dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) - dt.timedelta(days=1)).date()
#: Per day at scale 1.0 (docs/operations.md: two years of the province).
PER_DAY = {"hoso": 1345, "tientrinh": 5334, "payments": 228, "ratings": 383, "register": 290}
LOOKBACK = registry.get_source("qlvb").lookback_days
UNITS = 282
#: The checks this issue added that "without" leaves out (beside the record machinery).
ADDED_COLUMNS = {("onestop", "hoso"): {"ended_before_received_same_day"}}

Record = dict[str, Any]


def _stamp(day: dt.date, hour: int, minute: int = 0) -> str:
    return f"{day:%Y%m%d}{hour:02d}{minute:02d}00"


def _agency(unit: int) -> str:
    return f"000.{unit // 100:02d}.{unit % 100:02d}.H33"


def agencies() -> list[Record]:
    province = {"MaDonVi": "000.00.00.H33", "TenDonVi": "UBND tỉnh", "CapDonVi": "1"}
    rows = [{**province, "MaDVHC": "33", "MaDonViCha": ""}]
    for unit in range(1, UNITS):
        level = "2" if unit % 20 == 1 else "3"
        code = f"{300 + unit // 20}" if level == "2" else f"{12000 + unit}"
        rows.append(
            {"MaDonVi": _agency(unit), "TenDonVi": f"UBND {unit}", "CapDonVi": level,
             "MaDVHC": code, "MaDonViCha": "000.00.00.H33"}
        )  # fmt: skip
    return rows


def dossiers(count: int) -> list[Record]:
    rows = []
    for n in range(count):
        agency = _agency(1 + n % (UNITS - 1))
        received = _stamp(NIGHT, 9, 30)
        if n % 500 == 7:  # 0.2 %: ended "before" intake, the same day
            received = _stamp(NIGHT, 10, 30)
        rows.append(
            {"MaHoSo": f"H33-{n:06d}", "MaTTHC": "1.001193", "MaDonVi": agency,
             "KenhThucHien": "2", "TrangThaiHoSo": "10", "NgayNopHoSo": _stamp(NIGHT, 8),
             "NgayTiepNhan": received, "NgayHenTra": _stamp(NIGHT + dt.timedelta(days=5), 17),
             "NgayKetThucXuLy": _stamp(NIGHT, 10), "NgayTra": _stamp(NIGHT, 15),
             "NgayCapNhat": _stamp(NIGHT, 15), "HoSoCoThanhPhanSoHoa": "1",
             "DuocThanhToanTrucTuyen": "0", "DanhSachLePhi": [{"MaPhiLePhi": "LP", "Gia": 50000}]}
        )  # fmt: skip
    rows[1]["TrangThaiHoSo"] = "11"
    rows[2]["NgayKetThucXuLy"] = _stamp(NIGHT - dt.timedelta(days=1), 10)
    return rows


def steps(count: int) -> list[Record]:
    return [
        {"MaHoSo": f"H33-{n // 4:06d}", "MaDonVi": _agency(1 + n % (UNITS - 1)),
         "ThoiDiemXuLy": _stamp(NIGHT, 8 + n % 10, n % 60), "TrangThai": str(2 + n % 4)}
        for n in range(count)
    ]  # fmt: skip


def register_rows(register: str, per_day: int) -> list[Record]:
    rows = []
    for offset in range(LOOKBACK[register]):
        day = (NIGHT - dt.timedelta(days=offset)).isoformat()
        for n in range(per_day):
            unit = 1 + n % UNITS
            code = f"{register.upper()}-{offset:03d}-{n:04d}"
            row: Record = {"don_vi_id": unit, "Độ mật": "Thường"}
            if register == "den":
                row |= {"Mã văn bản": code, "Ngày đến": day, "Hình thức": "Điện tử", "Ký số": "Có"}
            elif register == "di":
                row |= {"Mã văn bản": code, "Ngày ban hành": day, "Hình thức phát hành": "Điện tử",
                        "Ký số": "Cơ quan", "Gửi qua trục liên thông": "Có"}  # fmt: skip
            else:
                row |= {"Mã hồ sơ": code, "Ngày mở": day, "Xử lý trên môi trường mạng": "Có"}
            rows.append(row)
    return rows


def payments(count: int) -> list[Record]:
    at = f"{NIGHT.isoformat()}T09:00:00+07:00"
    return [
        {"transactionId": f"T{n:06d}", "dossierCode": f"H33-{n:06d}", "agencyCode": _agency(1),
         "feeKind": "FEE", "gateway": "DVCQG", "status": "SUCCESS", "amount": 50000,
         "createdAt": at, "paidAt": at, "updatedAt": at}
        for n in range(count)
    ]  # fmt: skip


def ratings(count: int) -> list[Record]:
    at = f"{NIGHT.isoformat()}T10:00:00+07:00"
    return [
        {"ratingId": f"R{n:06d}", "dossierCode": f"H33-{n:06d}", "agencyCode": _agency(1),
         "channel": "PORTAL", "level": "HAI_LONG", "withdrawn": False, "ratedAt": at,
         "updatedAt": at}
        for n in range(count)
    ]  # fmt: skip


def land_night(landing: LandingArea, scale: float) -> list[Manifest]:
    """The night's extracts, with the totals their sources would state."""
    per_day = {name: max(1, round(n * scale)) for name, n in PER_DAY.items()}
    window = (NIGHT, NIGHT)
    extracts: list[tuple[str, str, tuple[dt.date, dt.date], list[Record], tuple[str, ...]]] = [
        ("onestop", "donvi", window, agencies(), ("MaDonVi",)),
        ("onestop", "hoso", window, dossiers(per_day["hoso"]), ("MaHoSo",)),
        ("onestop", "tientrinh", window, steps(per_day["tientrinh"]), ("MaHoSo", "ThoiDiemXuLy")),
        ("dvc_portal", "payments", window, payments(per_day["payments"]), ("transactionId",)),
        ("dvc_portal", "ratings", window, ratings(per_day["ratings"]), ("ratingId",)),
    ]
    for register, code in (("den", "Mã văn bản"), ("di", "Mã văn bản"), ("hscv", "Mã hồ sơ")):
        start = NIGHT - dt.timedelta(days=LOOKBACK[register] - 1)
        rows = register_rows(register, per_day["register"])
        extracts.append(("qlvb", register, (start, NIGHT), rows, ("don_vi_id", code)))
    manifests = []
    for source, entity, (start, end), records, key in extracts:
        manifests.append(
            landing.write_extract(
                source=source,
                entity=entity,
                mode=registry.get_entity(source, entity).mode,
                window_start=start,
                window_end=end,
                records=records,
                started_at=dt.datetime.now(dt.UTC),
                extractor_version="bench.validation",
                identity=RecordIdentity(key),
                source_totals=_totals(source, entity, records),
            )
        )
    return manifests


def _totals(source: str, entity: str, records: list[Record]) -> dict[str, Any]:
    declared = registry.get_entity(source, entity)
    if declared.unit_field is not None:
        units: dict[str, int] = {}
        for row in records:
            unit = str(row[declared.unit_field])
            units[unit] = units.get(unit, 0) + 1
        return {"footer_counts": units, "rows_per_unit": units}
    return {declared.total_field: len(records)}


# --------------------------------------------------------------------------- the two variants
def without_added(definition: SuiteDefinition, source: str, entity: str) -> SuiteDefinition:
    """The suite as before this issue: no added checks, record checks as blocking ones."""
    added = ADDED_COLUMNS.get((source, entity), set())
    kept = [
        {**item, "meta": {**item["meta"], "severity": "blocking"}}
        if item["meta"]["severity"] == "record"
        else item
        for item in definition.expectations
        if item["kwargs"].get("column") not in added
    ]
    columns = {k: v for k, v in definition.batch["columns"].items() if k not in added}
    return replace(definition, expectations=kept, batch={**definition.batch, "columns": columns})


def validate_without(dsn: str, load_ids: list[int], landing: LandingArea, output: Path) -> None:
    runner = GxRunner(dsn, output)
    for load_id in load_ids:
        with psycopg.connect(dsn) as conn:
            ledger = LedgerRow(
                *conn.execute(
                    "SELECT load_id, sha256, source, entity, extract_id, landing_file, "
                    "window_start, window_end, extracted_at, record_count, quarantined "
                    "FROM ops.load_ledger WHERE load_id = %s",
                    (load_id,),
                ).fetchone()
            )
            path = (landing.root / ledger.landing_file).parent / MANIFEST_NAME
            manifest = Manifest.from_json(path.read_text(encoding="utf-8"), directory=path.parent)
            frame = load_frame(conn, ledger, manifest)
        name = f"{ledger.source}.{ledger.entity}"
        label = BatchLabel(f"load-{load_id}", f"{name} WHERE load_id = {load_id}", ledger.batch)
        records = without_added(raw_definition(ledger.source, ledger.entity), *name.split("."))
        runner.run_query(records, name, records.select_sql(f"load_id = {load_id}"), label)
        runner.run_frame(load_level_definition(), f"{name}.load", frame, label)


def validate_with(dsn: str, load_ids: list[int], landing: LandingArea, output: Path) -> None:
    outcomes = validate_loads(
        dsn, load_ids, landing_root=landing.root, output=output, tolerance=DEFAULT_TOLERANCE
    )
    failed = [outcome.subject for outcome in outcomes if not outcome.passed]
    quarantined = sum(outcome.quarantined_rows for outcome in outcomes)
    print(f"    with: {quarantined} records quarantined, failed: {failed or 'none'}")


# --------------------------------------------------------------------------- running
def _server_dsn() -> str:
    from include.warehouse import embedded

    embedded.start()
    return embedded.uri("postgres")


@contextlib.contextmanager
def copy_of_the_night(
    server: str, landing: LandingArea, manifests: list[Manifest]
) -> Iterator[tuple[str, list[int]]]:
    """A new database holding the night's loads (dropped afterwards): its DSN and load ids."""
    name = f"bval_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base, _, query = server.partition("?")
    dsn = f"{base.rsplit('/', 1)[0]}/{name}?{query}"
    try:
        results = load_landing(dsn, landing, manifests=manifests)
        yield dsn, [result.load_id for result in results]
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def timed(
    variant: Callable[[str, list[int], LandingArea, Path], None],
    server: str,
    landing: LandingArea,
    manifests: list[Manifest],
    output: Path,
) -> float:
    with copy_of_the_night(server, landing, manifests) as (dsn, load_ids):
        started = time.perf_counter()
        variant(dsn, load_ids, landing, output)
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the province")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("DTI_LOCAL_DIR", str(DEFAULT_LOCAL_DIR))
    server = _server_dsn()
    with tempfile.TemporaryDirectory(dir=os.environ["DTI_LOCAL_DIR"], prefix="night-") as tmp:
        landing = LandingArea(Path(tmp) / "landing")
        manifests = land_night(landing, args.scale)
        sizes = ", ".join(f"{m.source}.{m.entity} {m.record_count:,}" for m in manifests)
        print(f"one night at scale {args.scale}: {sizes}")
        times: dict[str, list[float]] = {"without": [], "with": []}
        for repetition in range(args.repeat):
            for name, variant in (("without", validate_without), ("with", validate_with)):
                output = Path(tmp) / f"validation-{name}-{repetition}"
                times[name].append(timed(variant, server, landing, manifests, output))
                print(f"  {name:<7} run {repetition + 1}: {times[name][-1]:.1f} s")
    without, with_ = statistics.median(times["without"]), statistics.median(times["with"])
    print(
        f"validation of the night: without the added checks {without:.1f} s, with them "
        f"{with_:.1f} s (medians of {args.repeat}): ratio {with_ / without:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Extractor of the document-management register exports (sources/qlvb.md).

QLVB has no change feed: each register of each unit is exported for a date range, and a row
shows its state at export time. One extract per register and calendar quarter holds the rows
of every unit (each row tagged with ``don_vi_id``, the unit's QLVB id), the footer counts per
unit, and each unit's file as received minus personal-data cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from include.connections import SourceConnection
from include.extract import common
from include.extract.http import Auth, ExtractSettings, HttpClient, SourceError, TransientError
from include.extract.qlvb_export import ExportFormatError, ParsedExport, parse_export
from include.extract.validators import qlvb as rules
from include.extract.windows import Window, quarter_windows, with_lookback
from include.landing import (
    LandingArea,
    Manifest,
    PendingOriginal,
    QuarantineEntry,
    RecordIdentity,
)
from include.pii import redact_record
from include.sources import qlvb_columns

log = logging.getLogger(__name__)

SOURCE = "qlvb"
REGISTERS = qlvb_columns.REGISTERS
ENTITIES = ("donvi", *REGISTERS)
UNITS_PATH = "/api/qlvb/v2/donvi"
EXPORT_PATH = "/api/qlvb/v2/so-van-ban"
#: Field added to every landed row: the QLVB ``id`` of the unit whose register it comes from.
UNIT_FIELD = "don_vi_id"

IDENTITIES = {
    "donvi": RecordIdentity(key=("id",)),
    # No update time in a register: the row of the latest export wins.
    "den": RecordIdentity(key=(UNIT_FIELD, "Mã văn bản")),
    "di": RecordIdentity(key=(UNIT_FIELD, "Mã văn bản")),
    "hscv": RecordIdentity(key=(UNIT_FIELD, "Mã hồ sơ")),
}


class QlvbAuth(Auth):
    """A static API key; HTTP 403 means the key is wrong."""

    def __init__(self, api_key: str) -> None:
        self._header = {"Authorization": f"ApiKey {api_key}"}

    def headers(self, client: HttpClient) -> dict[str, str]:
        return self._header

    def rejected(self, status: int) -> bool:
        return status == 403


def make_client(connection: SourceConnection, settings: ExtractSettings) -> HttpClient:
    return HttpClient(SOURCE, connection, settings, QlvbAuth(connection.password))


def validate_donvi(record: Mapping[str, Any]) -> list[str]:
    unit_id = record.get("id")
    if not isinstance(unit_id, int) or isinstance(unit_id, bool):
        return [f"unit id {unit_id!r} is not an integer"]
    return []


def _check_units(payload: Any) -> None:
    if not isinstance(payload, list):
        raise TransientError("unit list is not a JSON list")


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class UnitExport:
    unit_id: int
    parsed: ParsedExport
    sha256_received: str
    bytes_received: int
    #: Requests and retries this export cost (its worker's own counts).
    counts: Counter[str] = field(default_factory=Counter)


def _export_unit(client: HttpClient, register: str, unit_id: int, window: Window) -> UnitExport:
    """One unit's register, with what it cost in requests (run on a worker thread)."""
    before = client.stats.thread_snapshot()
    export = _download_unit(client, register, unit_id, window)
    after = client.stats.thread_snapshot()
    after.subtract(before)
    return replace(export, counts=after)


def _download_unit(client: HttpClient, register: str, unit_id: int, window: Window) -> UnitExport:
    """Download and parse one unit's register; re-download when its footer disagrees."""
    settings = client.settings
    context = f"unit {unit_id} register {register} window {window}"
    params = {
        "loai": register,
        "don_vi": unit_id,
        "tu_ngay": _dmy(window.start),
        "den_ngay": _dmy(window.end),
        "dinh_dang": settings.qlvb_format,
    }
    problem = ""
    for _ in range(settings.qlvb_export_attempts):
        content = client.get_bytes(EXPORT_PATH, params, context=context)
        try:
            parsed = parse_export(
                register, settings.qlvb_format, content, settings.max_export_unpacked_bytes
            )
        except ExportFormatError as exc:
            problem = str(exc)
            continue
        if parsed.footer_count is None or parsed.footer_count == parsed.data_rows:
            return UnitExport(unit_id, parsed, hashlib.sha256(content).hexdigest(), len(content))
        problem = f"footer says {parsed.footer_count} rows, the file has {parsed.data_rows}"
        log.warning("%s %s: %s; downloading it again", SOURCE, context, problem)
    raise SourceError(
        f"{SOURCE} GET {EXPORT_PATH} {context}: {problem} "
        f"(after {settings.qlvb_export_attempts} downloads)"
    )


def _land_units(
    client: HttpClient, landing: LandingArea, window: Window, *, keep: bool
) -> tuple[Manifest | None, list[int]]:
    """The unit list (landed as a snapshot when ``keep``) and the ids to export."""
    meter = common.StatsMeter(client)
    payload = client.get_json(UNITS_PATH, context="snapshot", check=_check_units)
    records = [redact_record(r if isinstance(r, dict) else {"_value": r}) for r in payload]
    good, quarantine = common.split_valid(records, validate_donvi)
    unit_ids = sorted({record["id"] for record in good})
    if not keep:
        return None, unit_ids
    manifest = common.land(
        landing,
        source=SOURCE,
        entity="donvi",
        mode="snapshot",
        window=window,
        records=good,
        quarantine=quarantine,
        identity=IDENTITIES["donvi"],
        meter=meter,
        source_totals={"records_served": len(records)},
        request={"path": UNITS_PATH},
    )
    return manifest, unit_ids


@dataclass
class _RegisterWindow:
    """One register's exports of one window, under way on the client's workers."""

    register: str
    window: Window
    futures: list[Future[UnitExport]]
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def cancel(self) -> None:
        for future in self.futures:
            future.cancel()


class _ExportMeter(common.StatsMeter):
    """The requests of one register window: the sum of its units' exports (the workers are
    exporting the next window meanwhile, so the client's counters would mix the two)."""

    def __init__(self, started_at: dt.datetime, exports: Sequence[UnitExport]) -> None:
        self.started_at = started_at
        self._counts: Counter[str] = Counter()
        for export in exports:
            self._counts.update(export.counts)

    def counters(self, **extra: int) -> dict[str, int]:
        names = ("requests", "retries", "reauthentications")
        return {name: self._counts[name] for name in names} | extra


def _submit_register(
    client: HttpClient, register: str, window: Window, unit_ids: Sequence[int]
) -> _RegisterWindow:
    pool = client.executor()
    futures = [pool.submit(_export_unit, client, register, unit_id, window) for unit_id in unit_ids]
    return _RegisterWindow(register, window, futures)


def _extract_register(
    client: HttpClient,
    landing: LandingArea,
    work: _RegisterWindow,
    unit_ids: Sequence[int],
) -> Manifest:
    register, window = work.register, work.window
    try:
        exports = [future.result() for future in work.futures]
    finally:
        work.cancel()  # after a failed export: the others of the window are not needed
    meter = _ExportMeter(work.started_at, exports)
    latest: dict[Any, dict[str, Any]] = {}
    identity = common.key_identity(IDENTITIES[register].key)
    for export in exports:
        for row in export.parsed.rows:
            row[UNIT_FIELD] = export.unit_id
            latest[identity(row)] = row
    good, quarantine = common.split_valid(
        latest.values(), lambda row: rules.validate(register, row)
    )
    quarantine += [
        QuarantineEntry(reason=row.reason, record={**row.record, UNIT_FIELD: export.unit_id})
        for export in exports
        for row in export.parsed.rejected
    ]
    fmt = client.settings.qlvb_format
    originals = [
        PendingOriginal(
            name=f"{export.unit_id}.{fmt}",
            content=export.parsed.redacted,
            sha256_received=export.sha256_received,
            bytes_received=export.bytes_received,
            redacted_columns=export.parsed.redacted_columns,
            describes={UNIT_FIELD: export.unit_id, "loai": register},
        )
        for export in exports
    ]
    return common.land(
        landing,
        source=SOURCE,
        entity=register,
        mode="incremental",
        window=window,
        records=good,
        quarantine=quarantine,
        identity=IDENTITIES[register],
        meter=meter,
        source_totals={
            "footer_counts": {
                str(e.unit_id): e.parsed.footer_count
                for e in exports
                if e.parsed.footer_count is not None
            },
            "rows_per_unit": {str(e.unit_id): e.parsed.data_rows for e in exports},
        },
        request={
            "path": EXPORT_PATH,
            "loai": register,
            "tu_ngay": _dmy(window.start),
            "den_ngay": _dmy(window.end),
            "dinh_dang": fmt,
            "units": list(unit_ids),
        },
        originals=originals,
    )


def extract_qlvb(
    start: dt.date | str,
    end: dt.date | str,
    *,
    landing: LandingArea,
    connection: SourceConnection | None = None,
    settings: ExtractSettings | None = None,
    hmac_key: bytes | None = None,
    entities: Sequence[str] = ENTITIES,
    lookback_days: Mapping[str, int] | None = None,
) -> list[Manifest]:
    """Land the units (snapshot) and each register of every unit for [start, end].

    ``lookback_days`` (e.g. ``windows.QLVB_LOOKBACK_DAYS`` in the nightly run) extends a
    register's range back so rows registered earlier but still changing are exported again.
    Each register's range is cut into calendar quarters (the API takes at most 92 days).
    """
    run = common.begin(SOURCE, ENTITIES, entities, start, end, connection, settings, hmac_key)
    requested = run.requested
    jobs = []
    for register in REGISTERS:
        if register in entities:
            span = requested
            if lookback_days and register in lookback_days:
                span = with_lookback(requested, lookback_days[register])
            jobs += [(register, window) for window in quarter_windows(span)]
    with make_client(run.connection, run.settings) as client:
        units_manifest, unit_ids = _land_units(client, landing, requested, keep="donvi" in entities)
        manifests = [units_manifest] if units_manifest else []
        # Every unit export of every register window goes to the client's workers (at most
        # the source's concurrency in flight); the next window's exports are queued while a
        # window is parsed and landed, so the workers never idle at a window's end, and at most
        # two windows' exports are held in memory. Windows land in order.
        under_way: deque[_RegisterWindow] = deque()
        try:
            for register, window in jobs:
                under_way.append(_submit_register(client, register, window, unit_ids))
                if len(under_way) > 1:
                    manifests.append(
                        _extract_register(client, landing, under_way.popleft(), unit_ids)
                    )
            while under_way:
                manifests.append(_extract_register(client, landing, under_way.popleft(), unit_ids))
        finally:
            for work in under_way:
                work.cancel()
    return manifests

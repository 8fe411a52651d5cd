"""Landing and loading small batches through the real landing area and loader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from validate_helpers import WINDOW

from include.landing import LandingArea, QuarantineEntry, RecordIdentity
from include.load import load_landing

IDENTITIES = {
    ("onestop", "donvi"): RecordIdentity(("MaDonVi",)),
    ("onestop", "hoso"): RecordIdentity(("MaHoSo",), "NgayCapNhat", "yyyyMMddHHmmss"),
    ("qlvb", "den"): RecordIdentity(("Mã văn bản",)),
}
#: Entities served whole (one listing, no window of changes): landed as snapshots.
SNAPSHOTS = {("onestop", "donvi")}


LoadFn = Callable[..., int]


@pytest.fixture
def landing(tmp_path) -> LandingArea:
    return LandingArea(tmp_path / "landing")


@pytest.fixture
def load(landing: LandingArea, fresh_dsn: str) -> LoadFn:
    """Land ``records`` as one extract and load it; returns the load id."""

    def _load(
        records: list[dict],
        *,
        source: str = "onestop",
        entity: str = "hoso",
        window: tuple[dt.date, dt.date] = WINDOW,
        source_totals: dict | None = None,
        quarantine: tuple[QuarantineEntry, ...] = (),
    ) -> int:
        snapshot = (source, entity) in SNAPSHOTS
        if source_totals is None:
            served = len(records) + len(quarantine)
            source_totals = {"records_served" if snapshot else "tong_so_ban_ghi": served}
        manifest = landing.write_extract(
            source=source,
            entity=entity,
            mode="snapshot" if snapshot else "incremental",
            window_start=window[0],
            window_end=window[1],
            records=records,
            started_at=dt.datetime.now(dt.UTC),
            extractor_version="test",
            identity=IDENTITIES[(source, entity)],
            quarantine=quarantine,
            source_totals=source_totals,
        )
        [result] = load_landing(fresh_dsn, landing, manifests=[manifest])
        return result.load_id

    return _load

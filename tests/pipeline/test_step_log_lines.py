"""What the extract and load tasks say in their logs: one line per extract."""

from __future__ import annotations

import datetime as dt

from include.landing import LandingArea, RecordIdentity
from include.pipeline.steps import extract_line, load_line

APRIL = (dt.date(2023, 4, 1), dt.date(2023, 4, 30))


def landed(landing: LandingArea):
    return landing.write_extract(
        source="onestop",
        entity="hoso",
        mode="incremental",
        window_start=APRIL[0],
        window_end=APRIL[1],
        records=[{"MaHoSo": "H33-1", "NgayCapNhat": "20230402100000"}],
        started_at=dt.datetime.now(dt.UTC),
        extractor_version="test",
        identity=RecordIdentity(("MaHoSo",), "NgayCapNhat", "yyyyMMddHHmmss"),
        source_totals={"tong_so_ban_ghi": 1},
    )


def test_the_extract_line_names_source_entity_window_records_and_where(landing):
    manifest = landed(landing)

    line = extract_line(manifest, landing.root)

    where = manifest.directory.relative_to(landing.root)
    assert where.name == manifest.extract_id
    assert line == (
        "extracted onestop.hoso window 2023-04-01..2023-04-30 (incremental): 1 records, "
        f"0 quarantined, landed in {where}"
    )


def test_the_load_line_names_the_load_or_that_nothing_was_loaded(landing):
    manifest = landed(landing)
    summary = {
        "entity": "hoso",
        "extract_id": manifest.extract_id,
        "load_id": 42,
        "new": True,
        "extracted": 1,
        "loaded": 1,
        "quarantined": 0,
    }
    what = f"onestop.hoso window 2023-04-01..2023-04-30 extract {manifest.extract_id}"

    assert load_line(summary, manifest) == (
        f"{what}: load 42, 1 records loaded, 0 quarantined (of 1 extracted)"
    )
    assert load_line(summary | {"new": False, "loaded": 0}, manifest) == (
        f"{what}: already load 42, nothing loaded"
    )

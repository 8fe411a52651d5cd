"""The landing area: immutable extracts, manifests, checksums, replay and de-duplication."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import stat
import time

import pytest

from include.landing import (
    LandingArea,
    LandingError,
    PendingOriginal,
    QuarantineEntry,
    RecordIdentity,
)

HOSO = RecordIdentity(key=("MaHoSo",), version_field="NgayCapNhat", version_format="yyyyMMddHHmmss")
PAYMENTS = RecordIdentity(
    key=("transactionId",), version_field="updatedAt", version_format="iso8601"
)
JAN = (dt.date(2023, 1, 1), dt.date(2023, 1, 31))
FEB = (dt.date(2023, 2, 1), dt.date(2023, 2, 28))


def _write(area: LandingArea, records, *, window=JAN, identity=HOSO, entity="hoso", **extra):
    return area.write_extract(
        source="onestop",
        entity=entity,
        mode=extra.pop("mode", "incremental"),
        window_start=window[0],
        window_end=window[1],
        records=records,
        started_at=dt.datetime.now(dt.UTC),
        extractor_version="test",
        identity=identity,
        **extra,
    )


def _tree_bytes(root) -> dict[str, bytes]:
    files = sorted(path for path in root.rglob("*") if path.is_file())
    return {str(path.relative_to(root)): path.read_bytes() for path in files}


def test_extract_is_written_with_manifest_and_read_back(tmp_path):
    area = LandingArea(tmp_path)
    records = [{"MaHoSo": "H1", "NgayCapNhat": "20230105080000", "Tên": "Hồ sơ ✓"}]
    quarantined = [QuarantineEntry(reason="missing MaHoSo", record={"TrangThaiHoSo": "4"})]

    manifest = _write(
        area,
        records,
        quarantine=quarantined,
        source_totals={"tong_so_ban_ghi": 2},
        counters={"requests": 3, "retries": 1, "restarts": 2},
    )

    directory = tmp_path / "onestop" / "hoso" / "2023-01-01_2023-01-31" / manifest.extract_id
    assert manifest.directory == directory
    assert sorted(p.name for p in directory.iterdir()) == ["manifest.json", "records.jsonl.gz"]
    stored = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert stored["record_count"] == 1
    assert stored["window_start"] == "2023-01-01"
    assert stored["source_totals"] == {"tong_so_ban_ghi": 2}
    assert stored["quarantine"] == [{"reason": "missing MaHoSo", "record": {"TrangThaiHoSo": "4"}}]
    assert stored["timings"]["requests"] == 3
    assert stored["timings"]["restarts"] == 2
    assert stored["request"]["dedup"]["key"] == ["MaHoSo"]
    with gzip.open(directory / "records.jsonl.gz", "rt", encoding="utf-8") as handle:
        assert [json.loads(line) for line in handle] == records
    [listed] = area.manifests("onestop", "hoso")
    assert list(area.read_records(listed)) == records


def test_files_are_read_only_and_a_second_extract_leaves_the_first_untouched(tmp_path):
    area = LandingArea(tmp_path)
    first = _write(area, [{"MaHoSo": "H1", "NgayCapNhat": "20230105080000"}])
    before = _tree_bytes(tmp_path)

    second = _write(area, [{"MaHoSo": "H1", "NgayCapNhat": "20230106080000"}])

    assert second.extract_id != first.extract_id
    after = _tree_bytes(tmp_path)
    assert {k: v for k, v in after.items() if first.extract_id in k} == before
    for path in first.directory.iterdir():
        assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if os.geteuid() != 0:  # root ignores permissions
        with pytest.raises(PermissionError):
            (first.directory / "records.jsonl.gz").write_bytes(b"")


def test_verify_detects_an_altered_data_file(tmp_path):
    area = LandingArea(tmp_path)
    manifest = _write(area, [{"MaHoSo": "H1", "NgayCapNhat": "20230105080000"}])
    data = manifest.directory / "records.jsonl.gz"
    manifest.directory.chmod(0o755)
    data.chmod(0o644)
    data.write_bytes(gzip.compress(b'{"MaHoSo":"H2"}\n'))

    with pytest.raises(LandingError, match="checksum"):
        list(area.read_records(manifest))


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    area = LandingArea(tmp_path)

    def records():
        yield {"MaHoSo": "H1", "NgayCapNhat": "20230105080000"}
        raise RuntimeError("source broke mid-stream")

    with pytest.raises(RuntimeError):
        _write(area, records())
    assert area.manifests() == []
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_originals_are_kept_with_both_checksums(tmp_path):
    area = LandingArea(tmp_path)
    original = PendingOriginal(
        name="1201.xlsx",
        content=b"redacted-bytes",
        sha256_received="ab" * 32,
        bytes_received=99,
        redacted_columns=["Trích yếu"],
        describes={"don_vi_id": 1201},
    )
    manifest = _write(area, [], originals=[original])

    [stored] = manifest.originals
    assert stored.path == "original/1201.xlsx"
    assert stored.sha256_received == "ab" * 32
    assert stored.sha256_stored != stored.sha256_received
    assert area.read_original(manifest, stored.path) == b"redacted-bytes"
    area.verify(manifest)


def test_manifests_filter_by_window_overlap(tmp_path):
    area = LandingArea(tmp_path)
    _write(area, [], window=JAN)
    _write(area, [], window=FEB)

    in_feb = area.manifests("onestop", "hoso", window=(dt.date(2023, 2, 10), dt.date(2023, 2, 11)))
    assert [(m.window_start, m.window_end) for m in in_feb] == [FEB]
    assert len(area.manifests("onestop")) == 2
    assert area.manifests("qlvb") == []


def test_latest_records_keep_the_newest_version_across_extracts(tmp_path):
    area = LandingArea(tmp_path)
    _write(
        area,
        [
            {"MaHoSo": "H1", "NgayCapNhat": "20230210080000", "TrangThaiHoSo": "10"},
            {"MaHoSo": "H2", "NgayCapNhat": "20230105080000", "TrangThaiHoSo": "2"},
        ],
        window=FEB,
    )
    # Landed later but older: the record's own update time decides.
    _write(area, [{"MaHoSo": "H1", "NgayCapNhat": "20230120080000", "TrangThaiHoSo": "4"}])

    latest = {r["MaHoSo"]: r["TrangThaiHoSo"] for r in area.latest_records("onestop", "hoso")}
    assert latest == {"H1": "10", "H2": "2"}


def test_latest_records_compare_iso_instants_not_strings(tmp_path):
    area = LandingArea(tmp_path)
    # 18:30Z is 01:30+07:00 the next day: later than 23:00+07:00, although it sorts lower.
    _write(
        area,
        [{"transactionId": "T1", "updatedAt": "2023-06-30T23:00:00+07:00", "status": "PENDING"}],
        entity="payments",
        identity=PAYMENTS,
    )
    _write(
        area,
        [{"transactionId": "T1", "updatedAt": "2023-06-30T18:30:00Z", "status": "SUCCESS"}],
        entity="payments",
        identity=PAYMENTS,
    )
    _write(
        area,
        [{"transactionId": "T1", "updatedAt": "2023-06-30T22:00:00+07:00", "status": "FAILED"}],
        entity="payments",
        identity=PAYMENTS,
    )

    [latest] = area.latest_records("onestop", "payments")
    assert latest["status"] == "SUCCESS"


def test_latest_records_of_a_snapshot_are_the_latest_snapshot(tmp_path):
    area = LandingArea(tmp_path)
    identity = RecordIdentity(key=("MaDonVi",))
    for agencies in ([{"MaDonVi": "A"}, {"MaDonVi": "B"}], [{"MaDonVi": "A"}]):
        _write(area, agencies, entity="donvi", identity=identity, mode="snapshot")

    assert area.latest_records("onestop", "donvi") == [{"MaDonVi": "A"}]


def test_landing_write_throughput(tmp_path):
    """Records/s written by the landing path, on dossier-sized records."""
    area = LandingArea(tmp_path)
    record = {
        "MaHoSo": "000.00.11.H33-230105-0001",
        "MaTTHC": "1.001193",
        "TenTTHC": "Đăng ký khai sinh",
        "NgayCapNhat": "20230105080000",
        "TrangThaiHoSo": "4",
        "TaiLieuNop": [{"TepDinhKemId": "F1", "TenTepDinhKem": "Tờ khai", "DuocSoHoa": "1"}] * 3,
        "DanhSachLePhi": [{"MaPhiLePhi": "P1", "Gia": 8000}],
    }
    count = 50_000
    records = ({**record, "MaHoSo": f"H{i}"} for i in range(count))

    started = time.perf_counter()
    manifest = _write(area, records)
    seconds = time.perf_counter() - started

    assert manifest.record_count == count
    rate = count / seconds
    print(f"landing write: {rate:,.0f} records/s ({count} records in {seconds:.2f}s)")
    assert rate > 20_000


def test_a_served_journal_cut_short_reads_up_to_its_last_whole_page(tmp_path):
    area = LandingArea(tmp_path)
    first = area.served_journal("onestop", "hoso", *JAN)
    first.append([{"MaHoSo": "HS-1"}, {"MaHoSo": "HS-2"}])
    first.append([{"MaHoSo": "HS-3"}])
    first.close()
    [path] = (tmp_path / "onestop" / "hoso" / "2023-01-01_2023-01-31").glob(".served-*")
    # The writer was killed half-way through its third page.
    path.write_bytes(path.read_bytes() + gzip.compress(b'{"MaHoSo": "HS-4"}\n')[:12])
    assert area.manifests() == []  # a journal is no extract

    with area.served_journal("onestop", "hoso", *JAN) as second:
        assert [r["MaHoSo"] for r in second.earlier_records()] == ["HS-1", "HS-2", "HS-3"]
        second.append([{"MaHoSo": "HS-5"}])
    assert not path.exists()
    assert list(path.parent.glob(".served-*")) == []


def test_a_journal_of_a_listing_that_does_not_move_writes_nothing(tmp_path):
    area = LandingArea(tmp_path)
    with area.served_journal("onestop", "tientrinh", *JAN, live=False) as j:
        j.append([{"MaHoSo": "HS-1"}])
        assert j.earlier_records() == []
    assert not any(tmp_path.rglob(".served-*"))

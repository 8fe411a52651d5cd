"""Live listings over real HTTP: a record that moves out while its window is paged, and
processing steps that share their dossier, second and status."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from fake_http import Call, Reply

from include.connections import SourceConnection
from include.extract.http import SourceError
from include.extract.onestop import extract_onestop
from include.landing import LandingArea

LOGIN = "/api/v1/auth/session"


def _dossier(code: str, updated: str) -> dict:
    return {
        "MaHoSo": code,
        "MaDonVi": "000.00.11.H33",
        "TrangThaiHoSo": "2",
        "NgayTiepNhan": "20230103080000",
        "NgayCapNhat": updated,
        "ChuHoSo": "Nguyễn Văn An",
    }


def _listing(pages: Callable[[int, int], tuple[list[dict], int]], size: int):
    """A one-stop server whose listing pages come from ``pages(pass, page)``."""
    passes = [0]

    def respond(call: Call) -> Reply:
        if call.path == LOGIN:
            return Reply(200, {"error_code": "0", "session": "S", "expires_in": 1800})
        page = int(call.query["trang"])
        if page == 1:
            passes[0] += 1
        records, total = pages(passes[0], page)
        envelope = {"error_code": "0", "tong_so_ban_ghi": total, "trang": page, "so_ban_ghi": size}
        return Reply(200, envelope | {"data": records})

    return respond


def _extract(server, settings, hmac_key, tmp_path, entity: str):
    area = LandingArea(tmp_path)
    [manifest] = extract_onestop(
        "2023-01-01",
        "2023-01-31",
        landing=area,
        connection=SourceConnection.from_url("onestop_api", server.url, "demo", "secret"),
        settings=settings,
        hmac_key=hmac_key,
        entities=(entity,),
    )
    return area, manifest


def test_a_dossier_updated_while_its_window_is_paged_is_landed_not_lost(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    # Pass 1 serves HS-1 and HS-2 on page 1; HS-2 is then updated (tonight, after January)
    # and leaves the window, so page 2 reports a total of 3: the listing is read again, and
    # the second pass no longer holds HS-2. Before, HS-2 was in no extract of the run.
    before = [_dossier(f"HS-{i}", f"2023010{i}090000") for i in range(1, 5)]
    after = [before[0], *before[2:]]

    def pages(pass_number: int, page: int) -> tuple[list[dict], int]:
        current = before if (pass_number, page) == (1, 1) else after
        return current[(page - 1) * 2 : page * 2], len(current)

    server = scripted_server(_listing(pages, size=2))
    settings = replace(fast_settings, page_size=2)

    area, manifest = _extract(server, settings, hmac_key, tmp_path, "hoso")

    landed = sorted(r["MaHoSo"] for r in area.read_records(manifest))
    assert landed == ["HS-1", "HS-2", "HS-3", "HS-4"]
    assert manifest.source_totals["moved_out"] == 1
    assert [listing["tong_so_ban_ghi"] for listing in manifest.source_totals["listings"]] == [3]
    # What the load's validation compares: extracted equals what the source accounted for.
    assert (
        manifest.record_count + manifest.quarantine_count
        == (manifest.source_totals["tong_so_ban_ghi"])
    )
    assert manifest.timings.restarts == 1
    assert "Nguyễn Văn An" not in json.dumps(list(area.read_records(manifest)), ensure_ascii=False)


def _step(department: str, official: str, note: str, code: str = "HS-1") -> dict:
    return {
        "MaHoSo": code,
        "MaDonVi": "000.00.11.H33",
        "ThoiDiemXuLy": "20230105080000",
        "TrangThai": "4",
        "PhongBanXuLy": department,
        "NguoiXuLy": official,
        "ChucDanh": "Chuyên viên",
        "NoiDungXuLy": note,
    }


def test_steps_sharing_dossier_second_and_status_are_all_extracted(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    # Two departments act on HS-1 in the same second with the same status; HS-2 gets two
    # steps that differ only in their free text (dropped when landed); HS-3 has one step. The
    # second page overlaps the first by a record, as the spec warns. Before, the five steps
    # counted as three distinct ones on every pass and the window could never be extracted.
    steps = [
        _step("Phòng Tư pháp", "Lê Văn Bình", "Chuyển xử lý"),
        _step("Phòng Tài chính", "Trần Thị Cúc", "Phối hợp"),
        _step("Văn phòng", "Phạm Văn Dũng", "Bổ sung lần 1", code="HS-2"),
        _step("Văn phòng", "Phạm Văn Dũng", "Bổ sung lần 2", code="HS-2"),
        _step("Văn phòng", "Phạm Văn Dũng", "Tiếp nhận", code="HS-3"),
    ]
    pages_served = {1: steps[0:3], 2: steps[2:5]}  # page 2 starts one record early

    server = scripted_server(_listing(lambda _, page: (pages_served[page], 5), size=3))
    settings = replace(fast_settings, page_size=3)

    area, manifest = _extract(server, settings, hmac_key, tmp_path, "tientrinh")

    landed = list(area.read_records(manifest))
    assert manifest.record_count == 5
    assert manifest.timings.restarts == 0
    assert sorted((r["MaHoSo"], r["PhongBanXuLy"]) for r in landed) == [
        ("HS-1", "Phòng Tài chính"),
        ("HS-1", "Phòng Tư pháp"),
        ("HS-2", "Văn phòng"),
        ("HS-2", "Văn phòng"),
        ("HS-3", "Văn phòng"),
    ]
    assert all("NoiDungXuLy" not in r for r in landed)
    # The two departments' steps stay two steps across extracts; the HS-2 pair is identical
    # once its free text is dropped, so nothing downstream can tell them apart.
    latest = area.latest_records("onestop", "tientrinh")
    assert sorted((r["MaHoSo"], r["PhongBanXuLy"]) for r in latest) == [
        ("HS-1", "Phòng Tài chính"),
        ("HS-1", "Phòng Tư pháp"),
        ("HS-2", "Văn phòng"),
        ("HS-3", "Văn phòng"),
    ]


def test_a_record_that_moved_during_a_failed_attempt_is_landed_by_the_retry(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    # Attempt 1 is served HS-2 on page 1, HS-2 then moves out (total 4 -> 3), and the portal
    # fails for good before the listing is read again: the task fails. Attempt 2 (Airflow's
    # retry) reads a listing without HS-2. Before, HS-2 was in no extract.
    before = [_dossier(f"HS-{i}", f"2023010{i}090000") for i in range(1, 5)]
    after = [before[0], *before[2:]]
    failing = [True]

    def respond(call: Call) -> Reply:
        if call.path == LOGIN:
            return Reply(200, {"error_code": "0", "session": "S", "expires_in": 1800})
        page = int(call.query["trang"])
        hoso = [c for c in server.calls if c.path == "/api/v1/hoso"]
        if len(hoso) > 2 and failing[0]:
            return Reply(503, "busy")
        current = before if len(hoso) == 1 else after
        envelope = {"error_code": "0", "tong_so_ban_ghi": len(current), "so_ban_ghi": 2}
        return Reply(200, envelope | {"data": current[(page - 1) * 2 : page * 2]})

    server = scripted_server(respond)
    settings = replace(fast_settings, page_size=2, max_attempts=2)
    area = LandingArea(tmp_path)
    connection = SourceConnection.from_url("onestop_api", server.url, "demo", "secret")

    def attempt():
        return extract_onestop(
            "2023-01-01",
            "2023-01-31",
            landing=area,
            connection=connection,
            settings=settings,
            hmac_key=hmac_key,
            entities=("hoso",),
        )

    with pytest.raises(SourceError, match="HTTP 503 after 2 attempts"):
        attempt()
    window_dir = tmp_path / "onestop" / "hoso" / "2023-01-01_2023-01-31"
    [journal] = window_dir.glob(".served-*")
    assert "Nguyễn Văn An" not in gzip.decompress(journal.read_bytes()).decode("utf-8")
    assert area.manifests() == []

    failing[0] = False
    [manifest] = attempt()

    assert sorted(r["MaHoSo"] for r in area.read_records(manifest)) == [
        "HS-1",
        "HS-2",
        "HS-3",
        "HS-4",
    ]
    assert manifest.source_totals["moved_out"] == 1
    assert list(window_dir.glob(".served-*")) == []  # landed: the journals are done with

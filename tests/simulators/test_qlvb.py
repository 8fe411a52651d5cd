"""Conformance of the QLVB simulator with specs/sources/qlvb.md (xlsx and csv layouts)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import requests

from include.simulators import QlvbSimulator
from include.simulators.qlvb import COLUMNS

SECOND_QUARTER = {"don_vi": 1201, "tu_ngay": "01/04/2023", "den_ngay": "30/06/2023"}


def _export(sim: QlvbSimulator, headers: dict[str, str], **params: object) -> requests.Response:
    return requests.get(
        f"{sim.url}/api/qlvb/v2/so-van-ban", params=params, headers=headers, timeout=10
    )


def _expected(sim: QlvbSimulator, loai: str, column: str) -> list[dict]:
    """Rows of unit 1201 registered in Q2, in register order; a row whose registration date
    cannot be read (one den row) is filed under the date of the unit's row before it."""
    start, end = dt.date(2023, 4, 1), dt.date(2023, 6, 30)
    rows, previous = [], None
    for row in sim.current_records(loai):
        if row["_unit_id"] != 1201:
            continue
        day = row[column] if isinstance(row[column], dt.date) else previous
        previous = day
        if start <= day <= end:
            rows.append(row)
    return rows


def test_wrong_key_is_403_plain_text(qlvb: QlvbSimulator) -> None:
    for headers in ({"Authorization": "ApiKey wrong"}, {}):
        answer = requests.get(f"{qlvb.url}/api/qlvb/v2/donvi", headers=headers, timeout=5)
        assert answer.status_code == 403
        assert answer.headers["Content-Type"].startswith("text/plain")
        assert answer.text


def test_units(qlvb: QlvbSimulator, qlvb_headers) -> None:
    units = requests.get(f"{qlvb.url}/api/qlvb/v2/donvi", headers=qlvb_headers, timeout=5).json()
    assert units == [
        {"id": 1201, "ten": "UBND phường Minh Đức", "ma_dinh_danh": "000.09.11.H33"},
        {"id": 1202, "ten": "UBND thị xã Mỹ Hào", "ma_dinh_danh": "000.00.11.H33"},
    ]


def test_xlsx_layout(qlvb: QlvbSimulator, qlvb_headers) -> None:
    answer = _export(qlvb, qlvb_headers, loai="den", **SECOND_QUARTER)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet.cell(1, 1).value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert sheet.cell(2, 1).value == "Đơn vị: UBND phường Minh Đức"
    assert sheet.cell(3, 1).value == "Từ ngày 01/04/2023 đến ngày 30/06/2023"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:R1", "A2:R2", "A3:R3"} <= merged
    assert all(sheet.cell(4, c).value is None for c in range(1, 19))
    assert tuple(sheet.cell(5, c).value for c in range(1, 19)) == COLUMNS["den"]

    expected = _expected(qlvb, "den", "Ngày đến")
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    footer_index = next(i for i, row in enumerate(rows) if str(row[0]).startswith("Tổng số"))
    data = rows[:footer_index]
    assert rows[footer_index][0] == f"Tổng số: {len(data)} văn bản"
    assert len(data) == len(expected) > 1
    assert [row[0] for row in data] == list(range(1, len(data) + 1))
    assert [row[1] for row in data] == [r["Mã văn bản"] for r in expected]
    dates = [row[3] for row in data]  # Ngày đến
    assert any(isinstance(v, dt.datetime) for v in dates)
    assert any(isinstance(v, str) and len(v) == 10 and v[2] == "/" for v in dates)
    assert sheet.max_row > 6 + len(data)  # empty trailing rows after the footer
    assert all(v is None for row in rows[footer_index + 1 :] for v in row)
    assert "32/13/2023" in dates  # served as it is, not lost
    confidential = next(row for row in data if row[9] == "Mật")
    assert confidential[8] == "(Văn bản mật)"


def test_xlsx_hscv_footer_and_extra_column(qlvb: QlvbSimulator, qlvb_headers) -> None:
    answer = _export(qlvb, qlvb_headers, loai="hscv", **SECOND_QUARTER)
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    header = [sheet.cell(5, c).value for c in range(1, sheet.max_column + 1)]
    assert header == [*COLUMNS["hscv"], "Mã lưu trữ"]
    expected = _expected(qlvb, "hscv", "Ngày mở")
    footer = sheet.cell(6 + len(expected), 1).value
    assert footer == f"Tổng số: {len(expected)} hồ sơ"
    closed = [sheet.cell(r, 6).value for r in range(6, 6 + len(expected))]
    assert "31/02/2023" in closed  # an unreadable date is served as it is


def test_csv_layout(qlvb: QlvbSimulator, qlvb_headers) -> None:
    answer = _export(qlvb, qlvb_headers, loai="di", dinh_dang="csv", **SECOND_QUARTER)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")
    text = answer.content.decode("utf-8-sig")
    assert text.startswith('"STT","Mã văn bản"')
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS["di"]
    expected = _expected(qlvb, "di", "Ngày ban hành")
    assert len(rows) - 1 == len(expected) > 1
    assert rows[1][3] == expected[0]["Ngày ban hành"].strftime("%d/%m/%Y")
    assert rows[1][14] == "3"


def test_parameter_errors(qlvb: QlvbSimulator, qlvb_headers) -> None:
    cases = [
        ({"loai": "abc", **SECOND_QUARTER}, 400),
        ({"loai": "den", **{**SECOND_QUARTER, "tu_ngay": "2023-04-01"}}, 400),
        ({"loai": "den", **{**SECOND_QUARTER, "den_ngay": "03/07/2023"}}, 400),  # 93 days
        ({"loai": "den", **SECOND_QUARTER, "dinh_dang": "pdf"}, 400),
        ({"loai": "den", **{**SECOND_QUARTER, "don_vi": 9999}}, 404),
        ({"loai": "den", **{**SECOND_QUARTER, "den_ngay": "31/03/2023"}}, 400),
    ]
    for params, status in cases:
        answer = _export(qlvb, qlvb_headers, **params)
        assert answer.status_code == status, params
        assert answer.json()["loi"]
    exactly_92_days = {**SECOND_QUARTER, "den_ngay": "02/07/2023"}
    assert _export(qlvb, qlvb_headers, loai="den", **exactly_92_days).status_code == 200

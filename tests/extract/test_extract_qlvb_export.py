"""QLVB export parsing (xlsx and csv layouts), redaction of the kept original, footer check."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from fake_http import Call, Reply

from include.connections import SourceConnection
from include.extract.http import SourceError
from include.extract.qlvb import extract_qlvb
from include.extract.qlvb_export import ExportFormatError, parse_csv, parse_xlsx
from include.extract.validators import qlvb as rules
from include.landing import LandingArea

HSCV_HEADER = [*rules.COLUMNS["hscv"], "Mã lưu trữ"]
SECRET_TITLE = "Hồ sơ giải quyết khiếu nại của bà Phạm Thị Hoa"


def _hscv_row(stt: int, code: str, opened, closed=None, online=" có ", title=SECRET_TITLE):
    return [stt, code, title, "Văn phòng", opened, closed, "Đã đóng", online, "Thường", "LT-1"]


def _xlsx(rows: list[list], footer: int | None = None, trailing_empty: int = 2) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "DANH MỤC HỒ SƠ CÔNG VIỆC"
    sheet["A2"] = "Đơn vị: UBND phường Minh Đức"
    sheet["A3"] = "Từ ngày 01/04/2023 đến ngày 30/06/2023"
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HSCV_HEADER))
    for column, name in enumerate(HSCV_HEADER, start=1):
        sheet.cell(row=5, column=column, value=name)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=6 + offset, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    footer_row = 6 + len(rows) + trailing_empty
    count = len(rows) if footer is None else footer
    sheet.cell(row=footer_row, column=1, value=f"Tổng số: {count} hồ sơ")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_export_is_parsed_with_both_date_kinds_and_redacted():
    content = _xlsx(
        [
            _hscv_row(1, "HS-1", dt.date(2023, 4, 3), "05/05/2023"),
            _hscv_row(2, "HS-2", "7/4/2023", None, online="KHÔNG"),
            _hscv_row(3, "HS-3", "31/02/2023", None),
        ]
    )

    parsed = parse_xlsx("hscv", content)

    assert parsed.footer_count == 3
    assert [row["Mã hồ sơ"] for row in parsed.rows] == ["HS-1", "HS-2", "HS-3"]
    first, second, third = parsed.rows
    assert first["Ngày mở"] == "2023-04-03"
    assert first["Ngày đóng"] == "2023-05-05"
    assert second["Ngày mở"] == "2023-04-07"
    assert second["Ngày đóng"] is None
    assert first["Xử lý trên môi trường mạng"] == " có "  # kept as received
    assert first["Mã lưu trữ"] == "LT-1"  # unknown column kept
    assert "Tiêu đề" not in first and "STT" not in first
    assert third["Ngày mở"] == "31/02/2023"
    assert rules.validate("hscv", first) == []
    assert rules.validate("hscv", second) == []
    assert rules.validate("hscv", third) == ["Ngày mở '31/02/2023' is not a date"]

    assert parsed.redacted_columns == ["Tiêu đề"]
    kept = openpyxl.load_workbook(io.BytesIO(parsed.redacted)).active
    assert kept["A2"].value == "Đơn vị: UBND phường Minh Đức"
    assert [str(r) for r in kept.merged_cells.ranges][:1] == ["A1:J1"]
    assert [kept.cell(row=r, column=3).value for r in (5, 6, 7, 8)] == ["Tiêu đề", None, None, None]
    assert kept.cell(row=6, column=2).value == "HS-1"
    assert str(kept.cell(row=11, column=1).value).startswith("Tổng số: 3")
    all_text = " ".join(str(c.value) for row in kept.iter_rows() for c in row)
    assert SECRET_TITLE not in all_text


def test_xlsx_without_footer_is_a_format_error():
    book = openpyxl.Workbook()
    book.active.cell(row=5, column=2, value="Mã hồ sơ")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ExportFormatError, match="footer"):
        parse_xlsx("hscv", buffer.getvalue())


def test_csv_export_with_bom_is_parsed_and_rewritten():
    header = ",".join(f'"{name}"' for name in HSCV_HEADER)
    cells = ["1", "HS-1", SECRET_TITLE, "Văn phòng", "03/04/2023", ""]
    cells += ["Đang xử lý", "Có", "Mật", "LT-1"]
    line = ",".join(f'"{cell}"' for cell in cells)
    content = ("\ufeff" + header + "\r\n" + line + "\r\n").encode("utf-8")

    parsed = parse_csv("hscv", content)

    assert parsed.footer_count is None
    [row] = parsed.rows
    assert row["Ngày mở"] == "2023-04-03"
    assert row["Ngày đóng"] is None
    assert row["Độ mật"] == "Mật"
    assert parsed.redacted.startswith(b"\xef\xbb\xbf")
    text = parsed.redacted.decode("utf-8-sig")
    assert SECRET_TITLE not in text
    assert text.splitlines()[1].startswith('"1","HS-1","","Văn phòng"')


def test_unknown_form_and_secrecy_are_reasons():
    row = {
        "Mã văn bản": "VB1",
        "Ngày ban hành": "2023-04-01",
        "Độ mật": "Bí mật",
        "Độ khẩn": "Hoả tốc",  # old tone placement of "Hỏa tốc": the same value
        "Hình thức phát hành": "Fax",
        "Ký số": "cá nhân ",
        "Gửi qua trục liên thông": "CÓ",
    }
    reasons = rules.validate("di", row)
    assert len(reasons) == 2
    assert reasons[0].startswith("Độ mật 'Bí mật' is not one of")
    assert reasons[1].startswith("Hình thức phát hành 'Fax' is not one of")


def test_footer_mismatch_stops_the_extract_naming_unit_register_and_window(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    good = _xlsx([_hscv_row(1, "HS-1", dt.date(2023, 4, 3))])
    wrong = _xlsx([_hscv_row(1, "HS-1", dt.date(2023, 4, 3))], footer=2)

    def respond(call: Call) -> Reply:
        if call.path == "/api/qlvb/v2/donvi":
            return Reply(200, [{"id": 1201, "ten": "UBND phường Minh Đức", "ma_dinh_danh": "X"}])
        return Reply(200, wrong if call.query["don_vi"] == "1201" else good)

    server = scripted_server(respond)
    connection = SourceConnection.from_url("qlvb_api", server.url, "", "key")
    area = LandingArea(tmp_path)

    with pytest.raises(SourceError) as raised:
        extract_qlvb(
            "2023-04-01",
            "2023-06-30",
            landing=area,
            connection=connection,
            settings=fast_settings,
            hmac_key=hmac_key,
            entities=("hscv",),
        )

    message = str(raised.value)
    assert re.search(r"unit 1201 register hscv window 2023-04-01\.\.2023-06-30", message)
    assert "footer says 2 rows, the file has 1" in message
    assert area.manifests("qlvb", "hscv") == []
    exports = [c for c in server.calls if c.path == "/api/qlvb/v2/so-van-ban"]
    assert len(exports) == fast_settings.qlvb_export_attempts
    assert exports[0].query == {
        "loai": "hscv",
        "don_vi": "1201",
        "tu_ngay": "01/04/2023",
        "den_ngay": "30/06/2023",
        "dinh_dang": "xlsx",
    }

"""QLVB export parsing (xlsx and csv layouts), redaction of the kept original, footer check."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace

import openpyxl
import pytest
from fake_http import Call, Reply

from include.connections import SourceConnection
from include.extract.http import ExtractSettings, SourceError
from include.extract.qlvb import extract_qlvb
from include.extract.qlvb_export import ExportFormatError, parse_csv, parse_xlsx
from include.extract.validators import qlvb as rules
from include.landing import LandingArea
from include.sources.qlvb_columns import COLUMNS

HSCV_HEADER = [*COLUMNS["hscv"], "Mã lưu trữ"]
SECRET_TITLE = "Hồ sơ giải quyết khiếu nại của bà Phạm Thị Hoa"
MAX_UNPACKED = ExtractSettings().max_export_unpacked_bytes


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

    parsed = parse_xlsx("hscv", content, MAX_UNPACKED)

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
    assert kept["A1"].value == "DANH MỤC HỒ SƠ CÔNG VIỆC"
    assert kept["A2"].value == "Đơn vị: UBND phường Minh Đức"
    assert [kept.cell(row=r, column=3).value for r in (5, 6, 7, 8)] == ["Tiêu đề", None, None, None]
    assert kept.cell(row=6, column=2).value == "HS-1"
    assert kept.cell(row=6, column=5).value == dt.datetime(2023, 4, 3)  # still a date cell
    assert kept.cell(row=6, column=5).number_format == "DD/MM/YYYY"
    assert str(kept.cell(row=11, column=1).value).startswith("Tổng số: 3")
    all_text = " ".join(str(c.value) for row in kept.iter_rows() for c in row)
    assert SECRET_TITLE not in all_text


def test_xlsx_without_footer_is_a_format_error():
    book = openpyxl.Workbook()
    book.active.cell(row=5, column=2, value="Mã hồ sơ")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ExportFormatError, match="footer"):
        parse_xlsx("hscv", buffer.getvalue(), MAX_UNPACKED)


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


def _qlvb_server(scripted_server, content: bytes):
    def respond(call: Call) -> Reply:
        if call.path == "/api/qlvb/v2/donvi":
            return Reply(200, [{"id": 1201, "ten": "UBND phường Minh Đức", "ma_dinh_danh": "X"}])
        return Reply(200, content)

    return scripted_server(respond)


def _extract_hscv(server, settings, hmac_key, tmp_path):
    area = LandingArea(tmp_path)
    [manifest] = extract_qlvb(
        "2023-04-01",
        "2023-06-30",
        landing=area,
        connection=SourceConnection.from_url("qlvb_api", server.url, "", "key"),
        settings=settings,
        hmac_key=hmac_key,
        entities=("hscv",),
    )
    return area, manifest


def test_a_csv_row_shifted_by_an_unquoted_comma_is_quarantined_not_loaded(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    header = ",".join(f'"{name}"' for name in HSCV_HEADER)
    good = ["1", "HS-1", SECRET_TITLE, "Văn phòng", "03/04/2023", "", "Đang xử lý", "Có"]
    good += ["Thường", "LT-1"]
    # The exporter forgot the quotes: the comma in the title splits it, every later value
    # moves one column right ("Văn phòng" would land in Ngày mở, the date in Ngày đóng, ...).
    shifted = "2,HS-2,Đơn của ông Trần Văn Nam, phường Minh Đức,Văn phòng,04/04/2023,,"
    shifted += "Đang xử lý,Có,Thường,LT-2"
    lines = [header, ",".join(f'"{cell}"' for cell in good), shifted]
    content = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    server = _qlvb_server(scripted_server, content)
    settings = replace(fast_settings, qlvb_format="csv")

    area, manifest = _extract_hscv(server, settings, hmac_key, tmp_path)

    assert [r["Mã hồ sơ"] for r in area.read_records(manifest)] == ["HS-1"]
    [entry] = manifest.quarantine
    assert "csv row 3 has 11 fields, the header 10" in entry.reason
    assert entry.record == {
        "csv_line": 3,
        "fields": 11,
        "header_fields": 10,
        "Mã hồ sơ": "HS-2",
        "don_vi_id": 1201,
    }
    assert manifest.source_totals["rows_per_unit"] == {"1201": 2}
    kept = area.read_original(manifest, "original/1201.csv").decode("utf-8-sig")
    for secret in (SECRET_TITLE, "Trần Văn Nam", "phường Minh Đức"):
        assert secret not in kept
        assert secret not in manifest.to_json()
    assert kept.splitlines()[2].startswith('"2","HS-2","",""')


def _workbook_with_extras() -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(_xlsx([_hscv_row(1, "HS-1", dt.date(2023, 4, 3))])))
    sheet = book.active
    footer_row = sheet.max_row
    # A clerk's notes under the footer and a second sheet: not part of the export's layout.
    sheet.cell(row=footer_row + 2, column=1, value="Người lập: bà Phạm Thị Hoa, 0912345678")
    sheet.cell(row=footer_row + 3, column=3, value=SECRET_TITLE)
    book.create_sheet("Ghi chú").cell(row=1, column=1, value="CCCD 001091001234")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_kept_xlsx_holds_nothing_after_the_footer_nor_other_sheets():
    parsed = parse_xlsx("hscv", _workbook_with_extras(), MAX_UNPACKED)

    assert [row["Mã hồ sơ"] for row in parsed.rows] == ["HS-1"]
    kept = openpyxl.load_workbook(io.BytesIO(parsed.redacted))
    assert len(kept.sheetnames) == 1
    text = " ".join(str(cell.value) for sheet in kept for row in sheet.iter_rows() for cell in row)
    assert "Tổng số: 1" in text
    for secret in ("Phạm Thị Hoa", "0912345678", "001091001234", SECRET_TITLE):
        assert secret not in text


def test_a_zip_bomb_export_is_refused_before_it_is_unpacked():
    content = _xlsx([_hscv_row(1, "HS-1", dt.date(2023, 4, 3))])
    bombed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(bombed, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename), zipfile.ZIP_DEFLATED)
        out.writestr("xl/media/padding.bin", b"\0" * 4_000_000, zipfile.ZIP_DEFLATED)
    assert len(bombed.getvalue()) < 100_000

    with pytest.raises(ExportFormatError, match=r"unpacks to \d+ bytes, more than max_export"):
        parse_xlsx("hscv", bombed.getvalue(), 1_000_000)


def _with_entities(content: bytes) -> bytes:
    """The workbook with a "billion laughs" entity chain in its sheet, used in a cell."""
    # Each entity is ten of the previous one: &l9; expands to 10**9 "lol"s.
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                root = text.index("<worksheet")
                doctype = "<!DOCTYPE worksheet [" + "".join(entities) + "]>"
                text = text[:root] + doctype + text[root:]
                data = text.replace(">HS-1<", ">&l9;<", 1).encode("utf-8")
            target.writestr(item, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_an_xml_bomb_export_is_a_format_error():
    content = _with_entities(_xlsx([_hscv_row(1, "HS-1", dt.date(2023, 4, 3))]))

    with pytest.raises(ExportFormatError, match=r"unreadable xlsx export \(EntitiesForbidden\)"):
        parse_xlsx("hscv", content, MAX_UNPACKED)


def test_xlsx_exports_are_not_parsed_without_defusedxml(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        parse_xlsx("hscv", _xlsx([_hscv_row(1, "HS-1", dt.date(2023, 4, 3))]), MAX_UNPACKED)

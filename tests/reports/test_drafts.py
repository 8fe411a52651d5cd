"""Draft reports against the hand-made marts: the §7 figures in the seed reports' phrasing.

The fixture (``marts_fixture``) types in the published figures of indicators.md §7; the
expected strings below are the seed reports' own sentences (``/work/shared/seeds``, 000 Mỹ Hào
2023-H1 and 003 Bình Sơn 2023) in the Vietnamese number format, computed from those figures —
not from the code under test. The same checks run on the marts dbt builds from
the calibrated scenarios in tests/warehouse/test_dbt_golden.py.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import psycopg
from docx import Document

from include.paths import PROJECT_ROOT
from include.reports import write_draft, write_drafts, write_drafts_for_latest_period

from .seed_phrases import BINH_SON_2023, MY_HAO_2023_H1, report_text, squash


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.extend(cell.text for cell in row.cells)
    return "\n".join(paragraphs)


def _html_text(path: Path) -> str:
    markup = path.read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", markup)
    return text.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def test_my_hao_2023_h1_has_the_seed_figures_in_the_seed_phrasing(marts_dsn: str) -> None:
    text = squash(report_text(marts_dsn, "328", "half", "2023-H1"))
    missing = [expected for expected in MY_HAO_2023_H1 if squash(expected) not in text]
    assert not missing, missing


def test_binh_son_2023_has_the_seed_figures_in_the_seed_phrasing(marts_dsn: str) -> None:
    text = squash(report_text(marts_dsn, "524", "year", "2023"))
    missing = [expected for expected in BINH_SON_2023 if squash(expected) not in text]
    assert not missing, missing


def test_targets_are_counted_three_ways_like_moc_hoa(marts_dsn: str) -> None:
    # Fixture targets for Mỹ Hào 2023 at its own levels: online rate district ≥ 80% (980/1079,
    # met), commune ≥ 80% (16696/23479 = 71%, not met), results digitised ≥ 50% (met), work
    # files online ≥ 40% (no work file closed: no basis).
    text = squash(report_text(marts_dsn, "328", "half", "2023-H1"))
    assert "có 04 chỉ tiêu được giao; đến hết kỳ báo cáo đạt 02/04 chỉ tiêu" in text
    assert "01/04 chỉ tiêu chưa có cơ sở đánh giá (Tỷ lệ hồ sơ công việc xử lý trên" in text
    assert "01/04 chỉ tiêu chưa đạt (Tỷ lệ hồ sơ trực tuyến (cấp xã))" in text
    assert (
        "Tỷ lệ hồ sơ trực tuyến (cấp xã) | Cấp xã | 71,11% (16.696/23.479) | ≥ 80% | Chưa đạt"
        in (text)
    )


def test_a_commune_report_goes_to_its_district(marts_dsn: str) -> None:
    text = squash(report_text(marts_dsn, "12127", "half", "2023-H1"))
    assert "UBND THỊ XÃ MỸ HÀO" in text  # the issuer's parent
    assert "Kính gửi: UBND thị xã Mỹ Hào." in text
    assert "trên địa bàn phường Minh Đức 06 tháng đầu năm 2023" in text
    assert "Cấp huyện" not in text  # a commune has no district-level agencies


def test_docx_opens_and_holds_the_report(marts_dsn: str, tmp_path: Path) -> None:
    path = tmp_path / "328.docx"
    with psycopg.connect(marts_dsn) as conn:
        write_draft(conn, "328", "half", "2023-H1", "docx", path, issued_on=dt.date(2023, 7, 5))
    document = Document(str(path))
    body = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in body
    assert "Kính gửi: Sở Thông tin và Truyền thông tỉnh Hưng Yên." in body
    assert "I. Kết quả thực hiện các chỉ tiêu" in body
    assert any(
        p.startswith("+ Cấp huyện: tổng số hồ sơ TTHC đã tiếp nhận: 1.079 hồ sơ") for p in body
    )
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0].rows[0].cells
    assert "UBND THỊ XÃ MỸ HÀO" in header[0].text and "Số:" in header[0].text
    assert "Mỹ Hào, ngày      tháng 7 năm 2023" in header[1].text
    text = squash(_docx_text(path))
    missing = [e for e in MY_HAO_2023_H1 if squash(e) not in text]
    assert not missing, missing


def test_output_is_nfc_even_when_names_in_the_database_are_not(
    marts_dsn: str, fresh_dsn: str, tmp_path: Path
) -> None:
    from tests.reports import marts_fixture

    with psycopg.connect(fresh_dsn) as conn:
        marts_fixture.build(conn)
        decomposed = unicodedata.normalize("NFD", "Thị xã Mỹ Hào")
        conn.execute(
            "UPDATE marts.indicator_value SET unit_name = %s WHERE unit_code = '328'", (decomposed,)
        )
        conn.commit()
        path = write_draft(conn, "328", "half", "2023-H1", "html", tmp_path / "r.html")
    markup = path.read_text(encoding="utf-8")
    assert markup == unicodedata.normalize("NFC", markup)
    assert "trên địa bàn thị xã Mỹ Hào" in markup


def test_html_holds_the_same_figures(marts_dsn: str, tmp_path: Path) -> None:
    with psycopg.connect(marts_dsn) as conn:
        path = write_draft(conn, "524", "year", "2023", "html", tmp_path / "524.html")
    text = squash(_html_text(path))
    missing = [e for e in BINH_SON_2023 if squash(e) not in text]
    assert not missing, missing


def test_cli_writes_one_draft(marts_dsn: str, tmp_path: Path) -> None:
    out = tmp_path / "myhao.docx"
    result = subprocess.run(
        [sys.executable, "-m", "include.reports", "--unit", "328", "--period-type", "half",
         "--period-key", "2023-H1", "--format", "docx", "--out", str(out), "--dsn", marts_dsn],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "23.479" in _docx_text(out)


def test_cli_refuses_a_period_without_figures(marts_dsn: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "include.reports", "--unit", "328", "--period-type", "half",
         "--period-key", "2019-H1", "--out", str(tmp_path / "x.docx"), "--dsn", marts_dsn],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "2019-H1" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_after_publish_drafts_cover_every_district_and_commune(
    marts_dsn: str, tmp_path: Path
) -> None:
    with psycopg.connect(marts_dsn) as conn:
        expected_units = {
            code
            for (code,) in conn.execute(
                "SELECT DISTINCT unit_code FROM marts.indicator_value "
                "WHERE unit_level IN ('district', 'commune')"
            )
        }
        latest_half = conn.execute(
            "SELECT period_key FROM marts.indicator_value WHERE period_type = 'half' "
            "AND is_complete ORDER BY period_end DESC LIMIT 1"
        ).fetchone()[0]
    written = write_drafts_for_latest_period(
        marts_dsn, tmp_path, period_types=("half",), extra_periods=(("half", "2023-H1"),),
        formats=("html",),
    )  # fmt: skip
    folders = {path.parent.name for path in written}
    assert folders == {f"half-{latest_half}", "half-2023-H1"}
    for folder in folders:
        units = {p.name.split("-")[0] for p in written if p.parent.name == folder}
        assert units == expected_units


def test_drafts_of_one_period_in_both_formats(marts_dsn: str, tmp_path: Path) -> None:
    written = write_drafts(marts_dsn, tmp_path, "year", "2023")
    assert {p.suffix for p in written} == {".docx", ".html"}
    assert (tmp_path / "year-2023" / "524-2023.docx") in written

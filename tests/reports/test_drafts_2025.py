"""Drafts of the 2025 scheme (reform2025.md §5) against the fixture's hand-made 2025 slice.

Expected sentences come from the spec (the Sở Khoa học và Công nghệ, "cấp tỉnh"/"cấp xã", the
predecessor sentence, marked approximate figures) filled with facts stated independently of
the code: the old communes that form each new one as vietnamadminunits 1.0.4 lists them
(typed into ``marts_fixture.FORMED_FROM``) and the figures typed into the fixture
(``THUONG_HONG_2025_Q3``, ``NHU_QUYNH_2025_H1``), worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from docx import Document

from include.paths import PROJECT_ROOT
from include.pipeline.outputs import write_officer_outputs
from include.reports import draft_dir, write_draft, write_drafts_for_latest_period
from include.reports.content import build_report
from include.reports.figures import load_unit_period

from .seed_phrases import MY_HAO_2023_H1, squash

MARK = "(*)"
TO_SCIENCE = "Kính gửi: Sở Khoa học và Công nghệ tỉnh Hưng Yên."
# Thượng Hồng = Dương Quang 12112, Hòa Phong 12115, Bạch Sam 12124, Minh Đức 12127 (old thị xã
# Mỹ Hào), in GSO code order.
THUONG_HONG_PREDECESSORS = (
    "Số liệu trước ngày 01/07/2025 được tổng hợp từ số liệu của 04 đơn vị hành chính cấp xã "
    "cũ nay hợp thành phường Thượng Hồng: xã Dương Quang, xã Hòa Phong, phường Bạch Sam, "
    "phường Minh Đức thuộc thị xã Mỹ Hào"
)
AFTER_THUONG_HONG = (
    "; từ ngày 01/07/2025 là số liệu của các cơ quan, đơn vị của phường Thượng Hồng."
)


def _text(dsn: str, unit: str, period_type: str, period_key: str, scheme: str = "2025") -> str:
    with psycopg.connect(dsn) as conn:
        period = load_unit_period(conn, unit, period_type, period_key, scheme=scheme)
    now = dt.datetime(2026, 1, 5, 9, 0)
    return squash(build_report(period, issued_on=now.date(), generated_at=now).all_text())


def _report_lines(dsn: str, unit: str, period_type: str, period_key: str) -> list[str]:
    with psycopg.connect(dsn) as conn:
        period = load_unit_period(conn, unit, period_type, period_key, scheme="2025")
    now = dt.datetime(2026, 1, 5, 9, 0)
    return build_report(period, issued_on=now.date(), generated_at=now).all_text().split("\n")


def test_a_new_phuong_after_the_reform(reform_marts_dsn: str) -> None:
    text = _text(reform_marts_dsn, "12127", "quarter", "2025-Q3")
    assert "UBND TỈNH HƯNG YÊN" in text and "UBND PHƯỜNG THƯỢNG HỒNG" in text
    assert TO_SCIENCE in text
    assert "trên địa bàn phường Thượng Hồng Quý III năm 2025" in text
    # 2.650 + 455 + 15 = 3.120 received; 3.120 + 210 carried over = 3.330 in scope; resolved
    # 2.900 + 180 + 12 = 3.092 = 92,85% of 3.330; digitised 2.496 = 80% of 3.120.
    assert (
        "Cấp xã: tổng số hồ sơ TTHC đã tiếp nhận: 3.120 hồ sơ, trong đó: số hồ sơ tiếp nhận "
        "trực tuyến là: 2.650; tiếp nhận trực tiếp: 455; tiếp nhận qua dịch vụ bưu chính công "
        "ích: 15" in text
    )
    assert "đã giải quyết 3.092/3.330 hồ sơ, chiếm 92,85%" in text
    assert "số hóa hồ sơ TTHC khi tiếp nhận: 2.496 hồ sơ, đạt 80%" in text
    # A period wholly after the reform: no old level, no predecessors, nothing approximate.
    for absent in ("Cấp huyện", "Thông tin và Truyền thông", "Số liệu trước ngày", MARK):
        assert absent not in text, absent


def test_a_2025_target_is_the_2025_units_own(reform_marts_dsn: str) -> None:
    # 12127 also has a (pre2025) target for old phường Minh Đức: ≤ 10%, from Minh Đức's plan.
    text = _text(reform_marts_dsn, "12127", "quarter", "2025-Q3")
    assert "Tỷ lệ hồ sơ trực tuyến | Cấp xã | 84,94% (2.650/3.120) | ≥ 80% | Đạt" in text
    assert "Kế hoạch thử nghiệm của UBND phường Thượng Hồng" in text
    assert "Minh Đức" not in text


def test_predecessors_are_named_before_and_across_the_reform(reform_marts_dsn: str) -> None:
    before = _text(reform_marts_dsn, "12127", "half", "2025-H1")
    assert THUONG_HONG_PREDECESSORS + "." in before
    across = _text(reform_marts_dsn, "12127", "year", "2025")
    assert THUONG_HONG_PREDECESSORS + AFTER_THUONG_HONG in across


def test_a_province_reports_to_the_science_department_by_province_and_commune(
    reform_marts_dsn: str,
) -> None:
    lines = _report_lines(reform_marts_dsn, "33", "quarter", "2025-Q3")
    text = squash("\n".join(lines))
    assert "UBND TỈNH HƯNG YÊN" in lines and TO_SCIENCE in text
    assert "trên địa bàn tỉnh Hưng Yên Quý III năm 2025" in text
    # Its five 2025 communes: three phường, two xã.
    assert "Cấp xã (05 xã, phường): tổng số hồ sơ" in text
    assert "Cấp tỉnh: tổng số hồ sơ" in text
    assert "Cấp huyện" not in text and "Số liệu trước ngày" not in text
    with psycopg.connect(reform_marts_dsn) as conn:
        received = conn.execute(
            "SELECT handling_level, numerator FROM marts.indicator_value WHERE scheme = '2025' "
            "AND unit_code = '33' AND period_key = '2025-Q3' AND indicator_code = "
            "'tthc.received' AND handling_level IN ('province', 'commune')"
        ).fetchall()
    for level, count in received:
        lead = "Cấp tỉnh:" if level == "province" else "Cấp xã (05 xã, phường):"
        shown = f"{int(count):,}".replace(",", ".")
        assert f"{lead} tổng số hồ sơ TTHC đã tiếp nhận: {shown} hồ sơ" in text, level


def test_a_province_shows_old_district_agencies_only_before_the_reform(
    reform_marts_dsn: str,
) -> None:
    across = _text(reform_marts_dsn, "33", "year", "2025")
    assert "Cấp huyện (cũ): tổng số hồ sơ TTHC đã tiếp nhận:" in across
    assert "“Cấp huyện (cũ)”: hồ sơ, văn bản của các cơ quan cấp huyện đến ngày 30/06/2025" in (
        across
    )
    # The catalogue is counted on 31/12/2025, when no district offering is published.
    assert "một phần cấp huyện (cũ)" not in across
    assert (
        "Số liệu trước ngày 01/07/2025 được tổng hợp từ số liệu của 02 đơn vị hành chính cấp "
        "tỉnh cũ nay hợp thành tỉnh Hưng Yên: tỉnh Hưng Yên, tỉnh Thái Bình; từ ngày "
        "01/07/2025 là số liệu của các cơ quan, đơn vị của tỉnh Hưng Yên." in across
    )
    before = _text(reform_marts_dsn, "33", "half", "2025-H1")
    assert "một phần cấp huyện (cũ) là" in before


def test_approximate_figures_carry_the_mark_and_the_footnote(reform_marts_dsn: str) -> None:
    text = _text(reform_marts_dsn, "11986", "half", "2025-H1")
    # 1.900 + 480 + 20 = 2.400 received, online 1.900/2.400 = 79,17%: Đình Dù counted whole.
    assert "tổng số hồ sơ TTHC đã tiếp nhận: 2.400(*) hồ sơ" in text
    assert "tiếp nhận trực tuyến là: 1.900(*)" in text
    assert "tỷ lệ hồ sơ trực tuyến đạt 79,17%(*)" in text
    assert (
        "(*) Số liệu gần đúng: xã Đình Dù thuộc huyện Văn Lâm được chia cho nhiều đơn vị hành "
        "chính cấp xã mới từ ngày 01/07/2025; toàn bộ số liệu trước ngày đó của đơn vị này "
        "được tính vào xã Như Quỳnh." in text
    )
    assert (
        "05 đơn vị hành chính cấp xã cũ nay hợp thành xã Như Quỳnh: thị trấn Như Quỳnh, xã Tân "
        "Quang, xã Đình Dù (một phần địa bàn), xã Trưng Trắc, xã Lạc Hồng thuộc huyện Văn Lâm"
        in text
    )
    after = _text(reform_marts_dsn, "11986", "quarter", "2025-Q3")
    assert MARK not in after and "Số liệu gần đúng" not in after


def test_a_province_marks_only_the_levels_that_count_a_divided_commune(
    reform_marts_dsn: str,
) -> None:
    lines = _report_lines(reform_marts_dsn, "33", "half", "2025-H1")
    by_lead = {lead: [line for line in lines if lead in line] for lead in ("Cấp tỉnh:", "Cấp xã")}
    assert by_lead["Cấp tỉnh:"] and all(MARK not in line for line in by_lead["Cấp tỉnh:"])
    assert any("tiếp nhận: " in line and MARK in line for line in by_lead["Cấp xã"])
    note = next(line for line in lines if line.startswith(MARK))
    # The three divided old communes of the new Hưng Yên and their default successors.
    for moved in (
        "xã Lạc Đạo thuộc huyện Văn Lâm vào xã Lạc Đạo (mới)",
        "xã Đình Dù thuộc huyện Văn Lâm vào xã Như Quỳnh",
        "xã Ngọc Thanh thuộc huyện Kim Động vào xã Hiệp Cường",
    ):
        assert moved in note, moved


def test_a_commune_names_the_divided_parts_counted_elsewhere(reform_marts_dsn: str) -> None:
    text = _text(reform_marts_dsn, "11995", "year", "2025")
    assert (
        "Một phần địa bàn xã Đình Dù (cũ) nay thuộc xã Đại Đồng; số liệu trước ngày 01/07/2025 "
        "của xã Đình Dù được tính toàn bộ vào xã Như Quỳnh." in text
    )
    assert "của xã Lạc Đạo được tính toàn bộ vào xã Lạc Đạo (mới)." in text
    assert MARK not in text  # Đại Đồng counts no divided commune


def test_the_same_code_in_the_old_scheme_is_the_old_unit(reform_marts_dsn: str) -> None:
    old = _text(reform_marts_dsn, "12127", "half", "2023-H1", scheme="pre2025")
    assert "Kính gửi: UBND thị xã Mỹ Hào." in old and "phường Minh Đức" in old
    assert "Thượng Hồng" not in old and "Khoa học" not in old
    my_hao = _text(reform_marts_dsn, "328", "half", "2023-H1", scheme="pre2025")
    missing = [e for e in MY_HAO_2023_H1 if squash(e) not in my_hao]
    assert not missing, missing


def test_docx_and_html_raise_the_mark_and_print_the_footnote(
    reform_marts_dsn: str, tmp_path: Path
) -> None:
    with psycopg.connect(reform_marts_dsn) as conn:
        docx_path = write_draft(
            conn, "11986", "half", "2025-H1", "docx", tmp_path / "nq.docx", scheme="2025"
        )
        html_path = write_draft(
            conn, "11986", "half", "2025-H1", "html", tmp_path / "nq.html", scheme="2025"
        )
    document = Document(str(docx_path))
    marks = [run for p in document.paragraphs for run in p.runs if run.text == MARK]
    assert marks and all(run.font.superscript for run in marks)
    body = [p.text for p in document.paragraphs]
    assert TO_SCIENCE in body
    assert any(p.startswith("(*) Số liệu gần đúng: xã Đình Dù") for p in body)
    assert any("2.400(*) hồ sơ" in p for p in body)
    markup = html_path.read_text(encoding="utf-8")
    assert '2.400<sup class="approx"><a href="#ghi-chu-so-lieu-gan-dung"' in markup
    assert re.search(r'<p class="footnote" id="ghi-chu-so-lieu-gan-dung"><sup>\(\*\)</sup>', markup)


def test_cli_writes_a_2025_draft(reform_marts_dsn: str, tmp_path: Path) -> None:
    out = tmp_path / "thuonghong.html"
    result = subprocess.run(
        [sys.executable, "-m", "include.reports", "--scheme", "2025", "--unit", "12127",
         "--period-type", "quarter", "--period-key", "2025-Q3", "--format", "html", "--out",
         str(out), "--dsn", reform_marts_dsn],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Sở Khoa học và Công nghệ tỉnh Hưng Yên" in out.read_text(encoding="utf-8")


def _units(dsn: str, scheme: str, levels: tuple[str, ...]) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {
            code
            for (code,) in conn.execute(
                "SELECT DISTINCT unit_code FROM marts.indicator_value WHERE scheme = %s "
                "AND unit_level = ANY(%s)",
                (scheme, list(levels)),
            )
        }


def test_after_publish_both_schemes_get_their_drafts_apart(
    reform_marts_dsn: str, tmp_path: Path
) -> None:
    written = write_drafts_for_latest_period(
        reform_marts_dsn, tmp_path, period_types=("half",), formats=("html",)
    )
    # The fixture's pre2025 data end in 01/2024, the 2025 slice's in 12/2025.
    old, new = tmp_path / "half-2023-H2", tmp_path / "2025" / "half-2025-H2"
    assert draft_dir(tmp_path, "2025", "half", "2025-H2") == new
    assert {path.parent for path in written} == {old, new}
    names = lambda folder: {p.name.split("-")[0] for p in written if p.parent == folder}  # noqa: E731
    assert names(old) == _units(reform_marts_dsn, "pre2025", ("district", "commune"))
    assert names(new) == _units(reform_marts_dsn, "2025", ("province", "commune"))
    assert "phường Minh Đức" in (old / "12127-2023-H2.html").read_text(encoding="utf-8")
    assert "phường Thượng Hồng" in (new / "12127-2025-H2.html").read_text(encoding="utf-8")


def test_officer_outputs_cover_the_2025_units(
    reform_marts_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DTI_REPORTS_DIR", str(tmp_path))
    counts = write_officer_outputs(reform_marts_dsn, "half:2025-H1")
    drafts = tmp_path / "drafts"
    provinces_and_communes = _units(reform_marts_dsn, "2025", ("province", "commune"))
    for folder in ("quarter-2025-Q4", "half-2025-H2", "half-2025-H1", "year-2025"):
        found = {p.name.split("-")[0] for p in (drafts / "2025" / folder).glob("*.docx")}
        assert found == provinces_and_communes, folder
    assert (drafts / "quarter-2023-Q4" / "328-2023-Q4.docx").exists()
    pages = {p.name for p in (tmp_path / "scorecard").glob("unit-2025-*.html")}
    assert pages == {f"unit-2025-{code}.html" for code in provinces_and_communes}
    assert counts["drafts"] == len(list(drafts.rglob("*.docx"))) * 2

"""The site with both schemes (reform2025.md §4): a page per unit of each scheme, figures equal
to each scheme's marts although codes collide (12127 is phường Minh Đức before 01/07/2025 and
phường Thượng Hồng after), a switch between the schemes, ``2025`` first for a period after the
reform and ``pre2025`` before, approximate figures marked (parsed HTML compared with SQL)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from include.reports.schemes import default_scheme
from include.scorecard import build_site

from .test_site import parse


@pytest.fixture(scope="module")
def site(reform_marts_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site2025")
    build_site(reform_marts_dsn, out)
    return out


@pytest.fixture(scope="module")
def site_before(reform_marts_before_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site2025before")
    build_site(reform_marts_before_dsn, out)
    return out


def _current_scheme(path: Path) -> str:
    """The scheme the page's switch shows in bold."""
    found = re.search(r'<nav class="schemes">.*?<b data-scheme="([^"]+)"', path.read_text("utf-8"))
    assert found, path
    return found.group(1)


def _codes(dsn: str, scheme: str, where: str = "true") -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {
            code
            for (code,) in conn.execute(
                "SELECT DISTINCT unit_code FROM marts.indicator_value "
                f"WHERE scheme = %s AND {where}",
                (scheme,),
            )
        }


def test_default_scheme_follows_the_latest_period() -> None:
    both = ["pre2025", "2025"]
    assert default_scheme(both, dt.date(2025, 7, 1)) == "2025"
    assert default_scheme(both, dt.date(2025, 4, 1)) == "pre2025"
    assert default_scheme(["pre2025"], None) == "pre2025"
    assert default_scheme(["2025"], dt.date(2025, 4, 1)) == "2025"


def test_after_the_reform_the_site_opens_on_2025(site: Path) -> None:
    assert _current_scheme(site / "index.html") == "2025"
    assert (site / "index.html").read_text("utf-8") == (site / "index-2025.html").read_text("utf-8")
    assert _current_scheme(site / "index-pre2025.html") == "pre2025"
    assert 'data-scheme="pre2025" href="index-pre2025.html"' in (site / "index.html").read_text(
        "utf-8"
    )
    # The 2025 overview ranks the province and the communes of its province.
    assert "Xếp hạng cấp xã — Tỉnh Hưng Yên" in (site / "index.html").read_text("utf-8")


def test_before_the_reform_the_site_opens_on_pre2025(site_before: Path) -> None:
    assert _current_scheme(site_before / "index.html") == "pre2025"
    assert _current_scheme(site_before / "index-2025.html") == "2025"


def test_every_unit_of_each_scheme_has_its_own_page(site: Path, reform_marts_dsn: str) -> None:
    new = {p.name for p in site.glob("unit-2025-*.html")}
    old = {p.name for p in site.glob("unit-*.html")} - new
    assert new == {f"unit-2025-{c}.html" for c in _codes(reform_marts_dsn, "2025")}
    expected_old = _codes(reform_marts_dsn, "pre2025", "unit_level <> 'province'")
    assert old == {f"unit-{c}.html" for c in expected_old}


@pytest.mark.parametrize(
    ("page", "scheme", "quarter", "name"),
    [
        ("unit-2025-12127.html", "2025", "2025-Q4", "Phường Thượng Hồng"),
        ("unit-12127.html", "pre2025", "2023-Q4", "Phường Minh Đức"),
        ("unit-2025-33.html", "2025", "2025-Q4", "Tỉnh Hưng Yên"),
    ],
)
def test_a_shared_code_shows_each_schemes_figures(
    site: Path, reform_marts_dsn: str, page: str, scheme: str, quarter: str, name: str
) -> None:
    unit = page.removesuffix(".html").rsplit("-", 1)[1]
    markup = (site / page).read_text("utf-8")
    assert f"<h1>{name}</h1>" in markup
    shown = {
        (a["data-level"], a["data-indicator"]): text
        for a, text in parse(site / page).cells
        if "data-indicator" in a and a["data-unit"] == unit
    }
    with psycopg.connect(reform_marts_dsn) as conn:
        rows = conn.execute(
            "SELECT v.handling_level, v.indicator_code, v.value, c.unit, v.numerator, "
            "v.denominator FROM marts.indicator_value v JOIN marts.indicator_catalog c "
            "USING (indicator_code) WHERE scheme = %s AND unit_code = %s AND period_type = "
            "'quarter' AND period_key = %s AND handling_level <> 'district'",
            (scheme, unit, quarter),
        ).fetchall()
    assert len(shown) == len(rows) > 40
    for level, code, value, kind, numerator, denominator in rows:
        text = shown[(level, code)]
        if value is None:
            assert text == "—", (level, code)
        elif kind == "ratio":
            percent = Decimal(numerator) * 100 / Decimal(denominator)
            assert Decimal(text.rstrip("%").replace(",", ".")) == pytest.approx(
                percent, abs=Decimal("0.005")
            ), (level, code)
        else:
            assert int(re.sub(r"\D", "", text)) == int(value), (level, code)


def test_a_2025_province_after_the_reform_has_no_district_column(site: Path) -> None:
    markup = (site / "unit-2025-33.html").read_text("utf-8")
    head = re.search(r"<h2>Các chỉ số</h2><table><thead>(.*?)</thead>", markup).group(1)
    assert re.findall(r"<th>(.*?)</th>", head) == ["Chỉ số", "Cấp tỉnh", "Cấp xã", "Toàn địa bàn"]


def test_a_2025_province_before_the_reform_shows_the_old_district_level(
    site_before: Path,
) -> None:
    markup = (site_before / "unit-2025-33.html").read_text("utf-8")
    head = re.search(r"<h2>Các chỉ số</h2><table><thead>(.*?)</thead>", markup).group(1)
    assert "<th>Cấp huyện (cũ)</th>" in head


def test_units_link_to_their_counterparts_in_the_other_scheme(site: Path) -> None:
    new = (site / "unit-2025-12127.html").read_text("utf-8")
    related = re.search(r'<p class="related">(.*?)</p>', new).group(1)
    # The crosswalk's old communes of Thượng Hồng; only Minh Đức has figures (and a page).
    assert related.startswith("Trước 01/07/2025, số liệu được tổng hợp từ: Xã Dương Quang, ")
    assert '<a data-scheme="pre2025" href="unit-12127.html">Phường Minh Đức</a>' in related
    old = (site / "unit-12127.html").read_text("utf-8")
    assert '<a data-scheme="2025" href="unit-2025-12127.html">Phường Thượng Hồng</a>' in old
    district = (site / "unit-328.html").read_text("utf-8")
    assert 'Từ 01/07/2025 thuộc: <a data-scheme="2025" href="unit-2025-33.html">' in district


def test_approximate_figures_are_marked_with_a_footnote(
    site_before: Path, reform_marts_before_dsn: str
) -> None:
    with psycopg.connect(reform_marts_before_dsn) as conn:
        flagged = {
            (level, code)
            for level, code in conn.execute(
                "SELECT handling_level, indicator_code FROM marts.indicator_value WHERE scheme = "
                "'2025' AND unit_code = '11986' AND period_type = 'quarter' AND period_key = "
                "'2025-Q2' AND is_approximate"
            )
        }
    assert flagged
    page = parse(site_before / "unit-2025-11986.html")
    marked = {
        (a["data-level"], a["data-indicator"])
        for a, text in page.cells
        if "data-indicator" in a and a.get("data-approximate") == "true" and text.endswith("(*)")
    }
    assert marked == flagged
    assert "so-lieu-gan-dung" in page.ids
    markup = (site_before / "unit-2025-11986.html").read_text("utf-8")
    assert "chia cho nhiều đơn vị mới (xã Đình Dù)" in markup
    clean = (site_before / "unit-2025-12127.html").read_text("utf-8")
    assert "data-approximate" not in clean and "so-lieu-gan-dung" not in clean


@pytest.mark.parametrize("which", ["site", "site_before"])
def test_every_internal_link_resolves(which: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(which)
    pages = {p.name: parse(p) for p in root.glob("*.html")}
    for name, page in pages.items():
        for href in page.hrefs:
            if href.startswith(("http:", "https:", "data:")):
                continue
            target, _, fragment = href.partition("#")
            target = target or name
            assert target in pages, (name, href)
            if fragment:
                assert fragment in pages[target].ids, (name, href)


def test_freshness_lists_both_schemes(site: Path) -> None:
    markup = (site / "freshness.html").read_text("utf-8")
    assert "2026-01-01T01:05:00+00:00" in markup and "31/12/2025" in markup
    new, old = "Địa giới mới: tỉnh – xã (từ 01/07/2025)", "Địa giới cũ: tỉnh – huyện – xã"
    assert f"<td>{new}</td><td>Quý</td><td>2025-Q3</td>" in markup
    assert f"<td>{old} (đến 30/06/2025)</td><td>Quý</td><td>2023-Q4</td>" in markup

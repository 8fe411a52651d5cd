"""The generated site shows the marts' figures, links every indicator to its definition, and
every internal link points at a page that exists (parsed from the HTML, compared with SQL)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pytest

from include.reports.formatting import vn_number
from include.scorecard import build_site
from include.scorecard.site import anchor, format_value


class _Page(HTMLParser):
    """Cells with data-* attributes, hrefs and ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[dict[str, str], str]] = []
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.svgs = 0
        self._open: list[tuple[dict[str, str], list[str]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "href" in attributes:
            self.hrefs.append(attributes["href"])
        if "id" in attributes:
            self.ids.add(attributes["id"])
        self.svgs += tag == "svg"
        if any(k.startswith("data-") for k in attributes):
            self._open.append((attributes, []))

    def handle_data(self, text) -> None:
        for _, parts in self._open:
            parts.append(text)

    def handle_endtag(self, tag) -> None:
        if tag in ("td", "b") and self._open:
            attributes, parts = self._open.pop()
            self.cells.append((attributes, "".join(parts)))


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(marts_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(marts_dsn, out)
    return out


def _latest_quarter(conn: psycopg.Connection) -> str:
    return conn.execute(
        "SELECT period_key FROM marts.indicator_value WHERE period_type = 'quarter' "
        "GROUP BY period_key ORDER BY bool_and(is_complete) DESC, max(period_end) DESC LIMIT 1"
    ).fetchone()[0]


def test_every_unit_has_a_page(site: Path, marts_dsn: str) -> None:
    with psycopg.connect(marts_dsn) as conn:
        codes = {
            code
            for (code,) in conn.execute(
                "SELECT DISTINCT unit_code FROM marts.indicator_value "
                "WHERE unit_level <> 'province'"
            )
        }
    assert {p.name for p in site.glob("unit-*.html")} == {f"unit-{c}.html" for c in codes}


@pytest.mark.parametrize("unit", ["328", "524", "12127", "21043"])
def test_unit_page_figures_equal_the_marts(site: Path, marts_dsn: str, unit: str) -> None:
    page = parse(site / f"unit-{unit}.html")
    shown = {
        (a["data-level"], a["data-indicator"]): text
        for a, text in page.cells
        if "data-indicator" in a and a["data-unit"] == unit
    }
    with psycopg.connect(marts_dsn) as conn:
        quarter = _latest_quarter(conn)
        rows = conn.execute(
            "SELECT v.handling_level, v.indicator_code, v.value, c.unit, v.numerator, "
            "v.denominator FROM marts.indicator_value v JOIN marts.indicator_catalog c "
            "USING (indicator_code) WHERE unit_code = %s AND period_type = 'quarter' "
            "AND period_key = %s",
            (unit, quarter),
        ).fetchall()
    assert len(shown) == len(rows) > 40
    for level, code, value, kind, numerator, denominator in rows:
        text = shown[(level, code)]
        if value is None:
            assert text == "—", (level, code)
        elif kind == "ratio":
            # Independent of the formatter: recompute the percentage from the SQL fraction.
            percent = Decimal(numerator) * 100 / Decimal(denominator)
            assert Decimal(text.rstrip("%").replace(",", ".")) == pytest.approx(
                percent, abs=Decimal("0.005")
            ), (level, code)
        else:
            assert int(re.sub(r"\D", "", text)) == int(value), (level, code)


def test_overview_scores_and_ranks_equal_dti_index(site: Path, marts_dsn: str) -> None:
    page = parse(site / "index.html")
    shown = {(a["data-unit"], a["data-group"]): text for a, text in page.cells if "data-group" in a}
    with psycopg.connect(marts_dsn) as conn:
        rows = conn.execute(
            "SELECT unit_code, group_code, score FROM marts.dti_index WHERE period_type = "
            "'quarter' AND period_key = %s AND handling_level = 'all' AND (unit_level = "
            "'district' OR (unit_level = 'province' AND group_code = 'all'))",
            (_latest_quarter(conn),),
        ).fetchall()
    assert rows
    for unit, group, score in rows:
        rounded = None if score is None else score.quantize(Decimal("0.01"), ROUND_HALF_UP)
        expected = "—" if rounded is None else f"{rounded:.2f}".replace(".", ",")
        assert shown[(unit, group)] == expected, (unit, group)
    with psycopg.connect(marts_dsn) as conn:
        by_rank = [
            name
            for (name,) in conn.execute(
                "SELECT unit_name FROM marts.dti_index WHERE period_type = 'quarter' AND "
                "period_key = %s AND handling_level = 'all' AND group_code = 'all' AND "
                "parent_code = '33' ORDER BY rank_among_siblings",
                (_latest_quarter(conn),),
            )
        ]
    table = (site / "index.html").read_text(encoding="utf-8").split("<table>")[1]
    assert sorted(by_rank, key=table.index) == by_rank


def test_targets_show_their_status_in_vietnamese(site: Path, marts_dsn: str) -> None:
    page = parse(site / "unit-328.html")
    shown = {(a["data-level"], a["data-target"]): t for a, t in page.cells if "data-target" in a}
    labels = {"achieved": "Đạt", "not_achieved": "Chưa đạt", "no_basis": "Chưa có cơ sở đánh giá"}
    with psycopg.connect(marts_dsn) as conn:
        rows = conn.execute(
            "SELECT handling_level, indicator_code, target_status FROM marts.indicator_value "
            "WHERE unit_code = '328' AND period_type = 'quarter' AND period_key = %s "
            "AND target IS NOT NULL",
            (_latest_quarter(conn),),
        ).fetchall()
    assert rows
    assert shown == {(level, code): labels[status] for level, code, status in rows}


def test_766_points_equal_the_marts(site: Path, marts_dsn: str) -> None:
    page = parse(site / "unit-524.html")
    shown = {a["data-item"]: t for a, t in page.cells if "data-item" in a}
    with psycopg.connect(marts_dsn) as conn:
        rows = conn.execute(
            "SELECT item_code, points FROM marts.service_766 WHERE unit_code = '524' AND "
            "period_type = 'quarter' AND period_key = %s AND handling_level = 'all'",
            (_latest_quarter(conn),),
        ).fetchall()
    assert {item for item, _ in rows} == set(shown)
    for item, points in rows:
        assert Decimal(shown[item].replace(",", ".")) == pytest.approx(points, abs=Decimal("0.005"))


def test_every_indicator_name_links_to_its_definition(site: Path, marts_dsn: str) -> None:
    definitions = parse(site / "definitions.html")
    with psycopg.connect(marts_dsn) as conn:
        codes = [c for (c,) in conn.execute("SELECT indicator_code FROM marts.indicator_catalog")]
    assert {anchor(code) for code in codes} <= definitions.ids
    page = parse(site / "unit-328.html")
    linked = {h.split("#", 1)[1] for h in page.hrefs if h.startswith("definitions.html#")}
    assert linked == {anchor(code) for code in codes}


def test_every_internal_link_resolves(site: Path) -> None:
    pages = {p.name: parse(p) for p in site.glob("*.html")}
    for name, page in pages.items():
        for href in page.hrefs:
            if href.startswith(("http:", "https:", "data:")):
                continue
            target, _, fragment = href.partition("#")
            target = target or name
            assert target in pages, (name, href)
            if fragment:
                assert fragment in pages[target].ids, (name, href)


def test_pages_have_charts_and_no_external_resources(site: Path) -> None:
    for name in ("index.html", "unit-328.html", "unit-12127.html"):
        markup = (site / name).read_text(encoding="utf-8")
        assert parse(site / name).svgs >= 2, name
        assert not re.search(r"(src|href)=\"(https?:)?//", markup), name


def test_freshness_page(site: Path) -> None:
    markup = (site / "freshness.html").read_text(encoding="utf-8")
    assert "2024-02-01T01:05:00+00:00" in markup  # the marts schema's publish stamp
    assert "31/01/2024" in markup  # the latest document in the fixture
    assert "Số liệu chưa đầy đủ" in markup and "Số liệu đầy đủ" in markup


def test_format_value_by_unit() -> None:
    assert format_value("ratio", Decimal("0.98333")) == "98,33%"
    assert format_value("count", Decimal(23479)) == "23.479"
    assert format_value("vnd", Decimal(2_500_000_000)) == "2.500.000.000 đ"
    assert format_value("ratio", None) == "—"
    assert vn_number(Decimal("0.675"), 2) == "0,68"

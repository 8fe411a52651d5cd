"""The static scorecard site: plain HTML files with inline SVG charts, readable from disk.

Pages: ``index.html`` (each province's districts ranked on the DTI-style index),
``unit-<code>.html`` (a district or commune: index and groups, trends, every indicator with its
target and status, QĐ 766 points, its communes), ``definitions.html`` (every indicator's
definition, one anchor each, linked from every indicator name) and ``freshness.html`` (when the
figures were published, the latest record of each source, which periods are complete).

Both administrative schemes get their pages (reform2025.md §4): ``index-<scheme>.html`` for each
scheme's overview (a 2025 one ranks the provinces, and each province's communes), unit pages
``unit-<code>.html`` (pre2025, as before the reform) and ``unit-2025-<code>.html`` (a 2025
province or commune: codes are reused across the reform, so the scheme is in the name). A
switch on every page leads to the other scheme: the overview to the other overview, a unit to
the units it came from or went into. ``index.html`` is the overview a reader sees first: the
``2025`` scheme's when its latest quarter starts on or after 01/07/2025, else ``pre2025``'s.
Approximate figures (``is_approximate``) carry a mark and the page a footnote.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from pathlib import Path

import psycopg

from include.reports.content import DTI_GROUP_LABELS
from include.reports.formatting import vn_count, vn_date, vn_number, vn_percent, vn_vnd
from include.reports.model import APPROXIMATE_MARK
from include.reports.schemes import (
    PRE2025,
    SCHEME_2025,
    SCHEME_LABELS,
    begins_before_reform,
    default_scheme,
)
from include.reports.wording import (
    TARGET_STATUS_LABELS,
    children_word,
    handling_level_label,
    unit_in_prose,
)
from include.scorecard import data
from include.scorecard.svg import Bar, bar_chart, line_chart

GROUPS = ("service_delivery", "processing", "digitization", "e_office")
LEVEL_ORDER = ("province", "district", "commune", "all")
UNIT_LEVEL_LABELS = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
#: The footnote every approximate mark on a page links to.
APPROXIMATE_NOTE_ID = "so-lieu-gan-dung"

_CSS = """
body { font-family: "Segoe UI", Arial, sans-serif; margin: 0; color: #1b1b1b; }
header { background: #1f5fa8; color: #fff; padding: 10px 24px; }
header a { color: #fff; margin-right: 18px; text-decoration: none; font-weight: 600; }
main { padding: 12px 24px 40px; max-width: 1100px; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 14px; }
th, td { border: 1px solid #c8ccd2; padding: 4px 8px; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
th { background: #eef2f7; }
.status-achieved { color: #1e7b3a; font-weight: 600; }
.status-not_achieved { color: #b3261e; font-weight: 600; }
.status-no_basis { color: #6b6b6b; font-style: italic; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 13px; }
.complete { background: #d8f0df; } .incomplete { background: #fde2c8; }
nav.schemes { background: #eef2f7; padding: 6px 10px; margin: 8px 0; font-size: 14px; }
nav.schemes b { color: #1f5fa8; }
sup.approx a { color: #b3261e; text-decoration: none; } p.note { font-size: 13px; color: #444; }
svg.chart { display: block; margin: 8px 0 18px; font-size: 12px; }
svg.chart .chart-title { font-weight: 600; font-size: 13px; }
svg.chart .grid { stroke: #dde1e6; } svg.chart .axis { fill: #555; font-size: 11px; }
svg.chart a { fill: #1f5fa8; text-decoration: underline; }
"""


def anchor(indicator_code: str) -> str:
    """Anchor on the definitions page: ``tthc.online_rate`` → ``ind-tthc-online_rate``."""
    return "ind-" + indicator_code.replace(".", "-")


def unit_page(unit_code: str, scheme: str = PRE2025) -> str:
    """A unit's page; the 2025 scheme's carry the scheme, since codes are reused across it."""
    return f"unit-{unit_code}.html" if scheme == PRE2025 else f"unit-{scheme}-{unit_code}.html"


def overview_page(scheme: str) -> str:
    """Each scheme's overview; ``index.html`` repeats the one a reader sees first."""
    return f"index-{scheme}.html"


def has_page(scheme: str, unit: data.Unit) -> bool:
    """Pre2025 pages are the districts' and communes' (provinces are on the overview); every
    2025 unit has one, a province being what a district was: the unit above the communes."""
    return scheme == SCHEME_2025 or unit.level != "province"


def _page(title: str, body: str, overview: str = "index.html") -> str:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # An empty inline icon: otherwise every browser asks for /favicon.ico and logs a 404.
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><a href="{overview}">Tổng quan</a><a href="definitions.html">Định nghĩa chỉ số'
        '</a><a href="freshness.html">Độ mới và độ đầy đủ của dữ liệu</a></header>'
        f"<main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def format_value(unit: str, value: Decimal | None) -> str:
    """An indicator value as the site shows it."""
    if value is None:
        return "—"
    if unit == "ratio":
        return vn_percent(value)
    return vn_vnd(value) + " đ" if unit == "vnd" else vn_count(value)


def _score(score: Decimal | None) -> str:
    return "—" if score is None else vn_number(score, 2)


def _complete_badge(is_complete: bool) -> str:
    if is_complete:
        return '<span class="badge complete">Số liệu đầy đủ</span>'
    return '<span class="badge incomplete">Số liệu chưa đầy đủ</span>'


def _indicator_link(indicator: data.Indicator) -> str:
    return f'<a href="definitions.html#{anchor(indicator.code)}">{escape(indicator.name_vi)}</a>'


def _approximate_mark(value: data.Value | None) -> str:
    if value is None or not value.is_approximate:
        return ""
    return (
        f'<sup class="approx"><a href="#{APPROXIMATE_NOTE_ID}" title="Số liệu gần đúng">'
        f"{escape(APPROXIMATE_MARK)}</a></sup>"
    )


def _approximate_attribute(value: data.Value | None) -> str:
    return ' data-approximate="true"' if value is not None and value.is_approximate else ""


class Reform:
    """What every scheme's pages need to know about the other one: which schemes exist, the
    one shown first, the crosswalk, and which units have a page in each scheme."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.schemes = data.schemes(conn) or [PRE2025]
        self.periods = {s: data.latest_period(conn, "quarter", s) for s in self.schemes}
        latest_2025 = self.periods.get(SCHEME_2025)
        self.default = default_scheme(self.schemes, latest_2025[1] if latest_2025 else None)
        several = len(self.schemes) > 1
        self.links = data.crosswalk(conn) if several else []
        # Indexed both ways: every unit page looks its own rows up (the crosswalk of the
        # whole country has some 11,000 rows).
        self.links_to: dict[str, list[data.Link]] = {}
        self.links_from: dict[str, list[data.Link]] = {}
        for link in self.links:
            self.links_to.setdefault(link.new_code, []).append(link)
            self.links_from.setdefault(link.old_code, []).append(link)
        self.names = {s: data.unit_names(conn, s) for s in self.schemes} if several else {}
        self.paged = {
            s: {u.code: u for u in data.units(conn, s) if has_page(s, u)} for s in self.schemes
        }

    def other(self, scheme: str) -> str | None:
        return next((s for s in self.schemes if s != scheme), None)

    def overview_href(self, scheme: str) -> str:
        return "index.html" if scheme == self.default else overview_page(scheme)


class SiteBuilder:
    """The pages of one scheme (all of them when the marts hold only one)."""

    def __init__(
        self,
        conn: psycopg.Connection,
        out_dir: Path,
        scheme: str = PRE2025,
        reform: Reform | None = None,
    ) -> None:
        self.conn = conn
        self.out = out_dir
        self.scheme = scheme
        self.reform = reform or Reform(conn)
        self.units = data.units(conn, scheme)
        self.by_code = {unit.code: unit for unit in self.units}
        self.catalog = data.catalog(conn)
        self.period_key, self.period_start, self.period_end = self.reform.periods.get(
            scheme
        ) or data.latest_period(conn, "quarter", scheme)
        self.scores = data.index_scores(conn, "quarter", self.period_key, scheme=scheme)

    def build(self) -> list[Path]:
        """This scheme's overview and unit pages."""
        self.out.mkdir(parents=True, exist_ok=True)
        overview = self._overview()
        written = [self._write(overview_page(self.scheme), overview)]
        if self.scheme == self.reform.default:
            written.append(self._write("index.html", overview))
        for unit in self.units:
            if has_page(self.scheme, unit):
                written.append(self._write(self.unit_page(unit.code), self._unit(unit)))
        return written

    def build_shared(self) -> list[Path]:
        """The pages of no scheme: definitions and freshness."""
        return [
            self._write("definitions.html", self._definitions()),
            self._write("freshness.html", self._freshness()),
        ]

    def unit_page(self, code: str) -> str:
        return unit_page(code, self.scheme)

    def page(self, title: str, body: str) -> str:
        return _page(title, body, self.reform.overview_href(self.scheme))

    def level_label(self, level: str) -> str:
        return handling_level_label(self.scheme, level)

    def _write(self, name: str, html: str) -> Path:
        path = self.out / name
        path.write_text(html, encoding="utf-8")
        return path

    def _children(self, code: str) -> list[data.Unit]:
        return [unit for unit in self.units if unit.parent == code]

    def _period_line(self) -> str:
        return (
            f"<p>Kỳ: quý {escape(self.period_key)} (từ {vn_date(self.period_start)} đến "
            f"{vn_date(self.period_end)}), chỉ số tính trên toàn địa bàn.</p>"
        )

    # --- the switch between schemes ----------------------------------------------------------

    def _scheme_switch(self) -> str:
        """Both schemes' overviews, this one in bold (nothing when the marts hold one)."""
        if len(self.reform.schemes) < 2:
            return ""
        items = []
        for scheme in self.reform.schemes:
            key = self.reform.periods[scheme][0]
            label = f"{escape(SCHEME_LABELS[scheme])}, quý {escape(key)}"
            if scheme == self.scheme:
                items.append(f'<b data-scheme="{scheme}">{label}</b>')
            else:
                href = self.reform.overview_href(scheme)
                items.append(f'<a data-scheme="{scheme}" href="{href}">{label}</a>')
        return f'<nav class="schemes">Xem theo: {" · ".join(items)}</nav>'

    def _related_units(self, unit: data.Unit) -> str:
        """The units of the other scheme this one came from (2025) or went into (pre2025),
        from the crosswalk, each linked to its page there when it has one."""
        other = self.reform.other(self.scheme)
        if other is None:
            return ""
        if self.scheme == SCHEME_2025:
            codes = [
                link.old_code
                for link in self.reform.links_to.get(unit.code, [])
                if link.new_level == unit.level and link.old_level == unit.level and link.is_default
            ]
            caption = "Trước 01/07/2025, số liệu được tổng hợp từ"
        else:
            codes = [
                link.new_code
                for link in self.reform.links_from.get(unit.code, [])
                if link.old_level == unit.level
            ]
            caption = "Từ 01/07/2025 thuộc"
        if not codes:
            return ""
        names = self.reform.names.get(other, {})
        pages = self.reform.paged.get(other, {})
        parts = []
        for code in dict.fromkeys(codes):
            name = escape(names.get(code, (code, ""))[0])
            parts.append(
                f'<a data-scheme="{other}" href="{unit_page(code, other)}">{name}</a>'
                if code in pages
                else name
            )
        return f'<p class="related">{caption}: {", ".join(parts)}.</p>'

    # --- overview ---------------------------------------------------------------------------

    def _ranking(self, units: list[data.Unit], caption: str) -> str:
        ranked = sorted(
            units, key=lambda u: self.scores.get((u.code, "all"), (None, None, 0))[1] or 10**6
        )
        bars = [
            Bar(
                u.name,
                _as_float(self.scores.get((u.code, "all"), (None,))[0]),
                self.unit_page(u.code),
            )
            for u in ranked
        ]
        head = "".join(f"<th>{escape(DTI_GROUP_LABELS[g])}</th>" for g in GROUPS)
        rows = []
        for u in ranked:
            score, rank, siblings = self.scores.get((u.code, "all"), (None, None, 0))
            cells = "".join(
                f'<td class="num" data-unit="{u.code}" data-group="{g}">'
                f"{_score(self.scores.get((u.code, g), (None,))[0])}</td>"
                for g in GROUPS
            )
            rows.append(
                f'<tr><td class="num">{rank or "—"}/{siblings}</td>'
                f'<td><a href="{self.unit_page(u.code)}">{escape(u.name)}</a></td>'
                f'<td class="num" data-unit="{u.code}" data-group="all">{_score(score)}</td>'
                f"{cells}</tr>"
            )
        return (
            bar_chart(bars, title=caption)
            + f"<table><thead><tr><th>Hạng</th><th>Đơn vị</th><th>Chỉ số chung</th>{head}"
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def _overview(self) -> str:
        body = [
            self._scheme_switch(),
            self._period_line(),
            "<p>Chỉ số chính quyền số theo cách tính của DTI (thang 0 – 1), nhóm “hoạt động "
            "chính quyền số”: cung cấp dịch vụ công trực tuyến, giải quyết hồ sơ, số hóa, văn "
            "phòng điện tử.</p>",
        ]
        provinces = [u for u in self.units if u.level == "province"]
        if self.scheme == SCHEME_2025 and provinces:
            # A 2025 province is ranked among the 34 (reform2025.md §4).
            body.append("<h2>Các tỉnh, thành phố</h2>")
            body.append(self._ranking(provinces, "Xếp hạng cấp tỉnh"))
        for province in provinces:
            score = self.scores.get((province.code, "all"), (None,))[0]
            title = escape(province.name)
            if has_page(self.scheme, province):
                title = f'<a href="{self.unit_page(province.code)}">{title}</a>'
            body.append(
                f"<h2>{title}</h2><p>Chỉ số chung của tỉnh: "
                f'<b data-unit="{province.code}" data-group="all">{_score(score)}</b></p>'
            )
            children = self._children(province.code)
            level = "cấp xã" if self.scheme == SCHEME_2025 else "cấp huyện"
            body.append(self._ranking(children, f"Xếp hạng {level} — {province.name}"))
        return self.page("Bảng điểm chuyển đổi số", "".join(body))

    # --- unit page ---------------------------------------------------------------------------

    def _levels(self, values: dict) -> list[str]:
        """The handling levels shown; a 2025 province's old district level is zero by
        definition for a quarter that starts on or after 01/07/2025, so it is left out."""
        levels = sorted({level for level, _ in values}, key=LEVEL_ORDER.index)
        if self.scheme == SCHEME_2025 and not begins_before_reform(self.period_start):
            levels = [level for level in levels if level != "district"]
        return levels

    def _unit(self, unit: data.Unit) -> str:
        values = data.values(self.conn, unit.code, "quarter", self.period_key, self.scheme)
        levels = self._levels(values)
        complete = all(v.is_complete for v in values.values())
        score, rank, siblings = self.scores.get((unit.code, "all"), (None, None, 0))
        parent = self.by_code.get(unit.parent or "")
        body = [
            self._scheme_switch(),
            f"<p>{UNIT_LEVEL_LABELS[unit.level]}"
            + (
                f' thuộc <a href="{self.unit_page(parent.code)}">{escape(parent.name)}</a>'
                if parent and has_page(self.scheme, parent)
                else ""
            )
            + f" · {_complete_badge(complete)}</p>",
            self._related_units(unit),
            self._period_line(),
            f'<p>Chỉ số chung: <b data-unit="{unit.code}" data-group="all">{_score(score)}</b>'
            + (f", xếp hạng {rank}/{siblings} đơn vị cùng cấp" if rank else "")
            + "</p>",
            bar_chart(
                [
                    Bar(DTI_GROUP_LABELS[g], _as_float(self.scores.get((unit.code, g), (None,))[0]))
                    for g in GROUPS
                ],
                title="Điểm theo nhóm chỉ số",
            ),
            "<h2>Xu hướng</h2>",
            line_chart(
                {"Chỉ số chung": _floats(self._index_trend(unit.code, "month"))},
                title="Chỉ số chung theo tháng",
            ),
            line_chart(
                {
                    "Chỉ số chung": _floats(self._index_trend(unit.code, "quarter")),
                    "Tỷ lệ hồ sơ trực tuyến": _floats(
                        data.indicator_trend(
                            self.conn, unit.code, "quarter", "tthc.online_rate", "all", self.scheme
                        )
                    ),
                },
                title="Theo quý",
            ),
            self._targets_table(unit, values),
            self._indicator_table(unit, values, levels),
            self._points_table(unit),
        ]
        children = self._children(unit.code)
        if children:
            if self.scheme == SCHEME_2025:
                body.append(f"<h2>Các {children_word([c.name for c in children])}</h2>")
            else:
                body.append("<h2>Các xã, phường, thị trấn</h2>")
            body.append(self._ranking(children, f"Xếp hạng cấp xã — {unit.name}"))
        body.append(self._approximate_note(unit, values))
        return self.page(unit.name, "".join(body))

    def _index_trend(self, code: str, period_type: str) -> list[tuple[str, Decimal | None]]:
        return data.index_trend(self.conn, code, period_type, "all", self.scheme)

    def _approximate_note(self, unit: data.Unit, values: dict) -> str:
        """The footnote the marks link to, naming the divided old communes behind them."""
        if not any(value.is_approximate for value in values.values()):
            return ""
        here = {unit.code} | {child.code for child in self._children(unit.code)}
        names = self.reform.names.get(PRE2025, {})
        divided = [
            unit_in_prose(names.get(link.old_code, (link.old_code, ""))[0])
            for code in sorted(here)
            for link in self.reform.links_to.get(code, [])
            if link.is_divided and link.is_default and link.old_level == "commune"
        ]
        which = f" ({', '.join(dict.fromkeys(divided))})" if divided else ""
        return (
            f'<p class="note" id="{APPROXIMATE_NOTE_ID}"><sup>{escape(APPROXIMATE_MARK)}</sup> '
            "Số liệu gần đúng: gồm số liệu trước ngày 01/07/2025 của xã, phường, thị trấn cũ "
            f"được chia cho nhiều đơn vị mới{escape(which)}, tính toàn bộ vào đơn vị kế thừa."
            "</p>"
        )

    def _targets_table(self, unit: data.Unit, values: dict) -> str:
        names = {i.code: i for i in self.catalog}
        rows = []
        for (level, code), value in sorted(values.items()):
            if value.target is None or code not in names:
                continue
            indicator = names[code]
            status = value.target_status or "no_basis"
            rows.append(
                f"<tr><td>{_indicator_link(indicator)}</td><td>{self.level_label(level)}</td>"
                f'<td class="num"{_approximate_attribute(value)}>'
                f"{format_value(indicator.unit, value.value)}{_approximate_mark(value)}</td>"
                f'<td class="num">{format_value(indicator.unit, value.target)}</td>'
                f'<td class="status-{status}" data-unit="{unit.code}" data-level="{level}" '
                f'data-target="{code}">{TARGET_STATUS_LABELS[status]}</td></tr>'
            )
        if not rows:
            return "<h2>Chỉ tiêu được giao</h2><p>Chưa có chỉ tiêu được giao cho năm này.</p>"
        return (
            "<h2>Chỉ tiêu được giao</h2><table><thead><tr><th>Chỉ số</th><th>Cấp</th>"
            "<th>Kết quả</th><th>Chỉ tiêu</th><th>Đánh giá</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )

    def _indicator_table(self, unit: data.Unit, values: dict, levels: list[str]) -> str:
        head = "".join(f"<th>{self.level_label(level)}</th>" for level in levels)
        rows = []
        for indicator in self.catalog:
            cells = []
            for level in levels:
                value = values.get((level, indicator.code))
                cells.append(
                    f'<td class="num" data-unit="{unit.code}" data-level="{level}" '
                    f'data-indicator="{indicator.code}"{_approximate_attribute(value)}>'
                    f"{format_value(indicator.unit, _value(value))}{_approximate_mark(value)}"
                    "</td>"
                )
            rows.append(f"<tr><td>{_indicator_link(indicator)}</td>{''.join(cells)}</tr>")
        return (
            f"<h2>Các chỉ số</h2><table><thead><tr><th>Chỉ số</th>{head}</tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )

    def _points_table(self, unit: data.Unit) -> str:
        items = data.points_766(
            self.conn, unit.code, "quarter", self.period_key, "all", self.scheme
        )
        if not items:
            return ""
        bars = [
            Bar(f"{item} {name}", _as_float(points / max_points) if points is not None else None)
            for item, name, _v, points, max_points, _code in items
            if item != "total"
        ]
        rows = "".join(
            f"<tr><td>{escape(item)}</td><td>{escape(name)}</td>"
            f'<td class="num">{vn_percent(value) if value is not None else "—"}</td>'
            f'<td class="num" data-unit="{unit.code}" data-item="{escape(item)}">'
            f"{vn_number(points, 2, trim=True) if points is not None else '—'}</td>"
            f'<td class="num">{vn_number(max_points, 0)}</td></tr>'
            for item, name, value, points, max_points, _code in items
        )
        return (
            "<h2>Điểm chất lượng phục vụ theo QĐ 766</h2>"
            + bar_chart(bars, title="Tỷ lệ điểm đạt theo tiêu chí")
            + "<table><thead><tr><th>Tiêu chí</th><th>Nội dung</th><th>Tỷ lệ</th><th>Điểm</th>"
            + f"<th>Tối đa</th></tr></thead><tbody>{rows}</tbody></table>"
        )

    # --- definitions and freshness ----------------------------------------------------------

    def _definitions(self) -> str:
        sections = []
        for indicator in self.catalog:
            group = DTI_GROUP_LABELS.get(indicator.group or "", "Không thuộc chỉ số")
            sections.append(
                f'<section id="{anchor(indicator.code)}"><h2>{escape(indicator.name_vi)}</h2>'
                f"<p><code>{escape(indicator.code)}</code> · {escape(indicator.name_en)}</p>"
                f"<p>Cách tính: {escape(indicator.formula)}</p>"
                f"<p>Nhóm: {escape(group)} · Đơn vị: {escape(indicator.unit)} · Nguồn: "
                f"{escape(indicator.source_system)}</p></section>"
            )
        return self.page("Định nghĩa các chỉ số", "".join(sections))

    def _freshness(self) -> str:
        fresh = data.freshness(self.conn)
        published = escape(fresh.published_at or "không rõ")
        latest = "".join(
            f"<tr><td>{escape(label)}</td><td>{vn_date(day) if day else '—'}</td></tr>"
            for label, day in fresh.latest_records.items()
        )
        labels = {"month": "Tháng", "quarter": "Quý", "half": "6 tháng", "year": "Năm"}
        several = len({row[0] for row in fresh.periods}) > 1
        periods = "".join(
            "<tr>"
            + (f"<td>{escape(SCHEME_LABELS.get(scheme, scheme))}</td>" if several else "")
            + f"<td>{labels[ptype]}</td><td>{escape(key)}</td><td>{vn_date(start)} – "
            f"{vn_date(end)}</td><td>{_complete_badge(done)}</td></tr>"
            for scheme, ptype, key, start, end, done in fresh.periods
        )
        scheme_head = "<th>Địa giới hành chính</th>" if several else ""
        reform_note = (
            " Theo địa giới trước 01/07/2025, một kỳ kéo dài qua ngày 30/06/2025 không bao giờ "
            "đầy đủ: từ ngày đó số liệu thuộc các đơn vị hành chính mới."
            if several
            else ""
        )
        body = (
            f"<p>Số liệu được công bố lần gần nhất: <b>{published}</b>.</p>"
            "<h2>Bản ghi mới nhất của từng nguồn</h2><table><thead><tr><th>Nguồn</th>"
            f"<th>Ngày</th></tr></thead><tbody>{latest}</tbody></table>"
            "<h2>Các kỳ số liệu</h2><p>Một kỳ “đầy đủ” khi đã kết thúc và cả ba hệ thống đã "
            f"được nạp dữ liệu đến hết ngày cuối kỳ.{reform_note}</p><table><thead><tr>"
            f"{scheme_head}<th>Loại kỳ</th>"
            f"<th>Kỳ</th><th>Từ – đến</th><th>Tình trạng</th></tr></thead><tbody>{periods}"
            "</tbody></table>"
        )
        return self.page("Độ mới và độ đầy đủ của dữ liệu", body)


def _value(value: data.Value | None) -> Decimal | None:
    return value.value if value else None


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _floats(points: list[tuple[str, Decimal | None]]) -> list[tuple[str, float | None]]:
    return [(label, _as_float(value)) for label, value in points]


def build_site(dsn: str, out_dir: Path) -> list[Path]:
    """Generate the whole site into ``out_dir``: every scheme's pages, and the shared ones
    (linked to the overview shown first); returns the pages written."""
    with psycopg.connect(dsn) as conn:
        reform = Reform(conn)
        builders = {scheme: SiteBuilder(conn, out_dir, scheme, reform) for scheme in reform.schemes}
        written = []
        for builder in builders.values():
            written += builder.build()
        return written + builders[reform.default].build_shared()


__all__ = ["anchor", "build_site", "format_value", "has_page", "overview_page", "unit_page"]

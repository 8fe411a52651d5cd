"""The static scorecard site: plain HTML files with inline SVG charts, readable from disk.

Pages: ``index.html`` (each province's districts ranked on the DTI-style index),
``unit-<code>.html`` (a district or commune: index and groups, trends, every indicator with its
target and status, QĐ 766 points, its communes), ``definitions.html`` (every indicator's
definition, one anchor each, linked from every indicator name) and ``freshness.html`` (when the
figures were published, the latest record of each source, which periods are complete).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from pathlib import Path

import psycopg

from include.reports.content import DTI_GROUP_LABELS
from include.reports.formatting import vn_count, vn_date, vn_number, vn_percent, vn_vnd
from include.reports.wording import HANDLING_LEVEL_LABELS, TARGET_STATUS_LABELS
from include.scorecard import data
from include.scorecard.svg import Bar, bar_chart, line_chart

GROUPS = ("service_delivery", "processing", "digitization", "e_office")
LEVEL_ORDER = ("province", "district", "commune", "all")
UNIT_LEVEL_LABELS = {"province": "Tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}

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
svg.chart { display: block; margin: 8px 0 18px; font-size: 12px; }
svg.chart .chart-title { font-weight: 600; font-size: 13px; }
svg.chart .grid { stroke: #dde1e6; } svg.chart .axis { fill: #555; font-size: 11px; }
svg.chart a { fill: #1f5fa8; text-decoration: underline; }
"""


def anchor(indicator_code: str) -> str:
    """Anchor on the definitions page: ``tthc.online_rate`` → ``ind-tthc-online_rate``."""
    return "ind-" + indicator_code.replace(".", "-")


def unit_page(unit_code: str) -> str:
    return f"unit-{unit_code}.html"


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # An empty inline icon: otherwise every browser asks for /favicon.ico and logs a 404.
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        '<header><a href="index.html">Tổng quan</a><a href="definitions.html">Định nghĩa chỉ số'
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


class SiteBuilder:
    def __init__(self, conn: psycopg.Connection, out_dir: Path) -> None:
        self.conn = conn
        self.out = out_dir
        self.units = data.units(conn)
        self.by_code = {unit.code: unit for unit in self.units}
        self.catalog = data.catalog(conn)
        self.period_key, self.period_start, self.period_end = data.latest_period(conn, "quarter")
        self.scores = data.index_scores(conn, "quarter", self.period_key)

    def build(self) -> list[Path]:
        self.out.mkdir(parents=True, exist_ok=True)
        written = [self._write("index.html", self._overview())]
        for unit in self.units:
            if unit.level != "province":
                written.append(self._write(unit_page(unit.code), self._unit(unit)))
        written.append(self._write("definitions.html", self._definitions()))
        written.append(self._write("freshness.html", self._freshness()))
        return written

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

    # --- overview ---------------------------------------------------------------------------

    def _ranking(self, units: list[data.Unit], caption: str) -> str:
        ranked = sorted(
            units, key=lambda u: self.scores.get((u.code, "all"), (None, None, 0))[1] or 10**6
        )
        bars = [
            Bar(u.name, _as_float(self.scores.get((u.code, "all"), (None,))[0]), unit_page(u.code))
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
                f'<td><a href="{unit_page(u.code)}">{escape(u.name)}</a></td>'
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
            self._period_line(),
            "<p>Chỉ số chính quyền số theo cách tính của DTI (thang 0 – 1), nhóm “hoạt động "
            "chính quyền số”: cung cấp dịch vụ công trực tuyến, giải quyết hồ sơ, số hóa, văn "
            "phòng điện tử.</p>",
        ]
        for province in (u for u in self.units if u.level == "province"):
            score = self.scores.get((province.code, "all"), (None,))[0]
            body.append(
                f"<h2>{escape(province.name)}</h2><p>Chỉ số chung của tỉnh: "
                f'<b data-unit="{province.code}" data-group="all">{_score(score)}</b></p>'
            )
            body.append(
                self._ranking(
                    self._children(province.code), f"Xếp hạng cấp huyện — {province.name}"
                )
            )
        return _page("Bảng điểm chuyển đổi số", "".join(body))

    # --- unit page ---------------------------------------------------------------------------

    def _unit(self, unit: data.Unit) -> str:
        values = data.values(self.conn, unit.code, "quarter", self.period_key)
        levels = sorted({level for level, _ in values}, key=LEVEL_ORDER.index)
        complete = all(v.is_complete for v in values.values())
        score, rank, siblings = self.scores.get((unit.code, "all"), (None, None, 0))
        parent = self.by_code.get(unit.parent or "")
        body = [
            f"<p>{UNIT_LEVEL_LABELS[unit.level]}"
            + (
                f' thuộc <a href="{unit_page(parent.code)}">{escape(parent.name)}</a>'
                if parent and parent.level != "province"
                else ""
            )
            + f" · {_complete_badge(complete)}</p>",
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
                {"Chỉ số chung": _floats(data.index_trend(self.conn, unit.code, "month"))},
                title="Chỉ số chung theo tháng",
            ),
            line_chart(
                {
                    "Chỉ số chung": _floats(data.index_trend(self.conn, unit.code, "quarter")),
                    "Tỷ lệ hồ sơ trực tuyến": _floats(
                        data.indicator_trend(self.conn, unit.code, "quarter", "tthc.online_rate")
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
            body.append("<h2>Các xã, phường, thị trấn</h2>")
            body.append(self._ranking(children, f"Xếp hạng cấp xã — {unit.name}"))
        return _page(unit.name, "".join(body))

    def _targets_table(self, unit: data.Unit, values: dict) -> str:
        names = {i.code: i for i in self.catalog}
        rows = []
        for (level, code), value in sorted(values.items()):
            if value.target is None or code not in names:
                continue
            indicator = names[code]
            status = value.target_status or "no_basis"
            rows.append(
                f"<tr><td>{_indicator_link(indicator)}</td><td>{HANDLING_LEVEL_LABELS[level]}</td>"
                f'<td class="num">{format_value(indicator.unit, value.value)}</td>'
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
        head = "".join(f"<th>{HANDLING_LEVEL_LABELS[level]}</th>" for level in levels)
        rows = []
        for indicator in self.catalog:
            cells = "".join(
                f'<td class="num" data-unit="{unit.code}" data-level="{level}" '
                f'data-indicator="{indicator.code}">'
                f"{format_value(indicator.unit, _value(values.get((level, indicator.code))))}</td>"
                for level in levels
            )
            rows.append(f"<tr><td>{_indicator_link(indicator)}</td>{cells}</tr>")
        return (
            f"<h2>Các chỉ số</h2><table><thead><tr><th>Chỉ số</th>{head}</tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )

    def _points_table(self, unit: data.Unit) -> str:
        items = data.points_766(self.conn, unit.code, "quarter", self.period_key, "all")
        if not items:
            return ""
        bars = [
            Bar(f"{item} {name}", _as_float(points / max_points) if points is not None else None)
            for item, name, _v, points, max_points in items
            if item != "total"
        ]
        rows = "".join(
            f"<tr><td>{escape(item)}</td><td>{escape(name)}</td>"
            f'<td class="num">{vn_percent(value) if value is not None else "—"}</td>'
            f'<td class="num" data-unit="{unit.code}" data-item="{escape(item)}">'
            f"{vn_number(points, 2, trim=True) if points is not None else '—'}</td>"
            f'<td class="num">{vn_number(max_points, 0)}</td></tr>'
            for item, name, value, points, max_points in items
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
        return _page("Định nghĩa các chỉ số", "".join(sections))

    def _freshness(self) -> str:
        fresh = data.freshness(self.conn)
        published = escape(fresh.published_at or "không rõ")
        latest = "".join(
            f"<tr><td>{escape(label)}</td><td>{vn_date(day) if day else '—'}</td></tr>"
            for label, day in fresh.latest_records.items()
        )
        labels = {"month": "Tháng", "quarter": "Quý", "half": "6 tháng", "year": "Năm"}
        periods = "".join(
            f"<tr><td>{labels[ptype]}</td><td>{escape(key)}</td><td>{vn_date(start)} – "
            f"{vn_date(end)}</td><td>{_complete_badge(done)}</td></tr>"
            for ptype, key, start, end, done in fresh.periods
        )
        body = (
            f"<p>Số liệu được công bố lần gần nhất: <b>{published}</b>.</p>"
            "<h2>Bản ghi mới nhất của từng nguồn</h2><table><thead><tr><th>Nguồn</th>"
            f"<th>Ngày</th></tr></thead><tbody>{latest}</tbody></table>"
            "<h2>Các kỳ số liệu</h2><p>Một kỳ “đầy đủ” khi đã kết thúc và cả ba hệ thống đã "
            "được nạp dữ liệu đến hết ngày cuối kỳ.</p><table><thead><tr><th>Loại kỳ</th>"
            f"<th>Kỳ</th><th>Từ – đến</th><th>Tình trạng</th></tr></thead><tbody>{periods}"
            "</tbody></table>"
        )
        return _page("Độ mới và độ đầy đủ của dữ liệu", body)


def _value(value: data.Value | None) -> Decimal | None:
    return value.value if value else None


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _floats(points: list[tuple[str, Decimal | None]]) -> list[tuple[str, float | None]]:
    return [(label, _as_float(value)) for label, value in points]


def build_site(dsn: str, out_dir: Path) -> list[Path]:
    """Generate the whole site into ``out_dir``; returns the pages written."""
    with psycopg.connect(dsn) as conn:
        return SiteBuilder(conn, out_dir).build()


__all__ = ["anchor", "build_site", "format_value", "unit_page"]

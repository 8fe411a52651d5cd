"""Inline SVG charts drawn in Python: the site needs no JavaScript and no CDN (closed network)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from include.reports.formatting import vn_number

_PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#a83232", "#6a4c93")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # 0..1
    href: str | None = None


def _fmt(value: float | None) -> str:
    return "—" if value is None else vn_number(value, 2)


def bar_chart(bars: list[Bar], *, title: str, width: int = 640) -> str:
    """Horizontal bars on a 0–1 scale, one per unit or group; a bar without value is a dash."""
    label_width, row, top = 220, 26, 28
    height = top + row * len(bars) + 10
    plot = width - label_width - 60
    out = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for tick in (0, 0.5, 1):
        x = label_width + plot * tick
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" class="grid"/>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        label = escape(bar.label)
        if bar.href:
            label = f'<a href="{escape(bar.href)}">{label}</a>'
        out.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{label}</text>')
        length = plot * max(0.0, min(1.0, bar.value or 0.0))
        if bar.value is not None:
            colour = _PALETTE[0]
            out.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
                f'fill="{colour}"><title>{label}: {_fmt(bar.value)}</title></rect>'
            )
        out.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}">{_fmt(bar.value)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def line_chart(
    series: dict[str, list[tuple[str, float | None]]], *, title: str, width: int = 640
) -> str:
    """Lines over periods on a 0–1 scale; a missing value breaks the line."""
    height, left, right, top, bottom = 240, 44, 40, 28, 46
    labels = next(iter(series.values()), []) if series else []
    count = max(1, len(labels) - 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, v)))

    out = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        out.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'class="grid"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'class="axis">{vn_number(tick, 2)}</text>'
        )
    step = max(1, len(labels) // 8)
    for i, (label, _) in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            out.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'class="axis">{escape(label)}</text>'
            )
    for number, (name, points) in enumerate(series.items()):
        colour = _PALETTE[number % len(_PALETTE)]
        segments: list[list[str]] = [[]]
        for i, (label, value) in enumerate(points):
            if value is None:
                segments.append([])
                continue
            segments[-1].append(f"{x(i):.1f},{y(value):.1f}")
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {escape(label)}: {_fmt(value)}</title></circle>"
            )
        for segment in segments:
            if len(segment) > 1:
                out.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(segment)}"/>'
                )
        out.append(
            f'<rect x="{left + 150 * number}" y="{height - 16}" width="10" height="10" '
            f'fill="{colour}"/><text x="{left + 150 * number + 14}" y="{height - 7}" '
            f'class="axis">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)

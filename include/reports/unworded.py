"""The sentence a draft gives an indicator it has no wording of its own for.

The officers' sentences (:mod:`include.reports.content`) word the indicators their reports
quote; the catalogue holds more, and a published figure must not be missing from a draft. Such
an indicator is stated from its catalogue row: its name, its value and, for a ratio, its
numerator and denominator — "tỷ lệ tiến độ giải quyết (QĐ 766 mục 2.1) đạt 99,74%
(1.138/1.141)".
"""

from __future__ import annotations

from include.reports.figures import UnitPeriod
from include.reports.formatting import vn_count, vn_percent, vn_vnd
from include.reports.model import APPROXIMATE_MARK


def unworded_codes(period: UnitPeriod, worded: frozenset[str], systems: set[str]) -> list[str]:
    """The catalogue indicators of these source systems with a figure but no wording, in
    code order (the order :func:`~include.reports.figures.load_unit_period` reads them in)."""
    published = {code for _level, code in period.figures}
    return [
        code
        for code, system in period.indicator_systems.items()
        if system in systems and code in published and code not in worded
    ]


def catalogue_sentence(period: UnitPeriod, level: str, code: str) -> str | None:
    """``tỷ lệ … đạt 99,74% (1.138/1.141)``, ``số … là 12``, ``số tiền … là 1.500.000 đồng``;
    None when the level has no such figure."""
    figure = period.figure(level, code)
    if figure is None:
        return None
    name = period.indicator_names.get(code, code)
    name = name[:1].lower() + name[1:]
    mark = APPROXIMATE_MARK if figure.is_approximate else ""
    unit = period.indicator_units.get(code)
    if figure.denominator is not None:
        value = "chưa có số liệu" if figure.value is None else f"đạt {vn_percent(figure.value)}"
        parts = f"{vn_count(figure.numerator)}/{vn_count(figure.denominator)}"
        return f"{name} {value} ({parts}){mark}"
    if unit == "vnd":
        return f"{name} là {vn_vnd(figure.numerator)}{mark} đồng"
    return f"{name} là {vn_count(figure.numerator)}{mark}"

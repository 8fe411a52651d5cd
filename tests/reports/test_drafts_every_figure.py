"""Every published figure of a drafted unit and period appears in its draft: the indicators
the officers' sentences do not word are stated from the catalogue (include/reports/unworded.py).

The expected sentences are composed here from ``marts.indicator_value`` and
``marts.indicator_catalog``, not through the report code's own reading of them.
"""

from __future__ import annotations

import psycopg
import pytest

from include.reports.content import WORDED_INDICATORS
from include.reports.formatting import vn_count, vn_percent

from .seed_phrases import report_text, squash

# A district and a commune half-year (Mỹ Hào, Minh Đức) and a district year (Bình Sơn).
DRAFTED = [("328", "half", "2023-H1"), ("12127", "half", "2023-H1"), ("524", "year", "2023")]
UNWORDED = {
    "tthc.on_time_rate",
    "tthc.progress_766_rate",
    "dvc.online_share",
    "dvc.full_share_eligible",
}


def _published(dsn: str, unit: str, period_type: str, period_key: str) -> list[tuple]:
    """(handling level, code, name, numerator, denominator, value) of every figure."""
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            """
            SELECT v.handling_level, v.indicator_code, c.name_vi, v.numerator, v.denominator,
                   v.value
            FROM marts.indicator_value AS v
            JOIN marts.indicator_catalog AS c USING (indicator_code)
            WHERE v.scheme = 'pre2025' AND v.unit_code = %s AND v.period_type = %s
                AND v.period_key = %s
            """,
            (unit, period_type, period_key),
        ).fetchall()


def _expected(name: str, numerator, denominator, value) -> str:
    shown = "chưa có số liệu" if value is None else f"đạt {vn_percent(value)}"
    return f"{name[0].lower()}{name[1:]} {shown} ({vn_count(numerator)}/{vn_count(denominator)})"


@pytest.mark.parametrize(("unit", "period_type", "period_key"), DRAFTED)
def test_every_published_indicator_appears_in_the_draft(
    marts_dsn: str, unit: str, period_type: str, period_key: str
) -> None:
    figures = _published(marts_dsn, unit, period_type, period_key)
    text = squash(report_text(marts_dsn, unit, period_type, period_key))
    levels = {level for level, *_ in figures} - {"all"}
    unworded = {code for _level, code, *_ in figures} - WORDED_INDICATORS
    assert unworded == UNWORDED
    missing = [
        (level, code)
        for level, code, name, numerator, denominator, value in figures
        if code in unworded
        and level in levels
        and _expected(name, numerator, denominator, value) not in text
    ]
    assert not missing, missing
    assert "4. Các chỉ tiêu khác" in text


def test_every_worded_indicator_is_in_the_catalogue(marts_dsn: str) -> None:
    with psycopg.connect(marts_dsn) as conn:
        catalogue = {
            code for (code,) in conn.execute("SELECT indicator_code FROM marts.indicator_catalog")
        }
    assert catalogue >= WORDED_INDICATORS, WORDED_INDICATORS - catalogue

"""bench.warehouse's history cuts and its one-year/two-year comparison (no server, no dbt)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from bench.warehouse import Step, comparison, history_window

D = dt.date


def test_history_window_cuts_the_last_years_before_the_night() -> None:
    scenario: Any = SimpleNamespace(start=D(2022, 12, 30), end=D(2024, 12, 31))
    one = history_window(scenario, 1)
    assert (one.start, one.end, one.nightly) == (D(2023, 12, 31), D(2024, 12, 30), False)
    # The full span is the whole scenario, records before its nominal start included.
    two = history_window(scenario, 2)
    assert (two.start, two.end) == (D(2022, 12, 30), D(2024, 12, 30))


def test_comparison_puts_each_figure_side_by_side_with_the_ratio() -> None:
    def step(what: str, rss: float | None, pss: float) -> Step:
        return Step(what, seconds=10.0, process_peak_rss_mb=rss, server_peak_pss_mb=pss)

    passes = {
        1: ({"landing_peak_rss_mb": 100}, [step("dbt seed", 200.0, 50.0)]),
        2: (
            {"landing_peak_rss_mb": 150},
            [step("dbt build (pre2025 only)", 300.0, 80.0), step("dbt seed", 220.0, 100.0)],
        ),
    }
    rows = {(row["step"], row["figure"]): row for row in comparison(passes)}
    landing = rows["landing (prepare)", "landing process peak RSS MB"]
    assert (landing["1y"], landing["2y"], landing["ratio"]) == (100, 150, 1.5)
    rss = rows["dbt seed", "process peak RSS MB"]
    assert (rss["1y"], rss["2y"], rss["ratio"]) == (200.0, 220.0, 1.1)
    assert rows["dbt seed", "PostgreSQL peak PSS MB"]["ratio"] == 2.0
    # A step of one pass only: no figure, no ratio, for the other.
    skipped = rows["dbt build (pre2025 only)", "wall s"]
    assert (skipped["1y"], skipped["2y"], skipped["ratio"]) == (None, 10.0, None)

"""Vietnam-date windows and how they are cut to each API's limits.

A caller asks for an inclusive range of Vietnam calendar dates. Listings are cut at calendar
months (the one-stop and DVC APIs accept at most 31 days) and QLVB exports at calendar quarters
(at most 92 days apart): aligned cuts make re-extractions of a period land in the same window
directories of the landing area, and no cut is ever longer than the API allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from include.sources import registry

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


@dataclass(frozen=True, order=True)
class Window:
    """Inclusive range of Vietnam calendar dates."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window end {self.end} is before its start {self.start}")

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def start_instant(self) -> dt.datetime:
        """Vietnam midnight opening the window."""
        return dt.datetime.combine(self.start, dt.time(), VN_TZ)

    @property
    def end_instant(self) -> dt.datetime:
        """Vietnam midnight after the last day (the exclusive bound the APIs expect)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), VN_TZ)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _next_quarter(day: dt.date) -> dt.date:
    first_month_of_next = (day.month - 1) // 3 * 3 + 4
    if first_month_of_next > 12:
        return dt.date(day.year + 1, 1, 1)
    return dt.date(day.year, first_month_of_next, 1)


def _cut(window: Window, next_boundary: Callable[[dt.date], dt.date]) -> Iterator[Window]:
    current = window.start
    while current <= window.end:
        boundary = next_boundary(current)
        last = min(window.end, boundary - dt.timedelta(days=1))
        yield Window(current, last)
        current = last + dt.timedelta(days=1)


def month_windows(window: Window) -> list[Window]:
    """Cut at calendar months: each piece spans at most 31 days (one-stop, DVC payments/ratings)."""
    return list(_cut(window, _next_month))


def quarter_windows(window: Window) -> list[Window]:
    """Cut at calendar quarters: first and last day at most 91 days apart (QLVB allows 92)."""
    return list(_cut(window, _next_quarter))


#: How far back the nightly run re-exports each QLVB register, in days ending with the night's
#: date: as long as its rows still change (the reasons are in include/sources/registry.yaml).
QLVB_LOOKBACK_DAYS: Mapping[str, int] = registry.SOURCES["qlvb"].lookback_days


def nightly_window(run_date: dt.date) -> Window:
    """What a nightly run loads: the Vietnam day before ``run_date``."""
    yesterday = run_date - dt.timedelta(days=1)
    return Window(yesterday, yesterday)


def with_lookback(window: Window, lookback_days: int) -> Window:
    """``window`` extended back so that it covers at least ``lookback_days`` days to its end."""
    earliest = window.end - dt.timedelta(days=lookback_days - 1)
    return Window(min(window.start, earliest), window.end)

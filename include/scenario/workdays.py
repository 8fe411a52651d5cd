"""Working days, Vietnam time and the timestamp formats the three portals use.

The generator keeps every instant as an integer: seconds since 0001-01-01 00:00 in naive Vietnam
time (``ordinal * 86400 + second_of_day``). That is cheap to compare and to format.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import cache

import holidays

DAY = 86400

#: Office hours (second of day): morning 07:30–11:30, afternoon 13:30–17:00.
MORNING = (7 * 3600 + 30 * 60, 11 * 3600 + 30 * 60)
AFTERNOON = (13 * 3600 + 30 * 60, 17 * 3600)


@cache
def vn_holidays(first_year: int, last_year: int) -> frozenset[int]:
    """Ordinals of Vietnamese public holidays (``holidays.VN``) in the years given."""
    h = holidays.VN(years=range(first_year, last_year + 1))
    return frozenset(d.toordinal() for d in h)


class WorkCalendar:
    """Working days between two dates (with margins), indexed for fast arithmetic."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first = first
        self.last = last
        hol = vn_holidays(first.year, last.year)
        days: list[int] = []
        o = first.toordinal()
        end = last.toordinal()
        while o <= end:
            if (o + 6) % 7 < 5 and o not in hol:  # date.fromordinal(o).weekday() == (o + 6) % 7
                days.append(o)
            o += 1
        self.days = days  # ordinals of working days, ascending
        self.n = len(days)

    # --- index helpers (all on ordinals) -----------------------------------------------
    def idx_ge(self, ordinal: int) -> int:
        """Index of the first working day on or after ``ordinal``."""
        return bisect.bisect_left(self.days, ordinal)

    def idx_le(self, ordinal: int) -> int:
        """Index of the last working day on or before ``ordinal``."""
        return bisect.bisect_right(self.days, ordinal) - 1

    def idx_of_date(self, d: dt.date) -> int:
        return self.idx_ge(d.toordinal())

    def day(self, idx: int) -> int:
        if idx >= self.n:  # beyond the horizon: extend by weekdays only (never needed in practice)
            extra = idx - self.n + 1
            o = self.days[-1]
            while extra:
                o += 1
                if (o + 6) % 7 < 5:
                    extra -= 1
            return o
        return self.days[idx]


# --- formatting -------------------------------------------------------------------------

_DATE8: dict[int, str] = {}
_HMS: list[str] = [
    f"{h:02d}{m:02d}{s:02d}" for h in range(24) for m in range(60) for s in range(60)
]


def date8(ordinal: int) -> str:
    s = _DATE8.get(ordinal)
    if s is None:
        s = dt.date.fromordinal(ordinal).strftime("%Y%m%d")
        _DATE8[ordinal] = s
    return s


def ts14(t: int, _d=_DATE8, _h=_HMS) -> str:
    """``yyyyMMddHHmmss`` (one-stop format) from an instant."""
    o, sod = divmod(t, DAY)
    s = _d.get(o)
    if s is None:
        s = date8(o)
    return s + _h[sod]


def ts14_instant(s: str) -> int:
    """Inverse of :func:`ts14` (for well-formed strings)."""
    d = dt.date(int(s[0:4]), int(s[4:6]), int(s[6:8])).toordinal()
    return d * DAY + int(s[8:10]) * 3600 + int(s[10:12]) * 60 + int(s[12:14])


_ISO_DATE: dict[int, str] = {}


def iso_date(ordinal: int) -> str:
    s = _ISO_DATE.get(ordinal)
    if s is None:
        s = dt.date.fromordinal(ordinal).isoformat()
        _ISO_DATE[ordinal] = s
    return s


def iso_ts(t: int, utc: bool) -> str:
    """ISO 8601 with an offset: Vietnam time ``+07:00`` or the same instant in UTC ``Z``."""
    if utc:
        t -= 7 * 3600
    o, sod = divmod(t, DAY)
    h = _HMS[sod]
    return f"{iso_date(o)}T{h[0:2]}:{h[2:4]}:{h[4:6]}" + ("Z" if utc else "+07:00")


def instant(d: dt.date | int, sod: int = 0) -> int:
    o = d if isinstance(d, int) else d.toordinal()
    return o * DAY + sod


def parse_ts14(s: str) -> dt.datetime:
    return dt.datetime.strptime(s, "%Y%m%d%H%M%S")

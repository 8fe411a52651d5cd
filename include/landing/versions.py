"""Reading the sources' update timestamps, to tell which version of a record is newest.

One-stop timestamps are ``yyyyMMddHHmmss`` in Vietnam time; DVC timestamps are ISO 8601 with
an offset that varies between services (``Z`` or ``+07:00``), so they are compared as instants,
never as strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")
ONESTOP_FORMAT = "yyyyMMddHHmmss"
ISO_FORMAT = "iso8601"


def parse_onestop_timestamp(value: Any) -> dt.datetime | None:
    """A ``yyyyMMddHHmmss`` Vietnam-time string as an aware datetime; ``None`` when invalid."""
    if not isinstance(value, str) or len(value) != 14 or not value.isascii() or not value.isdigit():
        return None
    try:
        # Slicing is several times faster than strptime, which matters at a million dossiers.
        return dt.datetime(
            int(value[0:4]),
            int(value[4:6]),
            int(value[6:8]),
            int(value[8:10]),
            int(value[10:12]),
            int(value[12:14]),
            tzinfo=VN_TZ,
        )
    except ValueError:
        return None


def parse_iso_instant(value: Any) -> dt.datetime | None:
    """An ISO 8601 timestamp *with an offset* as an aware datetime; ``None`` otherwise."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def version_sort_key(value: Any, version_format: str | None) -> tuple[int, float]:
    """Sort key of an update timestamp: valid instants in time order, above unreadable ones."""
    if version_format == ONESTOP_FORMAT:
        parsed = parse_onestop_timestamp(value)
    elif version_format == ISO_FORMAT:
        parsed = parse_iso_instant(value)
    else:
        raise ValueError(f"unknown version format {version_format!r}")
    return (1, parsed.timestamp()) if parsed is not None else (0, 0.0)

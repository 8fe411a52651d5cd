"""Records of one entity kept in listing order, with a bisect index and cached JSON.

A province-scale scenario holds about a million dossiers; a page of 1000 must be served in
milliseconds, so a window is two bisects on the sort key and each record's JSON is encoded once
(re-encoded only after the record changes).
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from include.scenario.model import Record

#: (window value, record id order): the listing order; the window value alone selects the
#: window.
SortKey = tuple[Any, Any]


def served_view(record: Record) -> Record:
    """The record as the portal serves it: generator annotations (``_``-keys) removed."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def encode_record(record: Record) -> bytes:
    """Compact UTF-8 JSON of the served view; text is sent as stored (NFD stays NFD)."""
    return json.dumps(
        served_view(record), ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


class SortedStore:
    """One entity's records sorted by ``key`` (window value, id); mutate only via ``move``.

    Records are shared with the scenario until they change: ``move`` replaces a record by a
    changed copy, so drift never alters the scenario (two simulators of one scenario stay
    independent) and a million-record store costs no copy up front.
    """

    def __init__(self, records: Sequence[Record], key: Callable[[Record], SortKey]) -> None:
        pairs = sorted(((key(r), r) for r in records), key=lambda pair: pair[0])
        self._key = key
        self.keys: list[SortKey] = [k for k, _ in pairs]
        self.records: list[Record] = [r for _, r in pairs]
        self._encoded: list[bytes | None] = [None] * len(pairs)
        #: Bumped by every change, so callers can cache derived listings safely.
        self.version = 0

    def __len__(self) -> int:
        return len(self.records)

    def window(self, start: Any, end: Any) -> range:
        """Positions whose window value is in ``[start, end)``."""
        return range(bisect_left(self.keys, (start,)), bisect_left(self.keys, (end,)))

    def encoded(self, position: int) -> bytes:
        cached = self._encoded[position]
        if cached is None:
            cached = self._encoded[position] = encode_record(self.records[position])
        return cached

    def move(self, position: int, change: Callable[[Record], None]) -> int:
        """Apply ``change`` to a copy of a record and re-sort it; returns its new position."""
        record = dict(self.records.pop(position))
        del self.keys[position]
        del self._encoded[position]
        change(record)
        new_key = self._key(record)
        target = bisect_right(self.keys, new_key)
        self.keys.insert(target, new_key)
        self.records.insert(target, record)
        self._encoded.insert(target, None)
        self.version += 1
        return target

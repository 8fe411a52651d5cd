"""Reading a live, paged listing without losing or duplicating records.

Both paged APIs are live: a record updated while we page moves, the records after it shift,
and one can be skipped at a page boundary while another shows up twice. A listing is accepted
only when its total stayed the same on every page *and* the distinct records collected equal
that total; otherwise it is read again from the start. A window that keeps moving is split in
halves (less traffic per listing, less chance of a move), and when even that does not settle
it the extract fails clearly rather than land an incomplete window.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Record = dict[str, Any]


@dataclass(frozen=True)
class Page:
    records: list[Record]
    #: The listing's total as this page reports it.
    total: int
    #: Whether the source says this is the last page.
    last: bool


#: Fetches page ``index`` (0-based) of the listing of the window [start, end).
FetchPage = Callable[[dt.datetime, dt.datetime, int], Page]


class ListingDrift(Exception):
    """The listing would not hold still within the restart and split budget."""


@dataclass
class Listing:
    records: list[Record] = field(default_factory=list)
    #: (start, end, total) of every listing that was accepted.
    totals: list[tuple[dt.datetime, dt.datetime, int]] = field(default_factory=list)
    restarts: int = 0
    splits: int = 0


@dataclass(frozen=True)
class ListingRules:
    #: What makes two records the same record (the key; the whole record when it has none).
    identity: Callable[[Record], Hashable]
    #: Sort key of a record's version: the highest one is kept.
    version: Callable[[Record], Any]
    max_restarts: int
    max_splits: int
    #: Split a window no finer than this.
    min_span: dt.timedelta = dt.timedelta(minutes=1)


def collect_window(
    fetch: FetchPage, start: dt.datetime, end: dt.datetime, rules: ListingRules
) -> Listing:
    """Every distinct record of [start, end), the newest version of each."""
    listing = Listing()
    _collect(fetch, start, end, rules, rules.max_splits, listing)
    merged: dict[Hashable, Record] = {}
    for record in listing.records:
        _keep_newest(merged, record, rules)
    listing.records = list(merged.values())
    return listing


def _collect(
    fetch: FetchPage,
    start: dt.datetime,
    end: dt.datetime,
    rules: ListingRules,
    splits_left: int,
    listing: Listing,
) -> None:
    for attempt in range(rules.max_restarts + 1):
        if attempt:
            listing.restarts += 1
        result = _read_once(fetch, start, end, rules)
        if result is not None:
            records, total = result
            listing.records.extend(records)
            listing.totals.append((start, end, total))
            return
    if splits_left <= 0 or end - start < 2 * rules.min_span:
        raise ListingDrift(
            f"listing {start.isoformat()}..{end.isoformat()} kept changing after "
            f"{rules.max_restarts} restarts and {rules.max_splits - splits_left} splits"
        )
    middle = start + (end - start) / 2
    middle = middle.replace(microsecond=0)
    listing.splits += 1
    log.info("listing %s..%s keeps moving: splitting it at %s", start, end, middle)
    _collect(fetch, start, middle, rules, splits_left - 1, listing)
    _collect(fetch, middle, end, rules, splits_left - 1, listing)


def _read_once(
    fetch: FetchPage, start: dt.datetime, end: dt.datetime, rules: ListingRules
) -> tuple[list[Record], int] | None:
    """One pass over the listing; ``None`` when it moved under us."""
    seen: dict[Hashable, Record] = {}
    total: int | None = None
    index = 0
    while True:
        page = fetch(start, end, index)
        if total is None:
            total = page.total
        elif page.total != total:
            log.info(
                "listing %s..%s moved (total %d -> %d): restarting", start, end, total, page.total
            )
            return None
        for record in page.records:
            _keep_newest(seen, record, rules)
        if page.last or not page.records:
            break
        index += 1
    if len(seen) != total:
        log.info(
            "listing %s..%s: %d distinct records for a total of %d: restarting",
            start,
            end,
            len(seen),
            total,
        )
        return None
    return list(seen.values()), total


def _keep_newest(records: dict[Hashable, Record], record: Record, rules: ListingRules) -> None:
    identity = rules.identity(record)
    current = records.get(identity)
    if current is None or rules.version(record) >= rules.version(current):
        records[identity] = record

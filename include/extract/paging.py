"""Reading a live, paged listing without losing or duplicating records.

Both paged APIs are live: a record updated while we page moves, the records after it shift,
and one can be skipped at a page boundary while another shows up twice. A pass over a listing
is accepted only when its total stayed the same on every page *and* the distinct records
collected equal that total; otherwise it is read again from the start. A window that keeps
moving is split in halves (less traffic per listing, less chance of a move), and when even that
does not settle it the extract fails clearly rather than land an incomplete window.

A record that a discarded pass served and no accepted pass holds any more has moved out of the
window: it was updated while we paged, so its update time now lies after the window — in
practice after the run's last window, since the portal's clock is later than every finished
day a run asks for. It is kept at the version we saw (``moved_out`` counts it): dropping it
would leave it in no extract of the run, and the run that covers its new update time lands the
newer version over it. Because an attempt can die after such a move, the extractors journal
every page (``include.landing.journal``) and the attempt that lands the window merges what
earlier attempts were served.

Every pass is bounded: a total above ``max_total`` or a pass that runs past the pages its total
and page size allow fails at once, so a broken server cannot keep a task paging for ever.

Concurrency: given an executor, a pass reads its first page, then the other pages its total
needs all at once (the executor bounds how many are in flight) and goes through them in page
order. The acceptance test does not depend on the order the pages were fetched in — every page
must report the pass's total and the distinct records must equal it — so it is exactly as strict
as when the pages come one by one; a page that reports another total cancels the pages not yet
sent, and every page that was fetched, even after the moved one, counts as served (and is
journaled), so nothing a discarded pass saw can be lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import CancelledError, Executor, Future
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
    #: The records' identities, when the caller computes them itself (from the record as served,
    #: before redaction); otherwise ``ListingRules.identity`` is applied to each record.
    identities: list[Hashable] | None = None


#: Fetches page ``index`` (0-based) of the listing of the window [start, end).
FetchPage = Callable[[dt.datetime, dt.datetime, int], Page]


class ListingError(Exception):
    """The listing cannot be read completely; the message says why."""


class ListingDrift(ListingError):
    """The listing would not hold still within the restart and split budget."""


class ListingUnbounded(ListingError):
    """The listing announces more records, or runs to more pages, than it may."""


@dataclass
class Listing:
    records: list[Record] = field(default_factory=list)
    #: (start, end, total) of every listing that was accepted.
    totals: list[tuple[dt.datetime, dt.datetime, int]] = field(default_factory=list)
    restarts: int = 0
    splits: int = 0
    #: Records served by a discarded pass that no accepted pass holds: kept as seen.
    moved_out: int = 0


@dataclass(frozen=True)
class ListingRules:
    #: What makes two records the same record (the key; the whole record when it has none).
    identity: Callable[[Record], Hashable]
    #: Sort key of a record's version: the highest one is kept.
    version: Callable[[Record], Any]
    max_restarts: int
    max_splits: int
    #: The page size asked for: with a page's total it bounds the pages of a pass.
    page_size: int = 1000
    #: The largest total a listing may announce.
    max_total: int = 1_000_000
    #: Whether equal identities *within one page* are distinct records. Processing steps have
    #: no key of their own: two identical steps on one page are two steps, while the same step
    #: on two pages is the page overlap the spec warns of ("keep one").
    repeats_in_page_are_records: bool = False
    #: Split a window no finer than this.
    min_span: dt.timedelta = dt.timedelta(minutes=1)


@dataclass
class _Reading:
    """What the passes over one window have collected so far."""

    #: Every record any pass served (accepted or not), the newest version of each.
    served: dict[Hashable, Record] = field(default_factory=dict)
    #: Identities held by accepted passes.
    accepted: set[Hashable] = field(default_factory=set)
    #: Where a pass fetches its pages after the first; ``None``: one by one.
    executor: Executor | None = None


def collect_window(
    fetch: FetchPage,
    start: dt.datetime,
    end: dt.datetime,
    rules: ListingRules,
    *,
    earlier: Iterable[Record] = (),
    on_page: Callable[[list[Record]], None] | None = None,
    executor: Executor | None = None,
) -> Listing:
    """Every distinct record of [start, end), the newest version of each.

    ``earlier``: records this window's listing served to earlier attempts that did not land
    (their journals), counted like records of a discarded pass. ``on_page`` sees every page's
    records as they arrive (to journal them; called from one thread at a time). ``executor``:
    where the pages after a pass's first are fetched, concurrently; without one, one by one.
    """
    listing = Listing()
    reading = _Reading(executor=executor)
    for record in earlier:
        _keep_newest(reading.served, rules.identity(record), record, rules)
    if on_page is not None:
        fetch = _observed(fetch, on_page)
    _collect(fetch, start, end, rules, rules.max_splits, listing, reading)
    listing.records = list(reading.served.values())
    listing.moved_out = len(reading.served.keys() - reading.accepted)
    if listing.moved_out:
        log.info(
            "listing %s..%s: %d records moved out of the window while it was read; kept as "
            "they were served",
            start,
            end,
            listing.moved_out,
        )
    return listing


def _observed(fetch: FetchPage, on_page: Callable[[list[Record]], None]) -> FetchPage:
    lock = threading.Lock()

    def observed(start: dt.datetime, end: dt.datetime, index: int) -> Page:
        page = fetch(start, end, index)
        # Journaled as soon as it is served, whichever worker fetched it.
        with lock:
            on_page(page.records)
        return page

    return observed


def _collect(
    fetch: FetchPage,
    start: dt.datetime,
    end: dt.datetime,
    rules: ListingRules,
    splits_left: int,
    listing: Listing,
    reading: _Reading,
) -> None:
    for attempt in range(rules.max_restarts + 1):
        if attempt:
            listing.restarts += 1
        result = _read_once(fetch, start, end, rules, reading)
        if result is not None:
            identities, total = result
            reading.accepted |= identities
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
    _collect(fetch, start, middle, rules, splits_left - 1, listing, reading)
    _collect(fetch, middle, end, rules, splits_left - 1, listing, reading)


def _read_once(
    fetch: FetchPage, start: dt.datetime, end: dt.datetime, rules: ListingRules, reading: _Reading
) -> tuple[set[Hashable], int] | None:
    """One pass over the listing: its identities and total; ``None`` when it moved under us."""
    seen: dict[Hashable, Record] = {}
    first = fetch(start, end, 0)
    total = first.total
    _check_total(start, end, total, rules)
    ahead: list[Future[Page]] = []
    if reading.executor is not None and not (first.last or not first.records):
        # The pages the total needs at the page size asked for; a server that serves smaller
        # pages goes on one page at a time after them, as before, within _check_pages.
        pages = math.ceil(total / rules.page_size)
        ahead = [reading.executor.submit(fetch, start, end, i) for i in range(1, pages)]
    try:
        index, page = 0, first
        while True:
            if page.total != total:
                log.info(
                    "listing %s..%s moved (total %d -> %d): restarting",
                    start,
                    end,
                    total,
                    page.total,
                )
                return None
            for identity, record in _identified(page, rules):
                _keep_newest(seen, identity, record, rules)
                _keep_newest(reading.served, identity, record, rules)
            if page.last or not page.records:
                break
            index += 1
            _check_pages(start, end, index, total, rules)
            page = ahead[index - 1].result() if index <= len(ahead) else fetch(start, end, index)
    finally:
        # From the page it stopped at (a moved page's records are served records too).
        _settle(ahead[max(index - 1, 0) :], rules, reading)
    if len(seen) != total:
        log.info(
            "listing %s..%s: %d distinct records for a total of %d: restarting",
            start,
            end,
            len(seen),
            total,
        )
        return None
    return set(seen), total


def _settle(futures: list[Future[Page]], rules: ListingRules, reading: _Reading) -> None:
    """The pages of a pass that it did not go through (it moved, ended early or failed):
    those not sent are cancelled, those served count as served (a record only they hold may
    have moved out of the window). Returns when none is in flight any more."""
    for future in futures:
        future.cancel()
    for future in futures:
        try:
            page = future.result()
        except CancelledError:
            continue
        except Exception:  # the pass already failed or was discarded: not needed
            continue
        for identity, record in _identified(page, rules):
            _keep_newest(reading.served, identity, record, rules)


def _check_total(start: dt.datetime, end: dt.datetime, total: int, rules: ListingRules) -> None:
    if total > rules.max_total:
        raise ListingUnbounded(
            f"listing {start.isoformat()}..{end.isoformat()} announces {total} records, more "
            f"than max_listing_total ({rules.max_total})"
        )


def _check_pages(
    start: dt.datetime,
    end: dt.datetime,
    pages_read: int,
    total: int,
    rules: ListingRules,
) -> None:
    """A pass may take the pages its total needs at the page size asked for, and one more
    (a last page the server did not flag as such, answered empty)."""
    allowed = math.ceil(total / rules.page_size) + 1
    if pages_read >= allowed:
        raise ListingUnbounded(
            f"listing {start.isoformat()}..{end.isoformat()} did not end after {pages_read} "
            f"pages (total {total}, page size {rules.page_size}: at most {allowed} pages; a "
            "server serving smaller pages needs a smaller page_size)"
        )


def _identified(page: Page, rules: ListingRules) -> Iterator[tuple[Hashable, Record]]:
    identities = (
        page.identities
        if page.identities is not None
        else [rules.identity(record) for record in page.records]
    )
    if rules.repeats_in_page_are_records:
        occurrences: Counter[Hashable] = Counter()
        numbered = []
        for identity in identities:
            occurrences[identity] += 1
            numbered.append((identity, occurrences[identity]))
        identities = numbered
    return zip(identities, page.records, strict=True)


def _keep_newest(
    records: dict[Hashable, Record], identity: Hashable, record: Record, rules: ListingRules
) -> None:
    current = records.get(identity)
    if current is None or rules.version(record) >= rules.version(current):
        records[identity] = record

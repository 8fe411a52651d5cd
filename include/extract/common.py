"""Pieces every extractor shares: arguments, quarantine split, record identity, landing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from include.connections import SourceConnection, connection_for_source, get_pii_hmac_key
from include.extract.http import ExtractSettings, HttpClient, SourceError
from include.extract.paging import Listing, ListingError, ListingRules, Page, collect_window
from include.extract.windows import Window
from include.landing import LandingArea, Manifest, PendingOriginal, QuarantineEntry, RecordIdentity

log = logging.getLogger(__name__)

#: Written into every manifest; bump when what an extract contains changes.
EXTRACTOR_VERSION = "1.2.0"

Record = dict[str, Any]
Validator = Callable[[Mapping[str, Any]], list[str]]


def as_date(value: dt.date | str) -> dt.date:
    """Dates arrive as ``datetime.date`` from Python and as ``YYYY-MM-DD`` from a DAG's conf."""
    if isinstance(value, dt.datetime):
        raise TypeError("pass a Vietnam calendar date, not a datetime")
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def requested_window(start: dt.date | str, end: dt.date | str) -> Window:
    return Window(as_date(start), as_date(end))


@dataclass(frozen=True)
class ExtractionRun:
    """What an extractor's entry point has resolved before its first request."""

    requested: Window
    connection: SourceConnection
    settings: ExtractSettings
    hmac_key: bytes


def begin(
    source: str,
    known_entities: Sequence[str],
    entities: Sequence[str],
    start: dt.date | str,
    end: dt.date | str,
    connection: SourceConnection | None,
    settings: ExtractSettings | None,
    hmac_key: bytes | None,
) -> ExtractionRun:
    """Check the arguments and fill in the defaults, refusing to start without the key.

    Without ``settings``, the deployment's: the defaults overridden by ``DTI_EXTRACT_*``.

    The key is demanded for every source (warehouse.md §2: "the pipeline refuses to extract
    without one"), so a misconfigured deployment fails on its first extract, whatever it is.
    """
    unknown = set(entities) - set(known_entities)
    if unknown:
        raise ValueError(
            f"unknown {source} entities {sorted(unknown)}; expected {tuple(known_entities)}"
        )
    requested = requested_window(start, end)
    key = hmac_key or get_pii_hmac_key()
    connection = connection or connection_for_source(source)
    log.info(
        "%s: extracting %s for %s from %s",
        source,
        ", ".join(entities),
        requested,
        connection.base_url,
    )
    return ExtractionRun(requested, connection, settings or ExtractSettings.from_environment(), key)


def key_identity(fields: Sequence[str]) -> Callable[[Record], Hashable]:
    """Identity by key fields; a record missing one is identified by its whole content."""

    def identity(record: Record) -> Hashable:
        values = tuple(record.get(name) for name in fields)
        if all(isinstance(v, (str, int)) and not isinstance(v, bool) and v != "" for v in values):
            return values
        return ("<no key>", json.dumps(record, sort_keys=True, ensure_ascii=False, default=str))

    return identity


def split_valid(
    records: Iterable[Record], validate: Validator
) -> tuple[list[Record], list[QuarantineEntry]]:
    """Good records, and the others as quarantine entries with their reasons."""
    good: list[Record] = []
    quarantined: list[QuarantineEntry] = []
    for record in records:
        reasons = validate(record)
        if reasons:
            quarantined.append(QuarantineEntry(reason="; ".join(reasons), record=record))
        else:
            good.append(record)
    return good, quarantined


class StatsMeter:
    """Counts a client's requests/retries between two points, for one manifest."""

    def __init__(self, client: HttpClient) -> None:
        self._client = client
        self._before = client.stats.snapshot()
        self.started_at = dt.datetime.now(dt.UTC)

    def counters(self, **extra: int) -> dict[str, int]:
        now = self._client.stats.snapshot()
        return {name: now[name] - self._before[name] for name in now} | extra


@contextlib.contextmanager
def journaled_listing(
    landing: LandingArea,
    source: str,
    entity: str,
    window: Window,
    fetch: Callable[..., Page],
    rules: ListingRules,
    *,
    live: bool,
    failure: str,
    client: HttpClient | None = None,
) -> Iterator[Listing]:
    """A consistent listing of ``window``, read with the served journal of a live listing
    (docs/extraction.md, Drift): records earlier attempts served are kept, and the journal is
    deleted only once the block, which lands the extract, has finished. ``failure`` starts the
    message of a listing that cannot be read. With ``client`` (whose requests ``fetch``
    makes) and its concurrency above 1, the pages of a pass are fetched on its workers."""
    executor = client.executor() if client is not None and client.concurrency > 1 else None
    with landing.served_journal(source, entity, window.start, window.end, live=live) as journal:
        try:
            listing = collect_window(
                fetch,
                window.start_instant,
                window.end_instant,
                rules,
                earlier=journal.earlier_records(),
                on_page=journal.append,
                executor=executor,
            )
        except ListingError as exc:
            raise SourceError(f"{failure}: {exc}") from None
        yield listing


def land(
    landing: LandingArea,
    *,
    source: str,
    entity: str,
    mode: str,
    window: Window,
    records: Sequence[Record],
    quarantine: Sequence[QuarantineEntry],
    identity: RecordIdentity,
    meter: StatsMeter,
    source_totals: Mapping[str, Any],
    request: Mapping[str, Any],
    originals: Sequence[PendingOriginal] = (),
    restarts: int = 0,
    window_splits: int = 0,
) -> Manifest:
    manifest = landing.write_extract(
        source=source,
        entity=entity,
        mode=mode,
        window_start=window.start,
        window_end=window.end,
        records=records,
        started_at=meter.started_at,
        extractor_version=EXTRACTOR_VERSION,
        identity=identity,
        quarantine=quarantine,
        source_totals=source_totals,
        originals=originals,
        request=request,
        counters=meter.counters(restarts=restarts, window_splits=window_splits),
    )
    log.info(
        "%s %s window %s: %d records landed, %d quarantined (%d requests, %d retries, "
        "%d restarts) as extract %s",
        source,
        entity,
        window,
        manifest.record_count,
        manifest.quarantine_count,
        manifest.timings.requests,
        manifest.timings.retries,
        manifest.timings.restarts,
        manifest.extract_id,
    )
    return manifest

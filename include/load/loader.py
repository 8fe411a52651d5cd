"""Load landed extracts into the raw tables with ``COPY``, each landed file at most once.

For every manifest whose landed file is not yet in ``ops.load_ledger``, one transaction: a ledger
row, the records streamed into ``<source>.<entity>`` with ``COPY`` (the landed JSON lines go to
PostgreSQL verbatim, numbered by their line in the file — no per-record parsing in Python), the
manifest's quarantined records into ``ops.quarantine``, and an ``ops.load_audit`` row. A failure
rolls the whole file back, so a file is loaded completely or not at all, and a retry or a replay
of the whole landing area gives the same warehouse.

A line PostgreSQL refuses as ``jsonb`` (a NUL character in a text field — JSON allows it,
PostgreSQL text cannot hold it — or a line that is not a JSON object) would fail the file's
``COPY``. The landed file is immutable, so the loader then copies the file again, this time
parsing each line, and quarantines the refused lines with their reason (stage ``load``); every
other record loads, and no later load is held up by the file.

A window extracted again and found exactly as its latest load left it (the same data file and the
same quarantine, no later load of an overlapping window in between) is that load again: the
landed file is recorded in ``ops.load_repeat`` against it and nothing else changes, so running the
same range twice leaves the warehouse as it was, lineage included (docs/warehouse.md §2). Any
difference — a record, a quarantined record, a snapshot that went A -> B -> A — is a new load.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg

from include.landing import LandingArea, Manifest
from include.load.schema import RAW_TABLES, all_ddl

log = logging.getLogger(__name__)

# CSV with delimiter and quote bytes that JSON text can never contain raw (control characters
# must be escaped in JSON), so each landed line is one field, taken verbatim.
_DELIMITER = "\x1f"
_COPY_OPTIONS = "(FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x01', ESCAPE E'\\x01')"
_CHUNK = 1 << 20
#: What a NUL character is shown as in a quarantined record (jsonb cannot hold U+0000).
NUL_STAND_IN = "\ufffd"


@dataclass(frozen=True)
class LoadResult:
    source: str
    entity: str
    extract_id: str
    load_id: int | None
    loaded: int
    quarantined: int
    seconds: float
    #: False when the landed file was loaded before or repeats the window's latest load
    #: (nothing copied; ``load_id`` is that earlier load's).
    new: bool


@dataclass(frozen=True)
class RefusedLine:
    """A landed line the raw table cannot take, as it goes to ``ops.quarantine``."""

    line_no: int
    reason: str
    record: dict[str, Any]


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create (or upgrade) the raw and operational tables (idempotent)."""
    # One lock so two loads starting together don't race on CREATE ... IF NOT EXISTS.
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('dti_raw_schema'))")
    conn.execute(all_ddl())
    conn.commit()


def load_landing(
    dsn: str,
    landing: LandingArea,
    *,
    sources: Iterable[str] | None = None,
    entities: Iterable[str] | None = None,
    manifests: Iterable[Manifest] | None = None,
) -> list[LoadResult]:
    """Load every manifest not loaded yet (optionally only some sources/entities or the given
    manifests), oldest extract first so later states land later."""
    wanted_sources = set(sources) if sources else None
    wanted_entities = set(entities) if entities else None
    candidates = list(manifests) if manifests is not None else list(landing.manifests())
    chosen = [
        m
        for m in candidates
        if (wanted_sources is None or m.source in wanted_sources)
        and (wanted_entities is None or m.entity in wanted_entities)
    ]
    chosen.sort(key=lambda m: (m.timings.finished_at, m.extract_id))
    results = []
    with psycopg.connect(dsn) as conn:
        ensure_schema(conn)
        for manifest in chosen:
            results.append(load_manifest(conn, landing, manifest))
    return results


def load_manifest(conn: psycopg.Connection, landing: LandingArea, manifest: Manifest) -> LoadResult:
    """Load one landed extract in one transaction, unless its landed file is in the ledger."""
    if (manifest.source, manifest.entity) not in RAW_TABLES:
        raise ValueError(f"no raw table for {manifest.source}.{manifest.entity}")
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC)
    landing.verify(manifest)
    data_path = manifest.directory / manifest.data_file
    landing_file = str(data_path.relative_to(landing.root))
    with conn.transaction():
        # Serialise loads of one source entity: the second load of a file waits, then finds it
        # in the ledger, and the repeat check below sees every load committed before it.
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{manifest.source}.{manifest.entity}",)
        )
        # Loaded before (a retry, a replay) or the window's latest load again: name that load,
        # so that what follows (its validation) can still find it.
        earlier = _loaded_before(conn, landing_file) or _repeated_load(conn, manifest, landing_file)
        if earlier is not None:
            return LoadResult(
                manifest.source, manifest.entity, manifest.extract_id, earlier, 0, 0, 0.0, False
            )
        load_id = _insert_ledger_row(conn, manifest, landing_file)
        loaded, refused = _copy_file(conn, manifest, load_id, landing_file, data_path)
        if loaded + len(refused) != manifest.record_count:
            raise ValueError(
                f"{landing_file}: manifest says {manifest.record_count} records, "
                f"file holds {loaded + len(refused)}"
            )
        quarantined = manifest.quarantine_count + len(refused)
        if refused:
            conn.execute(
                "UPDATE ops.load_ledger SET record_count = %s, quarantined = %s WHERE load_id = %s",
                (loaded, quarantined, load_id),
            )
        _insert_quarantine(conn, manifest, load_id, refused)
        seconds = time.perf_counter() - started
        conn.execute(
            """
            INSERT INTO ops.load_audit (load_id, source, entity, extracted, loaded, quarantined,
                extract_seconds, load_seconds, started_at, finished_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now())
            """,
            (
                load_id,
                manifest.source,
                manifest.entity,
                manifest.record_count + manifest.quarantine_count,
                loaded,
                quarantined,
                manifest.timings.seconds,
                round(seconds, 3),
                started_at,
            ),
        )
    log.info(
        "loaded %s.%s extract %s: %d records, %d quarantined (%d of them by the loader, %.2f s)",
        manifest.source,
        manifest.entity,
        manifest.extract_id,
        loaded,
        quarantined,
        len(refused),
        seconds,
    )
    return LoadResult(
        manifest.source,
        manifest.entity,
        manifest.extract_id,
        load_id,
        loaded,
        quarantined,
        seconds,
        True,
    )


def quarantine_digest(manifest: Manifest) -> str:
    """SHA-256 of what the extract quarantined, in its order (a stable JSON form)."""
    body = json.dumps(
        [asdict(entry) for entry in manifest.quarantine],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _repeated_load(conn: psycopg.Connection, manifest: Manifest, landing_file: str) -> int | None:
    """The load this extract repeats, recorded as such, or None when it is a new load.

    It repeats the latest load of the same entity whose window overlaps its own (any load, for
    a snapshot) when that load has the same window, data file and quarantine. Comparing with the
    latest only keeps a state that came back (A -> B -> A) a new load, the newest state."""
    latest = conn.execute(
        """
        SELECT load_id, window_start, window_end, sha256, quarantine_sha256
        FROM ops.load_ledger
        WHERE source = %(source)s AND entity = %(entity)s
            AND (mode = 'snapshot' OR (window_start <= %(end)s AND window_end >= %(start)s))
        ORDER BY load_id DESC
        LIMIT 1
        """,
        {
            "source": manifest.source,
            "entity": manifest.entity,
            "start": manifest.window_start,
            "end": manifest.window_end,
        },
    ).fetchone()
    same_window = manifest.mode == "snapshot" or (
        latest is not None and (latest[1], latest[2]) == manifest.window
    )
    if (
        latest is None
        or not same_window
        or (latest[3], latest[4]) != (manifest.sha256, quarantine_digest(manifest))
    ):
        return None
    conn.execute(
        """
        INSERT INTO ops.load_repeat (landing_file, load_id, extract_id, extracted_at)
        VALUES (%s, %s, %s, %s)
        """,
        (landing_file, latest[0], manifest.extract_id, manifest.timings.finished_at),
    )
    log.info(
        "%s.%s extract %s is load %d again (same window, records and quarantine): nothing loaded",
        manifest.source,
        manifest.entity,
        manifest.extract_id,
        latest[0],
    )
    return latest[0]


def _insert_ledger_row(conn: psycopg.Connection, manifest: Manifest, landing_file: str) -> int:
    """The new load's id."""
    row = conn.execute(
        """
        INSERT INTO ops.load_ledger (sha256, source, entity, mode, extract_id, landing_file,
            window_start, window_end, extracted_at, record_count, quarantined, quarantine_sha256)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
        RETURNING load_id
        """,
        (
            manifest.sha256,
            manifest.source,
            manifest.entity,
            manifest.mode,
            manifest.extract_id,
            landing_file,
            manifest.window_start,
            manifest.window_end,
            manifest.timings.finished_at,
            manifest.record_count,
            manifest.quarantine_count,
            quarantine_digest(manifest),
        ),
    ).fetchone()
    return row[0]


def _loaded_before(conn: psycopg.Connection, landing_file: str) -> int | None:
    """The load this landed file was (loaded itself, or found to repeat), if any."""
    row = conn.execute(
        """
        SELECT load_id FROM ops.load_ledger WHERE landing_file = %(file)s
        UNION ALL
        SELECT load_id FROM ops.load_repeat WHERE landing_file = %(file)s
        """,
        {"file": landing_file},
    ).fetchone()
    return None if row is None else row[0]


def _copy_file(
    conn: psycopg.Connection, manifest: Manifest, load_id: int, landing_file: str, data_path: Path
) -> tuple[int, list[RefusedLine]]:
    """Copy the landed lines into the raw table: verbatim, or — when PostgreSQL refuses one —
    again line by line, setting the refused lines aside. Returns (rows copied, refused lines)."""
    prefix = _row_prefix(manifest, load_id, landing_file)
    try:
        with conn.transaction():
            return _copy_rows(conn, manifest, _verbatim_rows(data_path, prefix)), []
    except psycopg.errors.DataError as exc:
        log.warning(
            "%s: PostgreSQL refused a line (%s); loading it again line by line to quarantine "
            "the refused records",
            landing_file,
            str(exc).splitlines()[0],
        )
    refused: list[RefusedLine] = []
    copied = _copy_rows(conn, manifest, _checked_rows(data_path, prefix, refused))
    return copied, refused


def _row_prefix(manifest: Manifest, load_id: int, landing_file: str) -> bytes:
    """The columns every row of this load starts with (the line number and record follow)."""
    prefix = _DELIMITER.join(
        [
            str(load_id),
            manifest.extract_id,
            landing_file,
            manifest.timings.finished_at,
            manifest.window_start.isoformat(),
            manifest.window_end.isoformat(),
        ]
    )
    if any(ch in prefix for ch in ("\x01", "\n")):
        raise ValueError(f"{landing_file}: unexpected control character in load metadata")
    return (prefix + _DELIMITER).encode("utf-8")


def _numbered_lines(data_path: Path) -> Iterator[tuple[int, bytes]]:
    """The landed file's non-blank lines with their 1-based line numbers, newline stripped."""
    with gzip.open(data_path, "rb") as lines:
        for number, line in enumerate(lines, start=1):
            stripped = line.rstrip(b"\n")
            if stripped.strip():
                yield number, stripped


def _verbatim_rows(data_path: Path, prefix: bytes) -> Iterator[bytes]:
    for number, line in _numbered_lines(data_path):
        yield b"%s%d%s%s\n" % (prefix, number, _DELIMITER.encode(), line)


def _checked_rows(data_path: Path, prefix: bytes, refused: list[RefusedLine]) -> Iterator[bytes]:
    """The rows of the lines PostgreSQL can store; the others are appended to ``refused``."""
    for number, line in _numbered_lines(data_path):
        problem = refusal(number, line)
        if problem is not None:
            refused.append(problem)
            continue
        yield b"%s%d%s%s\n" % (prefix, number, _DELIMITER.encode(), line)


def refusal(line_no: int, line: bytes) -> RefusedLine | None:
    """Why the raw table cannot store this landed line, or None when it can."""
    try:
        record = json.loads(line)
    except ValueError as exc:  # not UTF-8 or not JSON
        text = line.decode("utf-8", errors="replace").replace("\x00", NUL_STAND_IN)
        return RefusedLine(line_no, f"landed line {line_no} is not JSON ({exc})", {"line": text})
    if not isinstance(record, dict):
        return RefusedLine(
            line_no,
            f"landed line {line_no} is a JSON {type(record).__name__}, not a record",
            {"line": line.decode("utf-8")},
        )
    fields = sorted(set(_fields_with_nul(record)))
    if fields:
        return RefusedLine(
            line_no,
            f"{', '.join(fields)}: a NUL character (U+0000), which PostgreSQL text cannot "
            f"hold (shown as U+FFFD here)",
            _without_nul(record),
        )
    return None


def _fields_with_nul(value: Any, name: str = "") -> Iterator[str]:
    """The (dotted) names of the fields whose name or text holds U+0000."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{name}.{key}" if name else str(key)
            if "\x00" in str(key):
                yield path.replace("\x00", NUL_STAND_IN)
            yield from _fields_with_nul(item, path)
    elif isinstance(value, list):
        for item in value:
            yield from _fields_with_nul(item, name)
    elif isinstance(value, str) and "\x00" in value:
        yield (name or "record").replace("\x00", NUL_STAND_IN)


def _without_nul(value: Any) -> Any:
    """``value`` with every U+0000 in keys and text replaced by U+FFFD."""
    if isinstance(value, dict):
        return {str(k).replace("\x00", NUL_STAND_IN): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, str):
        return value.replace("\x00", NUL_STAND_IN)
    return value


def _copy_rows(conn: psycopg.Connection, manifest: Manifest, rows: Iterable[bytes]) -> int:
    table = f"{manifest.source}.{manifest.entity}"
    copied = 0
    with conn.cursor().copy(
        f"COPY {table} (load_id, extract_id, landing_file, extracted_at, window_start, "
        f"window_end, line_no, record) FROM STDIN {_COPY_OPTIONS}"
    ) as copy:
        buffer: list[bytes] = []
        size = 0
        for row in rows:
            buffer.append(row)
            size += len(row)
            copied += 1
            if size >= _CHUNK:
                copy.write(b"".join(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write(b"".join(buffer))
    return copied


def _insert_quarantine(
    conn: psycopg.Connection, manifest: Manifest, load_id: int, refused: list[RefusedLine]
) -> None:
    rows = [
        (load_id, manifest.source, manifest.entity, manifest.extract_id, entry.reason,
         json.dumps(_without_nul(entry.record), ensure_ascii=False, default=str), "extract", None)
        for entry in manifest.quarantine
    ]  # fmt: skip
    rows += [
        (load_id, manifest.source, manifest.entity, manifest.extract_id, line.reason,
         json.dumps(line.record, ensure_ascii=False), "load", line.line_no)
        for line in refused
    ]  # fmt: skip
    if not rows:
        return
    with conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO ops.quarantine (load_id, source, entity, extract_id, reason, record,
                stage, line_no)
            VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s)
            """,
            rows,
        )

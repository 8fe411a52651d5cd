"""Load landed extracts into the raw tables with ``COPY``, each file at most once.

For every manifest in the landing area whose data file's checksum is not yet in
``ops.load_ledger``, one transaction: a ledger row, the records streamed into
``<source>.<entity>`` with ``COPY`` (the landed JSON lines go to PostgreSQL verbatim — no
per-record parsing in Python), the manifest's quarantined records into ``ops.quarantine``, and an
``ops.load_audit`` row. A failure rolls the whole file back, so a file is loaded completely or
not at all, and a retry or a replay of the whole landing area gives the same warehouse.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

from include.landing import LandingArea, Manifest
from include.load.schema import RAW_TABLES, all_ddl

log = logging.getLogger(__name__)

# CSV with delimiter and quote bytes that JSON text can never contain raw (control characters
# must be escaped in JSON), so each landed line is one field, taken verbatim.
_DELIMITER = "\x1f"
_COPY_OPTIONS = "(FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x01', ESCAPE E'\\x01')"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LoadResult:
    source: str
    entity: str
    extract_id: str
    load_id: int | None
    loaded: int
    quarantined: int
    seconds: float
    #: False when the file's checksum was already in the ledger (nothing done).
    new: bool


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create the raw and operational tables if missing (idempotent)."""
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
    """Load one landed extract in one transaction, unless its checksum is in the ledger."""
    if (manifest.source, manifest.entity) not in RAW_TABLES:
        raise ValueError(f"no raw table for {manifest.source}.{manifest.entity}")
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC)
    landing.verify(manifest)
    data_path = manifest.directory / manifest.data_file
    landing_file = str(data_path.relative_to(landing.root))
    with conn.transaction():
        # Serialise loads of the same file: the second waits, then finds it in the ledger.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (manifest.sha256,))
        load_id = conn.execute(
            """
            INSERT INTO ops.load_ledger (sha256, source, entity, mode, extract_id, landing_file,
                window_start, window_end, extracted_at, record_count, quarantined)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (sha256) DO NOTHING
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
            ),
        ).fetchone()
        if load_id is None:
            return LoadResult(
                manifest.source, manifest.entity, manifest.extract_id, None, 0, 0, 0.0, False
            )
        load_id = load_id[0]
        loaded = _copy_records(conn, manifest, load_id, landing_file, data_path)
        if loaded != manifest.record_count:
            raise ValueError(
                f"{landing_file}: manifest says {manifest.record_count} records, "
                f"file holds {loaded}"
            )
        _insert_quarantine(conn, manifest, load_id)
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
                manifest.quarantine_count,
                manifest.timings.seconds,
                round(seconds, 3),
                started_at,
            ),
        )
    log.info(
        "loaded %s.%s extract %s: %d records, %d quarantined (%.2f s)",
        manifest.source,
        manifest.entity,
        manifest.extract_id,
        loaded,
        manifest.quarantine_count,
        seconds,
    )
    return LoadResult(
        manifest.source,
        manifest.entity,
        manifest.extract_id,
        load_id,
        loaded,
        manifest.quarantine_count,
        seconds,
        True,
    )


def _copy_records(
    conn: psycopg.Connection, manifest: Manifest, load_id: int, landing_file: str, data_path
) -> int:
    """Stream the gzip'd JSON lines into the raw table; returns the number of rows copied."""
    prefix = (
        _DELIMITER.join(
            [
                str(load_id),
                manifest.extract_id,
                landing_file,
                manifest.timings.finished_at,
                manifest.window_start.isoformat(),
                manifest.window_end.isoformat(),
            ]
        ).encode("utf-8")
        + _DELIMITER.encode()
    )
    if any(ch in prefix[:-1].decode() for ch in ("\x01", "\n")):
        raise ValueError(f"{landing_file}: unexpected control character in load metadata")
    table = f"{manifest.source}.{manifest.entity}"
    copied = 0
    with (
        conn.cursor().copy(
            f"COPY {table} (load_id, extract_id, landing_file, extracted_at, window_start, "
            f"window_end, record) FROM STDIN {_COPY_OPTIONS}"
        ) as copy,
        gzip.open(data_path, "rb") as lines,
    ):
        buffer: list[bytes] = []
        size = 0
        for line in lines:
            if not line.strip():
                continue
            row = prefix + line if line.endswith(b"\n") else prefix + line + b"\n"
            buffer.append(row)
            size += len(row)
            copied += 1
            if size >= _CHUNK:
                copy.write(b"".join(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write(b"".join(buffer))
    return copied


def _insert_quarantine(conn: psycopg.Connection, manifest: Manifest, load_id: int) -> None:
    if not manifest.quarantine:
        return
    with conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO ops.quarantine (load_id, source, entity, extract_id, reason, record)
            VALUES (%s, %s, %s, %s, %s, %s::jsonb)
            """,
            [
                (
                    load_id,
                    manifest.source,
                    manifest.entity,
                    manifest.extract_id,
                    entry.reason,
                    json.dumps(entry.record, ensure_ascii=False, default=str),
                )
                for entry in manifest.quarantine
            ],
        )

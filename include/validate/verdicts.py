"""The publishing gate of raw loads: ``ops.load_verdict`` (DDL in ``include/load/schema.py``).

A load reaches the marts only once it is *released*: ``passed`` (validation found no blocking
failure) or ``accepted`` (an operator released it despite its failures, with a recorded
reason). A load without a verdict was never validated; a ``failed`` one stays in the raw table,
inspectable, until it is validated again, accepted, or superseded by a later released load of
the same entity covering its window. dbt reads released loads only (macro ``new_loads_only``),
so no clearing, retrying or rerunning of tasks can publish anything else.

A release is final: a released load may already be in the marts. Releases are numbered
(``release_seq``) one at a time under a lock, each committed before the next is numbered, so a
build that has read release *n* has seen every release before it — an incremental build reads
the releases after the newest it holds, including a load accepted long after later loads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg

RELEASED = ("passed", "accepted")
_RELEASE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('dti_load_release'))"


class VerdictError(RuntimeError):
    """The verdict asked for cannot be given (the message says why and what to do)."""


@dataclass(frozen=True)
class HeldLoad:
    """A load the marts do not read: never validated, or failed."""

    load_id: int
    source: str
    entity: str
    window_start: dt.date
    window_end: dt.date
    extract_id: str
    #: ``failed``, or None when it was never validated.
    verdict: str | None
    decided_at: dt.datetime | None
    message: str | None

    def __str__(self) -> str:
        state = (
            f"failed validation {self.decided_at:%Y-%m-%d %H:%M} UTC"
            if self.verdict
            else "never validated"
        )
        return (
            f"load {self.load_id} {self.source}.{self.entity} "
            f"{self.window_start}..{self.window_end} extract {self.extract_id}: {state}"
        )


def verdict_of(conn: psycopg.Connection, load_id: int) -> str | None:
    row = conn.execute(
        "SELECT verdict FROM ops.load_verdict WHERE load_id = %s", (load_id,)
    ).fetchone()
    return None if row is None else row[0]


def record_verdict(dsn: str, load_id: int, *, passed: bool, message: str) -> str:
    """Record validation's verdict on ``load_id``; returns the verdict in force (a load already
    released keeps its release, whatever a later validation finds)."""
    with _release_transaction(dsn) as conn:
        current = verdict_of(conn, load_id)
        if current in RELEASED:
            return current
        _write(conn, load_id, "passed" if passed else "failed", "validation", message, None)
    return "passed" if passed else "failed"


def check_acceptable(conn: psycopg.Connection, load_id: int, reason: str) -> None:
    """Raise ``VerdictError`` unless ``load_id`` failed validation and ``reason`` says why it
    may be released all the same."""
    if not reason.strip():
        raise VerdictError(f"load {load_id}: accepting a load needs a reason")
    current = verdict_of(conn, load_id)
    if current != "failed":
        state = "never validated" if current is None else f"already {current}"
        raise VerdictError(
            f"load {load_id} is {state}: only a load that failed validation is accepted "
            "(to validate it: python -m include.validate validate LOAD_ID)"
        )


def accept(dsn: str, load_id: int, *, reason: str, by: str, message: str) -> None:
    """Release a failed load on an operator's word, keeping who and why."""
    with _release_transaction(dsn) as conn:
        check_acceptable(conn, load_id, reason)
        _write(conn, load_id, "accepted", by, message, reason.strip())


@contextlib.contextmanager
def _release_transaction(dsn: str) -> Iterator[psycopg.Connection]:
    """A transaction of its own holding the release lock until it commits, so release numbers
    become visible in the order they were given."""
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        conn.execute(_RELEASE_LOCK)
        yield conn


def _write(
    conn: psycopg.Connection,
    load_id: int,
    verdict: str,
    by: str,
    message: str,
    reason: str | None,
) -> None:
    conn.execute(
        """
        INSERT INTO ops.load_verdict (load_id, verdict, release_seq, decided_by, message, reason)
        VALUES (%(load_id)s, %(verdict)s,
            CASE WHEN %(verdict)s <> 'failed' THEN nextval('ops.load_release_seq') END,
            %(by)s, %(message)s, %(reason)s)
        ON CONFLICT (load_id) DO UPDATE SET
            verdict = EXCLUDED.verdict, release_seq = EXCLUDED.release_seq,
            decided_at = now(), decided_by = EXCLUDED.decided_by,
            message = EXCLUDED.message, reason = EXCLUDED.reason
        """,
        {"load_id": load_id, "verdict": verdict, "by": by, "message": message, "reason": reason},
    )


def held_loads(conn: psycopg.Connection, source: str | None = None) -> list[HeldLoad]:
    """Loads the marts do not read and that no later released load of the same entity covers
    (same or wider window; any later one for a snapshot), oldest first."""
    rows = conn.execute(
        """
        SELECT ledger.load_id, ledger.source, ledger.entity, ledger.window_start,
            ledger.window_end, ledger.extract_id, verdict.verdict, verdict.decided_at,
            verdict.message
        FROM ops.load_ledger AS ledger
        LEFT JOIN ops.load_verdict AS verdict USING (load_id)
        WHERE (verdict.verdict IS NULL OR verdict.verdict = 'failed')
            AND (%(source)s::text IS NULL OR ledger.source = %(source)s)
            AND NOT EXISTS (
                SELECT 1
                FROM ops.load_ledger AS later
                JOIN ops.load_verdict AS released
                    ON released.load_id = later.load_id AND released.release_seq IS NOT NULL
                WHERE later.source = ledger.source AND later.entity = ledger.entity
                    AND later.load_id > ledger.load_id
                    AND (later.mode = 'snapshot' OR (later.window_start <= ledger.window_start
                        AND later.window_end >= ledger.window_end))
            )
        ORDER BY ledger.load_id
        """,
        {"source": source},
    ).fetchall()
    return [HeldLoad(*row) for row in rows]


def never_validated(conn: psycopg.Connection, source: str) -> list[int]:
    """Loads of ``source`` without any verdict (e.g. committed by a load task that died before
    its validation ran), oldest first."""
    rows = conn.execute(
        """
        SELECT ledger.load_id FROM ops.load_ledger AS ledger
        WHERE ledger.source = %s
            AND NOT EXISTS (SELECT 1 FROM ops.load_verdict AS v WHERE v.load_id = ledger.load_id)
        ORDER BY ledger.load_id
        """,
        (source,),
    ).fetchall()
    return [load_id for (load_id,) in rows]

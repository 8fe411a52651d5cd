"""The work of each ``dti_nightly`` task, importable and testable without Airflow.

Tasks exchange only small metadata through XCom: extract items, manifest paths relative to
the landing root, load ids and counts. Records travel through the landing area and the
warehouse, never through Airflow.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from include.landing import LandingArea, Manifest
from include.landing.manifest import MANIFEST_NAME
from include.pipeline.plan import RunWindow

log = logging.getLogger(__name__)


class ValidationFailed(RuntimeError):
    """A blocking expectation failed; the message names source, window, suite and check."""


def check_settings() -> list[str]:
    """Refuse to start a run whose settings are unusable (``ConfigurationError`` naming the
    setting); the settings in force, one line each, for the log. Nothing secret is shown."""
    from include.connections import HMAC_KEY_VARIABLE, get_pii_hmac_key
    from include.validate.settings import TOLERANCE_VARIABLE, record_tolerance
    from include.warehouse.connection import warehouse_description, warehouse_dsn

    get_pii_hmac_key()
    tolerance = record_tolerance()
    dsn = warehouse_dsn()
    return [
        f"personal-data key: variable {HMAC_KEY_VARIABLE} is set",
        f"record tolerance: {tolerance:.2%} of a load (variable {TOLERANCE_VARIABLE})",
        f"warehouse: {warehouse_description(dsn)}",
    ]


def extract_item(item: Mapping[str, str], landing_root: Path) -> list[str]:
    """Extract one planned item into the landing area; the manifests' paths (relative)."""
    from include.extract.sources import extract_source

    manifests = extract_source(
        item["source"],
        item["start"],
        item["end"],
        landing=LandingArea(landing_root),
        entities=(item["entity"],),
    )
    paths = []
    for manifest in manifests:
        assert manifest.directory is not None  # set by the landing area on every manifest
        paths.append(str((manifest.directory / MANIFEST_NAME).relative_to(landing_root)))
        log.info("%s", extract_line(manifest, landing_root))
    return paths


def extract_line(manifest: Manifest, landing_root: Path) -> str:
    """What one extract landed, in one line of the task log."""
    assert manifest.directory is not None
    return (
        f"extracted {manifest.source}.{manifest.entity} window {manifest.window_start}.."
        f"{manifest.window_end} ({manifest.mode}): {manifest.record_count} records, "
        f"{manifest.quarantine_count} quarantined, landed in "
        f"{manifest.directory.relative_to(landing_root)}"
    )


def load_line(summary: Mapping[str, Any], manifest: Manifest) -> str:
    """What loading one landed extract did (a ``load_extracts`` summary), in one line."""
    what = (
        f"{manifest.source}.{summary['entity']} window {manifest.window_start}.."
        f"{manifest.window_end} extract {summary['extract_id']}"
    )
    if not summary["new"]:
        return f"{what}: already load {summary['load_id']}, nothing loaded"
    return (
        f"{what}: load {summary['load_id']}, {summary['loaded']} records loaded, "
        f"{summary['quarantined']} quarantined (of {summary['extracted']} extracted)"
    )


def read_manifest(landing_root: Path, relative_path: str) -> Manifest:
    path = landing_root / relative_path
    return Manifest.from_json(path.read_text(encoding="utf-8"), directory=path.parent)


def load_extracts(
    dsn: str, landing_root: Path, manifest_paths: Iterable[str]
) -> list[dict[str, Any]]:
    """Load the given landed extracts (each file at most once, ever); one summary per file."""
    from include.load import load_landing

    manifests = {m.extract_id: m for m in (read_manifest(landing_root, p) for p in manifest_paths)}
    results = load_landing(dsn, LandingArea(landing_root), manifests=manifests.values())
    summaries = []
    for result in results:
        manifest = manifests[result.extract_id]
        summaries.append(
            {
                "entity": result.entity,
                "extract_id": result.extract_id,
                "load_id": result.load_id,
                "new": result.new,
                "extracted": manifest.record_count + manifest.quarantine_count,
                "loaded": result.loaded,
                "quarantined": result.quarantined,
                "extract_seconds": manifest.timings.seconds,
                "load_seconds": round(result.seconds, 3),
            }
        )
        log.info("%s", load_line(summaries[-1], manifest))
    return summaries


def validate_loads(
    dsn: str, landing_root: Path, source: str, loads: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Validate every load of the run not released yet, and every load of ``source`` that was
    never validated; one outcome each (``raise_if_failed`` decides).

    A load is validated until it has a verdict that releases it (``ops.load_verdict``), so a
    file committed by a load task that then failed — found in the ledger by the retry, or left
    by a run nobody retried — is validated all the same, and a failed load is validated again
    when its task is cleared. Every load is validated even after a failure, so one run reports
    every broken batch. Loads still held back (failed earlier, not superseded) are named in the
    log: they wait for an operator (docs/operations.md).
    """
    import psycopg

    from include.validate import validate_loads as run_suites
    from include.validate.verdicts import RELEASED, held_loads, never_validated, verdict_of

    with psycopg.connect(dsn) as conn:
        mine = [
            load["load_id"] for load in loads if verdict_of(conn, load["load_id"]) not in RELEASED
        ]
        wanted = list(dict.fromkeys([*mine, *never_validated(conn, source)]))
    outcomes = run_suites(dsn, wanted, landing_root=landing_root)
    for outcome in outcomes:
        for line in outcome.verdicts():
            log.info("%s", line)
    with psycopg.connect(dsn) as conn:
        entities = dict(
            conn.execute(
                "SELECT load_id, entity FROM ops.load_ledger WHERE load_id = ANY(%s)", (wanted,)
            ).fetchall()
        )
        held = [h for h in held_loads(conn, source) if h.load_id not in wanted]
    for load in held:
        log.warning("held back, not in the marts until an operator acts: %s", load)
    return [
        {
            "entity": entities[load_id],
            "load_id": load_id,
            "passed": outcome.passed,
            "quarantined": outcome.quarantined_rows,
            "message": outcome.message(),
        }
        for load_id, outcome in zip(wanted, outcomes, strict=True)
    ]


def raise_if_failed(source: str, run: RunWindow, outcomes: Sequence[Mapping[str, Any]]) -> None:
    """Raise ``ValidationFailed`` naming the source, window and failed checks, if any."""
    failures = [o for o in outcomes if not o["passed"]]
    if failures:
        details = "; ".join(f"{f['entity']} load {f['load_id']}: {f['message']}" for f in failures)
        raise ValidationFailed(
            f"{source} window {run.window}: {len(failures)} of {len(outcomes)} loads failed "
            f"validation, nothing will be published: {details}"
        )
    log.info("%s window %s: %d loads validated, all passed", source, run.window, len(outcomes))


def validate_candidate(dsn: str, run_id: str, run: RunWindow) -> str:
    """Validate the marts candidate and record the outcome on it; raise if it fails."""
    from include.publish import mark_candidate
    from include.validate import validate_marts
    from include.warehouse.roles import CANDIDATE_SCHEMA

    outcome = validate_marts(dsn, schema=CANDIDATE_SCHEMA, run_id=run_id)
    for line in outcome.verdicts():
        log.info("%s", line)
    message = outcome.message()
    mark_candidate(dsn, run_id, passed=outcome.passed, message=message)
    if not outcome.passed:
        raise ValidationFailed(
            f"marts window {run.window}: the candidate in {CANDIDATE_SCHEMA} failed validation "
            f"and is not published (the previous figures stay in marts): {message}"
        )
    return message

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


def extract_item(item: Mapping[str, str], landing_root: Path) -> list[str]:
    """Extract one planned item into the landing area; the manifests' paths (relative)."""
    from include.extract import extract_source

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
        log.info(
            "%s.%s %s..%s: %d records, %d quarantined -> %s",
            manifest.source,
            manifest.entity,
            manifest.window_start,
            manifest.window_end,
            manifest.record_count,
            manifest.quarantine_count,
            manifest.directory,
        )
    return paths


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
    return summaries


def validate_loads(
    dsn: str, landing_root: Path, loads: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Validate every new load; one outcome each (``raise_if_failed`` decides).

    Every load is validated even after a failure, so one run reports every broken batch.
    Files already loaded by an earlier run were validated then and are not checked again.
    """
    from include.validate import validate_loads as run_suites

    new = [load for load in loads if load["new"]]
    outcomes = run_suites(dsn, [load["load_id"] for load in new], landing_root=landing_root)
    return [
        {
            "entity": load["entity"],
            "load_id": load["load_id"],
            "passed": outcome.passed,
            "message": outcome.message(),
        }
        for load, outcome in zip(new, outcomes, strict=True)
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


def validate_candidate(dsn: str, run_id: str, run: RunWindow) -> str:
    """Validate the marts candidate and record the outcome on it; raise if it fails."""
    from include.publish import mark_candidate
    from include.validate import validate_marts
    from include.warehouse.roles import CANDIDATE_SCHEMA

    outcome = validate_marts(dsn, schema=CANDIDATE_SCHEMA, run_id=run_id)
    message = outcome.message()
    mark_candidate(dsn, run_id, passed=outcome.passed, message=message)
    if not outcome.passed:
        raise ValidationFailed(
            f"marts window {run.window}: the candidate in {CANDIDATE_SCHEMA} failed validation "
            f"and is not published (the previous figures stay in marts): {message}"
        )
    return message

"""The soak's fast subset: two seeds of the small scenario, every fault on, windows shuffled,
tasks killed and re-run (the full soak runs on its own: ``python -m tests.soak``; see
docs/extraction.md, *Soak*)."""

from __future__ import annotations

from collections import Counter

import pytest

from .runner import run_soak, summary

pytestmark = pytest.mark.slow


@pytest.mark.timeout(180)
def test_no_record_is_lost_doubled_or_stale_under_every_fault_and_order():
    results = list(run_soak("small", seeds=[1, 2], orders=1))
    report = summary(results)
    print(report)

    assert all(result.ok for result in results), report
    assert sum(r.total("records") for r in results) > 30_000
    faults: Counter[str] = sum((r.faults for r in results), Counter())
    assert all(faults[name] > 0 for name in ("drift", "duplicate_page", "hang")), faults
    assert sum(r.killed for r in results) > 0
    assert sum(r.reruns for r in results) > 0
    # Records did move past the backfill while it was read (the loss this soak is about).
    assert sum(c.moved for r in results for c in r.backfill.values()) > 0

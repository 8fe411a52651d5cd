"""After a publish: the officers' draft reports and the scorecard site, from the new marts.

Drafts are written in each administrative scheme the marts hold (reform2025.md §4–§5), for the
scheme's latest complete quarter, half and year plus any period asked for in the run's conf:
every district and commune of the ``pre2025`` scheme to ``<reports dir>/drafts/<period
type>-<period key>/``, every province and commune of the ``2025`` scheme to ``<reports
dir>/drafts/2025/<period type>-<period key>/`` (a unit code names a different unit in each
scheme, so their files must not share a folder). The static site, both schemes with a switch,
goes to ``<reports dir>/scorecard/``. The reports directory is ``DTI_REPORTS_DIR``, else
``.local/reports``.
"""

from __future__ import annotations

import os
from pathlib import Path

from include.paths import local_dir

#: The run conf's optional ``report_period``: ``"<period type>:<period key>"``.
PERIOD_SEPARATOR = ":"


def reports_dir() -> Path:
    return Path(os.environ.get("DTI_REPORTS_DIR", local_dir() / "reports")).resolve()


def parse_report_period(value: str | None) -> tuple[tuple[str, str], ...]:
    """``"half:2023-H1"`` → ``(("half", "2023-H1"),)``; nothing asked → ``()``. The period is
    drafted in every scheme that has it (a 2025 unit's series covers the years before the
    reform too)."""
    if not value:
        return ()
    period_type, separator, period_key = value.partition(PERIOD_SEPARATOR)
    if not separator or not period_type or not period_key:
        raise ValueError(
            f"conf report_period must look like 'half:2023-H1' (period type, colon, period "
            f"key), not {value!r}"
        )
    return ((period_type, period_key),)


def write_officer_outputs(dsn: str, report_period: str | None = None) -> dict[str, int]:
    """Write the drafts and rebuild the site; return how many files of each were written."""
    from include.reports import write_drafts_for_latest_period
    from include.scorecard.site import build_site

    root = reports_dir()
    drafts = write_drafts_for_latest_period(
        dsn, root / "drafts", extra_periods=parse_report_period(report_period)
    )
    pages = build_site(dsn, root / "scorecard")
    return {"drafts": len(drafts), "site_pages": len(pages)}

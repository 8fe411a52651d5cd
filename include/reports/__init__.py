"""Draft reports (Vietnamese) for a unit and a period, filled from ``marts``: a district or
commune of the ``pre2025`` scheme, a province or commune of the ``2025`` scheme.

    python -m include.reports --unit 328 --period-type half --period-key 2023-H1 \\
        --format docx --out myhao-2023-H1.docx

:func:`write_draft` makes one; :func:`write_drafts_for_latest_period` is what the pipeline calls
after each successful publish (every unit of each scheme, the latest complete periods).
"""

from include.reports.drafts import (
    DraftFormat,
    draft_dir,
    write_draft,
    write_drafts,
    write_drafts_for_latest_period,
)

__all__ = [
    "DraftFormat",
    "draft_dir",
    "write_draft",
    "write_drafts",
    "write_drafts_for_latest_period",
]

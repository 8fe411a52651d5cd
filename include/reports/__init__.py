"""Draft reports (Vietnamese) for a district or commune and a period, filled from ``marts``.

    python -m include.reports --unit 328 --period-type half --period-key 2023-H1 \\
        --format docx --out myhao-2023-H1.docx

:func:`write_draft` makes one; :func:`write_drafts_for_latest_period` is what the pipeline calls
after each successful publish (every district and commune, the latest complete period).
"""

from include.reports.drafts import (
    DraftFormat,
    write_draft,
    write_drafts,
    write_drafts_for_latest_period,
)

__all__ = ["DraftFormat", "write_draft", "write_drafts", "write_drafts_for_latest_period"]

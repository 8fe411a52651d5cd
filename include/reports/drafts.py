"""Producing draft files: one on demand, or all of a period after a publish.

Drafts of the two schemes live apart, because a code names a different unit in each (12127
is phường Minh Đức before 01/07/2025 and phường Thượng Hồng after): ``pre2025`` drafts where
they always were, ``<out_dir>/<period type>-<key>/``, and ``2025`` drafts under
``<out_dir>/2025/<period type>-<key>/``.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Literal

import psycopg

from include.reports.content import build_report
from include.reports.docx_writer import write_docx
from include.reports.figures import (
    DEFAULT_SCHEME,
    latest_complete_period,
    load_unit_period,
    schemes_with_figures,
    units_with_figures,
)
from include.reports.html_writer import write_html
from include.reports.model import Report
from include.reports.schemes import PRE2025

log = logging.getLogger(__name__)

DraftFormat = Literal["docx", "html"]
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def write_draft(
    conn: psycopg.Connection,
    unit_code: str,
    period_type: str,
    period_key: str,
    fmt: DraftFormat,
    out: Path,
    *,
    scheme: str = DEFAULT_SCHEME,
    issued_on: dt.date | None = None,
) -> Path:
    """Write one unit's draft for one period to ``out`` (LookupError if marts have no figures)."""
    report = _report(conn, unit_code, period_type, period_key, scheme, issued_on)
    return _write(report, fmt, out)


def _report(
    conn: psycopg.Connection,
    unit_code: str,
    period_type: str,
    period_key: str,
    scheme: str,
    issued_on: dt.date | None = None,
) -> Report:
    now = dt.datetime.now(VIETNAM)
    period = load_unit_period(conn, unit_code, period_type, period_key, scheme=scheme)
    return build_report(period, issued_on=issued_on or now.date(), generated_at=now)


def _write(report: Report, fmt: DraftFormat, out: Path) -> Path:
    return write_docx(report, out) if fmt == "docx" else write_html(report, out)


def draft_dir(out_dir: Path, scheme: str, period_type: str, period_key: str) -> Path:
    """Where one scheme's drafts of one period go."""
    folder = f"{period_type}-{period_key}"
    return out_dir / folder if scheme == PRE2025 else out_dir / scheme / folder


def write_drafts(
    dsn: str,
    out_dir: Path,
    period_type: str,
    period_key: str,
    *,
    formats: tuple[DraftFormat, ...] = ("docx", "html"),
    scheme: str = DEFAULT_SCHEME,
) -> list[Path]:
    """Drafts of every unit the scheme writes drafts for (pre2025: districts and communes;
    2025: provinces and communes) for one period, as
    ``<draft_dir>/<unit code>-<period_key>.<format>`` (see :func:`draft_dir`)."""
    target = draft_dir(out_dir, scheme, period_type, period_key)
    written = []
    with psycopg.connect(dsn) as conn:
        for unit_code, _name, _level in units_with_figures(
            conn, period_type, period_key, scheme=scheme
        ):
            # One report, read from the marts once, written in every format.
            report = _report(conn, unit_code, period_type, period_key, scheme)
            for fmt in formats:
                written.append(_write(report, fmt, target / f"{unit_code}-{period_key}.{fmt}"))
    log.info("wrote %d draft reports into %s", len(written), target)
    return written


def write_drafts_for_latest_period(
    dsn: str,
    out_dir: Path,
    *,
    period_types: tuple[str, ...] = ("quarter", "half", "year"),
    extra_periods: tuple[tuple[str, str], ...] = (),
    formats: tuple[DraftFormat, ...] = ("docx", "html"),
) -> list[Path]:
    """After a publish, in each scheme the marts hold: drafts for the scheme's latest complete
    period of each type, and for any ``extra_periods`` asked for (``("half", "2023-H1")``;
    a scheme without that period writes none). A type with no complete period yet is
    skipped, not an error: early in a deployment only months may be complete. The old
    scheme's latest complete periods stop at 30/06/2025 (later ones are never complete in
    it), so after the reform its drafts stay those of the last old periods."""
    wanted: dict[str, list[tuple[str, str]]] = {}
    with psycopg.connect(dsn) as conn:
        for scheme in schemes_with_figures(conn):
            wanted[scheme] = list(extra_periods)
            for period_type in period_types:
                key = latest_complete_period(conn, period_type, scheme=scheme)
                if key is not None:
                    wanted[scheme].append((period_type, key))
    written = []
    for scheme, periods in wanted.items():
        for period_type, period_key in dict.fromkeys(periods):
            written += write_drafts(
                dsn, out_dir, period_type, period_key, formats=formats, scheme=scheme
            )
    return written

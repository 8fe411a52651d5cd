"""Producing draft files: one on demand, or all of a period after a publish."""

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
    units_with_figures,
)
from include.reports.html_writer import write_html
from include.reports.model import Report

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


def write_drafts(
    dsn: str,
    out_dir: Path,
    period_type: str,
    period_key: str,
    *,
    formats: tuple[DraftFormat, ...] = ("docx", "html"),
    scheme: str = DEFAULT_SCHEME,
) -> list[Path]:
    """Drafts of every district and commune for one period, as
    ``<out_dir>/<period_type>-<period_key>/<unit code>-<period_key>.<format>``."""
    target = out_dir / f"{period_type}-{period_key}"
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
    """After a publish: drafts for the latest complete period of each type, and for any
    ``extra_periods`` asked for (``("half", "2023-H1")``). A type with no complete period yet
    is skipped, not an error: early in a deployment only months may be complete."""
    wanted = list(extra_periods)
    with psycopg.connect(dsn) as conn:
        for period_type in period_types:
            key = latest_complete_period(conn, period_type)
            if key is not None:
                wanted.append((period_type, key))
    written = []
    for period_type, period_key in dict.fromkeys(wanted):
        written += write_drafts(dsn, out_dir, period_type, period_key, formats=formats)
    return written

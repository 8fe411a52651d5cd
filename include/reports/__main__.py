"""Command line: one draft report for a unit and period.

    python -m include.reports --unit 328 --period-type half --period-key 2023-H1 \\
        --format docx --out myhao-2023-H1.docx
    python -m include.reports --all --period-type half --period-key 2023-H1 --out-dir drafts/
    python -m include.reports --scheme 2025 --unit 12127 --period-type quarter \\
        --period-key 2025-Q3 --format html --out thuonghong-2025-Q3.html
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import psycopg

from include.reports.drafts import write_draft, write_drafts, write_drafts_for_latest_period
from include.reports.figures import DEFAULT_SCHEME
from include.reports.schemes import SCHEMES

PERIOD_TYPES = (
    "month",
    "quarter",
    "half",
    "year",
    "report_month",
    "report_quarter",
    "report_half",
    "report_year",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draft report (Vietnamese) from schema marts.")
    parser.add_argument(
        "--unit",
        help="GSO code in --scheme: a district or commune (pre2025), a province or "
        "commune (2025), e.g. 328",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every unit with drafts (with --period-key: in --scheme; else: in every scheme)",
    )
    parser.add_argument("--period-type", choices=PERIOD_TYPES)
    parser.add_argument("--period-key", help="e.g. 2023-H1 (default with --all: latest complete)")
    parser.add_argument("--format", choices=("docx", "html"), default="docx")
    parser.add_argument("--out", type=Path, help="output file (one unit)")
    parser.add_argument("--out-dir", type=Path, help="output directory (--all)")
    parser.add_argument("--scheme", choices=SCHEMES, default=DEFAULT_SCHEME)
    parser.add_argument("--issued-on", type=dt.date.fromisoformat, help="date line (YYYY-MM-DD)")
    parser.add_argument("--dsn", help="warehouse DSN (default: the dti_warehouse connection)")
    args = parser.parse_args(argv)

    from include.warehouse.connection import warehouse_dsn

    dsn = args.dsn or warehouse_dsn()
    if args.all:
        if not args.out_dir:
            parser.error("--all needs --out-dir")
        if args.period_type and args.period_key:
            written = write_drafts(
                dsn, args.out_dir, args.period_type, args.period_key, scheme=args.scheme
            )
        else:
            written = write_drafts_for_latest_period(dsn, args.out_dir)
        print(f"{len(written)} drafts in {args.out_dir}")
        return 0
    if not (args.unit and args.period_type and args.period_key and args.out):
        parser.error("one draft needs --unit, --period-type, --period-key and --out")
    with psycopg.connect(dsn) as conn:
        try:
            path = write_draft(
                conn,
                args.unit,
                args.period_type,
                args.period_key,
                args.format,
                args.out,
                scheme=args.scheme,
                issued_on=args.issued_on,
            )
        except LookupError as err:
            print(err, file=sys.stderr)
            return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

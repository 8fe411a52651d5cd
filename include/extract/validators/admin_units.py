"""The GSO unit codes of each administrative-unit scheme, read once from the committed seeds.

A one-stop agency's ``MaDVHC`` is a code of the scheme its ``PhienBanDVHC`` names
(reform2025.md §2). New codes reuse old ones (new Phường Ba Đình is ``00004``, the old Phường
Trúc Bạch's code), so a code is only known *in a scheme*: ``is_known("2025", "00004")`` and
``is_known("pre2025", "00004")`` are both true, ``is_known("2025", "001")`` is not.

The code sets come from the dbt seeds the warehouse joins (``admin_units_pre2025.csv``,
``admin_units_2025.csv``), so the extractor quarantines exactly the agencies whose unit the
warehouse would not find. They are read on first use and kept for the process.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from include.paths import PROJECT_ROOT

SCHEMES = ("pre2025", "2025")
SEEDS_DIR = PROJECT_ROOT / "dbt_project" / "seeds"


def seed_path(scheme: str) -> Path:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown administrative-unit scheme {scheme!r}; expected {SCHEMES}")
    return SEEDS_DIR / f"admin_units_{scheme}.csv"


@cache
def unit_codes(scheme: str) -> frozenset[str]:
    """Every unit code of ``scheme`` (provinces, districts, communes), as the seed writes them.

    A missing or empty seed raises: validating agencies without the reference would quarantine
    every one of them, or none.
    """
    path = seed_path(scheme)
    with path.open(encoding="utf-8", newline="") as handle:
        codes = frozenset(
            row["unit_code"] for row in csv.DictReader(handle) if row["scheme"] == scheme
        )
    if not codes:
        raise ValueError(f"{path} lists no unit of scheme {scheme}")
    return codes


def is_known(scheme: str, code: str) -> bool:
    """Whether ``code`` is a unit of ``scheme`` (exact match: codes are zero-padded strings)."""
    return code in unit_codes(scheme)

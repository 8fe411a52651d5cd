"""Generate the administrative-unit seeds of both GSO code schemes.

* ``seeds/admin_units_pre2025.csv``: the codes valid until 30/06/2025 (63 provinces, their
  districts and communes), from the installed ``vietnam-provinces`` 0.6.0 (data of 2025-01-04).
* ``seeds/admin_units_2025.csv``: the two-level scheme in force from 01/07/2025 (34 provinces
  and their communes, no districts), from ``vietnam-provinces`` 2025.10.1. That release cannot be
  installed beside 0.6.0, so its wheel is fetched from PyPI into a temporary directory with
  ``pip download`` and only its data file is read.

Codes are zero-padded the way the GSO and the one-stop system's ``MaDVHC`` write them (province
2 digits, district 3, commune 5). The package data carries no mapping between the schemes.
Run from the project root, then commit the CSVs::

    .venv/bin/python dbt_project/scripts/generate_admin_units.py
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import vietnam_provinces

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
COLUMNS = ("scheme", "unit_code", "unit_name", "unit_level", "parent_code")
SCHEME_2025_RELEASE = "vietnam-provinces==2025.10.1"
Row = tuple[str, str, str, str, str]


def pre2025_rows(provinces: list[dict]) -> list[Row]:
    """Every unit of the pre-2025 scheme, provinces first, then districts, then communes."""
    out: list[Row] = []
    for province in provinces:
        p_code = f"{province['code']:02d}"
        out.append(("pre2025", p_code, province["name"], "province", ""))
        for district in province["districts"]:
            d_code = f"{district['code']:03d}"
            out.append(("pre2025", d_code, district["name"], "district", p_code))
            out.extend(
                ("pre2025", f"{ward['code']:05d}", ward["name"], "commune", d_code)
                for ward in district["wards"]
            )
    return out


def scheme_2025_rows(provinces: list[dict]) -> list[Row]:
    """Every unit of the 2025 scheme: provinces, then their communes (parent = province)."""
    out: list[Row] = []
    for province in provinces:
        p_code = f"{province['code']:02d}"
        out.append(("2025", p_code, province["name"], "province", ""))
        out.extend(
            ("2025", f"{ward['code']:05d}", ward["name"], "commune", p_code)
            for ward in province["wards"]
        )
    return out


def scheme_2025_data() -> list[dict]:
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "-d",
                scratch,
                SCHEME_2025_RELEASE,
            ],
            check=True,
        )
        [wheel] = Path(scratch).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            return json.loads(archive.read("vietnam_provinces/data/nested-divisions.json"))


def write(path: Path, rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def main() -> None:
    installed = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    write(SEEDS / "admin_units_pre2025.csv", pre2025_rows(installed))
    write(SEEDS / "admin_units_2025.csv", scheme_2025_rows(scheme_2025_data()))


if __name__ == "__main__":
    main()

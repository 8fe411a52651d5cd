"""Generate ``seeds/admin_units_pre2025.csv`` from the ``vietnam-provinces`` package data.

The package (0.6.0, data of 2025-01-04) carries the GSO codes valid until 30/06/2025: 63
provinces, their districts and their communes. Codes are written zero-padded the way the GSO
and the one-stop system's ``MaDVHC`` write them (province 2 digits, district 3, commune 5).

Run from the project root after upgrading the package, then commit the CSV::

    .venv/bin/python dbt_project/scripts/generate_admin_units.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import vietnam_provinces

SEED = Path(__file__).resolve().parent.parent / "seeds" / "admin_units_pre2025.csv"
COLUMNS = ("scheme", "unit_code", "unit_name", "unit_level", "parent_code")


def rows() -> list[tuple[str, str, str, str, str]]:
    """Every unit of the pre-2025 scheme, provinces first, then districts, then communes."""
    provinces = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    out: list[tuple[str, str, str, str, str]] = []
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


def main() -> None:
    with SEED.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows())


if __name__ == "__main__":
    main()

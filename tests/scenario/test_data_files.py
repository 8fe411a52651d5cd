"""The generator's data files (include/scenario/data/): readable, consistent, installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from include.paths import PROJECT_ROOT
from include.scenario import SCENARIOS, catalogue, people
from include.scenario.datafiles import DATA, csv_rows
from include.scenario.scenarios import calibration


def test_catalogue_rows_become_procedures():
    rows = csv_rows("procedures.csv")
    assert [p.code for p in catalogue.PROCEDURES] == [r["code"] for r in rows]
    real = [p for p in catalogue.PROCEDURES if not p.synthetic]
    assert len(real) == 35 and not any(p.code.startswith("9.") for p in real)
    fees = csv_rows("procedure_fees.csv")
    assert sum(len(p.fees) for p in catalogue.PROCEDURES) == len(fees)


def test_name_lists_are_clean():
    for values in (people.MIDDLE_M, people.GIVEN_F, people.HAMLETS, people.MAIL_DOMAINS):
        assert values and all(v and v == v.strip() for v in values)
    assert all(w > 0 for _, w in people.SURNAMES)


def test_every_declaration_is_a_registered_scenario():
    names = sorted(p.stem for p in (DATA / "scenarios").glob("*.yaml"))
    assert names and set(names) <= set(SCENARIOS)
    for name in names:
        assert calibration(name)["name"] == name


def test_every_data_file_is_package_data():
    conf = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = conf["tool"]["setuptools"]["package-data"]["include.scenario"]
    root = DATA.parent
    packaged = {p for pat in patterns for p in root.glob(pat)}
    files = {p for p in DATA.rglob("*") if p.is_file()}
    assert files and files <= packaged, sorted(
        str(Path(f).relative_to(root)) for f in files - packaged
    )

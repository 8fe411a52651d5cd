"""Incremental runs give the same marts as a full rebuild, and a rerun changes nothing.

The world of test_dbt_counting_rules is loaded in two nights: the first load, a build; then
the second night's loads (later states of dossiers, payments and ratings, a re-exported
register row, July's records that extend the grid, a carried-over dossier resolved in July),
an incremental build. A full refresh and a rerun must leave every mart row identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import RawLoader, Warehouse, create_warehouse
from test_dbt_counting_rules import (
    AGENCIES,
    COMMUNE_B,
    DEN,
    DI,
    DISTRICT,
    DOSSIERS_FIRST,
    DOSSIERS_SECOND,
    FIRST_LOAD,
    HSCV,
    PAYMENTS_FIRST,
    PAYMENTS_SECOND,
    QLVB_UNITS,
    RATINGS_FIRST,
    RATINGS_SECOND,
    SERVICES,
    VN,
    WINDOW,
    den,
    dossier,
)

pytestmark = pytest.mark.slow

JULY = (dt.date(2023, 7, 1), dt.date(2023, 7, 31))
JULY_LOAD = dt.datetime(2023, 8, 1, 2, 0, tzinfo=VN)

DOSSIERS_JULY = [
    # Carried over since February, resolved in July: every period from February on changes.
    dossier(
        "D-FULL-BEFORE",
        DISTRICT,
        "10",
        "20230210",
        procedure="1.000001",
        channel="2",
        due="20231231",
        ended="20230705",
        updated="20230705170000",
    ),
    dossier("D-JULY", COMMUNE_B, "4", "20230703", due="20230710", updated="20230703090000"),
]


def mart_rows(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in schema marts, in a stable order."""
    names = "select table_name from information_schema.tables where table_schema = 'marts'"
    tables = [t for (t,) in wh.rows(names)]
    return {t: sorted(wh.rows(f"select * from marts.{t}"), key=repr) for t in tables}


@pytest.fixture(scope="module")
def states(
    server_uri: str, dbt_workdir: Path
) -> Iterator[dict[str, dict[str, list[tuple[Any, ...]]]]]:
    wh = create_warehouse(server_uri, "dbt_incremental", dbt_workdir)
    with wh.connect() as conn:
        loader = RawLoader(conn)
        first = {"extracted_at": FIRST_LOAD, "window": WINDOW}
        loader.load("onestop", "donvi", AGENCIES, extracted_at=FIRST_LOAD)
        loader.load("onestop", "hoso", DOSSIERS_FIRST, **first)
        loader.load("onestop", "tientrinh", [], **first)
        loader.load("qlvb", "donvi", QLVB_UNITS, extracted_at=FIRST_LOAD)
        loader.load("qlvb", "den", DEN, **first)
        loader.load("qlvb", "di", DI, **first)
        loader.load("qlvb", "hscv", HSCV, **first)
        loader.load("dvc_portal", "services", SERVICES, extracted_at=FIRST_LOAD)
        loader.load("dvc_portal", "payments", PAYMENTS_FIRST, **first)
        loader.load("dvc_portal", "ratings", RATINGS_FIRST, **first)
    wh.dbt("seed")
    wh.dbt("build", "--exclude", "resource_type:seed")
    first_night = mart_rows(wh)
    with wh.connect() as conn:
        loader = RawLoader(conn, next_load_id=100)
        july = {"extracted_at": JULY_LOAD, "window": JULY}
        loader.load("onestop", "donvi", AGENCIES, extracted_at=JULY_LOAD)
        loader.load("onestop", "hoso", DOSSIERS_SECOND + DOSSIERS_JULY, **july)
        loader.load("onestop", "tientrinh", [], **july)
        loader.load("qlvb", "donvi", QLVB_UNITS, extracted_at=JULY_LOAD)
        # DEN-3 re-exported: it turned out to be electronic; a July document.
        loader.load(
            "qlvb",
            "den",
            [
                den("DEN-3", "2023-03-05", "Thường", "Điện tử", "Có"),
                den("DEN-4", "2023-07-05", "Thường", "Giấy", "Không"),
            ],
            **july,
        )
        loader.load("qlvb", "di", [], **july)
        loader.load("qlvb", "hscv", [], **july)
        loader.load("dvc_portal", "services", SERVICES, extracted_at=JULY_LOAD)
        loader.load("dvc_portal", "payments", PAYMENTS_SECOND, **july)
        loader.load("dvc_portal", "ratings", RATINGS_SECOND, **july)
    wh.dbt("build", "--exclude", "resource_type:seed")
    incremental = mart_rows(wh)
    wh.dbt("build", "--exclude", "resource_type:seed")
    rerun = mart_rows(wh)
    wh.dbt("build", "--full-refresh")
    full = mart_rows(wh)
    yield {"first": first_night, "incremental": incremental, "rerun": rerun, "full": full}


def test_second_night_changed_the_figures(
    states: dict[str, dict[str, list[tuple[Any, ...]]]],
) -> None:
    # Guard: the second night's loads did change the marts (else the comparisons prove nothing).
    assert states["first"]["indicator_value"] != states["incremental"]["indicator_value"]
    assert len(states["incremental"]["indicator_value"]) > len(states["first"]["indicator_value"])


def test_full_refresh_gives_identical_marts(
    states: dict[str, dict[str, list[tuple[Any, ...]]]],
) -> None:
    assert states["incremental"].keys() == states["full"].keys()
    for table, rows in states["full"].items():
        assert states["incremental"][table] == rows, table


def test_rerun_changes_nothing(states: dict[str, dict[str, list[tuple[Any, ...]]]]) -> None:
    for table, rows in states["incremental"].items():
        assert states["rerun"][table] == rows, table

"""A seed is loaded once: later builds keep it while its file and column types are unchanged.

dbt_project/macros/seeds_kept.sql: the loaded table carries the seed's checksum as its
comment. A second `dbt seed` must not rewrite the rows (their `xmin`, the transaction that
wrote them, stays), a stale checksum (the file changed since) must reload it, and
`--full-refresh` always reloads.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from dbt_harness import DBT_PROJECT, Warehouse, create_warehouse

pytestmark = pytest.mark.slow

SEED = "admin_units_pre2025"


def csv_rows(name: str) -> int:
    with (DBT_PROJECT / "seeds" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def writers(wh: Warehouse) -> set[str]:
    """The transactions that wrote the seed table's rows."""
    return {x for (x,) in wh.rows(f"select distinct xmin::text from seeds.{SEED}")}


def comment(wh: Warehouse) -> str | None:
    return wh.rows(f"select obj_description('seeds.{SEED}'::regclass, 'pg_class')")[0][0]


@pytest.fixture(scope="module")
def wh(server_uri: str, dbt_workdir: Path) -> Warehouse:
    warehouse = create_warehouse(server_uri, "dbt_seeds_kept", dbt_workdir)
    warehouse.dbt("seed")
    return warehouse


def test_the_first_seed_loads_every_row_and_records_the_checksum(wh: Warehouse) -> None:
    assert wh.rows(f"select count(*) from seeds.{SEED}")[0][0] == csv_rows(SEED)
    assert (comment(wh) or "").startswith("dbt seed ")


def test_an_unchanged_seed_is_kept(wh: Warehouse) -> None:
    before = writers(wh)
    result = wh.dbt("seed", "--select", SEED)
    assert writers(wh) == before
    assert "unchanged since it was loaded, kept" in result.stdout
    assert wh.rows(f"select count(*) from seeds.{SEED}")[0][0] == csv_rows(SEED)


def test_a_stale_checksum_reloads_the_seed(wh: Warehouse) -> None:
    recorded = comment(wh)
    before = writers(wh)
    with wh.connect() as conn:
        conn.execute(f"comment on table seeds.{SEED} is 'dbt seed of an older file'")
        conn.execute(f"delete from seeds.{SEED} where unit_level = 'commune'")
    wh.dbt("seed", "--select", SEED)
    assert writers(wh).isdisjoint(before)
    assert wh.rows(f"select count(*) from seeds.{SEED}")[0][0] == csv_rows(SEED)
    assert comment(wh) == recorded


def test_full_refresh_reloads_an_unchanged_seed(wh: Warehouse) -> None:
    before = writers(wh)
    wh.dbt("seed", "--select", SEED, "--full-refresh")
    assert writers(wh).isdisjoint(before)
    assert wh.rows(f"select count(*) from seeds.{SEED}")[0][0] == csv_rows(SEED)

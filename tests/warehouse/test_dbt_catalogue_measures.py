"""The indicator catalogue held against the measures the models state (macros/measures.sql):
a catalogue row whose measure no model produces fails the build, instead of publishing 0 on
every row; a produced measure no row names is a warning.

Only the seed is built: the two tests read the seed and the project's graph, not the models.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt_harness import Warehouse, create_warehouse

pytestmark = pytest.mark.slow

PRODUCED = "assert_catalogue_measures_are_produced"
CATALOGUED = "assert_produced_measures_are_catalogued"
ONCE = "assert_measures_are_produced_once"


@pytest.fixture
def warehouse(server_uri: str, dbt_workdir: Path) -> Iterator[Warehouse]:
    wh = create_warehouse(server_uri, "dti_dbt_catalogue_measures", dbt_workdir)
    wh.dbt("seed", "--select", "indicators")
    yield wh


def _catalogue_update(wh: Warehouse, sql: str) -> None:
    with wh.connect() as conn:
        conn.execute(sql)


def test_the_real_catalogue_names_exactly_the_produced_measures(warehouse: Warehouse) -> None:
    result = warehouse.dbt("test", "--select", PRODUCED, CATALOGUED, ONCE)
    assert f"PASS {PRODUCED}" in result.stdout, result.stdout
    assert f"PASS {CATALOGUED}" in result.stdout, result.stdout
    assert f"PASS {ONCE}" in result.stdout, result.stdout
    assert "WARN=0 ERROR=0" in result.stdout, result.stdout


def test_a_misspelt_measure_fails(warehouse: Warehouse) -> None:
    _catalogue_update(
        warehouse,
        "update seeds.indicators set numerator_measure = 'recieved_online' "
        "where indicator_code = 'tthc.online_rate'",
    )
    with pytest.raises(AssertionError) as failed:
        warehouse.dbt("test", "--select", PRODUCED)
    assert f"Failure in test {PRODUCED}" in str(failed.value)
    assert "Got 1 result" in str(failed.value)


def test_a_measure_no_indicator_uses_warns(warehouse: Warehouse) -> None:
    # procedures_partial is dvc.partial's alone.
    _catalogue_update(
        warehouse, "delete from seeds.indicators where indicator_code = 'dvc.partial'"
    )
    result = warehouse.dbt("test", "--select", CATALOGUED)
    assert f"Warning in test {CATALOGUED}" in result.stdout
    assert "WARN=1" in result.stdout

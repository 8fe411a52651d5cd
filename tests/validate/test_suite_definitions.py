"""The suite definitions in expectations/: complete, classified, and valid SQL."""

from __future__ import annotations

import psycopg
import pytest

from include.load import ensure_schema
from include.load.schema import RAW_TABLES
from include.validate.definitions import (
    EXPECTATIONS_DIR,
    DefinitionError,
    load_definition,
    raw_definition,
)


@pytest.mark.parametrize("path", sorted(EXPECTATIONS_DIR.rglob("*.json")), ids=lambda p: p.name)
def test_every_expectation_is_classified_and_explained(path):
    definition = load_definition(path)
    for item in definition.expectations:
        assert item["meta"]["severity"] in ("blocking", "record", "warning")
        assert len(item["meta"]["why"]) > 20
    # GX builds every expectation (unknown types or kwargs fail here).
    assert len(definition.gx_suite().expectations) == len(definition.expectations)


def test_a_definition_without_severity_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(
        '{"name": "x", "expectations": [{"type": "expect_column_values_to_not_be_null",'
        ' "kwargs": {"column": "a"}, "meta": {"why": "because it matters a lot"}}]}'
    )
    with pytest.raises(DefinitionError, match="severity"):
        load_definition(path)


def test_every_raw_entity_has_a_suite_whose_batch_query_runs(fresh_dsn):
    with psycopg.connect(fresh_dsn) as conn:
        ensure_schema(conn)
        for source, entity in RAW_TABLES:
            definition = raw_definition(source, entity)
            assert definition.name == f"{source}.{entity}"
            assert definition.batch["relation"] == f"{source}.{entity}"
            conn.execute(definition.select_sql("load_id = 1")).fetchall()

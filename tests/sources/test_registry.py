"""The source registry (include/sources/registry.yaml) and what is generated from it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from include.load.schema import RAW_TABLES
from include.paths import PROJECT_ROOT
from include.simulators.base import SimulatorServer
from include.sources import registry

SEED_SCRIPT = PROJECT_ROOT / "dbt_project" / "scripts" / "generate_source_entities.py"


def _seed_script():
    spec = importlib.util.spec_from_file_location("generate_source_entities", SEED_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_seed_equals_a_regeneration() -> None:
    script = _seed_script()
    assert script.SEED.read_text(encoding="utf-8") == script.seed_text(), (
        "dbt_project/seeds/source_entities.csv is stale: run "
        ".venv/bin/python dbt_project/scripts/generate_source_entities.py and commit it"
    )


def test_every_source_names_code_that_exists() -> None:
    for source in registry.SOURCES.values():
        module = source.extractor_module()
        assert callable(source.extractor())
        assert tuple(source.entities) == module.ENTITIES
        assert set(module.IDENTITIES) == set(source.entities)
        for entity in source.entities.values():
            if entity.unit_field is not None:  # the extractor lands it on every row
                assert entity.unit_field in module.IDENTITIES[entity.name].key
        simulator = source.simulator()
        assert issubclass(simulator, SimulatorServer) and simulator.source == source.slug
        assert importlib.import_module(source.validators_path)


def test_every_source_can_be_told_loaded() -> None:
    # int_source_coverage_summarised: a source without a coverage entity is never loaded.
    for source in registry.SOURCES.values():
        assert any(entity.coverage for entity in source.entities.values()), source.slug
        for entity in source.entities.values():
            assert not (entity.coverage and entity.snapshot), f"{source.slug}.{entity.name}"


def test_raw_keys_are_the_expressions_warehouses_hold() -> None:
    # The text is the record_key column's comment in existing warehouses: a new text recomputes
    # the column there (include/load/schema.py), so a refactoring must not change it.
    assert RAW_TABLES[("onestop", "hoso")] == "record->>'MaHoSo'"
    assert RAW_TABLES[("onestop", "tientrinh")] == (
        "(record->>'MaHoSo') || '|' || (record->>'ThoiDiemXuLy') || '|' || (record->>'TrangThai')"
        " || '|' || coalesce(record->>'MaDonVi', '')"
        " || '|' || coalesce(record->>'PhongBanXuLy', '')"
        " || '|' || coalesce(record->>'NguoiXuLy', '')"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("s:\n  connection_id: s_api\n", "missing"),
        (
            "s: {connection_id: a, extractor: a.b, simulator: a.b, validators: a, demo_login: '',"
            " demo_password: p, entities: {e: {key: [id], cut: week}}}\n",
            "cut 'week'",
        ),
        (
            "s: {connection_id: a, extractor: a.b, simulator: a.b, validators: a, demo_login: '',"
            " demo_password: p, entities: {e: {keys: [id]}}}\n",
            "unknown",
        ),
    ],
)
def test_a_bad_declaration_is_refused_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        registry.load_registry(path)


def test_an_unknown_source_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="expected one of"):
        registry.get_source("portal4")


def test_the_simulators_command_offers_every_source() -> None:
    from include.simulators.__main__ import _parser

    usage = _parser().format_usage()
    assert f"{{{','.join(registry.SLUGS)},all}}" in usage

"""The sources, declared once in ``registry.yaml`` (docs/adding-a-source.md).

Everything that lists sources or their entities reads them from here: the run plan, the raw
DDL, the loader, load validation, connections, the demo, the bench, the DAG's tags and the dbt
seed ``source_entities``. Behaviour that is code (an extractor, a simulator, a window cut) is
named by a dotted import path and imported only when asked for, so reading a slug or a demo
credential imports neither the extractors nor the simulators (the simulators stay the
extractors' independent oracle).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import yaml

REGISTRY_FILE = Path(__file__).with_name("registry.yaml")

#: How a windowed entity's range is cut to what its API accepts (include/extract/windows.py).
CUTS = {
    "month": "include.extract.windows.month_windows",
    "quarter": "include.extract.windows.quarter_windows",
}
#: Between the parts of a composite raw key.
_KEY_SEPARATOR = " || '|' || "


def resolve(path: str) -> Any:
    """The attribute a dotted path ``package.module.attribute`` names."""
    module, _, attribute = path.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class Entity:
    """One entity of a source: one extract per window, one raw table, one dbt source table."""

    source: str
    name: str
    #: Raw key fields, all present in a good record; then those that may be missing.
    key: tuple[str, ...]
    key_optional: tuple[str, ...] = ()
    #: ``month`` or ``quarter``; None for a snapshot (one extract per run, no window).
    cut_name: str | None = None
    #: Days the nightly run's window is extended back (rows that still change after the day).
    lookback_days: int | None = None
    #: Key of the landed ``source_totals`` holding the source's own count of the extract.
    total_field: str | None = None
    #: The totals are footer counts per unit instead (QLVB exports), the unit being this field
    #: of every landed row; the load is then checked unit by unit.
    unit_field: str | None = None
    #: Its windows tell how far its source is loaded (dbt: int_source_coverage_summarised).
    coverage: bool = False

    @property
    def snapshot(self) -> bool:
        return self.cut_name is None

    @property
    def mode(self) -> str:
        """The ledger's ``mode`` of its loads."""
        return "snapshot" if self.snapshot else "incremental"

    @property
    def cut(self) -> Callable[..., list[Any]] | None:
        """The window cut (``Window -> list[Window]``), or None for a snapshot."""
        return None if self.cut_name is None else resolve(CUTS[self.cut_name])

    @property
    def record_key_sql(self) -> str:
        """PostgreSQL expression of the raw ``record_key`` over column ``record``.

        One field is its text; several are joined with ``|``, the optional ones coalesced to
        ''. The text is part of every raw table's DDL: a changed text recomputes the column of
        existing warehouses (include/load/schema.py), so keep it stable.
        """
        if len(self.key) == 1 and not self.key_optional:
            return f"record->>'{self.key[0]}'"
        parts = [f"(record->>'{name}')" for name in self.key]
        parts += [f"coalesce(record->>'{name}', '')" for name in self.key_optional]
        return _KEY_SEPARATOR.join(parts)


@dataclass(frozen=True)
class Source:
    """One source system: its connection, its code, and its entities in extraction order."""

    slug: str
    connection_id: str
    extractor_path: str
    simulator_path: str
    validators_path: str
    demo_login: str
    demo_password: str
    entities: Mapping[str, Entity]

    def extractor(self) -> Callable[..., Any]:
        """Its extract function (include/extract/sources.py states the signature)."""
        return resolve(self.extractor_path)

    def extractor_module(self) -> ModuleType:
        """The module of its extractor (its ``ENTITIES``, ``IDENTITIES``)."""
        return importlib.import_module(self.extractor_path.rpartition(".")[0])

    def simulator(self) -> type:
        """Its simulator class (include/simulators)."""
        return resolve(self.simulator_path)

    @property
    def demo_credentials(self) -> dict[str, str]:
        """What its simulator accepts by default, shaped like the Airflow connection."""
        return {"login": self.demo_login, "password": self.demo_password}

    @property
    def lookback_days(self) -> dict[str, int]:
        """Entity -> nightly lookback, for the entities that have one."""
        return {
            name: entity.lookback_days
            for name, entity in self.entities.items()
            if entity.lookback_days is not None
        }


_ENTITY_FIELDS = {
    "key",
    "key_optional",
    "cut",
    "lookback_days",
    "total_field",
    "unit_field",
    "coverage",
}
_SOURCE_FIELDS = {
    "connection_id",
    "extractor",
    "simulator",
    "validators",
    "demo_login",
    "demo_password",
    "entities",
}


def _entity(source: str, name: str, spec: Mapping[str, Any]) -> Entity:
    unknown = set(spec) - _ENTITY_FIELDS
    if unknown:
        raise ValueError(f"{REGISTRY_FILE.name}: {source}.{name}: unknown {sorted(unknown)}")
    cut = spec.get("cut")
    if cut is not None and cut not in CUTS:
        raise ValueError(f"{REGISTRY_FILE.name}: {source}.{name}: cut {cut!r} not in {[*CUTS]}")
    if not spec.get("key"):
        raise ValueError(f"{REGISTRY_FILE.name}: {source}.{name}: no key")
    return Entity(
        source=source,
        name=name,
        key=tuple(spec["key"]),
        key_optional=tuple(spec.get("key_optional", ())),
        cut_name=cut,
        lookback_days=spec.get("lookback_days"),
        total_field=spec.get("total_field"),
        unit_field=spec.get("unit_field"),
        coverage=bool(spec.get("coverage", False)),
    )


def _source(slug: str, spec: Mapping[str, Any]) -> Source:
    missing = _SOURCE_FIELDS - set(spec)
    unknown = set(spec) - _SOURCE_FIELDS
    if missing or unknown:
        raise ValueError(
            f"{REGISTRY_FILE.name}: {slug}: missing {sorted(missing)}, unknown {sorted(unknown)}"
        )
    entities = {name: _entity(slug, name, entity) for name, entity in spec["entities"].items()}
    return Source(
        slug=slug,
        connection_id=spec["connection_id"],
        extractor_path=spec["extractor"],
        simulator_path=spec["simulator"],
        validators_path=spec["validators"],
        demo_login=str(spec["demo_login"]),
        demo_password=str(spec["demo_password"]),
        entities=MappingProxyType(entities),
    )


def load_registry(path: Path = REGISTRY_FILE) -> Mapping[str, Source]:
    """The sources declared in ``path``, in declaration order."""
    declared = yaml.safe_load(path.read_text(encoding="utf-8"))
    return MappingProxyType({slug: _source(slug, spec) for slug, spec in declared.items()})


#: Slug -> source, in declaration order (the order of the DAG's groups and the DDL).
SOURCES: Mapping[str, Source] = load_registry()
SLUGS: tuple[str, ...] = tuple(SOURCES)


def get_source(slug: str) -> Source:
    """The source ``slug``; a ValueError naming the known ones otherwise."""
    try:
        return SOURCES[slug]
    except KeyError:
        raise ValueError(f"unknown source {slug!r}; expected one of {sorted(SOURCES)}") from None


def get_entity(source: str, entity: str) -> Entity:
    """Entity ``entity`` of source ``source``; a ValueError naming the known ones otherwise."""
    entities = get_source(source).entities
    try:
        return entities[entity]
    except KeyError:
        raise ValueError(
            f"unknown entity {source}.{entity}; expected one of {sorted(entities)}"
        ) from None


def simulators() -> dict[str, type]:
    """Slug -> simulator class, for everything that serves all the sources (demo, tests)."""
    return {source.slug: source.simulator() for source in SOURCES.values()}


def connection_ids() -> list[str]:
    """Every source's Airflow connection id (docker/airflow-init.sh creates them)."""
    return [source.connection_id for source in SOURCES.values()]


def all_entities() -> Iterator[Entity]:
    """Every entity of every source, in declaration order."""
    for source in SOURCES.values():
        yield from source.entities.values()

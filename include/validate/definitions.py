"""Suite definitions: the JSON files of ``expectations/`` read into GX expectation suites.

A definition is a GX expectation suite (``name``, ``expectations`` as GX configurations with
``type``, ``kwargs`` and ``meta``) plus, for suites that run on the warehouse, a ``batch``: the
relation to read and the columns to project from it. Every expectation carries
``meta.severity`` and ``meta.why``; a definition without them is refused, so no check is ever
silently treated as one or the other. The severities:

``blocking``
    a batch-level property (counts against the source's totals, a non-empty catalogue, unique
    keys of a catalogue): any failure stops publishing.
``record``
    a record failing it is invalid under the source's spec. GX's ``mostly`` is set to
    1 - the record tolerance (``include/validate/settings.py``): within the tolerance the check
    passes and the failing records are quarantined (they count nowhere); beyond it the batch
    blocks. Only map expectations (one verdict per row) can be ``record`` checks.
``warning``
    an anomaly that changes no figure: counted and reported, never blocking.

Every batch query also returns the raw row's line in its landed file as ``_line``: the id of a
row GX reports, by which a quarantined record is moved.

Column specs are SQL expressions over the raw row (``record`` jsonb, ``window_start``, ...), or
one of these shorthands, which keep the definitions short and the text rules in one place:

``text:F``
    the record's field ``F`` as text, NFC, trimmed, ``""`` as null (the sources' "none").
``folded:F``
    ``text:F`` with spaces collapsed and case folded, and the old/new tone placement
    (``Hoả``/``Hỏa``) unified: how QLVB enumerated cells are compared (sources/qlvb.md).
``invalid_onestop:F1|F2``, ``invalid_onestop_date:F1|F2``, ``invalid_iso:F1|F2``,
``invalid_date:F1|F2``
    the names (comma-separated) of the listed fields that are set but are not a valid
    ``yyyyMMddHHmmss`` timestamp, ``yyyyMMdd`` date, ISO 8601 instant with an offset, or
    ``YYYY-MM-DD`` date; null when all are valid or empty.

A batch may also name ``lookups``: other relations a check compares the rows with (e.g. the
agency catalogue a dossier's agency must be in). Each is ``alias: {"query": SQL, "key": column,
"on": column spec}`` and is LEFT JOINed as ``(query) AS alias ON alias.key = <on>``, so columns
can read ``alias.<column>`` (null when the row has no match). The query must return at most one
row per key (a row of the batch is never repeated) and no column named like a raw table's
(``record``, ``load_id``, ...), which the projection and the scope read unqualified.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from string import Formatter
from typing import Any

import great_expectations as gx
from great_expectations.exceptions import ExpectationNotFoundError
from great_expectations.expectations.expectation import (
    ColumnMapExpectation,
    ColumnPairMapExpectation,
    MulticolumnMapExpectation,
)
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
from great_expectations.expectations.registry import get_expectation_impl

from include.paths import PROJECT_ROOT

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SEVERITIES = ("blocking", "record", "warning")
#: Our severities as GX's own (shown in Data Docs).
_GX_SEVERITY = {"blocking": "critical", "record": "critical", "warning": "warning"}
#: The batch column naming a row's line in its landed file (``line_no`` of the raw tables).
LINE_COLUMN = "_line"
_MAP_EXPECTATIONS = (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)


class DefinitionError(ValueError):
    """A suite definition in ``expectations/`` is malformed."""


@dataclass(frozen=True)
class SuiteDefinition:
    name: str
    description: str
    #: ``{"relation": ..., "columns": {alias: spec}}``; empty for suites run on a data frame.
    batch: dict[str, Any]
    expectations: list[dict[str, Any]]

    def gx_expectations(self, tolerance: float = 0.0) -> list[gx.expectations.Expectation]:
        """The GX expectations, ``record`` checks with ``mostly`` = 1 - ``tolerance``."""
        return [
            ExpectationConfiguration(
                type=item["type"],
                kwargs=_with_tolerance(item, tolerance),
                meta=item["meta"],
                description=item.get("description"),
                severity=_GX_SEVERITY[item["meta"]["severity"]],
            ).to_domain_obj()
            for item in self.expectations
        ]

    def gx_suite(self, name: str | None = None, tolerance: float = 0.0) -> gx.ExpectationSuite:
        """A fresh GX suite (``name`` overrides the definition's, e.g. per entity)."""
        return gx.ExpectationSuite(
            name=name or self.name,
            expectations=self.gx_expectations(tolerance),
            meta={"description": self.description},
        )

    def select_sql(self, where: str) -> str:
        """The batch query: the projected columns of ``batch.relation`` rows matching ``where``
        (with the batch's lookups joined)."""
        columns = ",\n    ".join(
            f"{column_sql(spec)} AS {quote_identifier(alias)}"
            for alias, spec in self.batch["columns"].items()
        )
        joins = "".join(
            f"\nLEFT JOIN ({lookup['query']}) AS {quote_identifier(alias)}\n"
            f"    ON {quote_identifier(alias)}.{quote_identifier(lookup['key'])} = "
            f"{column_sql(lookup['on'])}"
            for alias, lookup in self.batch.get("lookups", {}).items()
        )
        relation = self.batch["relation"]
        line = f"{relation}.line_no AS {quote_identifier(LINE_COLUMN)}"
        return f"SELECT\n    {line},\n    {columns}\nFROM {relation}{joins}\nWHERE {where}"


def _with_tolerance(item: dict[str, Any], tolerance: float) -> dict[str, Any]:
    if item["meta"]["severity"] != "record":
        return item["kwargs"]
    # GX's own tolerance: the check succeeds while at most this share of rows fails it.
    return {**item["kwargs"], "mostly": round(1.0 - tolerance, 6)}


def load_definition(path: Path) -> SuiteDefinition:
    body = json.loads(path.read_text(encoding="utf-8"))
    name = body.get("name")
    expectations = body.get("expectations")
    if not name or not isinstance(expectations, list) or not expectations:
        raise DefinitionError(f"{path}: a suite needs a name and a list of expectations")
    for position, item in enumerate(expectations):
        meta = item.get("meta") or {}
        if meta.get("severity") not in SEVERITIES:
            raise DefinitionError(
                f"{path}: expectation {position} ({item.get('type')}) has no meta.severity "
                f"in {SEVERITIES}"
            )
        if not meta.get("why"):
            raise DefinitionError(f"{path}: expectation {position} ({item.get('type')}) has no why")
        if meta["severity"] == "record" and not _is_map_expectation(item.get("type", "")):
            raise DefinitionError(
                f"{path}: expectation {position} ({item.get('type')}) is a record check but "
                "not a map expectation: GX cannot name the rows that fail it"
            )
        query = item.get("kwargs", {}).get("unexpected_rows_query")
        # GX formats the query with str.format: any brace but {batch} (a regex {4}) breaks it.
        if query and {f for _, f, _, _ in Formatter().parse(query) if f is not None} != {"batch"}:
            raise DefinitionError(f"{path}: expectation {position}: braces other than {{batch}}")
    batch = body.get("batch", {})
    for alias, lookup in batch.get("lookups", {}).items():
        if not isinstance(lookup, dict) or not {"query", "key", "on"} <= set(lookup):
            raise DefinitionError(f"{path}: lookup {alias!r} needs a query, a key and an on")
    return SuiteDefinition(
        name=name,
        description=body.get("description", ""),
        batch=batch,
        expectations=expectations,
    )


def _is_map_expectation(type_name: str) -> bool:
    try:
        return issubclass(get_expectation_impl(type_name), _MAP_EXPECTATIONS)
    except ExpectationNotFoundError:  # GX refuses the type when the suite is built
        return False


def raw_definition(source: str, entity: str) -> SuiteDefinition:
    """The record suite of one raw entity, ``expectations/raw/<source>.<entity>.json``."""
    path = EXPECTATIONS_DIR / "raw" / f"{source}.{entity}.json"
    if not path.exists():
        raise DefinitionError(f"no suite definition for {source}.{entity} ({path})")
    return load_definition(path)


def load_level_definition() -> SuiteDefinition:
    """The suite every load runs on its counts and timing (``expectations/raw/load.json``)."""
    return load_definition(EXPECTATIONS_DIR / "raw" / "load.json")


def marts_definition() -> SuiteDefinition:
    return load_definition(EXPECTATIONS_DIR / "marts" / "indicator_value.json")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _field(name: str) -> str:
    return f"(record->>{_quote_literal(name)})"


def _text(name: str) -> str:
    return f"nullif(btrim(normalize({_field(name)}, NFC)), '')"


def _folded(name: str) -> str:
    collapsed = f"lower(regexp_replace({_text(name)}, '\\s+', ' ', 'g'))"
    return f"replace(replace({collapsed}, 'oả', 'ỏa'), 'oà', 'òa')"


def _is_invalid_onestop(name: str) -> str:
    value = _text(name)
    return (
        f"NOT ({value} ~ '^[0-9]{{14}}$' AND pg_input_is_valid("
        f"left({value}, 8) || 'T' || substr({value}, 9, 6), 'timestamp'))"
    )


def _is_invalid_onestop_date(name: str) -> str:
    value = _text(name)
    return f"NOT ({value} ~ '^[0-9]{{8}}$' AND pg_input_is_valid({value}, 'date'))"


def _is_invalid_iso(name: str) -> str:
    # An offset is required: without one the instant is ambiguous (sources/dvc_portal.md).
    value = _text(name)
    return (
        f"NOT ({value} ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}T.*(Z|[+-]\\d{{2}}(:?\\d{{2}})?)$' "
        f"AND pg_input_is_valid({value}, 'timestamptz'))"
    )


def _is_invalid_date(name: str) -> str:
    value = _text(name)
    return f"NOT ({value} ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$' AND pg_input_is_valid({value}, 'date'))"


_INVALID_TESTS = {
    "invalid_onestop": _is_invalid_onestop,
    "invalid_onestop_date": _is_invalid_onestop_date,
    "invalid_iso": _is_invalid_iso,
    "invalid_date": _is_invalid_date,
}


def column_sql(spec: str) -> str:
    """The SQL expression of one column spec (see the module docstring)."""
    kind, _, argument = spec.partition(":")
    if kind == "text" and argument:
        return _text(argument)
    if kind == "folded" and argument:
        return _folded(argument)
    if kind in _INVALID_TESTS and argument:
        test = _INVALID_TESTS[kind]
        names = ", ".join(
            f"CASE WHEN {_text(name)} IS NOT NULL AND {test(name)} THEN {_quote_literal(name)} END"
            for name in argument.split("|")
        )
        return f"nullif(concat_ws(', ', {names}), '')"
    return spec

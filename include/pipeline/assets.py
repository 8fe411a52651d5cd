"""Airflow assets of the warehouse tables, so lineage shows in the UI (raw tables → marts).

The URIs follow the PostgreSQL asset scheme (``postgres://host:port/database/schema/table``)
with the logical host ``dti-warehouse`` (the ``dti_warehouse`` connection, wherever it points):
assets name tables, not servers.
"""

from __future__ import annotations

from collections.abc import Iterable

from airflow.sdk import Asset

from include.pipeline.plan import SOURCE_ENTITIES
from include.warehouse.roles import PUBLISHED_SCHEMA

ASSET_HOST = "dti-warehouse:5432"
DATABASE = "dti"


def table_asset(schema: str, table: str) -> Asset:
    return Asset(
        name=f"{schema}.{table}",
        uri=f"postgres://{ASSET_HOST}/{DATABASE}/{schema}/{table}",
        group="warehouse",
    )


def raw_assets(source: str) -> list[Asset]:
    """The raw tables one source's load writes (``<source>.<entity>``)."""
    return [table_asset(source, entity) for entity in SOURCE_ENTITIES[source]]


def marts_assets(tables: Iterable[str]) -> list[Asset]:
    """The published marts tables (what BI reads)."""
    return [table_asset(PUBLISHED_SCHEMA, table) for table in tables]

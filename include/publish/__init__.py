"""Write-audit-publish of the marts schema (see ``include/publish/wap.py``)."""

from include.publish.wap import (
    PublishError,
    SchemaState,
    mark_candidate,
    prepare_candidate,
    publish,
    rollback,
    schema_state,
    tables_in,
)

__all__ = [
    "PublishError",
    "SchemaState",
    "mark_candidate",
    "prepare_candidate",
    "publish",
    "rollback",
    "schema_state",
    "tables_in",
]

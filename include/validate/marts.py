"""Validating a build of the marts (write-audit-publish) before it replaces the published one.

The marts are built into the build schema ``marts_build`` beside ``marts``;
``validate_marts`` checks that schema's ``indicator_value`` (the whole table is the run's
output) and only a passing outcome lets the caller swap it in.
"""

from __future__ import annotations

import re
from pathlib import Path

from include.validate.definitions import marts_definition
from include.validate.gx_runner import BatchLabel, GxRunner, output_dir
from include.validate.outcome import ValidationOutcome
from include.validate.run_log import record_runs

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def validate_marts(
    dsn: str, *, schema: str = "marts", run_id: str, output: Path | str | None = None
) -> ValidationOutcome:
    """Validate ``<schema>.indicator_value``; ``.passed`` is False when a blocking check failed."""
    if not _IDENTIFIER.match(schema):
        raise ValueError(f"not a plain schema name: {schema!r}")
    definition = marts_definition()
    relation = f"{schema}.indicator_value"
    label = BatchLabel(run_id=f"marts-{run_id}", scope=relation, batch=f"{relation} run {run_id}")
    runner = GxRunner(dsn, output_dir(output))
    run = runner.run_query(definition, definition.name, f"SELECT * FROM {relation}", label)
    record_runs(dsn, [run])
    return ValidationOutcome(
        label.batch, [run], runner.data_docs_index, batch=f"in {schema} (run {run_id})"
    )

"""How ``dti_nightly`` runs the dbt project through Cosmos.

* dbt has its own virtual environment (docs/decisions.md): Cosmos runs the ``dbt`` executable
  of ``.venv-dbt`` (``DTI_DBT_EXECUTABLE`` overrides it) as a subprocess.
* One ``dbt build`` per run (Cosmos' ``ExecutionMode.WATCHER``): the producer task runs the
  whole project with dbt's own threads and reads dbt's JSON log; every model (and the tests of
  every model) keeps its own task, which takes its state from that log. Those tasks start once
  the build has ended (``watch_after_build``), see docs/decisions.md.
* Parsing: the DAG is rendered from a precomputed ``manifest.json`` (``LoadMode.DBT_MANIFEST``)
  so the scheduler never runs dbt while parsing. The manifest lives in
  ``<DTI_LOCAL_DIR>/dbt/manifest.json`` and is regenerated (``dbt parse``, a few seconds) only
  when a file of the dbt project is newer than it; steady-state parses only compare mtimes.
* Connection: the profile (``dbt_project/profiles.yml``) reads ``DTI_PG_*`` environment
  variables; an interceptor fills them at task run time from the same warehouse connection
  the Python tasks use (``dti_warehouse``, else the embedded server), so nothing secret is
  rendered into the task's templated fields or stored in the DAG.
* The marts models are built into the write-audit-publish candidate schema ``marts_build``
  (the project's ``marts_schema`` var, ``DBT_VARS``), never into ``marts`` (include/publish).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psycopg.conninfo import conninfo_to_dict

from include.paths import PROJECT_ROOT, local_dir
from include.warehouse.roles import CANDIDATE_SCHEMA, PUBLISHED_SCHEMA

if TYPE_CHECKING:
    from airflow.sdk import TaskGroup

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
PROFILE_NAME = "dti"
TARGET_NAME = "warehouse"
#: dbt vars of every build: the marts models go to the candidate schema.
DBT_VARS = {"marts_schema": CANDIDATE_SCHEMA}
#: Folders whose files define the dbt project (a change to any of them invalidates the manifest).
_PROJECT_INPUTS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


def dbt_executable() -> Path:
    return Path(os.environ.get("DTI_DBT_EXECUTABLE", PROJECT_ROOT / ".venv-dbt" / "bin" / "dbt"))


def manifest_path() -> Path:
    return local_dir() / "dbt" / "manifest.json"


def _newest_project_mtime() -> float:
    newest = max(
        (DBT_PROJECT_DIR / name).stat().st_mtime
        for name in ("dbt_project.yml", "profiles.yml")
        if (DBT_PROJECT_DIR / name).exists()
    )
    for folder in _PROJECT_INPUTS:
        root = DBT_PROJECT_DIR / folder
        if root.is_dir():
            for path in root.rglob("*"):
                newest = max(newest, path.stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    """The project's ``manifest.json``, regenerated with ``dbt parse`` when it is stale.

    Written to a temporary target directory and moved into place atomically, so concurrent
    parsers (scheduler, dag-processor, tests) never read a half-written file.
    """
    target = manifest_path()
    if target.exists() and target.stat().st_mtime >= _newest_project_mtime():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".parse-") as scratch:
        env = {
            **os.environ,
            # dbt parse renders the profile but never connects: any host will do.
            "DTI_PG_HOST": os.environ.get("DTI_PG_HOST", "localhost"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        result = subprocess.run(
            [
                str(dbt_executable()),
                "parse",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                scratch,
                "--log-path",
                scratch,
                "--no-partial-parse",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"dbt parse of {DBT_PROJECT_DIR} failed (exit {result.returncode}):\n"
                f"{result.stdout[-3000:]}{result.stderr[-2000:]}"
            )
        os.replace(Path(scratch) / "manifest.json", target)
    return target


def marts_models(manifest: Path | None = None) -> list[str]:
    """Names of the tables the marts models build (what ``marts`` must hold to be published):
    the models of the project's ``models/marts`` folder."""
    nodes = json.loads((manifest or manifest_path()).read_text(encoding="utf-8"))["nodes"]
    return sorted(
        node.get("alias") or node["name"]
        for node in nodes.values()
        if node["resource_type"] == "model" and node["fqn"][1:2] == [PUBLISHED_SCHEMA]
    )


def enable_folder_groups() -> None:
    """Name Cosmos' folder task groups (``RenderConfig(group_nodes_by_folder=True)``) by their
    whole path, so ``models/staging/onestop`` and ``models/intermediate/onestop`` are two
    groups, ``dbt.models.staging.onestop`` and ``dbt.models.intermediate.onestop``.

    Cosmos 1.15 puts every model of a folder named like an earlier one (by its last name) into
    that earlier folder's group; its option ``[cosmos]
    enable_hierarchical_naming_for_group_nodes_by_folder`` is set here, not in the
    environment, so that every process parsing the DAG
    (dag processor, workers, ``airflow dags test``) gets the same task ids. Call it before the
    ``DbtTaskGroup`` is built.
    """
    from cosmos import settings

    settings.enable_hierarchical_naming_for_group_nodes_by_folder = True


class _HookWithoutTask(logging.Filter):
    """Drops Cosmos' warning that the project's ``on-run-end`` hook has no task: the hook runs
    inside the one ``dbt build``, by design, and the warning came into every task's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "<DbtResourceType.OPERATION>" not in record.getMessage()


def quiet_rendering() -> None:
    """Install ``_HookWithoutTask`` on Cosmos' rendering logger, once."""
    logger = logging.getLogger("cosmos.airflow.graph")
    if not any(isinstance(f, _HookWithoutTask) for f in logger.filters):
        logger.addFilter(_HookWithoutTask())


def watch_after_build(group: TaskGroup) -> None:
    """Make the per-model tasks of a watcher ``DbtTaskGroup`` wait for its one ``dbt build``.

    Cosmos starts them beside the producer, deferred until their model is reported. ``airflow
    dags test`` (the demo, the benchmark, the end-to-end tests) runs one task at a time and runs
    a deferred task's trigger in line: a per-model task picked before the producer would wait
    for it for ever. After the build each of them finds its model's outcome at its first look;
    when the build fails they are ``upstream_failed`` and the producer's log names the model.
    Call it before the group gets its upstream tasks (its roots are then the producer only).
    """
    # Imported here: importing Cosmos before Airflow is a circular import (bench, tests).
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID

    roots = list(group.get_roots())
    producer = next(task for task in roots if task.task_id.endswith(PRODUCER_WATCHER_TASK_ID))
    producer >> [task for task in roots if task is not producer]


def dbt_environment(dsn: str) -> dict[str, str]:
    """The ``DTI_PG_*`` variables of ``profiles.yml`` for a libpq DSN."""
    parts = conninfo_to_dict(dsn)
    return {
        "DTI_PG_HOST": str(parts.get("host") or "localhost"),
        "DTI_PG_PORT": str(parts.get("port") or "5432"),
        "DTI_PG_USER": str(parts.get("user") or "postgres"),
        "DTI_PG_PASSWORD": str(parts.get("password") or ""),
        "DTI_PG_DBNAME": str(parts.get("dbname") or "dti"),
    }


def set_warehouse_environment(context: Any, operator: Any) -> None:
    """Cosmos interceptor: point the dbt subprocess at the warehouse, resolved at run time."""
    from include.warehouse.connection import warehouse_dsn

    operator.env = {**(operator.env or {}), **dbt_environment(warehouse_dsn())}

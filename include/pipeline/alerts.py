"""Alerts of ``dti_nightly``: a failed task, and a nightly run that is late.

Both write one ERROR line on the ``dti.alerts`` logger (task log / triggerer log), phrased for
the operator: which run, task, source and window, and the failure itself — for a validation
failure that is the suite, check and batch named by the validator. Route that logger to mail
or chat with Airflow's logging configuration or an SMTP connection; the text stays the same.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from include.pipeline.plan import SOURCES

log = logging.getLogger("dti.alerts")

WINDOW_TASK_ID = "resolve_window"


def _source_of(task_id: str) -> str:
    group = task_id.split(".", 1)[0]
    return group if group in SOURCES else "all sources"


def _window_of(context: Mapping[str, Any]) -> str:
    ti = context.get("ti")
    window = ti.xcom_pull(task_ids=WINDOW_TASK_ID) if ti is not None else None
    if window:
        suffix = " + QLVB lookback (nightly)" if window.get("nightly") else ""
        return f"{window['start']}..{window['end']}{suffix}"
    dag_run = context.get("dag_run")
    conf = getattr(dag_run, "conf", None) or {}
    return f"not resolved (conf {dict(conf)})"


def failure_message(context: Mapping[str, Any]) -> str:
    """The operator-facing sentence for a failed task instance."""
    ti = context.get("ti")
    task_id = getattr(ti, "task_id", "?")
    map_index = getattr(ti, "map_index", -1)
    if map_index is not None and map_index >= 0:
        task_id = f"{task_id}[{map_index}]"
    run_id = getattr(context.get("dag_run"), "run_id", "?")
    exception = context.get("exception")
    reason = f"{type(exception).__name__}: {exception}" if exception else "no exception recorded"
    return (
        f"dti_nightly run {run_id}: task {task_id} failed; source {_source_of(task_id)}, "
        f"window {_window_of(context)}; {reason}"
    )


def dags_test_command() -> bool:
    """True when the DAG file is parsed by ``airflow dags test``.

    Airflow 3.3's ``dags test`` crashes when a run of a DAG with a deadline alert succeeds:
    ``DagRun.update_state`` looks the alerts up by id while the DAG object ``dags test`` runs
    holds their serialised form (``cannot adapt type 'dict'``). Scheduled runs read the DAG
    from the serialised table, where the ids are, so only this command runs without the alert
    (which it would not use anyway: it runs the DAG at once, in the foreground).
    """
    return sys.argv[1:3] == ["dags", "test"]


def on_task_failure(context: Mapping[str, Any]) -> None:
    """``on_failure_callback`` of every task of ``dti_nightly``."""
    log.error(failure_message(context))


async def on_nightly_late(deadline: str, context: Mapping[str, Any] | None = None) -> None:
    """Deadline-alert callback (runs in the triggerer): the nightly run is not finished."""
    dag_run = (context or {}).get("dag_run") or {}
    run_id = dag_run.get("run_id", "?") if isinstance(dag_run, Mapping) else dag_run
    log.error(
        "dti_nightly run %s is late: not finished %s after its start; the marts still show "
        "the previous night's figures. Check the running task in the Airflow UI.",
        run_id,
        deadline,
    )

"""
# dti_nightly — portals → landing → raw → dbt → validated marts

Runs daily at **01:00 Asia/Ho_Chi_Minh** and loads the previous Vietnam day (QLVB registers
are re-exported further back, as far as `include/sources/registry.yaml` says). Triggered with
the conf `{"window_start": "YYYY-MM-DD", "window_end": "YYYY-MM-DD"}` (Vietnam dates,
inclusive) it loads that range instead — an initial load or a backfill of years, cut into the
windows the APIs accept. Running the same range twice changes nothing. Full runbook:
`docs/operations.md`.

Tasks, in order (what to do when one fails):

1. `resolve_window` — the settings (personal-data key, record tolerance, warehouse), then the
   conf or yesterday. *Fails on a bad setting or conf, naming it: fix it and trigger again.*
2. `<source>.plan` — cuts the window into extract items (months; QLVB quarters).
3. `<source>.extract` — one mapped task per entity and window, into the landing area, without
   personal data. *Retried with exponential backoff; then the error names source, endpoint and
   window.*
4. `<source>.load` — landed files into raw tables `<source>.<entity>`, each file at most once.
   *Idempotent: clear it.*
5. `<source>.validate` — Great Expectations on every load not yet released, one log line per
   suite and load (`passed — N checks ...` or `FAILED — ...`). Records invalid under the spec
   are quarantined up to the record tolerance (default 1 %). *A blocking check
   fails the task and the run publishes nothing; the message names suite, check and batch. A
   failed load is never read by dbt, tonight or later, until it is re-extracted or accepted
   (`python -m include.validate accept LOAD_ID --reason ...`).*
6. `prepare_marts`, `dbt.*`, `validate_marts` — one `dbt build` (`dbt.dbt_producer_watcher`)
   builds the marts into the candidate schema `marts_build`, then one task per model, seed and
   model's tests takes its outcome from that build (grouped by folder:
   `dbt.models.staging.onestop.<model>.run`, `dbt.models.marts.<model>.test`,
   `dbt.seeds.<seed>.seed`), and the candidate is validated. *A
   failure leaves `marts` untouched and the candidate in `marts_build` to inspect; the
   producer's log names the failed model.*
7. `publish` — swaps `marts_build` and `marts` in one transaction: BI sees the old figures or
   the new ones, never half. *Undo with `python -m include.publish rollback`.*
8. `officer_outputs` — Vietnamese draft reports (docx, HTML) for every district and commune of
   the old scheme and every province and commune of the 2025 scheme (`drafts/2025/`), for the
   latest complete quarter, half and year of each scheme (and conf `report_period`, e.g.
   `"half:2023-H1"`), and the scorecard site, into `.local/reports/` (`DTI_REPORTS_DIR`).
   *Rerun it alone.*
9. `audit` — one `ops.run_audit` row per source and entity (also in its log), whatever failed.

**Rerun one source**: clear `<source>.extract` (downstream included) for the run, or trigger a
run with the window. **Connections**: each source's (`<source>_api`, in
`include/sources/registry.yaml`), `dti_warehouse`; variable `dti_pii_hmac_key`. BI reads
schema `marts` as role `dti_bi` only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
from airflow.sdk import (
    AsyncCallback,
    CronTriggerTimetable,
    DeadlineAlert,
    DeadlineReference,
    Param,
    TaskGroup,
    dag,
    get_current_context,
    task,
)
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

from include.pipeline import dbt
from include.pipeline.alerts import (
    WINDOW_TASK_ID,
    dags_test_command,
    on_nightly_late,
    on_task_failure,
)
from include.pipeline.assets import marts_assets, raw_assets
from include.pipeline.plan import SOURCES

VIETNAM = "Asia/Ho_Chi_Minh"
MANIFEST = dbt.ensure_manifest()
MARTS_TABLES = dbt.marts_models(MANIFEST)
#: A nightly run that has not finished this long after 01:00 is late (the marts are stale).
LATE_AFTER = dt.timedelta(hours=5)
NIGHTLY_DEADLINE = DeadlineAlert(
    reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
    interval=LATE_AFTER,
    callback=AsyncCallback(on_nightly_late, kwargs={"deadline": str(LATE_AFTER)}),
)


@task(task_id=WINDOW_TASK_ID, retries=0)
def resolve_window() -> dict[str, Any]:
    from include.pipeline.plan import resolve_run_window
    from include.pipeline.steps import check_settings

    for line in check_settings():
        print(line)
    dag_run = get_current_context()["dag_run"]
    return resolve_run_window(dag_run.conf, dag_run.run_after).as_xcom()


@task(retries=0)
def plan(source: str, window: dict[str, Any]) -> list[dict[str, str]]:
    from include.pipeline.plan import RunWindow, plan_extracts

    return plan_extracts(source, RunWindow.from_xcom(window))


@task(
    retries=4,
    retry_delay=dt.timedelta(minutes=2),
    retry_exponential_backoff=2.0,
    max_retry_delay=dt.timedelta(minutes=30),
    map_index_template="{{ extract_label }}",
)
def extract(item: dict[str, str]) -> list[str]:
    from include.paths import landing_dir
    from include.pipeline.plan import ExtractItem
    from include.pipeline.steps import extract_item

    get_current_context()["extract_label"] = ExtractItem(**item).label()
    return extract_item(item, landing_dir())


@task(retries=2, retry_delay=dt.timedelta(minutes=1))
def load(manifests: list[list[str]]) -> list[dict[str, Any]]:
    from include.paths import landing_dir
    from include.pipeline.steps import load_extracts
    from include.warehouse.connection import warehouse_dsn

    paths = [path for paths in manifests for path in paths]
    return load_extracts(warehouse_dsn(), landing_dir(), paths)


@task(retries=0)
def validate(source: str, window: dict[str, Any], loads: list[dict[str, Any]]) -> None:
    from include.paths import landing_dir
    from include.pipeline.plan import RunWindow
    from include.pipeline.steps import raise_if_failed, validate_loads
    from include.warehouse.connection import warehouse_dsn

    outcomes = validate_loads(warehouse_dsn(), landing_dir(), source, loads)
    get_current_context()["ti"].xcom_push(key="outcomes", value=outcomes)
    raise_if_failed(source, RunWindow.from_xcom(window), outcomes)


@task(retries=0)
def prepare_marts() -> None:
    from include.publish import prepare_candidate
    from include.warehouse.connection import warehouse_dsn

    prepare_candidate(warehouse_dsn(), get_current_context()["run_id"], MARTS_TABLES)


@task(retries=0)
def validate_marts(window: dict[str, Any]) -> str:
    from include.pipeline.plan import RunWindow
    from include.pipeline.steps import validate_candidate
    from include.warehouse.connection import warehouse_dsn

    run_id = get_current_context()["run_id"]
    return validate_candidate(warehouse_dsn(), run_id, RunWindow.from_xcom(window))


@task(retries=0, outlets=marts_assets(MARTS_TABLES))
def publish() -> int:
    from include.publish import publish as publish_candidate
    from include.warehouse.connection import warehouse_dsn

    return publish_candidate(warehouse_dsn(), get_current_context()["run_id"], MARTS_TABLES)


@task(retries=0)
def officer_outputs() -> dict[str, int]:
    from include.pipeline.outputs import write_officer_outputs
    from include.pipeline.plan import REPORT_PERIOD_KEY
    from include.warehouse.connection import warehouse_dsn

    conf = get_current_context()["dag_run"].conf or {}
    return write_officer_outputs(warehouse_dsn(), conf.get(REPORT_PERIOD_KEY))


@task(retries=1)
def audit() -> None:
    from include.pipeline.audit import audit_rows, format_audit, write_audit
    from include.pipeline.plan import RunWindow
    from include.warehouse.connection import warehouse_dsn

    context = get_current_context()
    ti, dag_run = context["ti"], context["dag_run"]
    window = ti.xcom_pull(task_ids=WINDOW_TASK_ID)
    if window is None:
        print(f"dti_nightly {dag_run.run_id}: conf {dag_run.conf} refused, nothing was extracted")
        return
    run = RunWindow.from_xcom(window)
    loads = {source: ti.xcom_pull(task_ids=f"{source}.load") for source in SOURCES}
    validations = {
        source: ti.xcom_pull(task_ids=f"{source}.validate", key="outcomes") for source in SOURCES
    }
    published = ti.xcom_pull(task_ids="publish") is not None
    rows = audit_rows(dag_run.run_id, run, loads, validations, published=published)
    write_audit(warehouse_dsn(), rows)
    print(f"dti_nightly {dag_run.run_id}, window {run}, published: {published}")
    print(format_audit(rows))


@dag(
    dag_id="dti_nightly",
    # 01:00 in Vietnam (18:00 UTC), whatever the server's default time zone.
    schedule=CronTriggerTimetable("0 1 * * *", timezone=VIETNAM),
    start_date=pendulum.datetime(2025, 1, 1, tz=VIETNAM),
    catchup=False,
    max_active_runs=1,  # one candidate schema: runs must not build it concurrently
    doc_md=__doc__,
    tags=["dti", *SOURCES, "dbt"],
    default_args={"owner": "dti-data", "retries": 0, "on_failure_callback": on_task_failure},
    params={
        "window_start": Param(None, type=["null", "string"], description="Vietnam date"),
        "window_end": Param(None, type=["null", "string"], description="inclusive"),
        "report_period": Param(
            None, type=["null", "string"], description="also draft reports for, e.g. half:2023-H1"
        ),
    },
    deadline=None if dags_test_command() else NIGHTLY_DEADLINE,
)
def dti_nightly() -> None:
    window = resolve_window()
    validated = []
    for source in SOURCES:
        with TaskGroup(group_id=source):
            manifests = extract.expand(item=plan(source, window))
            loads = load.override(outlets=raw_assets(source))(manifests)
            validated.append(validate(source, window, loads))

    dbt.enable_folder_groups()
    dbt.quiet_rendering()
    dbt_build = DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(
            dbt_project_path=dbt.DBT_PROJECT_DIR,
            manifest_path=MANIFEST,
            project_name="dti",
            install_dbt_deps=False,
        ),
        profile_config=ProfileConfig(
            profile_name=dbt.PROFILE_NAME,
            target_name=dbt.TARGET_NAME,
            profiles_yml_filepath=dbt.DBT_PROJECT_DIR / "profiles.yml",
        ),
        # One `dbt build` of the whole project (the producer task), dbt's own executable and
        # environment; its JSON log gives each model's task and each model's tests' task
        # their state.
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER,
            dbt_executable_path=dbt.dbt_executable(),
            invocation_mode=InvocationMode.SUBPROCESS,
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.AFTER_EACH,
            # A test reading several models reports in each of their `.test` tasks: in watcher
            # mode Cosmos gives a test of its own task no outcome, and that task deferred and
            # raced the scheduler (docs/decisions.md).
            should_detach_multiple_parents_tests=False,
            emit_datasets=False,
            # One task group per folder: dbt.models.staging.onestop.<model>.run, ... (the layer
            # is in the path; dbt.enable_folder_groups keeps same-named folders apart).
            group_nodes_by_folder=True,
        ),
        operator_args={
            "append_env": True,
            "retries": 0,
            "vars": dbt.DBT_VARS,
            "interceptors": [dbt.set_warehouse_environment],
        },
    )
    dbt.watch_after_build(dbt_build)
    checked = validate_marts(window)
    published = publish()
    validated >> prepare_marts() >> dbt_build >> checked >> published >> officer_outputs()
    audit().as_teardown() << [published, *validated]


dti_nightly()

"""Integrity of ``dti_nightly``: it parses fast, and its shape keeps the operating promises."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import pendulum
import pytest

from include.paths import PROJECT_ROOT
from include.pipeline import dbt
from include.pipeline.alerts import dags_test_command
from include.pipeline.plan import SOURCE_ENTITIES, SOURCES

DAGS_FOLDER = PROJECT_ROOT / "dags"
#: Airflow's default dagbag_import_timeout is 30 s; the DAG must parse well within it once the
#: dbt manifest exists (the scheduler re-parses every file every few minutes).
PARSE_BUDGET_SECONDS = 5.0


@pytest.fixture(scope="module")
def parsed():
    from airflow.dag_processing.dagbag import DagBag

    dbt.ensure_manifest()  # the first parse after a dbt change regenerates it; not timed
    DagBag(dag_folder=str(DAGS_FOLDER))  # warm the imports
    started = time.perf_counter()
    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    return bag, time.perf_counter() - started


@pytest.fixture(scope="module")
def dag(parsed):
    bag, _ = parsed
    assert bag.import_errors == {}
    return bag.dags["dti_nightly"]


def test_dags_folder_imports_without_errors_within_the_parse_budget(parsed) -> None:
    bag, seconds = parsed
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == {"dti_nightly"}
    assert seconds < PARSE_BUDGET_SECONDS, f"parsing dags/ took {seconds:.2f} s"


def test_no_cycles(dag) -> None:
    dag.check_cycle()


def test_schedule_is_01_00_vietnam_time_without_catchup(dag) -> None:
    from airflow.serialization.serialized_objects import DagSerialization
    from airflow.timetables.base import DataInterval, TimeRestriction

    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.start_date == pendulum.datetime(2025, 1, 1, tz="Asia/Ho_Chi_Minh")
    assert dag.timezone.name == "Asia/Ho_Chi_Minh"
    # What the scheduler and the UI read: the serialized DAG.
    serialized = DagSerialization.to_dict(dag)["dag"]
    assert serialized["timezone"] == "Asia/Ho_Chi_Minh"
    assert serialized["timetable"]["__var"]["expression"] == "0 1 * * *"
    assert serialized["timetable"]["__var"]["timezone"] == "Asia/Ho_Chi_Minh"
    timetable = DagSerialization.from_dict(DagSerialization.to_dict(dag)).timetable
    first = timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=dag.start_date, latest=None, catchup=True),
    )
    # 01:00 on 1 January 2025 in Vietnam is 18:00 UTC the day before.
    assert first.run_after == pendulum.datetime(2024, 12, 31, 18, tz="UTC")
    after = pendulum.datetime(2025, 6, 10, 18, tz="UTC")
    following = timetable.next_dagrun_info(
        last_automated_data_interval=DataInterval(after, after),
        restriction=TimeRestriction(earliest=dag.start_date, latest=None, catchup=False),
    )
    assert following.run_after.in_tz("UTC").time() == dt.time(18, 0)
    assert following.run_after.in_tz("Asia/Ho_Chi_Minh").time() == dt.time(1, 0)


def test_documentation_tags_owner_and_deadline(dag) -> None:
    assert "dti_nightly" in dag.doc_md and "rollback" in dag.doc_md
    assert {"dti", *SOURCES} <= set(dag.tags)
    assert {task.owner for task in dag.tasks} == {"dti-data"}
    deadlines = dag.deadline if isinstance(dag.deadline, list) else [dag.deadline]
    assert deadlines and deadlines[0].interval == dt.timedelta(hours=5)
    assert deadlines[0].callback.path == "include.pipeline.alerts.on_nightly_late"


def test_every_task_reports_failures_through_the_alert_callback(dag) -> None:
    from include.pipeline.alerts import on_task_failure

    for task in dag.tasks:
        callbacks = task.on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        assert on_task_failure in callbacks, task.task_id


def test_one_task_group_per_source_named_like_the_source(dag) -> None:
    ids = set(dag.task_ids)
    for source in SOURCES:
        assert {f"{source}.{step}" for step in ("plan", "extract", "load", "validate")} <= ids


def test_extracts_retry_with_exponential_backoff(dag) -> None:
    for source in SOURCES:
        extract = dag.get_task(f"{source}.extract")
        assert extract.retries >= 3
        assert extract.retry_exponential_backoff >= 2
        assert extract.max_retry_delay is not None


def test_validation_and_publishing_never_retry(dag) -> None:
    no_retry = ["resolve_window", "prepare_marts", "validate_marts", "publish"]
    no_retry += [f"{source}.validate" for source in SOURCES]
    no_retry += [task.task_id for task in dag.tasks if task.task_id.startswith("dbt.")]
    for task_id in no_retry:
        assert dag.get_task(task_id).retries == 0, task_id


def test_publish_follows_validation_and_audit_always_runs_last(dag) -> None:
    publish = dag.get_task("publish")
    assert "validate_marts" in publish.upstream_task_ids
    assert dag.get_task("prepare_marts").upstream_task_ids == {
        f"{source}.validate" for source in SOURCES
    }
    dbt_tasks = {t.task_id for t in dag.tasks if t.task_id.startswith("dbt.")}
    assert dbt_tasks
    assert dag.get_task("validate_marts").upstream_task_ids - {"resolve_window"} <= dbt_tasks
    audit = dag.get_task("audit")
    assert audit.is_teardown and not audit.downstream_task_ids
    assert "publish" in audit.upstream_task_ids


def test_dbt_tasks_are_grouped_by_layer_and_folder(dag) -> None:
    dbt_tasks = {t.task_id: t for t in dag.tasks if t.task_id.startswith("dbt.")}
    assert {
        "dbt.models.staging.onestop.stg_onestop__dossiers.run",
        "dbt.models.staging.onestop.stg_onestop__dossiers.test",
        "dbt.models.intermediate.onestop.int_dossiers_classified.run",
        "dbt.models.marts.indicator_value.run",
        "dbt.seeds.source_entities.seed",
    } <= set(dbt_tasks)
    # Every model's task is in the group of its folder (two folders are named onestop).
    models = json.loads(dbt.ensure_manifest().read_text(encoding="utf-8"))["nodes"].values()
    for node in models:
        if node["resource_type"] == "model":
            folder = ".".join(Path(node["original_file_path"]).parts[:-1])
            task_ids = {f"dbt.{folder}.{node['name']}.run", f"dbt.{folder}.{node['name']}_run"}
            assert task_ids & set(dbt_tasks), node["unique_id"]
    # A test over several models has no task of its own (it would get no outcome from the
    # watcher and wait deferred): it reports in the `.test` task of each model it reads.
    assert not [t for t in dbt_tasks if t.endswith("_test")]


def test_dbt_runs_from_its_own_environment_into_the_candidate_schema(dag) -> None:
    dbt_tasks = [t for t in dag.tasks if t.task_id.startswith("dbt.")]
    for task in dbt_tasks:
        if task.task_id == "dbt.dbt_producer_watcher_done":  # Cosmos' empty gate
            continue
        assert str(task.dbt_executable_path) == str(dbt.dbt_executable())
        assert dbt.set_warehouse_environment in task.interceptors
        assert task.vars == {"marts_schema": "marts_build"}
    env = dbt.dbt_environment("postgresql://etl:s%40cret@db.example:6543/dti")
    assert env == {
        "DTI_PG_HOST": "db.example",
        "DTI_PG_PORT": "6543",
        "DTI_PG_USER": "etl",
        "DTI_PG_PASSWORD": "s@cret",
        "DTI_PG_DBNAME": "dti",
    }


def test_one_dbt_build_then_one_task_per_model_reading_its_outcome(dag) -> None:
    from cosmos.constants import InvocationMode

    producer = dag.get_task("dbt.dbt_producer_watcher")
    assert producer.invocation_mode == InvocationMode.SUBPROCESS  # dbt is not in this venv
    assert producer.base_cmd == ["build"] and not producer.select and not producer.exclude
    assert dag.get_task("prepare_marts").downstream_task_ids == {producer.task_id}
    # Every per-model task waits for the build (`airflow dags test` runs one task at a time).
    watched = [t for t in dag.tasks if t.task_id.startswith("dbt.") and t is not producer]
    assert len(watched) > 50
    for task in watched:
        assert producer.task_id in task.get_flat_relative_ids(upstream=True), task.task_id
    kinds = {type(t).__name__ for t in watched}
    assert {"DbtRunWatcherOperator", "DbtTestWatcherOperator", "DbtSeedWatcherOperator"} <= kinds


def test_assets_give_lineage_from_raw_tables_to_marts(dag) -> None:
    for source, entities in SOURCE_ENTITIES.items():
        outlets = {asset.name for asset in dag.get_task(f"{source}.load").outlets}
        assert outlets == {f"{source}.{entity}" for entity in entities}
    published = {asset.name for asset in dag.get_task("publish").outlets}
    assert {"marts.indicator_value", "marts.dti_index"} <= published
    assert published == {f"marts.{table}" for table in dbt.marts_models()}


def test_only_the_dags_test_command_runs_without_the_deadline(monkeypatch) -> None:
    # Airflow 3.3's `dags test` cannot finish a run of a DAG with a deadline alert
    # (include/pipeline/alerts.py); every other parser (scheduler, dag-processor) keeps it.
    assert not dags_test_command()
    monkeypatch.setattr(sys, "argv", ["airflow", "dags", "test", "dti_nightly"])
    assert dags_test_command()
    monkeypatch.setattr(sys, "argv", ["airflow", "dag-processor"])
    assert not dags_test_command()

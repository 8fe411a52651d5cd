"""The operator's Airflow: ``dti_nightly`` run by the real scheduler (LocalExecutor,
dag-processor, triggerer, api-server), and its pages in a real browser.

The three portal simulators serve the ``small`` scenario (Mỹ Hào, Apr–Jun 2023) with every
transport fault on. A healthy run is triggered through the REST API as the UI's trigger form
does; then a headless Chromium opens what an operator opens — the DAG, its trigger form and
details, the run's grid, graph (groups expanded) and Gantt, an extract's and a validate
task's log, an asset's graph — and a page fails the
test on an HTTP error or a console error, a log pane on being empty. A second run with a
record that breaks the spec (tolerance 0) must block publishing and say why in the validate
task's log, while a portal down at its start has its extracts retried. The screenshots are
the runbook's (docs/operations.md): ``.local/artifacts/screenshots/operations/``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from include.local_airflow import LocalAirflow, free_port
from include.paths import PROJECT_ROOT
from include.scenario import DataFaults, build_scenario
from include.simulators import FaultConfig, OnestopSimulator, QlvbSimulator
from tests.e2e.stack import Stack, audit_rows, marts_snapshot
from tests.webdriver import MISSING, Browser

# Measured alone on this 2-core class: the first test, Airflow's start and the healthy run,
# 261 s; the blocked run (Airflow restarted, a 2-min retry delay waited out) 253 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

DAG_ID = "dti_nightly"
WINDOW = {"window_start": "2023-04-01", "window_end": "2023-06-30"}
HEALTHY = "e2e__healthy"
BLOCKED = "e2e__blocked"
SCREENSHOTS = PROJECT_ROOT / ".local" / "artifacts" / "screenshots" / "operations"
RUN_TIMEOUT = 1200


@pytest.fixture(scope="module")
def scenario():
    return build_scenario("small", 0, data_faults=DataFaults.all())


@pytest.fixture(scope="module")
def stack(server_dsn: str, scenario) -> Iterator[Stack]:
    stack = Stack(server_dsn, scenario)
    try:
        yield stack
    finally:
        stack.close()


@pytest.fixture(scope="module")
def healthy(stack: Stack) -> LocalAirflow:
    airflow = stack.start_airflow()
    airflow.trigger(DAG_ID, WINDOW, HEALTHY)
    assert airflow.wait_for_run(DAG_ID, HEALTHY, timeout=RUN_TIMEOUT) == "success"
    return airflow


def _task_log(airflow: LocalAirflow, run_id: str, task_id: str, map_index: int = -1) -> str:
    """The events of a task's latest attempt, as the api-server serves them to the UI."""
    path = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}"
    if map_index >= 0:
        path += f"/{map_index}"
    try_number = airflow.api("GET", path)["try_number"]
    logs = airflow.api(
        "GET",
        f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}",
        params={"map_index": map_index, "full_content": True},
    )
    return "\n".join(str(item.get("event", "")) for item in logs["content"])


def test_a_run_under_the_scheduler_succeeds_and_every_task_logs(healthy: LocalAirflow) -> None:
    tasks = healthy.task_instances(DAG_ID, HEALTHY)
    assert {task["state"] for task in tasks} == {"success"}
    for task in tasks:
        if (
            task["task_id"].endswith((".extract", ".validate", ".load"))
            or "." not in task["task_id"]
        ):
            log = _task_log(healthy, HEALTHY, task["task_id"], task["map_index"])
            assert "Done." in log or "Task instance is in" in log or log.strip(), task


def test_the_task_logs_say_what_was_done_without_noise(healthy: LocalAirflow) -> None:
    extract = _task_log(healthy, HEALTHY, "onestop.extract", 0)
    assert "records landed" in extract
    validate = _task_log(healthy, HEALTHY, "onestop.validate")
    assert "_get_default_value" not in validate
    for text in (extract, validate, _task_log(healthy, HEALTHY, "dbt.dbt_producer_watcher")):
        assert "\x1b[" not in text  # no ANSI colour codes
        assert "telemetry" not in text.lower()


def _open(browser: Browser, url: str, ready: str, shot: str | None = None) -> str:
    """Open ``url``, wait until the page's text holds ``ready``; fail on console errors (a
    failed API call is one: "Failed to load resource: ... status of 500")."""
    browser.console()  # drop what earlier pages logged
    browser.get(url)
    found = browser.wait_for(
        f"return document.body.innerText.includes({json.dumps(ready)}) "
        "? document.body.innerText : ''",
        timeout=60,
    )
    if shot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"{shot}.png").write_bytes(browser.screenshot())
    assert found, (
        f"{url}: {ready!r} never appeared:\n{browser.run('return document.body.innerText')[:3000]}"
    )
    errors = [entry for entry in browser.console() if entry.get("level") == "SEVERE"]
    assert errors == [], f"{url}: {errors}"
    return found


def _click(browser: Browser, button: str, ready: str, shot: str | None = None) -> None:
    """Click the button labelled ``button`` (its aria-label starts so, or its text is it),
    wait for ``ready`` in the page; fail on console errors."""
    found = browser.run(
        "const b = Array.from(document.querySelectorAll('button')).find(e => "
        f"(e.getAttribute('aria-label') || '').startsWith({json.dumps(button)}) "
        f"|| e.innerText.trim() === {json.dumps(button)}); if (b) b.click(); return !!b"
    )
    assert found, f"no button {button!r}"
    shown = browser.wait_for(
        f"return document.body.innerText.includes({json.dumps(ready)})", timeout=60
    )
    if shot:
        (SCREENSHOTS / f"{shot}.png").write_bytes(browser.screenshot())
    assert shown, f"{button}: {ready!r} never appeared"
    errors = [entry for entry in browser.console() if entry.get("level") == "SEVERE"]
    assert errors == [], f"{button}: {errors}"


@pytest.fixture(scope="module")
def browser(healthy: LocalAirflow) -> Iterator[Browser]:
    if MISSING:
        pytest.skip(MISSING)
    session = Browser()
    try:
        # Logged in as the admin, with the token the login form would set.
        session.get(f"{healthy.url}/api/v2/version")
        session.add_cookie("_token", healthy.token())
        yield session
    finally:
        session.close()


def _run_url(airflow: LocalAirflow, run_id: str, tail: str = "") -> str:
    return f"{airflow.url}/dags/{DAG_ID}/runs/{quote(run_id)}{tail}"


def test_the_operator_s_pages_work_in_a_browser(healthy: LocalAirflow, browser: Browser) -> None:
    _open(browser, f"{healthy.url}/dags/{DAG_ID}", "dti_nightly")
    _click(browser, "Trigger", "report_period")  # the trigger form and its params
    _open(browser, f"{healthy.url}/dags/{DAG_ID}/details", "Asia/Ho_Chi_Minh")
    _open(browser, _run_url(healthy, HEALTHY), HEALTHY, shot="healthy-run")
    _click(browser, "Show Graph", "resolve_window")
    # dbt grouped by folder: expanded, the graph names the models
    _click(browser, "Expand all task groups", "stg_onestop__dossiers", shot="graph")
    _click(browser, "Show Gantt", "dbt_producer_watcher", shot="gantt")
    _open(
        browser,
        _run_url(healthy, HEALTHY, "/tasks/onestop.extract/mapped/0"),
        "records landed",
        shot="extract-log",
    )
    _open(
        browser,
        _run_url(healthy, HEALTHY, "/tasks/onestop.validate"),
        "passed",
        shot="validate-log",
    )
    asset = healthy.api("GET", "/assets", params={"uri_pattern": "onestop", "limit": 1})
    asset_id = asset["assets"][0]["id"]
    _open(browser, f"{healthy.url}/assets/{asset_id}", asset["assets"][0]["name"], shot="asset")


def _ended_before_received(scenario) -> str:
    """Make one resolved dossier of the window read as ended the day before it was accepted: a
    record the extractor lands (its fields are well formed) but a record check refuses, which
    blocks the batch once the tolerance is 0."""
    for index, record in enumerate(scenario.dossiers):
        updated = record.get("NgayCapNhat") or ""
        if (
            "20230401" <= updated[:8] <= "20230630"
            and record.get("NgayTiepNhan")
            and record.get("NgayKetThucXuLy")
            and not record.get("_malformed")
        ):
            received = dt.datetime.strptime(record["NgayTiepNhan"], "%Y%m%d%H%M%S")
            early = (received - dt.timedelta(days=1)).strftime("%Y%m%d%H%M%S")
            scenario.dossiers[index] = {**record, "NgayKetThucXuLy": early}
            return record["MaHoSo"]
    raise AssertionError("the scenario has no ended dossier updated in the window")


def _retried_extract(airflow: LocalAirflow, run_id: str, *, timeout: float) -> dict:
    """Wait until an attempt of a ``qlvb.extract`` has failed; that task instance."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for task in airflow.task_instances(DAG_ID, run_id):
            if task["task_id"] == "qlvb.extract" and task["state"] == "up_for_retry":
                return task
        time.sleep(3)
    raise AssertionError(f"no qlvb.extract failed an attempt in {timeout:.0f} s")


def test_a_blocking_failure_stops_publishing_and_a_portal_outage_is_retried(
    stack: Stack, scenario, healthy: LocalAirflow, browser: Browser
) -> None:
    published_before = marts_snapshot(stack.warehouse)
    _ended_before_received(scenario)
    tampered = OnestopSimulator(scenario, faults=FaultConfig.none()).start()
    # No tolerance: one record that breaks the spec blocks the batch (docs/validation.md).
    stack.env["AIRFLOW_VAR_DTI_RECORD_TOLERANCE"] = "0"
    stack.point_at("onestop", tampered.url)
    # QLVB is down when the run starts: its extracts fail their first attempt and are retried
    # (the DAG's retry delay, 2 min) once it is back.
    outage_port = free_port(0)
    stack.point_at("qlvb", f"http://127.0.0.1:{outage_port}")
    back = None
    try:
        airflow = stack.start_airflow()  # the components read connections at start
        airflow.trigger(DAG_ID, WINDOW, BLOCKED)
        retried = _retried_extract(airflow, BLOCKED, timeout=600)
        back = QlvbSimulator(scenario, faults=FaultConfig.none(), port=outage_port).start()
        assert airflow.wait_for_run(DAG_ID, BLOCKED, timeout=RUN_TIMEOUT) == "failed"
    finally:
        tampered.stop()
        if back is not None:
            back.stop()
    log = _task_log(airflow, BLOCKED, "onestop.validate")
    assert "onestop window 2023-04-01..2023-06-30" in log
    assert "NgayTiepNhan" in log  # the failed check names the columns it compares
    assert "dti_nightly run" in log  # the failure callback's sentence
    states = {
        (task["task_id"], task["map_index"]): task
        for task in airflow.task_instances(DAG_ID, BLOCKED)
    }
    assert states["onestop.validate", -1]["state"] == "failed"
    assert states["publish", -1]["state"] == "upstream_failed"
    assert states["audit", -1]["state"] == "success"  # the teardown records the failure
    again = states["qlvb.extract", retried["map_index"]]
    assert (again["state"], again["try_number"]) == ("success", 2)
    assert states["qlvb.validate", -1]["state"] == "success"
    assert marts_snapshot(stack.warehouse) == published_before  # previous figures, queryable
    failed = [row for row in audit_rows(stack.warehouse) if row[5] == "failed"]
    assert [(row[1], row[2]) for row in failed] == [("onestop", "hoso")]
    assert "NgayTiepNhan" in failed[0][6] and not failed[0][7]
    _open(browser, _run_url(airflow, BLOCKED), BLOCKED, shot="blocked-run")
    _open(
        browser,
        _run_url(airflow, BLOCKED, "/tasks/onestop.validate"),
        "NgayTiepNhan",
        shot="blocked-validate-log",
    )
    _open(
        browser,
        _run_url(airflow, BLOCKED, f"/tasks/qlvb.extract/mapped/{retried['map_index']}"),
        "records landed",
        shot="retried-extract-log",
    )

"""What a validation says in the task log: one line per suite and batch, GX's noise filtered."""

from __future__ import annotations

import logging

import great_expectations as gx
import pytest
from validate_helpers import WINDOW, dossier

from include.pipeline.plan import RunWindow
from include.pipeline.steps import raise_if_failed
from include.validate import validate_load
from include.validate.gx_runner import quiet_gx_logs

GOOD = [dossier(f"H33-{n:04d}") for n in range(199)]
BAD_STATUS = dossier("H33-9001", TrangThaiHoSo="11")
STATUS_CHECK = "expect_column_values_to_be_in_set(TrangThaiHoSo)"
WHERE = f"window {WINDOW[0]}..{WINDOW[1]}"


def run(dsn, load_id, landing, tmp_path, **options):
    return validate_load(
        dsn, load_id, landing_root=landing.root, output=tmp_path / "validation", **options
    )


def test_a_passing_load_says_checks_and_quarantine_in_one_line_per_suite(
    load, landing, fresh_dsn, tmp_path
):
    load_id = load([BAD_STATUS, *GOOD])  # 1 of 200 records invalid: within 1 %

    outcome = run(fresh_dsn, load_id, landing, tmp_path, tolerance=0.01)

    records, counts = outcome.runs
    assert outcome.verdicts() == [
        f"onestop.hoso load {load_id} ({WHERE}): passed — {sum(records.evaluated.values())} "
        "checks, 0 failed, 1 records quarantined (0.5 %, tolerance 1 %)",
        f"onestop.hoso.load load {load_id} ({WHERE}): passed — "
        f"{sum(counts.evaluated.values())} checks, 0 failed",
    ]


def test_a_failed_load_names_the_check_and_what_it_found(load, landing, fresh_dsn, tmp_path):
    load_id = load([BAD_STATUS, *GOOD[:9]])  # 1 of 10: beyond 1 %

    outcome = run(fresh_dsn, load_id, landing, tmp_path, tolerance=0.01)

    [records, _counts] = outcome.verdicts()
    checks = sum(outcome.runs[0].evaluated.values())
    assert records.startswith(
        f"onestop.hoso load {load_id} ({WHERE}): FAILED — 1 of {checks} checks failed: "
        f"{STATUS_CHECK}: 1 of 10 rows unexpected, e.g. ['11'] (beyond the record tolerance"
    )
    assert "\n" not in records


def test_the_validate_task_logs_the_verdict_of_the_source(caplog):
    run_window = RunWindow(*WINDOW, nightly=True)
    passed = [{"entity": "hoso", "load_id": 7, "passed": True, "message": "ok"}]
    with caplog.at_level(logging.INFO, logger="include.pipeline.steps"):
        raise_if_failed("onestop", run_window, passed)
    assert [r.getMessage() for r in caplog.records] == [
        f"onestop window {run_window.window}: 1 loads validated, all passed"
    ]


@pytest.fixture
def expectation_log(caplog):
    """GX's expectation logger as a validation task's log sees it."""
    quiet_gx_logs()
    with caplog.at_level(logging.INFO, logger="great_expectations"):
        yield caplog


def test_gx_noise_is_dropped_at_its_logger_and_its_warnings_get_through(expectation_log):
    expectation = gx.expectations.ExpectColumnValuesToNotBeNull(column="MaHoSo")

    expectation._get_default_value("row_condition_of_no_such_kind")  # GX's INFO noise
    expectation._get_success_kwarg("no_such_kwarg")  # GX's warning
    logging.getLogger("great_expectations.expectations.expectation").error("a GX error")

    assert [(r.name, r.levelname, r.getMessage()) for r in expectation_log.records] == [
        (
            "great_expectations.expectations.expectation",
            "WARNING",
            '_get_success_kwarg called with key "no_such_kwarg", but it is not a known field '
            "of ExpectColumnValuesToNotBeNull",
        ),
        ("great_expectations.expectations.expectation", "ERROR", "a GX error"),
    ]


def test_other_gx_info_lines_still_get_through(expectation_log):
    logging.getLogger("great_expectations.expectations.expectation").info("something useful")

    assert [r.getMessage() for r in expectation_log.records] == ["something useful"]

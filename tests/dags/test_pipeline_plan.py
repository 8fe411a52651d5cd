"""The run window, the extract plan, the audit rows and the alert text of ``dti_nightly``."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from include.pipeline.alerts import failure_message
from include.pipeline.audit import audit_rows
from include.pipeline.outputs import parse_report_period
from include.pipeline.plan import (
    SOURCE_ENTITIES,
    ConfError,
    RunWindow,
    plan_extracts,
    resolve_run_window,
)
from include.sources import registry

# 01:00 in Vietnam on 10 March 2025 is 18:00 UTC on the 9th: that run loads the 9th.
NIGHT = dt.datetime(2025, 3, 9, 18, 0, tzinfo=dt.UTC)


def test_entities_are_the_extractors_own() -> None:
    assert set(SOURCE_ENTITIES) == set(registry.SOURCES)
    for source in registry.SOURCES.values():
        assert tuple(SOURCE_ENTITIES[source.slug]) == source.extractor_module().ENTITIES


def test_nightly_window_is_the_previous_vietnam_day() -> None:
    run = resolve_run_window({}, NIGHT)
    assert run == RunWindow(dt.date(2025, 3, 9), dt.date(2025, 3, 9), nightly=True)
    assert resolve_run_window({"window_start": None, "window_end": None}, NIGHT) == run


def test_conf_window_is_taken_as_is() -> None:
    conf = {"window_start": "2023-01-01", "window_end": "2024-12-31"}
    assert resolve_run_window(conf, NIGHT) == RunWindow(
        dt.date(2023, 1, 1), dt.date(2024, 12, 31), nightly=False
    )


def test_a_report_period_rides_along_with_the_window() -> None:
    conf = {
        "window_start": "2023-01-01",
        "window_end": "2023-06-30",
        "report_period": "half:2023-H1",
    }
    assert resolve_run_window(conf, NIGHT) == RunWindow(
        dt.date(2023, 1, 1), dt.date(2023, 6, 30), nightly=False
    )
    assert parse_report_period(conf["report_period"]) == (("half", "2023-H1"),)
    assert resolve_run_window({"report_period": "year:2023"}, NIGHT).nightly


@pytest.mark.parametrize(
    ("conf", "named"),
    [
        ({"window_start": "2023-01-01"}, "conf window_end"),
        ({"window_start": "2023-02-30", "window_end": "2023-03-01"}, "conf window_start"),
        ({"window_start": "2023-03-02", "window_end": "2023-03-01"}, "conf window_end"),
        ({"window_start": "2025-03-01", "window_end": "2025-03-10"}, "conf window_end"),
        ({"window_start": 20230101, "window_end": "2023-03-01"}, "conf window_start"),
        ({"window_star": "2023-01-01", "window_end": "2023-03-01"}, "conf window_star"),
        ({"report_period": "2023-H1"}, "conf report_period"),
    ],
)
def test_a_bad_conf_is_refused_naming_the_setting(conf: dict, named: str) -> None:
    with pytest.raises(ConfError, match=f"^{named}"):
        resolve_run_window(conf, NIGHT)


def test_two_year_backfill_is_cut_to_api_limits() -> None:
    run = RunWindow(dt.date(2023, 1, 1), dt.date(2024, 12, 31), nightly=False)
    onestop_items = plan_extracts("onestop", run)
    assert onestop_items[0] == {
        "source": "onestop",
        "entity": "donvi",
        "start": "2023-01-01",
        "end": "2024-12-31",
    }
    hoso = [i for i in onestop_items if i["entity"] == "hoso"]
    assert len(hoso) == 24
    for item in hoso:
        days = (dt.date.fromisoformat(item["end"]) - dt.date.fromisoformat(item["start"])).days
        assert days < 31
    den = [i for i in plan_extracts("qlvb", run) if i["entity"] == "den"]
    assert len(den) == 8
    assert all(
        (dt.date.fromisoformat(i["end"]) - dt.date.fromisoformat(i["start"])).days <= 91
        for i in den
    )
    assert len(plan_extracts("dvc_portal", run)) == 1 + 2 * 24


def test_nightly_qlvb_registers_are_re_exported_over_their_lookback() -> None:
    run = RunWindow(dt.date(2025, 3, 9), dt.date(2025, 3, 9), nightly=True)
    items = plan_extracts("qlvb", run)
    spans = {}
    for item in items:
        first, last = spans.get(item["entity"], (item["start"], item["end"]))
        spans[item["entity"]] = (min(first, item["start"]), max(last, item["end"]))
    assert spans["donvi"] == ("2025-03-09", "2025-03-09")
    assert spans["di"] == ("2025-02-07", "2025-03-09")  # 31 days ending on the night's day
    assert spans["den"] == ("2024-12-08", "2025-03-09")  # 92 days
    assert spans["hscv"][0] == "2024-03-09"  # 366 days
    assert [i["start"] for i in plan_extracts("onestop", run)] == ["2025-03-09"] * 3


def test_audit_has_a_row_per_source_and_entity_with_the_validation_verdict() -> None:
    run = RunWindow(dt.date(2023, 4, 1), dt.date(2023, 6, 30), nightly=False)
    load = {
        "extracted": 10,
        "loaded": 9,
        "quarantined": 1,
        "extract_seconds": 1.5,
        "load_seconds": 0.25,
    }
    loads = {
        "onestop": [
            {**load, "entity": "hoso", "load_id": 1, "new": True},
            {**load, "entity": "hoso", "load_id": None, "new": False, "loaded": 0},
        ],
        "qlvb": [{**load, "entity": "den", "load_id": 2, "new": True}],
        "dvc_portal": None,  # its load never ran
    }
    validations = {
        "onestop": [{"entity": "hoso", "load_id": 1, "passed": True, "message": "ok"}],
        "qlvb": [{"entity": "den", "load_id": 2, "passed": False, "message": "Độ mật bad"}],
    }
    rows = {
        (r.source, r.entity): r for r in audit_rows("r1", run, loads, validations, published=False)
    }
    assert len(rows) == len(list(registry.all_entities()))
    hoso = rows[("onestop", "hoso")]
    assert (hoso.extracts, hoso.extracted, hoso.loaded, hoso.already_loaded) == (2, 20, 9, 1)
    assert (hoso.quarantined, hoso.load_ids, hoso.validation) == (1, [1], "passed")
    assert (rows[("qlvb", "den")].validation, rows[("qlvb", "den")].validation_message) == (
        "failed",
        "Độ mật bad",
    )
    assert rows[("onestop", "donvi")].validation == "nothing_new"
    assert rows[("dvc_portal", "payments")].validation == "not_run"


def test_failure_message_names_task_source_window_and_check() -> None:
    ti = SimpleNamespace(
        task_id="qlvb.validate",
        map_index=-1,
        xcom_pull=lambda task_ids: {"start": "2023-04-01", "end": "2023-06-30", "nightly": False},
    )
    context = {
        "ti": ti,
        "dag_run": SimpleNamespace(run_id="manual__1", conf={}),
        "exception": RuntimeError("expect_column_values_to_be_in_set(Độ mật) on qlvb.den"),
    }
    message = failure_message(context)
    assert message == (
        "dti_nightly run manual__1: task qlvb.validate failed; source qlvb, window "
        "2023-04-01..2023-06-30; RuntimeError: expect_column_values_to_be_in_set(Độ mật) on "
        "qlvb.den"
    )
    context["ti"] = SimpleNamespace(
        task_id="resolve_window", map_index=-1, xcom_pull=lambda **_: None
    )
    context["dag_run"] = SimpleNamespace(run_id="manual__2", conf={"window_start": "x"})
    assert "source all sources, window not resolved (conf {'window_start': 'x'})" in (
        failure_message(context)
    )

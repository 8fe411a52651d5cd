"""Record-level checks tolerate a share of bad records (GX ``mostly``): within it the records are
quarantined and the load passes; beyond it the load blocks. Anomalies that change no figure
only warn; batch-level failures block whatever the share."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from validate_helpers import YESTERDAY, dossier, stamp

from include.connections import ConfigurationError
from include.validate import validate_load
from include.validate.definitions import DefinitionError, load_definition
from include.validate.settings import DEFAULT_TOLERANCE, TOLERANCE_VARIABLE, record_tolerance

#: 200 good dossiers: at the default 1 %, two bad ones are tolerated, three are not.
GOOD = [dossier(f"H33-{n:04d}") for n in range(200)]
BAD_STATUS = [dossier(f"H33-9{n:03d}", TrangThaiHoSo="11") for n in range(3)]
STATUS_CHECK = "expect_column_values_to_be_in_set(TrangThaiHoSo)"
END_CHECK = (
    "expect_column_pair_values_a_to_be_greater_than_b(NgayKetThucXuLy_ngay, NgayTiepNhan_ngay)"
)


def run(dsn, load_id, landing, tmp_path, **options):
    return validate_load(
        dsn, load_id, landing_root=landing.root, output=tmp_path / "validation", **options
    )


def counts(dsn: str, load_id: int) -> tuple[int, list[tuple]]:
    with psycopg.connect(dsn) as conn:
        raw = conn.execute(
            "SELECT count(*) FROM onestop.hoso WHERE load_id = %s", (load_id,)
        ).fetchone()[0]
        held = conn.execute(
            "SELECT stage, record->>'MaHoSo', reason FROM ops.quarantine WHERE load_id = %s "
            "ORDER BY 2",
            (load_id,),
        ).fetchall()
    return raw, held


def test_invalid_records_within_the_tolerance_are_quarantined_and_the_load_passes(
    load, landing, fresh_dsn, tmp_path
):
    # Two invalid records of 202: a status outside 1..10, an end on the day before intake.
    ended_early = stamp(10, YESTERDAY - dt.timedelta(days=1))
    bad = [BAD_STATUS[0], dossier("H33-7001", NgayKetThucXuLy=ended_early)]
    load_id = load([*GOOD[:100], *bad, *GOOD[100:]])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert outcome.passed, outcome.message()
    assert [q.check for q in outcome.quarantined] == [STATUS_CHECK, END_CHECK]
    assert outcome.quarantined[0].found.startswith(
        "1 of 202 rows quarantined, e.g. ['11'] (within the record tolerance of 1.00%)"
    )
    raw, held = counts(fresh_dsn, load_id)
    assert raw == 200
    assert [(stage, code) for stage, code, _ in held] == [
        ("validation", "H33-7001"),
        ("validation", "H33-9000"),
    ]
    assert held[1][2].startswith(f"onestop.hoso: {STATUS_CHECK}: TrangThaiHoSo is 1..10")
    # The load's own counts see the move: nothing is missing, nothing was added.
    assert [r.suite for r in outcome.runs if r.passed] == ["onestop.hoso", "onestop.hoso.load"]
    assert "2 rows quarantined" in outcome.summary()
    with psycopg.connect(fresh_dsn) as conn:
        logged = conn.execute(
            "SELECT suite, quarantined_rows FROM ops.validation_run ORDER BY validation_run_id"
        ).fetchall()
    assert logged == [("onestop.hoso", 2), ("onestop.hoso.load", 0)]

    again = run(fresh_dsn, load_id, landing, tmp_path)

    assert again.passed and again.quarantined == [], again.message()
    assert counts(fresh_dsn, load_id)[0] == 200


def test_beyond_the_tolerance_the_load_blocks_whole_and_the_tolerance_is_a_setting(
    load, landing, fresh_dsn, tmp_path, monkeypatch
):
    load_id = load([*GOOD, *BAD_STATUS])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert not outcome.passed
    [failure] = outcome.blocking_failures
    assert failure.check == STATUS_CHECK
    assert "3 of 203 rows unexpected" in failure.found
    assert "(beyond the record tolerance of 1.00%)" in failure.found
    assert counts(fresh_dsn, load_id) == (203, [])  # kept whole, to be inspected

    monkeypatch.setenv(f"AIRFLOW_VAR_{TOLERANCE_VARIABLE.upper()}", "0.02")
    assert run(fresh_dsn, load_id, landing, tmp_path).passed
    assert counts(fresh_dsn, load_id)[0] == 200


def test_a_same_day_end_before_intake_only_warns(load, landing, fresh_dsn, tmp_path):
    # Issue 10: a conforming server's dossiers, some ended minutes "before" their intake on the
    # same day. Dates are all any figure reads, so none changes: counted, reported, kept.
    odd = [
        dossier(f"H33-800{n}", NgayTiepNhan=stamp(11), NgayKetThucXuLy=stamp(10)) for n in (1, 2)
    ]
    load_id = load([*GOOD[:20], *odd])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert outcome.passed, outcome.message()
    assert outcome.quarantined == []
    [warning] = outcome.warnings
    assert warning.check == "expect_column_values_to_be_null(ended_before_received_same_day)"
    assert warning.found.startswith("2 of 22 rows unexpected, e.g. ['H33-8001: received ")
    assert counts(fresh_dsn, load_id) == (22, [])


def test_a_batch_level_failure_blocks_whatever_the_share(load, landing, fresh_dsn, tmp_path):
    # One record short of the API's total is 0.5 % of the load: still a lost record.
    load_id = load(GOOD, source_totals={"tong_so_ban_ghi": 201})

    outcome = run(fresh_dsn, load_id, landing, tmp_path, tolerance=0.1)

    assert [f.check for f in outcome.blocking_failures] == [
        "expect_column_pair_values_to_be_equal(extracted, source_total)"
    ]


def test_rows_without_a_landed_line_cannot_be_quarantined_and_block(
    load, landing, fresh_dsn, tmp_path
):
    load_id = load([*GOOD, BAD_STATUS[0]])
    with psycopg.connect(fresh_dsn) as conn:
        conn.execute("UPDATE onestop.hoso SET line_no = NULL WHERE load_id = %s", (load_id,))

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    [failure] = outcome.blocking_failures
    assert failure.check == STATUS_CHECK and "re-extract the window" in failure.found
    assert counts(fresh_dsn, load_id) == (201, [])


@pytest.mark.parametrize("value", ["abc", "-0.01", "0.5", "nan"])
def test_a_bad_tolerance_setting_is_refused_naming_it(monkeypatch, value):
    monkeypatch.setenv(f"AIRFLOW_VAR_{TOLERANCE_VARIABLE.upper()}", value)
    with pytest.raises(ConfigurationError, match=TOLERANCE_VARIABLE):
        record_tolerance()


def test_the_default_tolerance_is_one_percent(monkeypatch):
    monkeypatch.delenv(f"AIRFLOW_VAR_{TOLERANCE_VARIABLE.upper()}", raising=False)
    monkeypatch.delenv("AIRFLOW_HOME", raising=False)
    assert record_tolerance() == DEFAULT_TOLERANCE == 0.01


def test_a_record_check_must_be_a_map_expectation(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(
        '{"name": "x", "expectations": [{"type": "expect_table_row_count_to_be_between",'
        ' "kwargs": {"min_value": 1}, "meta": {"severity": "record", "why": "a row is needed"}}]}'
    )
    with pytest.raises(DefinitionError, match="not a map expectation"):
        load_definition(path)

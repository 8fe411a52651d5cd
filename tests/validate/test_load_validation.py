"""Validation of raw loads: scoped to one load, blocking vs warning, results kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from validate_helpers import YESTERDAY, dossier, stamp

from include.landing import QuarantineEntry
from include.validate import ValidationFailed, gx_runner, validate_load, validate_loads

GOOD = [dossier("H33-0001"), dossier("H33-0002", KenhThucHien="1"), dossier("H33-0003")]


def run(dsn, load_id, landing, tmp_path):
    return validate_load(dsn, load_id, landing_root=landing.root, output=tmp_path / "validation")


def test_a_good_load_passes_and_its_results_are_kept(load, landing, fresh_dsn, tmp_path):
    load_id = load(GOOD)

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert outcome.passed, outcome.message()
    assert outcome.warnings == []
    assert [r.suite for r in outcome.runs] == ["onestop.hoso", "onestop.hoso.load"]
    assert all(r.evaluated["blocking"] > 5 for r in outcome.runs)
    with psycopg.connect(fresh_dsn) as conn:
        rows = conn.execute(
            "SELECT suite, source, entity, load_id, passed, blocking_failed, warning_failed, "
            "data_docs_path FROM ops.validation_run ORDER BY validation_run_id"
        ).fetchall()
    assert [r[:7] for r in rows] == [
        ("onestop.hoso", "onestop", "hoso", load_id, True, 0, 0),
        ("onestop.hoso.load", "onestop", "hoso", load_id, True, 0, 0),
    ]
    assert outcome.data_docs_path == tmp_path / "validation" / "data_docs" / "index.html"
    assert outcome.data_docs_path.is_file()
    for row in rows:
        page = Path(row[7])
        assert page.suffix == ".html" and row[0] in page.read_text(encoding="utf-8")


def test_the_data_docs_index_lists_only_the_latest_results(
    load, landing, fresh_dsn, tmp_path, monkeypatch
):
    monkeypatch.setattr(gx_runner, "DATA_DOCS_INDEX_LIMIT", 2)
    outcomes = [run(fresh_dsn, load([dossier(f"H33-000{n}")]), landing, tmp_path) for n in (1, 2)]

    site = outcomes[-1].data_docs_path.parent
    index = outcomes[-1].data_docs_path.read_text(encoding="utf-8")
    pages = [run.data_docs_page for outcome in outcomes for run in outcome.runs]
    assert len(pages) == 4  # two suites per load
    listed = [page for page in pages if quote(str(page.relative_to(site))) in index]
    assert listed == pages[2:]  # the second load's two results; the first load's are older
    assert all(page.is_file() for page in pages)  # still in the site, only not in the index
    assert len(list((tmp_path / "validation" / "results").rglob("*.json"))) == 4


@pytest.mark.parametrize(
    ("bad", "check"),
    [
        (
            dossier("H33-0009", TrangThaiHoSo="11"),
            "expect_column_values_to_be_in_set(TrangThaiHoSo)",
        ),
        # Processing ended on the day before intake.
        (
            dossier("H33-0009", NgayKetThucXuLy=stamp(10, YESTERDAY - dt.timedelta(days=1))),
            "expect_column_pair_values_a_to_be_greater_than_b(NgayKetThucXuLy_ngay, "
            "NgayTiepNhan_ngay)",
        ),
        # Day 00 of the month: the format is right, the instant does not exist.
        (
            dossier("H33-0009", NgayNopHoSo=f"{YESTERDAY:%Y%m}00080000"),
            "expect_column_values_to_be_null(invalid_timestamps)",
        ),
        (
            dossier("H33-0009", DanhSachLePhi=[{"Gia": -5}]),
            "expect_column_values_to_be_between(lowest_fee)",
        ),
    ],
)
def test_a_bad_record_blocks_and_the_message_names_check_and_load(
    load, landing, fresh_dsn, tmp_path, bad, check
):
    load_id = load([*GOOD, bad])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert not outcome.passed
    [failure] = outcome.blocking_failures
    assert failure.check.startswith(check)
    message = outcome.message()
    assert check in message
    assert f"onestop.hoso load_id={load_id} window" in message
    assert "1 of 4 rows unexpected" in message
    with pytest.raises(ValidationFailed, match=f"load_id={load_id}"):
        outcome.raise_for_blocking()
    with psycopg.connect(fresh_dsn) as conn:
        passed, failed = conn.execute(
            "SELECT passed, blocking_failed FROM ops.validation_run "
            "WHERE load_id = %s AND suite = 'onestop.hoso'",
            (load_id,),
        ).fetchone()
    assert (passed, failed) == (False, 1)


def test_a_row_count_that_disagrees_with_the_ledger_blocks(load, landing, fresh_dsn, tmp_path):
    load_id = load(GOOD)
    with psycopg.connect(fresh_dsn) as conn:
        conn.execute(
            "DELETE FROM onestop.hoso WHERE load_id = %s AND record_key = 'H33-0002'", (load_id,)
        )

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert not outcome.passed
    # A lost row also leaves the load short of the API's total: both block.
    found = {f.check: f for f in outcome.blocking_failures}
    assert set(found) == {
        "expect_column_pair_values_to_be_equal(raw_rows, ledger_records)",
        "expect_column_pair_values_to_be_equal(extracted, source_total)",
    }
    ledger_check = found["expect_column_pair_values_to_be_equal(raw_rows, ledger_records)"]
    assert ledger_check.suite == "onestop.hoso.load"
    assert "(2, 3)" in ledger_check.found and "'load'" in ledger_check.found


def test_a_count_short_of_the_api_total_blocks(load, landing, fresh_dsn, tmp_path):
    load_id = load(GOOD, source_totals={"tong_so_ban_ghi": 5})

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    [failure] = outcome.blocking_failures
    assert failure.check == "expect_column_pair_values_to_be_equal(extracted, source_total)"
    assert "(3, 5)" in failure.found


def test_quarantined_records_count_towards_the_api_total(load, landing, fresh_dsn, tmp_path):
    held = QuarantineEntry("TrangThaiHoSo '12' is outside 1..10", {"MaHoSo": "H33-0004"})
    load_id = load(GOOD, quarantine=(held,))

    assert run(fresh_dsn, load_id, landing, tmp_path).passed


def test_a_warning_only_problem_passes_with_a_warning(load, landing, fresh_dsn, tmp_path):
    # An unknown applicant type: no indicator reads it, so it is reported but does not block.
    load_id = load([*GOOD, dossier("H33-0009", LoaiDoiTuong="7")])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert outcome.passed, outcome.message()
    [warning] = outcome.warnings
    assert warning.check == "expect_column_values_to_be_in_set(LoaiDoiTuong)"
    assert "['7']" in warning.found
    assert "warning 1/" in outcome.summary()


def test_a_bad_earlier_load_does_not_fail_a_later_good_one(load, landing, fresh_dsn, tmp_path):
    bad_id = load([dossier("H33-0009", TrangThaiHoSo="11")])
    good_id = load(GOOD)

    bad, good = validate_loads(
        fresh_dsn, [bad_id, good_id], landing_root=landing.root, output=tmp_path / "v"
    )

    assert not bad.passed
    assert good.passed, good.message()


def test_a_qlvb_unit_short_of_its_footer_blocks_and_is_named(load, landing, fresh_dsn, tmp_path):
    rows = [
        {
            "Mã văn bản": f"VB-{n}",
            "don_vi_id": unit,
            "Ngày đến": YESTERDAY.isoformat(),
            "Độ mật": " thường ",
            "Hình thức": "Điện tử",
            "Ký số": "CÓ",
        }
        for n, unit in enumerate([1201, 1201, 1202])
    ]
    totals = {"footer_counts": {"1201": 2, "1202": 2}, "rows_per_unit": {"1201": 2, "1202": 2}}
    load_id = load(rows, source="qlvb", entity="den", source_totals=totals)

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    # Case and stray spaces in enumerated cells are accepted; the missing row is not.
    assert [f.check for f in outcome.blocking_failures] == [
        "expect_column_pair_values_to_be_equal(extracted, source_total)"
    ]
    assert "'unit 1202'" in outcome.blocking_failures[0].found
    assert "'load'" in outcome.blocking_failures[0].found

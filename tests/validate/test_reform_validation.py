"""Validation of the reform's agency catalogue and of dossiers against it (reform2025.md §2).

Each test lands records as the extractor would, loads them into a fresh warehouse and runs the
real suites: ``onestop.donvi`` on the catalogue's new fields, ``onestop.hoso`` on a dossier's
agency in the latest catalogue load (closed before it received the dossier; an unknown handling
agency after a takeover). Codes are real: Hưng Yên 33, old thị xã Mỹ Hào 328 and its Phường
Minh Đức 12127, new Phường Mỹ Hào 12103.
"""

from __future__ import annotations

import datetime as dt

import pytest
from validate_helpers import YESTERDAY, agency, day, dossier

from include.landing import QuarantineEntry
from include.validate import validate_load

PROVINCE = agency("000.00.00.H33", "1", "33")
DISTRICT = agency("000.00.11.H33", "2", "328")
COMMUNE = agency("000.09.11.H33", "3", "12127")
NEW_PHUONG = agency("000.20.01.H33", "3", "12103", PhienBanDVHC="2025", NgayNgungHoatDong="")
CENTRE = agency("000.00.30.H33", "1", "33", PhienBanDVHC="2025", MaDonViTiepNhan="")
REFORM = dt.date(2025, 6, 30)
CLOSED_DISTRICT = {
    **DISTRICT,
    "PhienBanDVHC": "pre2025",
    "NgayNgungHoatDong": day(REFORM),
    "MaDonViTiepNhan": CENTRE["MaDonVi"],
}
CLOSED_COMMUNE = {
    **COMMUNE,
    "NgayNgungHoatDong": day(REFORM),
    "MaDonViTiepNhan": NEW_PHUONG["MaDonVi"],
}
OLD_STYLE = [PROVINCE, DISTRICT, COMMUNE]
NEW_STYLE = [PROVINCE, CLOSED_DISTRICT, CLOSED_COMMUNE, NEW_PHUONG, CENTRE]


def run(dsn, load_id, landing, tmp_path):
    return validate_load(dsn, load_id, landing_root=landing.root, output=tmp_path / "validation")


def load_catalogue(load, records, quarantine=()):
    return load(records, source="onestop", entity="donvi", quarantine=tuple(quarantine))


@pytest.mark.parametrize("catalogue", [OLD_STYLE, NEW_STYLE], ids=["old-style", "new-style"])
def test_old_and_new_style_catalogues_pass_without_warnings(
    load, landing, fresh_dsn, tmp_path, catalogue
):
    outcome = run(fresh_dsn, load_catalogue(load, catalogue), landing, tmp_path)

    assert outcome.passed, outcome.message()
    assert outcome.warnings == []
    assert [r.suite for r in outcome.runs] == ["onestop.donvi", "onestop.donvi.load"]


@pytest.mark.parametrize(
    ("bad", "severity", "check", "found"),
    [
        (
            {**NEW_PHUONG, "PhienBanDVHC": "2024"},
            "blocking",
            "expect_column_values_to_be_in_set(PhienBanDVHC)",
            "['2024']",
        ),
        # Issue 9's bad input: a 3-digit district code marked 2025.
        (
            {**DISTRICT, "PhienBanDVHC": "2025"},
            "blocking",
            "expect_column_values_to_be_null(scheme_2025_mismatch)",
            "['000.00.11.H33: PhienBanDVHC 2025, CapDonVi 2, MaDVHC 328']",
        ),
        (
            {**COMMUNE, "MaDVHC": "33"},
            "blocking",
            "expect_column_values_to_be_null(level_length_mismatch)",
            "['000.09.11.H33: CapDonVi 3, MaDVHC 33']",
        ),
        (
            {**CLOSED_COMMUNE, "NgayNgungHoatDong": "20250631"},
            "blocking",
            "expect_column_values_to_be_null(invalid_dates)",
            "['NgayNgungHoatDong']",
        ),
        (
            {**CLOSED_COMMUNE, "MaDonViTiepNhan": "000.99.01.H33"},
            "warning",
            "expect_column_values_to_be_null(successor_missing)",
            "['000.09.11.H33 -> 000.99.01.H33']",
        ),
        (
            {**COMMUNE, "MaDonViTiepNhan": NEW_PHUONG["MaDonVi"]},
            "warning",
            "unexpected_rows_expectation: active agencies (no NgayNgungHoatDong) that name a "
            "successor",
            "1 unexpected rows",
        ),
    ],
    ids=["scheme", "district-2025", "level-length", "closing-date", "orphan", "active-successor"],
)
def test_a_bad_agency_that_reaches_the_warehouse_is_reported(
    load, landing, fresh_dsn, tmp_path, bad, severity, check, found
):
    # The extractor quarantines these; a load from elsewhere (a replay, an older extractor)
    # meets the second line of defence.
    others = [a for a in NEW_STYLE if a["MaDonVi"] != bad["MaDonVi"]]
    load_id = load_catalogue(load, [*others, bad])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    failures = outcome.blocking_failures + outcome.warnings
    assert [(f.severity, f.check) for f in failures] == [(severity, failures[0].check)]
    assert failures[0].check.startswith(check)
    assert found in failures[0].found
    assert outcome.passed == (severity == "warning")
    assert f"onestop.donvi load_id={load_id}" in outcome.message()


def test_a_successor_quarantined_in_the_same_load_is_not_missing(
    load, landing, fresh_dsn, tmp_path
):
    broken = {**NEW_PHUONG, "MaDVHC": "12106"}  # not a 2025 unit: quarantined at extraction
    held = QuarantineEntry("agency '000.20.01.H33': MaDVHC '12106' is not a unit", broken)
    load_id = load_catalogue(load, [PROVINCE, CLOSED_COMMUNE], quarantine=[held])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert outcome.passed, outcome.message()
    assert outcome.warnings == []


def test_a_dossier_received_after_its_agency_closed_warns_naming_dossier_agency_and_dates(
    load, landing, fresh_dsn, tmp_path
):
    before = YESTERDAY - dt.timedelta(days=1)
    load_catalogue(
        load,
        [
            PROVINCE,
            {**DISTRICT, "NgayNgungHoatDong": day(YESTERDAY)},  # its last day: still receiving
            {**COMMUNE, "NgayNgungHoatDong": day(before), "MaDonViTiepNhan": ""},
        ],
    )
    dossiers = [
        dossier("H33-0001", MaDonVi=DISTRICT["MaDonVi"]),
        dossier("H33-0002", MaDonVi=PROVINCE["MaDonVi"]),
        dossier("H33-0003", MaDonVi=COMMUNE["MaDonVi"]),
        # Not received (status 1): no NgayTiepNhan, nothing to compare.
        dossier("H33-0004", MaDonVi=COMMUNE["MaDonVi"], TrangThaiHoSo="1", NgayTiepNhan="",
                NgayKetThucXuLy="", NgayTra=""),
    ]  # fmt: skip

    outcome = run(fresh_dsn, load(dossiers), landing, tmp_path)

    assert outcome.passed, outcome.message()
    [warning] = outcome.warnings
    assert warning.check == "expect_column_values_to_be_null(received_after_agency_closed)"
    assert warning.found == (
        f"1 of 4 rows unexpected, e.g. ['H33-0003 received {day(YESTERDAY)} by 000.09.11.H33, "
        f"closed after {day(before)}']"
    )
    assert "last day an agency received dossiers" in warning.why


def test_the_latest_catalogue_load_decides_whether_an_agency_is_closed(
    load, landing, fresh_dsn, tmp_path
):
    closed = {**COMMUNE, "NgayNgungHoatDong": day(YESTERDAY - dt.timedelta(days=3))}
    load_catalogue(load, [PROVINCE, closed])
    load_catalogue(load, [PROVINCE, COMMUNE])  # the source corrected it: active again

    load_id = load([dossier("H33-0001", MaDonVi=COMMUNE["MaDonVi"])])

    outcome = run(fresh_dsn, load_id, landing, tmp_path)

    assert outcome.passed, outcome.message()
    assert outcome.warnings == []
    # Re-validated after a newer catalogue closes the agency again, the dossier is reported:
    # the check reads the catalogue the warehouse build will use, not the one of the dossier's
    # night (docs/validation.md). Another date, as the loader skips a file it already loaded.
    closed_again = {**closed, "NgayNgungHoatDong": day(YESTERDAY - dt.timedelta(days=2))}
    load_catalogue(load, [PROVINCE, closed_again])
    again = run(fresh_dsn, load_id, landing, tmp_path)
    assert [w.check for w in again.warnings] == [
        "expect_column_values_to_be_null(received_after_agency_closed)"
    ]


def test_a_takeover_by_an_agency_missing_from_the_catalogue_warns(
    load, landing, fresh_dsn, tmp_path
):
    load_catalogue(load, NEW_STYLE)
    dossiers = [
        dossier("H33-0001", MaDonVi=COMMUNE["MaDonVi"], MaDonViXuLy=NEW_PHUONG["MaDonVi"],
                NgayTiepNhan=f"{day(REFORM)}090000", NgayNopHoSo=f"{day(REFORM)}080000"),
        dossier("H33-0002", MaDonVi=DISTRICT["MaDonVi"], MaDonViXuLy="000.99.99.H33",
                NgayTiepNhan=f"{day(REFORM)}090000", NgayNopHoSo=f"{day(REFORM)}080000"),
        dossier("H33-0003", MaDonVi=NEW_PHUONG["MaDonVi"], MaDonViXuLy=""),
    ]  # fmt: skip

    outcome = run(fresh_dsn, load(dossiers), landing, tmp_path)

    assert outcome.passed, outcome.message()
    [warning] = outcome.warnings
    assert warning.check == "expect_column_values_to_be_null(handling_agency_unknown)"
    assert warning.found == (
        "1 of 3 rows unexpected, e.g. ['H33-0002: MaDonViXuLy 000.99.99.H33 is not in the "
        "agency catalogue']"
    )

"""Spec rules of the one-stop and DVC-portal records (QLVB rows: test_extract_qlvb_export),
including the reform's agency catalogue (reform2025.md §2)."""

from __future__ import annotations

import pytest
from fake_http import Call, Reply

from include.connections import SourceConnection
from include.extract.onestop import extract_onestop
from include.extract.validators import admin_units, dvc_portal, onestop
from include.landing import LandingArea
from include.scenario.units import build_agencies, load_province

GOOD_DOSSIER = {
    "MaHoSo": "H1",
    "NgayCapNhat": "20230105080000",
    "NgayNopHoSo": "20230103080000",
    "NgayKetThucXuLy": "",
    "NgayTra": None,
    "TrangThaiHoSo": "4",
    "KenhThucHien": "",
    "DuocThanhToanTrucTuyen": "2",
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"MaHoSo": ""}, "missing MaHoSo"),
        ({"NgayNopHoSo": "20230231080000"}, "NgayNopHoSo '20230231080000' is not a valid"),
        ({"TrangThaiHoSo": "11"}, "TrangThaiHoSo '11' is outside 1..10"),
        ({"TrangThaiHoSo": "0"}, "TrangThaiHoSo '0' is outside 1..10"),
        ({"TrangThaiHoSo": "10"}, "resolved dossier (status 9/10) has neither"),
        ({"KenhThucHien": "4"}, "KenhThucHien '4' is not one of"),
        ({"NgayCapNhat": None}, "missing NgayCapNhat"),
    ],
)
def test_dossier_rules(change, reason):
    assert onestop.validate("hoso", GOOD_DOSSIER) == []
    reasons = onestop.validate("hoso", {**GOOD_DOSSIER, **change})
    assert len(reasons) == 1
    assert reasons[0].startswith(reason)


def test_resolved_dossier_with_a_handover_date_is_good():
    handed_over = {**GOOD_DOSSIER, "TrangThaiHoSo": 10, "NgayTra": "20230110090000"}
    assert onestop.validate("hoso", handed_over) == []


def test_step_rules():
    step = {"MaHoSo": "H1", "ThoiDiemXuLy": "20230105080000", "TrangThai": "5"}
    assert onestop.validate("tientrinh", step) == []
    assert onestop.validate("tientrinh", {**step, "ThoiDiemXuLy": "2023-01-05"}) == [
        "ThoiDiemXuLy '2023-01-05' is not a valid yyyyMMddHHmmss timestamp"
    ]


GOOD_PAYMENT = {
    "transactionId": "T1",
    "feeKind": "CHARGE",
    "amount": "150000",
    "gateway": "LOCAL",
    "status": "SUCCESS",
    "createdAt": "2023-06-30T18:30:00Z",
    "paidAt": "2023-07-01T01:31:00+07:00",
    "updatedAt": "2023-07-01T01:31:00+07:00",
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount": "150.000đ"}, "amount '150.000đ' is not an integer VND amount"),
        ({"amount": None}, "amount None is not an integer VND amount"),
        ({"status": "DONE"}, "status 'DONE' is not one of"),
        ({"feeKind": "TAX"}, "feeKind 'TAX' is not one of"),
        ({"gateway": "VNPAY"}, "gateway 'VNPAY' is not one of"),
        ({"updatedAt": "2023-07-01 01:31"}, "updatedAt '2023-07-01 01:31' is not an ISO 8601"),
        ({"updatedAt": "2023-07-01T01:31:00"}, "updatedAt '2023-07-01T01:31:00' is not an ISO"),
        ({"transactionId": None}, "missing transactionId"),
    ],
)
def test_payment_rules(change, reason):
    assert dvc_portal.validate("payments", GOOD_PAYMENT) == []
    assert dvc_portal.validate("payments", {**GOOD_PAYMENT, "amount": 0}) == []
    reasons = dvc_portal.validate("payments", {**GOOD_PAYMENT, **change})
    assert len(reasons) == 1
    assert reasons[0].startswith(reason)


def test_withdrawn_rating_has_no_level():
    rating = {
        "ratingId": "R1",
        "channel": "ZALO",
        "level": None,
        "withdrawn": True,
        "ratedAt": "2023-06-30T18:30:00Z",
        "updatedAt": "2023-07-02T08:00:00+07:00",
    }
    assert dvc_portal.validate("ratings", rating) == []
    assert dvc_portal.validate("ratings", {**rating, "withdrawn": False}) == [
        "level None is not one of ['BINH_THUONG', 'HAI_LONG', 'KHONG_HAI_LONG', 'RAT_HAI_LONG']"
    ]


# --- /donvi: old-style and reform-era catalogues (reform2025.md §2) ----------------------------
# Codes are real GSO codes of the committed seeds: Hưng Yên 33, old thị xã Mỹ Hào 328, old
# Phường Minh Đức 12127; the 2025 list keeps 33 and makes 12103 the new Phường Mỹ Hào.

OLD_STYLE = [  # a system that predates the reform: no PhienBanDVHC, NgayNgungHoatDong, ...
    {"MaDonVi": "000.00.00.H33", "TenDonVi": "UBND tỉnh Hưng Yên", "CapDonVi": "1",
     "MaDonViCha": "", "MaDVHC": "33"},
    {"MaDonVi": "000.00.11.H33", "TenDonVi": "UBND thị xã Mỹ Hào", "CapDonVi": "2",
     "MaDonViCha": "000.00.00.H33", "MaDVHC": "328"},
    {"MaDonVi": "000.09.11.H33", "TenDonVi": "UBND phường Minh Đức", "CapDonVi": "3",
     "MaDonViCha": "000.00.11.H33", "MaDVHC": "12127"},
]  # fmt: skip
NEW_PHUONG = {
    "MaDonVi": "000.20.01.H33",
    "TenDonVi": "UBND phường Mỹ Hào",
    "CapDonVi": "3",
    "MaDonViCha": "000.00.00.H33",
    "MaDVHC": "12103",
    "PhienBanDVHC": "2025",
    "NgayNgungHoatDong": "",
    "MaDonViTiepNhan": "",
}
ONE_STOP_CENTRE = {
    "MaDonVi": "000.00.30.H33",
    "TenDonVi": "Trung tâm Phục vụ hành chính công tỉnh Hưng Yên",
    "CapDonVi": "1",
    "MaDonViCha": "000.00.00.H33",
    "MaDVHC": "33",
    "PhienBanDVHC": "2025",
    "NgayNgungHoatDong": None,
}
CLOSED_COMMUNE = {  # old Phường Minh Đức, closed by the reform; its dossiers went to Mỹ Hào
    **OLD_STYLE[2],
    "PhienBanDVHC": "pre2025",
    "NgayNgungHoatDong": "20250630",
    "MaDonViTiepNhan": "000.20.01.H33",
}
CLOSED_DISTRICT = {
    **OLD_STYLE[1],
    "PhienBanDVHC": "",
    "NgayNgungHoatDong": "20250630",
    "MaDonViTiepNhan": "000.00.30.H33",
}
NEW_STYLE = [OLD_STYLE[0], CLOSED_DISTRICT, CLOSED_COMMUNE, NEW_PHUONG, ONE_STOP_CENTRE]


def _listing_reasons(records: list[dict]) -> list[list[str]]:
    return [onestop.validate_donvi(record) for record in records]


@pytest.mark.parametrize("listing", [OLD_STYLE, NEW_STYLE], ids=["old-style", "new-style"])
def test_old_and_new_style_catalogues_are_valid(listing):
    assert _listing_reasons(listing) == [[] for _ in listing]
    assert [onestop.validate("donvi", record) for record in listing] == [[] for _ in listing]


def test_a_reused_code_is_valid_in_both_schemes():
    # 00004: old Phường Trúc Bạch (pre2025) and new Phường Ba Đình (2025), reform2025.md §1.
    old = {"MaDonVi": "A", "CapDonVi": "3", "MaDVHC": "00004"}
    assert onestop.validate_donvi(old) == []
    assert onestop.validate_donvi({**old, "PhienBanDVHC": "2025"}) == []


@pytest.mark.parametrize("scheme", [None, "", "  ", "pre2025"])
def test_an_absent_or_blank_scheme_is_pre2025(scheme):
    record = {**OLD_STYLE[1], "PhienBanDVHC": scheme}
    assert onestop.agency_scheme(record) == "pre2025"
    assert onestop.validate_donvi(record) == []


def test_a_scheme_sent_as_a_number_is_the_same_scheme():
    assert onestop.validate_donvi({**NEW_PHUONG, "PhienBanDVHC": 2025}) == []


@pytest.mark.parametrize(
    ("base", "change", "reasons"),
    [
        (NEW_PHUONG, {"PhienBanDVHC": "2024"}, [
            "agency '000.20.01.H33': PhienBanDVHC '2024' is not 'pre2025' or '2025' (or absent)"
        ]),
        (NEW_PHUONG, {"PhienBanDVHC": "v2025"}, [
            "agency '000.20.01.H33': PhienBanDVHC 'v2025' is not 'pre2025' or '2025' (or absent)"
        ]),
        # Issue 9's bad input: a 3-digit district code marked 2025.
        (OLD_STYLE[1], {"PhienBanDVHC": "2025"}, [
            "agency '000.00.11.H33': CapDonVi '2' (district) with PhienBanDVHC '2025': that "
            "scheme has no districts",
            "agency '000.00.11.H33': MaDVHC '328' has 3 digits, which contradicts PhienBanDVHC "
            "'2025' (its codes have 2 or 5 digits)",
        ]),
        (NEW_PHUONG, {"MaDVHC": "328"}, [
            "agency '000.20.01.H33': MaDVHC '328' has 3 digits, but CapDonVi '3' (commune) "
            "serves a 5-digit unit",
            "agency '000.20.01.H33': MaDVHC '328' has 3 digits, which contradicts PhienBanDVHC "
            "'2025' (its codes have 2 or 5 digits)",
        ]),
        (OLD_STYLE[0], {"MaDVHC": "12127"}, [
            "agency '000.00.00.H33': MaDVHC '12127' has 5 digits, but CapDonVi '1' (province) "
            "serves a 2-digit unit"
        ]),
        (NEW_PHUONG, {"CapDonVi": "2", "MaDVHC": "12103"}, [
            "agency '000.20.01.H33': MaDVHC '12103' has 5 digits, but CapDonVi '2' (district) "
            "serves a 3-digit unit",
            "agency '000.20.01.H33': CapDonVi '2' (district) with PhienBanDVHC '2025': that "
            "scheme has no districts",
        ]),
        # Old Phường Phan Đình Phùng was merged away: its code is not a 2025 unit.
        (NEW_PHUONG, {"MaDVHC": "12106"}, [
            "agency '000.20.01.H33': MaDVHC '12106' is not a unit of scheme 2025 "
            "(seed admin_units_2025.csv)"
        ]),
        # Old Thái Bình (34) merged into Hưng Yên: no 2025 province has its code.
        (ONE_STOP_CENTRE, {"MaDVHC": "34"}, [
            "agency '000.00.30.H33': MaDVHC '34' is not a unit of scheme 2025 "
            "(seed admin_units_2025.csv)"
        ]),
        # 03980 (new Phường Mộc Châu) exists only in the 2025 list.
        (OLD_STYLE[2], {"MaDVHC": "03980"}, [
            "agency '000.09.11.H33': MaDVHC '03980' is not a unit of scheme pre2025 "
            "(seed admin_units_pre2025.csv)"
        ]),
        (OLD_STYLE[2], {"MaDVHC": ""}, ["agency '000.09.11.H33': missing MaDVHC (scheme pre2025)"]),
        (OLD_STYLE[2], {"MaDVHC": "12I27"}, [
            "agency '000.09.11.H33': MaDVHC '12I27' is not a 2-, 3- or 5-digit GSO code"
        ]),
        (CLOSED_COMMUNE, {"NgayNgungHoatDong": "20250631"}, [
            "agency '000.09.11.H33': NgayNgungHoatDong '20250631' is not a valid yyyyMMdd date"
        ]),
        (CLOSED_COMMUNE, {"NgayNgungHoatDong": "2025-06-30"}, [
            "agency '000.09.11.H33': NgayNgungHoatDong '2025-06-30' is not a valid yyyyMMdd date"
        ]),
        (CLOSED_COMMUNE, {"NgayNgungHoatDong": "20250630235959"}, [
            "agency '000.09.11.H33': NgayNgungHoatDong '20250630235959' is not a valid yyyyMMdd "
            "date"
        ]),
    ],
)  # fmt: skip
def test_agency_rules(base, change, reasons):
    assert onestop.validate_donvi(base) == []
    assert onestop.validate_donvi({**base, **change}) == reasons


def test_a_takeover_naming_an_unknown_agency_is_not_quarantined():
    # Quarantining the closing agency would lose its dossiers (they count at MaDonVi whoever
    # took them over); the load's validation warns of the orphan successor instead
    # (tests/validate/test_reform_validation.py).
    orphan = {**CLOSED_COMMUNE, "MaDonViTiepNhan": "000.99.01.H33"}
    assert _listing_reasons([OLD_STYLE[0], orphan, NEW_PHUONG]) == [[], [], []]


def test_every_agency_the_generator_builds_for_any_province_is_valid():
    # Old-style catalogues of today's scenarios must keep passing: every province of the
    # pre-2025 list, with its departments, districts and communes (about 20 000 agencies).
    provinces = sorted({code for code in admin_units.unit_codes("pre2025") if len(code) == 2})
    assert len(provinces) == 63  # reform2025.md §1: 63 provinces before the merger
    for code in provinces:
        agencies = build_agencies(load_province(code), None, with_province_departments=True)
        records = [agency.record() for agency in agencies]
        assert [r["MaDonVi"] for r in records if onestop.validate_donvi(r)] == [], code


def test_the_unit_codes_of_each_scheme_are_the_committed_seeds():
    new = admin_units.unit_codes("2025")
    # reform2025.md §1: 34 provinces and 3,321 communes, no districts.
    assert sum(len(code) == 2 for code in new) == 34
    assert sum(len(code) == 5 for code in new) == 3321
    assert {len(code) for code in new} == {2, 5}
    old = admin_units.unit_codes("pre2025")
    assert {len(code) for code in old} == {2, 3, 5}
    assert "001" in old and "001" not in new  # Quận Ba Đình: districts are gone
    assert admin_units.is_known("pre2025", "00004") and admin_units.is_known("2025", "00004")
    with pytest.raises(ValueError, match="unknown administrative-unit scheme"):
        admin_units.unit_codes("2026")


def test_a_dossier_taken_over_keeps_validating():
    # reform2025.md §2: a taken-over dossier carries MaDonViXuLy and a new NgayCapNhat.
    taken_over = {**GOOD_DOSSIER, "MaDonVi": "000.09.11.H33", "MaDonViXuLy": "000.20.01.H33"}
    assert onestop.validate("hoso", taken_over) == []
    assert onestop.validate("hoso", {**taken_over, "MaDonViXuLy": ""}) == []


def _donvi_server(scripted_server, records: list[dict]):
    def respond(call: Call) -> Reply:
        if call.path == "/api/v1/auth/session":
            return Reply(200, {"error_code": "0", "session": "s1", "expires_in": 1800})
        if call.path == "/api/v1/donvi":
            return Reply(200, {"error_code": "0", "message": "Thành công", "data": records})
        return Reply(404, {"error_code": "404"})

    return scripted_server(respond)


def test_the_extractor_quarantines_bad_agencies_with_their_reasons_and_lands_the_rest(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    orphan = {**CLOSED_DISTRICT, "MaDonViTiepNhan": "000.00.99.H33"}
    district_as_2025 = {**OLD_STYLE[1], "MaDonVi": "000.00.12.H33", "PhienBanDVHC": "2025"}
    served = [OLD_STYLE[0], orphan, CLOSED_COMMUNE, NEW_PHUONG, ONE_STOP_CENTRE, district_as_2025]
    server = _donvi_server(scripted_server, served)
    area = LandingArea(tmp_path)

    [manifest] = extract_onestop(
        "2025-07-01",
        "2025-07-01",
        landing=area,
        connection=SourceConnection.from_url("onestop_api", server.url, "demo", "secret"),
        settings=fast_settings,
        hmac_key=hmac_key,
        entities=("donvi",),
    )

    landed = [r["MaDonVi"] for r in area.read_records(manifest)]
    # The orphan takeover is landed (its dossiers still count at it; validation warns).
    assert sorted(landed) == sorted(
        r["MaDonVi"] for r in (OLD_STYLE[0], orphan, CLOSED_COMMUNE, NEW_PHUONG, ONE_STOP_CENTRE)
    )
    held = {entry.record["MaDonVi"]: entry.reason for entry in manifest.quarantine}
    assert held == {
        "000.00.12.H33": "agency '000.00.12.H33': CapDonVi '2' (district) with PhienBanDVHC "
        "'2025': that scheme has no districts; agency '000.00.12.H33': MaDVHC '328' has 3 "
        "digits, which contradicts PhienBanDVHC '2025' (its codes have 2 or 5 digits)",
    }
    assert manifest.source_totals == {"records_served": 6}

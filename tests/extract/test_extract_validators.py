"""Spec rules of the one-stop and DVC-portal records (QLVB rows: test_extract_qlvb_export)."""

from __future__ import annotations

import pytest

from include.extract.validators import dvc_portal, onestop

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

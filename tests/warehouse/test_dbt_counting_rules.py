"""One hand-built fixture per counting rule of indicators.md, built once with the real dbt
into a fresh database; every expected figure is worked out by hand in the comments.

The world: Quảng Ngãi (51) > thị xã Đức Phổ (534) > phường Nguyễn Nghiêm (21439) and xã Phổ
An (21442). Agencies: the district's UBND (level 2), both communes' UBND (level 3), one
province department (level 1). Every source is loaded for 01/01/2023 – 30/06/2023.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from dbt_harness import RawLoader, Warehouse, create_warehouse

pytestmark = pytest.mark.slow

VN = dt.timezone(dt.timedelta(hours=7))
WINDOW = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
FIRST_LOAD = dt.datetime(2023, 7, 1, 2, 0, tzinfo=VN)
SECOND_LOAD = dt.datetime(2023, 7, 2, 2, 0, tzinfo=VN)

PROVINCE_DEPT = "000.00.10.H51"
DISTRICT = "000.00.34.H51"
COMMUNE_A = "000.01.34.H51"
COMMUNE_B = "000.02.34.H51"

AGENCIES = [
    {
        "MaDonVi": PROVINCE_DEPT,
        "TenDonVi": "Sở Tư pháp",
        "CapDonVi": "1",
        "MaDonViCha": "",
        "MaDVHC": "51",
    },
    {
        "MaDonVi": DISTRICT,
        "TenDonVi": "UBND thị xã Đức Phổ",
        "CapDonVi": "2",
        "MaDonViCha": "",
        "MaDVHC": "534",
    },
    {
        "MaDonVi": COMMUNE_A,
        "TenDonVi": "UBND phường Nguyễn Nghiêm",
        "CapDonVi": "3",
        "MaDonViCha": DISTRICT,
        "MaDVHC": "21439",
    },
    {
        "MaDonVi": COMMUNE_B,
        "TenDonVi": "UBND xã Phổ An",
        "CapDonVi": "3",
        "MaDonViCha": DISTRICT,
        "MaDVHC": "21442",
    },
]


def nfd(text: str) -> str:
    """Text as an old client sends it: Unicode NFD."""
    return unicodedata.normalize("NFD", text)


def dossier(
    code: str, agency: str, status: str, received: str | None, **fields: Any
) -> dict[str, Any]:
    """A one-stop dossier record; dates are given as ``yyyyMMdd`` and sent at 08:00."""
    record: dict[str, Any] = {
        "MaHoSo": code,
        "MaTTHC": fields.pop("procedure", "2.000001"),
        "MaDonVi": agency,
        "KenhThucHien": fields.pop("channel", "1"),
        "ChuHoSo": "Nguyễn Văn A",
        "SoGiayToChuHoSo": "051090000001",
        "TrangThaiHoSo": status,
        "NgayTiepNhan": f"{received}080000" if received else "",
        "HoSoCoThanhPhanSoHoa": "0",
        "DuocThanhToanTrucTuyen": "0",
        "TaiLieuNop": [],
        "DanhSachLePhi": [],
        "DanhSachGiayToKetQua": [],
    }
    for name, field in (
        ("due", "NgayHenTra"),
        ("ended", "NgayKetThucXuLy"),
        ("returned", "NgayTra"),
    ):
        value = fields.pop(name, None)
        record[field] = f"{value}170000" if value else ""
    record["NgayCapNhat"] = fields.pop("updated", "20230630120000")
    record.update(fields)
    return record


# --- one-stop dossiers of the district agency (handling level `district` of unit 534) -------
DOSSIERS_FIRST = [
    # Carried over: received 20/12/2022, resolved 10/01/2023 before its due date 15/01.
    dossier("D-CARRY", DISTRICT, "10", "20221220", due="20230115", ended="20230110"),
    # End date equal to the due date: on time. Online.
    dossier("D-DUE-EQ", DISTRICT, "10", "20230105", due="20230120", ended="20230120", channel="2"),
    # No due date: on time. Postal. Resolved 01/02 (so pending, not yet due, at 31/01).
    dossier("D-NO-DUE", DISTRICT, "9", "20230106", ended="20230201", channel="3"),
    # Withdrawn 10/01; stopped 10/02.
    dossier("D-WITHDRAWN", DISTRICT, "7", "20230107", due="20230130", ended="20230110"),
    dossier("D-STOPPED", DISTRICT, "8", "20230108", due="20230228", ended="20230210"),
    # Resolved after Q1's end: pending at 31/03 and overdue (due 25/03); late in Q2.
    dossier("D-AFTER", DISTRICT, "10", "20230320", due="20230325", ended="20230405"),
    # Not received: submitted online but not accepted (1), refused (3).
    dossier("D-NEW", DISTRICT, "1", None, channel="2"),
    dossier("D-REFUSED", DISTRICT, "3", None),
    # Its first record ends it 28/02; a later record (next load) corrects the end to 02/03.
    dossier(
        "D-CHANGED",
        DISTRICT,
        "10",
        "20230201",
        due="20230310",
        ended="20230228",
        updated="20230228170000",
    ),
    # Its latest record (resolved 15/02) is in the first load; the second load carries an
    # older state (status 4) extracted later: the latest NgayCapNhat wins.
    dossier(
        "D-OLDER",
        DISTRICT,
        "10",
        "20230202",
        due="20230301",
        ended="20230215",
        updated="20230215170000",
    ),
    # Digitised at intake via a component (the deleted component does not count); fee paid
    # online; result digitised; reused data.
    dossier(
        "D-FLAGS",
        DISTRICT,
        "10",
        "20230110",
        due="20230120",
        ended="20230112",
        TaiLieuNop=[
            {
                "TepDinhKemId": "1",
                "DuocSoHoa": "1",
                "DuocTaiSuDung": "0",
                "DuocLayTuKhoDMQG": "1",
                "IsDeleted": "0",
            },
        ],
        DanhSachLePhi=[{"MaPhiLePhi": "LP1", "Gia": 50000}],
        DuocThanhToanTrucTuyen="2",
        DanhSachGiayToKetQua=[{"GiayToId": "G1", "DuongDanTepTinKetQua": "https://kq/1.pdf"}],
    ),
    # Only a deleted digitised component; a zero fee; a result without a link.
    dossier(
        "D-NOFLAGS",
        DISTRICT,
        "10",
        "20230111",
        due="20230120",
        ended="20230113",
        TaiLieuNop=[
            {"TepDinhKemId": "2", "DuocSoHoa": "1", "DuocTaiSuDung": "1", "IsDeleted": "1"}
        ],
        DanhSachLePhi=[{"MaPhiLePhi": "LP2", "Gia": 0}],
        DanhSachGiayToKetQua=[{"GiayToId": "G2", "DuongDanTepTinKetQua": ""}],
    ),
    # The procedure 1.000001 became fully online on 15/02/2023 (catalogue below).
    dossier(
        "D-FULL-BEFORE",
        DISTRICT,
        "4",
        "20230210",
        procedure="1.000001",
        channel="2",
        due="20231231",
    ),
    dossier(
        "D-FULL-ONLINE",
        DISTRICT,
        "4",
        "20230220",
        procedure="1.000001",
        channel="2",
        due="20231231",
    ),
    dossier(
        "D-FULL-DESK", DISTRICT, "4", "20230301", procedure="1.000001", channel="1", due="20231231"
    ),
    # NĐ 09/2019 reporting periods cut on the 14th: received 14/03 is in R2023-Q1, 15/03 not.
    dossier("D-14TH", COMMUNE_A, "4", "20230314", due="20231231"),
    dossier("D-15TH", COMMUNE_A, "4", "20230315", due="20231231"),
    # Commune B: one online, one in person, both resolved in January on time.
    dossier("D-B1", COMMUNE_B, "10", "20230103", due="20230110", ended="20230105", channel="2"),
    dossier("D-B2", COMMUNE_B, "10", "20230104", due="20230110", ended="20230110"),
    # Province department.
    dossier("D-P1", PROVINCE_DEPT, "4", "20230115", due="20230301"),
]
DOSSIERS_SECOND = [
    dossier(
        "D-CHANGED",
        DISTRICT,
        "10",
        "20230201",
        due="20230310",
        ended="20230302",
        updated="20230302170000",
    ),
    dossier("D-OLDER", DISTRICT, "4", "20230202", due="20230301", updated="20230203090000"),
]

SERVICES = [
    {
        "serviceId": "S1-PARTIAL",
        "procedureCode": "1.000001",
        "procedureName": "Thủ tục A",
        "agencyLevel": "DISTRICT",
        "agencyCode": None,
        "onlineLevel": "PARTIAL",
        "eligibleFullOnline": True,
        "hasFee": False,
        "requiresPaperResult": False,
        "status": "PUBLISHED",
        "publishedFrom": "2022-01-01",
        "publishedTo": "2023-02-14",
        "updatedAt": "2023-02-14T10:00:00+07:00",
    },
    {
        "serviceId": "S1-FULL",
        "procedureCode": "1.000001",
        "procedureName": "Thủ tục A",
        "agencyLevel": "DISTRICT",
        "agencyCode": None,
        "onlineLevel": "FULL",
        "eligibleFullOnline": True,
        "hasFee": False,
        "requiresPaperResult": False,
        "status": "PUBLISHED",
        "publishedFrom": "2023-02-15",
        "publishedTo": None,
        "updatedAt": "2023-02-15T10:00:00+07:00",
    },
    {
        "serviceId": "S2",
        "procedureCode": "2.000001",
        "procedureName": "Thủ tục B",
        "agencyLevel": "DISTRICT",
        "agencyCode": DISTRICT,
        "onlineLevel": "PARTIAL",
        "eligibleFullOnline": False,
        "hasFee": True,
        "requiresPaperResult": True,
        "status": "PUBLISHED",
        "publishedFrom": "2022-01-01",
        "publishedTo": None,
        "updatedAt": "2022-01-01T10:00:00Z",
    },
    {
        "serviceId": "S3",
        "procedureCode": "2.000001",
        "procedureName": "Thủ tục B",
        "agencyLevel": "COMMUNE",
        "agencyCode": None,
        "onlineLevel": "NONE",
        "eligibleFullOnline": False,
        "hasFee": True,
        "requiresPaperResult": True,
        "status": "PUBLISHED",
        "publishedFrom": "2022-01-01",
        "publishedTo": None,
        "updatedAt": "2022-01-01T10:00:00Z",
    },
]


def payment(
    tid: str, status: str, paid_at: str | None, updated: str, amount: Any, kind: str = "FEE"
) -> dict[str, Any]:
    return {
        "transactionId": tid,
        "dossierCode": "D-FLAGS",
        "agencyCode": DISTRICT,
        "procedureCode": "2.000001",
        "feeKind": kind,
        "amount": amount,
        "gateway": "DVCQG",
        "status": status,
        "createdAt": "2023-03-01T08:00:00+07:00",
        "paidAt": paid_at,
        "updatedAt": updated,
    }


PAYMENTS_FIRST = [
    # 31/03 23:30 Vietnam time: Q1.
    payment("P-Q1", "SUCCESS", "2023-03-31T23:30:00+07:00", "2023-03-31T16:30:00Z", "150000"),
    # 31/03 17:30 UTC = 01/04 00:30 in Vietnam: Q2.
    payment("P-Q2", "SUCCESS", "2023-03-31T17:30:00Z", "2023-03-31T17:30:00Z", 200000, "LAND_TAX"),
    payment("P-REFUND", "SUCCESS", "2023-03-10T09:00:00+07:00", "2023-03-10T09:00:00+07:00", 70000),
]
PAYMENTS_SECOND = [
    payment(
        "P-REFUND", "REFUNDED", "2023-03-10T09:00:00+07:00", "2023-03-20T09:00:00+07:00", 70000
    ),
]


def rating(rid: str, level: str | None, rated: str, updated: str, **extra: Any) -> dict[str, Any]:
    return {
        "ratingId": rid,
        "dossierCode": "D-DUE-EQ",
        "agencyCode": DISTRICT,
        "channel": "PORTAL",
        "level": level,
        "ratedAt": rated,
        "updatedAt": updated,
        **extra,
    }


RATINGS_FIRST = [
    rating("R1", "HAI_LONG", "2023-02-01T09:00:00+07:00", "2023-02-01T09:00:00+07:00"),
    rating("R2", "KHONG_HAI_LONG", "2023-02-02T09:00:00+07:00", "2023-02-02T09:00:00+07:00"),
    rating("R3", "RAT_HAI_LONG", "2023-02-03T09:00:00+07:00", "2023-02-03T09:00:00+07:00"),
]
RATINGS_SECOND = [
    rating("R3", None, "2023-02-03T09:00:00+07:00", "2023-02-05T09:00:00+07:00", withdrawn=True),
]

QLVB_UNITS = [{"id": 7, "ten": "UBND thị xã Đức Phổ", "ma_dinh_danh": DISTRICT}]


def den(code: str, arrived: str, secrecy: str, form: str, signed: str) -> dict[str, Any]:
    return {
        "Mã văn bản": code,
        "Số đến": code,
        "Ngày đến": arrived,
        "Số, ký hiệu": f"{code}/UBND",
        "Ngày văn bản": arrived,
        "Cơ quan ban hành": "UBND tỉnh",
        "Loại văn bản": "Công văn",
        "Trích yếu": "V/v ...",
        "Độ mật": secrecy,
        "Độ khẩn": "Thường",
        "Hình thức": form,
        "Qua trục liên thông": "Có",
        "Ký số": signed,
        "Đơn vị xử lý chính": "Văn phòng",
        "Hạn xử lý": None,
        "Ngày hoàn thành": None,
        "Trạng thái xử lý": "Đã xử lý",
        "don_vi_id": 7,
    }


def di(code: str, issued: str, secrecy: str, form: str, signed: str, axis: str) -> dict[str, Any]:
    return {
        "Mã văn bản": code,
        "Số, ký hiệu": f"{code}/UBND",
        "Ngày ban hành": issued,
        "Loại văn bản": "Báo cáo",
        "Trích yếu": "Báo cáo ...",
        "Người ký": "Trần Văn B",
        "Chức vụ": "Chủ tịch",
        "Nơi nhận": "UBND tỉnh",
        "Độ mật": secrecy,
        "Độ khẩn": "Thường",
        "Hình thức phát hành": form,
        "Ký số": signed,
        "Gửi qua trục liên thông": axis,
        "Số lượng bản": 1,
        "don_vi_id": 7,
    }


def hscv(code: str, closed: str | None, secrecy: str, online: str) -> dict[str, Any]:
    return {
        "Mã hồ sơ": code,
        "Tiêu đề": "Hồ sơ ...",
        "Đơn vị": "Văn phòng",
        "Ngày mở": "2023-01-02",
        "Ngày đóng": closed,
        "Trạng thái": "Đã đóng" if closed else "Đang xử lý",
        "Xử lý trên môi trường mạng": online,
        "Độ mật": secrecy,
        "don_vi_id": 7,
    }


DEN = [
    den("DEN-1", "2023-01-05", "Mật", "Điện tử", "Có"),  # confidential
    den("DEN-2", "2023-02-05", "Thường", nfd(" điện tử "), nfd(" có ")),  # NFD, stray spaces
    den("DEN-3", "2023-03-05", nfd("Thường"), "Giấy", "Không"),
]
DI = [
    di("DI-1", "2023-01-06", "Thường", "Điện tử", "Cơ quan", "Có"),
    di("DI-2", "2023-02-06", "Thường", "Điện tử và giấy", "Không", "không"),
    di("DI-3", "2023-03-06", "Tối mật", "Giấy", "Không", "Không"),  # confidential
]
HSCV = [
    hscv("HS-1", "2023-02-10", "Thường", " CÓ"),
    hscv("HS-2", "2023-03-10", "Thường", "không"),
    hscv("HS-3", "2023-03-11", "Mật", "Có"),  # confidential
    hscv("HS-4", None, "Thường", "Có"),  # still open
]

# Two departments act on DUE-EQ in the same second with the same resulting status: two steps.
# The second load repeats one of them (re-extracted), which stays one step.
STEPS = [
    {
        "MaHoSo": "DUE-EQ",
        "MaDonVi": DISTRICT,
        "ThoiDiemXuLy": "20230105100000",
        "TrangThai": "4",
        "PhongBanXuLy": department,
        "NguoiXuLy": "hmac:ab",
        "ChucDanh": "Chuyên viên",
    }
    for department in ("Tư pháp", "Văn phòng")
]


@pytest.fixture(scope="module")
def warehouse(server_uri: str, dbt_workdir: Path) -> Iterator[Warehouse]:
    wh = create_warehouse(server_uri, "dbt_rules", dbt_workdir)
    with wh.connect() as conn:
        # The read-only BI role is cluster-wide; whoever provisions the server creates it.
        conn.execute(
            "do $$ begin if not exists (select 1 from pg_roles where rolname = 'dti_bi') "
            "then create role dti_bi; end if; end $$"
        )
        conn.commit()
        loader = RawLoader(conn)
        first = {"extracted_at": FIRST_LOAD, "window": WINDOW}
        second = {"extracted_at": SECOND_LOAD, "window": (dt.date(2023, 6, 1), WINDOW[1])}
        loader.load("onestop", "donvi", AGENCIES, extracted_at=FIRST_LOAD)
        loader.load("onestop", "hoso", DOSSIERS_FIRST, **first)
        loader.load("onestop", "hoso", DOSSIERS_SECOND, **second)
        loader.load("onestop", "tientrinh", STEPS, **first)
        loader.load("onestop", "tientrinh", STEPS[1:], **second)
        loader.load("qlvb", "donvi", QLVB_UNITS, extracted_at=FIRST_LOAD)
        loader.load("qlvb", "den", DEN, **first)
        loader.load("qlvb", "di", DI, **first)
        loader.load("qlvb", "hscv", HSCV, **first)
        loader.load("dvc_portal", "services", SERVICES, extracted_at=FIRST_LOAD)
        loader.load("dvc_portal", "payments", PAYMENTS_FIRST, **first)
        loader.load("dvc_portal", "payments", PAYMENTS_SECOND, **second)
        loader.load("dvc_portal", "ratings", RATINGS_FIRST, **first)
        loader.load("dvc_portal", "ratings", RATINGS_SECOND, **second)
    wh.dbt("seed")
    wh.dbt("build", "--exclude", "resource_type:seed")
    yield wh


def figures(wh: Warehouse, unit: str, level: str, period: str) -> dict[str, tuple[Any, Any, Any]]:
    """indicator_code -> (numerator, denominator, value) of one scope and period."""
    rows = wh.rows(
        """
        select indicator_code, numerator, denominator, value
        from marts.indicator_value
        where scheme = 'pre2025' and unit_code = %s and handling_level = %s and period_key = %s
        """,
        (unit, level, period),
    )
    return {code: (num, den, val) for code, num, den, val in rows}


def counts(wh: Warehouse, unit: str, level: str, period: str) -> dict[str, int]:
    return {code: int(num) for code, (num, _, _) in figures(wh, unit, level, period).items()}


def test_q1_district_dossier_counts(warehouse: Warehouse) -> None:
    got = counts(warehouse, "534", "district", "2023-Q1")
    # Received in Q1 (01/01–31/03): DUE-EQ, NO-DUE, WITHDRAWN, STOPPED, AFTER, CHANGED, OLDER,
    # FLAGS, NOFLAGS, FULL-BEFORE, FULL-ONLINE, FULL-DESK = 12; NEW and REFUSED are not received.
    assert got["tthc.received"] == 12
    # Online: DUE-EQ, FULL-BEFORE, FULL-ONLINE; postal: NO-DUE; in person: the other 8.
    assert (
        got["tthc.received_online"],
        got["tthc.received_postal"],
        got["tthc.received_in_person"],
    ) == (3, 1, 8)
    assert got["tthc.carried_over"] == 1  # CARRY (received 20/12/2022, ended 10/01/2023)
    assert got["tthc.in_scope"] == 13
    # Resolved in Q1: CARRY (early), DUE-EQ (on time), NO-DUE (on time, no due date),
    # CHANGED (02/03 < 10/03 early), OLDER (15/02 < 01/03 early), FLAGS and NOFLAGS (early).
    assert got["tthc.resolved"] == 7
    assert (
        got["tthc.resolved_early"],
        got["tthc.resolved_on_time"],
        got["tthc.resolved_late"],
    ) == (5, 2, 0)
    assert (got["tthc.withdrawn"], got["tthc.stopped"]) == (1, 1)
    # Pending at 31/03: AFTER (due 25/03: overdue) and the three FULL-* (due 31/12: not due).
    assert (got["tthc.pending"], got["tthc.pending_overdue"], got["tthc.pending_not_due"]) == (
        4,
        1,
        3,
    )


def test_identity_in_scope(warehouse: Warehouse) -> None:
    got = counts(warehouse, "534", "district", "2023-Q1")
    assert (
        got["tthc.in_scope"]
        == got["tthc.resolved"] + got["tthc.withdrawn"] + got["tthc.stopped"] + got["tthc.pending"]
    )


def test_resolved_after_period_end_is_pending_then_late(warehouse: Warehouse) -> None:
    march = counts(warehouse, "534", "district", "2023-03")
    # March: in scope = received in March (AFTER, FULL-DESK) + carried over (CHANGED, ended
    # 02/03; FULL-BEFORE, FULL-ONLINE pending) = 5; AFTER pending and overdue at 31/03.
    assert march["tthc.in_scope"] == 5
    assert (march["tthc.pending"], march["tthc.pending_overdue"]) == (4, 1)
    q2 = counts(warehouse, "534", "district", "2023-Q2")
    # Q2: carried over AFTER + the three FULL-*; AFTER resolved 05/04 after its due date 25/03.
    assert (q2["tthc.carried_over"], q2["tthc.received"]) == (4, 0)
    assert (q2["tthc.resolved"], q2["tthc.resolved_late"], q2["tthc.pending"]) == (1, 1, 3)


def test_latest_record_changes_end_date(warehouse: Warehouse) -> None:
    february = counts(warehouse, "534", "district", "2023-02")
    # February: CHANGED's latest record ends it 02/03, so it is pending at 28/02; OLDER's latest
    # record (resolved 15/02) wins over the older state extracted later. Resolved in February:
    # NO-DUE (01/02) and OLDER.
    assert february["tthc.resolved"] == 2
    # Pending at 28/02: CHANGED, FULL-BEFORE, FULL-ONLINE (STOPPED ended 10/02).
    assert february["tthc.pending"] == 3
    assert counts(warehouse, "534", "district", "2023-03")["tthc.resolved"] == 1  # CHANGED


def test_carried_over_from_previous_year(warehouse: Warehouse) -> None:
    december = counts(warehouse, "534", "district", "2022-12")
    assert (
        december["tthc.received"],
        december["tthc.pending"],
        december["tthc.pending_not_due"],
    ) == (1, 1, 1)
    january = counts(warehouse, "534", "district", "2023-01")
    # January: CARRY carried over; early: CARRY, FLAGS, NOFLAGS; on time: DUE-EQ.
    assert (january["tthc.carried_over"], january["tthc.resolved_early"]) == (1, 3)
    assert january["tthc.resolved_on_time"] == 1


def test_intake_and_result_flags(warehouse: Warehouse) -> None:
    got = figures(warehouse, "534", "district", "2023-Q1")
    # Digitised at intake: FLAGS only (NOFLAGS's digitised component is deleted) -> 1 / 12.
    assert got["tthc.digitized_rate"][:2] == (1, 12)
    # Result digitised: FLAGS only, among the 7 resolved.
    assert got["tthc.result_digitized_rate"][:2] == (1, 7)
    assert got["tthc.reuse_rate"][:2] == (1, 12)
    # Fees: only FLAGS has a fee > 0, paid online on the local gateway ("2").
    assert got["tthc.online_payment_rate"] == (1, 1, 1)
    # On-time rate: (5 + 2) / 7.
    assert got["tthc.on_time_rate"] == (7, 7, 1)


def test_fully_online_mid_period(warehouse: Warehouse) -> None:
    got = figures(warehouse, "534", "district", "2023-Q1")
    # Offered fully online on the receipt date: FULL-ONLINE (20/02) and FULL-DESK (01/03);
    # FULL-BEFORE (10/02) was received while the offering was PARTIAL. Online among them: 1.
    assert got["tthc.full_online_dossier_rate"] == (1, 2, Decimal("0.5"))
    # Catalogue on 31/03 for the district's agencies: 1.000001 FULL, 2.000001 PARTIAL.
    assert (got["dvc.procedures"][0], got["dvc.full"][0], got["dvc.partial"][0]) == (2, 1, 1)
    # Eligible: 1.000001 only -> full 1 / eligible 1.
    assert got["dvc.full_share_eligible"][:2] == (1, 1)
    january = figures(warehouse, "534", "district", "2023-01")
    # On 31/01 1.000001 was still PARTIAL.
    assert (january["dvc.full"][0], january["dvc.partial"][0]) == (0, 2)
    assert january["tthc.full_online_dossier_rate"] == (0, 0, None)


def test_catalogue_counts_distinct_procedures_at_all(warehouse: Warehouse) -> None:
    got = figures(warehouse, "534", "all", "2023-Q1")
    # 2.000001 is PARTIAL for the district agency and NONE for communes: counted once, at its
    # highest level. 1.000001 FULL. -> procedures 2, full 1, partial 1, online share 2/2.
    assert (got["dvc.procedures"][0], got["dvc.full"][0], got["dvc.partial"][0]) == (2, 1, 1)
    commune = figures(warehouse, "534", "commune", "2023-Q1")
    assert (commune["dvc.procedures"][0], commune["dvc.online_share"]) == (1, (0, 1, 0))


def test_reporting_period_boundary(warehouse: Warehouse) -> None:
    # R2023-Q1 = 15/12/2022 – 14/03/2023: D-14TH in it, D-15TH in R2023-Q2.
    assert counts(warehouse, "21439", "commune", "R2023-Q1")["tthc.received"] == 1
    assert counts(warehouse, "21439", "commune", "R2023-Q2")["tthc.received"] == 1
    assert counts(warehouse, "21439", "commune", "R2023-H1")["tthc.received"] == 2
    bounds = "select distinct period_start, period_end from marts.indicator_value"
    period = warehouse.rows(bounds + " where period_key = 'R2023-Q1'")
    assert period == [(dt.date(2022, 12, 15), dt.date(2023, 3, 14))]
    period = warehouse.rows(bounds + " where period_key = 'R2023'")
    assert period == [(dt.date(2022, 12, 15), dt.date(2023, 12, 14))]


def test_payments_vietnam_date_and_refund(warehouse: Warehouse) -> None:
    q1 = counts(warehouse, "534", "district", "2023-Q1")
    # P-Q1 paid 31/03 23:30 (+07:00); P-REFUND's latest state is REFUNDED; P-Q2 is 01/04 00:30.
    assert (q1["dvc.payments"], q1["dvc.payment_amount"]) == (1, 150000)
    assert (q1["dvc.payments.FEE"], q1["dvc.payments.LAND_TAX"]) == (1, 0)
    q2 = counts(warehouse, "534", "district", "2023-Q2")
    assert (q2["dvc.payments.LAND_TAX"], q2["dvc.payment_amount.LAND_TAX"]) == (1, 200000)


def test_withdrawn_rating(warehouse: Warehouse) -> None:
    got = figures(warehouse, "534", "district", "2023-Q1")
    # R3 withdrawn: 2 ratings, 1 not dissatisfied.
    assert got["dvc.ratings"][0] == 2
    assert got["dvc.satisfaction_rate"] == (1, 2, Decimal("0.5"))


def test_documents_and_confidentiality(warehouse: Warehouse) -> None:
    got = figures(warehouse, "534", "district", "2023-Q1")
    # Counts include confidential rows.
    assert (got["qlvb.incoming"][0], got["qlvb.outgoing"][0]) == (3, 3)
    # Non-confidential: DEN-2, DEN-3, DI-1, DI-2; electronic: DEN-2, DI-1, DI-2; fully: DEN-2, DI-1.
    assert got["qlvb.electronic_rate"][:2] == (3, 4)
    assert got["qlvb.fully_electronic_rate"][:2] == (2, 4)
    # Non-confidential electronic outgoing: DI-1 (signed, via the axis), DI-2 (not, not).
    assert got["qlvb.outgoing_signed_rate"][:2] == (1, 2)
    assert got["qlvb.interlinked_rate"][:2] == (1, 2)
    # Non-confidential electronic incoming: DEN-2 signed (" có " in NFD).
    assert got["qlvb.incoming_signed_rate"][:2] == (1, 1)
    # Work files closed in Q1, non-confidential: HS-1 (online), HS-2.
    assert got["qlvb.work_file_online_rate"][:2] == (1, 2)


def test_levels_add_up_and_grid_is_dense(warehouse: Warehouse) -> None:
    district_all = counts(warehouse, "534", "all", "2023-Q1")
    # all = district (13 in scope) + communes (D-14TH, D-15TH, D-B1, D-B2).
    assert district_all["tthc.in_scope"] == 17
    province = counts(warehouse, "51", "all", "2023-Q1")
    assert province["tthc.in_scope"] == 18  # + the province department's D-P1
    assert counts(warehouse, "51", "province", "2023-Q1")["tthc.in_scope"] == 1
    scopes = warehouse.rows(
        """
        select unit_code, array_agg(distinct handling_level order by handling_level)
        from marts.indicator_value where scheme = 'pre2025' group by unit_code order by unit_code
        """
    )
    assert scopes == [
        ("21439", ["all", "commune"]),
        ("21442", ["all", "commune"]),
        ("51", ["all", "commune", "district", "province"]),
        ("534", ["all", "commune", "district"]),
    ]
    # Every scope has every indicator in every period: 4 + 3 + 2 + 2 = 11 scopes.
    (per_scope,) = warehouse.rows(
        """
        select count(distinct (unit_code, handling_level)),
               count(*) / count(distinct (unit_code, handling_level))
        from marts.indicator_value where scheme = 'pre2025'
        """
    )
    (periods,) = warehouse.rows(
        "select count(distinct (period_type, period_key)) from marts.indicator_value"
    )
    (indicators,) = warehouse.rows("select count(*) from marts.indicator_catalog")
    assert per_scope == (11, periods[0] * indicators[0])


def test_targets_and_completeness(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        """
        select handling_level, numerator, denominator, target, target_status, is_complete
        from marts.indicator_value
        where scheme = 'pre2025' and unit_code = %s and period_key = %s
          and indicator_code = 'tthc.online_rate'
        order by handling_level
        """,
        ("534", "2023-Q1"),
    )
    # Đức Phổ's 2023 targets: online dossiers >= 80% at district level, >= 60% at commune level.
    # District: 3 / 12 -> not achieved. Communes: D-14TH, D-15TH, D-B1 (online), D-B2 -> 1 / 4.
    assert rows == [
        ("all", 4, 16, None, None, True),
        ("commune", 1, 4, Decimal("0.6"), "not_achieved", True),
        ("district", 3, 12, Decimal("0.8"), "not_achieved", True),
    ]
    # The commune-level target applies to each commune of Đức Phổ at `all`; Phổ An's
    # February has no dossier: no basis. December 2022 lies before the loaded window.
    (feb,) = warehouse.rows(
        """
        select value, target, target_status, is_complete from marts.indicator_value
        where scheme = 'pre2025' and unit_code = '21442' and handling_level = 'all'
          and period_key = '2023-02'
          and indicator_code = 'tthc.online_rate'
        """
    )
    assert feb == (None, Decimal("0.6"), "no_basis", True)
    (dec,) = warehouse.rows(
        """
        select is_complete, target from marts.indicator_value
        where scheme = 'pre2025' and unit_code = '534' and handling_level = 'district'
          and period_key = '2022-12'
          and indicator_code = 'tthc.online_rate'
        """
    )
    assert dec == (False, None)
    # The grid ends on the day the sources are loaded through (30/06/2023): no 2023-Q3; the
    # year 2023 overlaps it but has not ended.
    assert warehouse.rows("select 1 from marts.indicator_value where period_key = '2023-Q3'") == []
    (year,) = warehouse.rows(
        "select bool_or(is_complete) from marts.indicator_value where period_key = '2023'"
    )
    assert year == (False,)


def test_dti_index_and_service_766(warehouse: Warehouse) -> None:
    scores = dict(
        warehouse.rows(
            """
            select group_code, score from marts.dti_index
            where unit_code = '534' and handling_level = 'district' and period_key = '2023-Q1'
            """
        )
    )
    # service_delivery: online share 2/2, full share of eligible 1/1, online rate 3/12 against
    # the 80% target -> 0.25 / 0.8 = 0.3125, fully-online dossiers 1/2, online payment 1/1.
    assert scores["service_delivery"] == Decimal("3.8125") / 5
    # e_office: electronic 3/4, outgoing signed 1/2, interlinked 1/2, work files online 1/2.
    assert scores["e_office"] == Decimal("0.5625")
    ranks = warehouse.rows(
        """
        select unit_code, rank_among_siblings, siblings from marts.dti_index
        where parent_code = '534' and handling_level = 'all' and period_key = '2023-01'
          and group_code = 'processing'
        order by unit_code
        """
    )
    # January, communes at `all`: Nguyễn Nghiêm has no dossier and no rating -> no score;
    # Phổ An resolved both its dossiers on time -> 1.
    assert ranks == [("21439", None, 2), ("21442", 1, 2)]
    points = dict(
        warehouse.rows(
            """
            select item_code, points from marts.service_766
            where unit_code = '534' and handling_level = 'district' and period_key = '2023-Q1'
            """
        )
    )
    # 3.3: online rate 0.25, full points at 50% -> 6 × 0.5 = 3; 3.6: online payment 1/1 -> 6;
    # 2.1: (5 early + 2 on time + 3 not yet due) / 13 in scope -> 20 × 10/13.
    assert (points["3.3"], points["3.6"]) == (3, 6)
    assert round(points["2.1"], 6) == round(Decimal(200) / 13, 6)
    (total,) = warehouse.rows(
        """
        select max_points from marts.service_766
        where unit_code = '534' and handling_level = 'district' and period_key = '2023-Q1'
          and item_code = 'total'
        """
    )
    assert total == (50,)


def test_bi_role_reads_marts_only(warehouse: Warehouse) -> None:
    def as_bi(sql: str) -> int:
        with warehouse.connect() as conn:
            conn.execute("set role dti_bi")
            (count,) = conn.execute(sql).fetchone() or (0,)
            return int(count)

    assert as_bi("select count(*) from marts.indicator_value") > 0
    for relation in (
        "staging.stg_onestop__dossiers",
        "intermediate.int_dossiers_classified",
        "onestop.hoso",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            as_bi(f"select count(*) from {relation}")


def _default_successors() -> dict[str, str]:
    """Old unit code -> its default 2025 successor, read from the committed crosswalk seed."""
    import csv

    seed = Path(__file__).resolve().parents[2] / "dbt_project/seeds/admin_units_pre2025_to_2025.csv"
    with seed.open(encoding="utf-8") as handle:
        return {
            row["old_unit_code"]: row["new_unit_code"]
            for row in csv.DictReader(handle)
            if row["is_default"] == "true"
        }


def test_the_2025_scheme_counts_the_same_records_at_the_new_units(warehouse: Warehouse) -> None:
    """reform2025.md §4: old agencies' records count in 2025 at their old unit's default
    successor (communes at new communes, the district and the province at the new province, the
    old district's agencies at handling level `district`), with no target of the old scheme."""
    successor = _default_successors()
    new_communes = {successor["21439"], successor["21442"]}
    province = successor["51"]
    assert successor["534"] == province  # Đức Phổ lies in the new Quảng Ngãi
    scopes = dict(
        warehouse.rows(
            """
            select unit_code, array_agg(distinct handling_level order by handling_level)
            from marts.indicator_value where scheme = '2025' group by unit_code
            """
        )
    )
    assert scopes == {
        province: ["all", "commune", "district", "province"],
        **{code: ["all", "commune"] for code in new_communes},
    }

    def total(scheme: str, unit: str, level: str) -> int:
        (row,) = warehouse.rows(
            "select numerator from marts.indicator_value where scheme = %s and unit_code = %s "
            "and handling_level = %s and period_key = '2023-Q1' "
            "and indicator_code = 'tthc.in_scope'",
            (scheme, unit, level),
        )
        return int(row[0])

    # the same 18 dossiers of test_levels_add_up_and_grid_is_dense, at the new units
    assert total("2025", province, "all") == total("pre2025", "51", "all") == 18
    assert total("2025", province, "district") == total("pre2025", "534", "district") == 13
    assert total("2025", province, "province") == 1
    assert sum(total("2025", code, "all") for code in new_communes) == total(
        "pre2025", "534", "commune"
    )
    (targets,) = warehouse.rows(
        "select count(target) from marts.indicator_value where scheme = '2025'"
    )
    assert targets == (0,)  # the plans' targets name pre2025 units (indicator_targets.scheme)


def test_two_departments_acting_in_one_second_are_two_steps(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select department, load_id from staging.stg_onestop__dossier_steps "
        "where dossier_code = 'DUE-EQ' order by department"
    )
    first, second = sorted({load for _, load in rows})
    assert rows == [("Tư pháp", first), ("Văn phòng", second)]

"""A small hand-made Scenario for the simulator conformance tests.

Built here rather than by the scenario generator so the tests pin the wire contract only: it
holds the awkward cases on purpose (NFD text, unknown extra fields, malformed records, mixed
UTC/+07:00 offsets, numeric-string amounts, withdrawn ratings, a hidden ``_`` annotation on
every record).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator

import pytest
import requests

from include.scenario.model import Scenario
from include.simulators import (
    DEMO_CREDENTIALS,
    DvcPortalSimulator,
    OnestopSimulator,
    QlvbSimulator,
)

NOW = dt.datetime(2023, 7, 20, 17, 0, 0)
AGENCIES = ["000.00.00.H33", "000.00.11.H33", "000.09.11.H33"]
#: Dossiers: one update every 97 minutes from 1 June 2023 (so June 2023 holds 442 of them).
DOSSIER_COUNT = 700
DOSSIER_STEP = dt.timedelta(minutes=97)
START = dt.datetime(2023, 6, 1, 7, 0, 0)
TS = "%Y%m%d%H%M%S"


def _dossier(i: int) -> dict:
    updated = START + i * DOSSIER_STEP
    record = {
        "MaHoSo": f"H33.{i:06d}",
        "MaTTHC": "1.001193",
        "TenTTHC": "Đăng ký khai sinh",
        "MaLinhVuc": "HT",
        "TenLinhVuc": "Hộ tịch",
        "MaDonVi": AGENCIES[i % 3],
        "KenhThucHien": "2" if i % 2 else "1",
        "ChuHoSo": f"Nguyễn Văn {i}",
        "SoGiayToChuHoSo": f"{i:012d}",
        "LoaiDoiTuong": "1",
        "SoDienThoai": "0912345678",
        "Email": "a@example.vn",
        "DiaChi": "Mỹ Hào",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayNopHoSo": (updated - dt.timedelta(days=2)).strftime(TS),
        "NgayTiepNhan": (updated - dt.timedelta(days=1)).strftime(TS),
        "NgayHenTra": (updated + dt.timedelta(days=3)).strftime(TS),
        "TrangThaiHoSo": "4",
        "NgayKetThucXuLy": "",
        "NgayTra": None,
        "NgayTuChoi": "",
        "HinhThuc": "0",
        "HoSoCoThanhPhanSoHoa": "1",
        "TaiKhoanDuocXacThucVoiVNeID": "0",
        "DuocThanhToanTrucTuyen": "0",
        "NgayCapNhat": updated.strftime(TS),
        "TaiLieuNop": [],
        "DanhSachLePhi": [
            {"MaPhiLePhi": "LP1", "TenPhiLePhi": "Lệ phí", "LoaiPhiLePhi": "2", "Gia": 0}
        ],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
        "_received": True,
    }
    if i == 5:
        record["TenTTHC"] = unicodedata.normalize("NFD", record["TenTTHC"])
    if i == 6:
        record["MaHoSoQuocGia"] = "G22.99-230601-0006"  # a field added by an upgrade
    if i == 7:
        record["NgayTiepNhan"] = "20230231080000"  # impossible date: the source's fault
    if i == 8:
        del record["MaHoSo"]
    return record


def _step(i: int) -> dict:
    return {
        "MaHoSo": f"H33.{i // 2:06d}",
        "MaDonVi": AGENCIES[i % 3],
        "ThoiDiemXuLy": (START + i * dt.timedelta(minutes=61)).strftime(TS),
        "TrangThai": "4",
        "PhongBanXuLy": "Bộ phận một cửa",
        "NguoiXuLy": "Trần Thị B",
        "ChucDanh": "Chuyên viên",
        "NoiDungXuLy": "Chuyển xử lý",
        "_note": "hidden",
    }


def _documents() -> dict[str, list[dict]]:
    den, di, hscv = [], [], []
    for i in range(60):
        day = dt.date(2023, 4, 1) + dt.timedelta(days=i * 2)
        den.append(
            {
                "Mã văn bản": f"VBD-{i:04d}",
                "Số đến": i + 1,
                "Ngày đến": day,
                "Số, ký hiệu": f"{i}/UBND-VP",
                "Ngày văn bản": day - dt.timedelta(days=1),
                "Cơ quan ban hành": "UBND tỉnh Hưng Yên",
                "Loại văn bản": "Công văn",
                "Trích yếu": "(Văn bản mật)" if i == 6 else "V/v báo cáo",
                "Độ mật": "Mật" if i == 6 else "Thường",
                "Độ khẩn": "Thường",
                "Hình thức": "Điện tử",
                "Qua trục liên thông": " có " if i == 4 else "Có",
                "Ký số": "Có",
                "Đơn vị xử lý chính": "Văn phòng",
                "Hạn xử lý": day + dt.timedelta(days=10),
                "Ngày hoàn thành": None if i % 4 == 0 else day + dt.timedelta(days=5),
                "Trạng thái xử lý": "Đã xử lý",
                "_unit_id": 1201 if i % 2 == 0 else 1202,
            }
        )
        if i == 10:
            den[-1]["Ngày đến"] = "32/13/2023"  # unreadable registration date
        di.append(
            {
                "Mã văn bản": f"VBDI-{i:04d}",
                "Số, ký hiệu": f"{i}/QĐ-UBND",
                "Ngày ban hành": day,
                "Loại văn bản": "Quyết định",
                "Trích yếu": "Quyết định",
                "Người ký": "Lê Văn C",
                "Chức vụ": "Chủ tịch",
                "Nơi nhận": "Như trên",
                "Độ mật": "Thường",
                "Độ khẩn": "Khẩn",
                "Hình thức phát hành": "Điện tử",
                "Ký số": "Cá nhân và cơ quan",
                "Gửi qua trục liên thông": "Có",
                "Số lượng bản": 3,
                "_unit_id": 1201,
            }
        )
        hscv.append(
            {
                "Mã hồ sơ": f"HS-{i:04d}",
                "Tiêu đề": "Hồ sơ kế hoạch",
                "Đơn vị": "Văn phòng",
                "Ngày mở": day,
                "Ngày đóng": "31/02/2023" if i == 2 else None,
                "Trạng thái": "Đang xử lý",
                "Xử lý trên môi trường mạng": "Có",
                "Độ mật": "Thường",
                "Mã lưu trữ": f"LT-{i}",  # a column added by an upgrade
                "_unit_id": 1201,
            }
        )
    return {"den": den, "di": di, "hscv": hscv}


def _services() -> list[dict]:
    services = []
    for i in range(30):
        published = dt.date(2023, 1, 1) + dt.timedelta(days=10 * i)
        ended = published + dt.timedelta(days=60) if i % 3 == 0 else None
        updated = dt.datetime.combine(published, dt.time(9, 0))
        services.append(
            {
                "serviceId": f"SV{i:03d}",
                "procedureCode": f"1.00{i:04d}",
                "procedureName": "Thủ tục",
                "fieldCode": "HT",
                "fieldName": "Hộ tịch",
                "agencyLevel": ("PROVINCE", "DISTRICT", "COMMUNE")[i % 3],
                "agencyCode": None if i % 2 else AGENCIES[i % 3],
                "onlineLevel": ("FULL", "PARTIAL", "NONE")[i % 3],
                "eligibleFullOnline": True,
                "hasFee": i % 2 == 0,
                "requiresPaperResult": False,
                "status": "PUBLISHED",
                "publishedFrom": published.isoformat(),
                "publishedTo": ended.isoformat() if ended else None,
                "updatedAt": _iso(updated, utc=i % 2 == 0),
                "_truth": i,
            }
        )
    return services


def _iso(moment: dt.datetime, *, utc: bool) -> str:
    aware = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    if utc:
        return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return aware.isoformat(timespec="seconds")


def _payment(i: int) -> dict:
    updated = START + i * dt.timedelta(minutes=83)
    return {
        "transactionId": f"TX{i:06d}",
        "dossierCode": f"H33.{i:06d}",
        "agencyCode": AGENCIES[i % 3],
        "procedureCode": "1.001193",
        "feeKind": "CHARGE",
        "amount": "150000" if i % 2 else 150000,
        "gateway": "DVCQG" if i % 3 else "LOCAL",
        "status": "SUCCESS",
        "createdAt": _iso(updated - dt.timedelta(hours=1), utc=i % 2 == 0),
        "paidAt": _iso(updated, utc=i % 2 == 0),
        "updatedAt": _iso(updated, utc=i % 2 == 0),
        "_dossier_index": i,
    }


def _rating(i: int) -> dict:
    # Pairs share an instant (one written in UTC, one in +07:00): ids 9 and 10 tie, so the
    # listing must order numeric ids as numbers.
    updated = START + (i // 2) * dt.timedelta(minutes=131)
    withdrawn = i % 10 == 0
    record = {
        "ratingId": i + 1,
        "dossierCode": f"H33.{i:06d}",
        "agencyCode": AGENCIES[i % 3],
        "channel": "PORTAL",
        "level": None if withdrawn else "HAI_LONG",
        "ratedAt": _iso(updated, utc=i % 2 == 1),
        "updatedAt": _iso(updated, utc=i % 2 == 1),
        "_truth": "x",
    }
    if withdrawn:
        record["withdrawn"] = True
    return record


def make_scenario() -> Scenario:
    return Scenario(
        name="conformance",
        seed=0,
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 7, 20),
        now=NOW,
        agencies=[
            {
                "MaDonVi": AGENCIES[0],
                "TenDonVi": "UBND tỉnh Hưng Yên",
                "CapDonVi": "1",
                "MaDonViCha": "",
                "MaDVHC": "33",
                "_kind": "province",
            },
            {
                "MaDonVi": AGENCIES[1],
                "TenDonVi": "UBND thị xã Mỹ Hào",
                "CapDonVi": "2",
                "MaDonViCha": AGENCIES[0],
                "MaDVHC": "328",
            },
            {
                "MaDonVi": AGENCIES[2],
                "TenDonVi": "UBND phường Minh Đức",
                "CapDonVi": "3",
                "MaDonViCha": AGENCIES[1],
                "MaDVHC": "12103",
            },
        ],
        dossiers=[_dossier(i) for i in range(DOSSIER_COUNT)],
        steps=[_step(i) for i in range(600)],
        qlvb_units=[
            {"id": 1201, "ten": "UBND phường Minh Đức", "ma_dinh_danh": AGENCIES[2]},
            {"id": 1202, "ten": "UBND thị xã Mỹ Hào", "ma_dinh_danh": AGENCIES[1], "_x": 1},
        ],
        documents=_documents(),
        services=_services(),
        payments=[_payment(i) for i in range(600)],
        ratings=[_rating(i) for i in range(400)],
    )


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return make_scenario()


@pytest.fixture
def onestop(scenario: Scenario) -> Iterator[OnestopSimulator]:
    with OnestopSimulator(scenario) as sim:
        yield sim


@pytest.fixture
def qlvb(scenario: Scenario) -> Iterator[QlvbSimulator]:
    with QlvbSimulator(scenario) as sim:
        yield sim


@pytest.fixture
def dvc(scenario: Scenario) -> Iterator[DvcPortalSimulator]:
    with DvcPortalSimulator(scenario) as sim:
        yield sim


def _onestop_login(url: str) -> str:
    creds = DEMO_CREDENTIALS["onestop"]
    body = {"username": creds["login"], "password": creds["password"]}
    answer = requests.post(f"{url}/api/v1/auth/session", json=body, timeout=5)
    assert answer.json()["error_code"] == "0", answer.text
    return answer.json()["session"]


def _dvc_token(url: str) -> str:
    creds = DEMO_CREDENTIALS["dvc_portal"]
    form = {
        "grant_type": "client_credentials",
        "client_id": creds["login"],
        "client_secret": creds["password"],
    }
    answer = requests.post(f"{url}/oauth/token", data=form, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


@pytest.fixture
def onestop_login() -> Callable[[str], str]:
    """Logs in to a one-stop simulator at a URL; returns the session token."""
    return _onestop_login


@pytest.fixture
def dvc_token() -> Callable[[str], str]:
    """Fetches a bearer token from a DVC simulator at a URL."""
    return _dvc_token


@pytest.fixture
def qlvb_headers() -> dict[str, str]:
    return {"Authorization": f"ApiKey {DEMO_CREDENTIALS['qlvb']['password']}"}

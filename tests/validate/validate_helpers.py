"""Records for the validation tests: consistent by default, broken on request."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

#: The window of the test loads: yesterday in Vietnam, so a load extracted now is fresh.
YESTERDAY = (dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) - dt.timedelta(days=1)).date()
WINDOW = (YESTERDAY, YESTERDAY)


def stamp(hour: int, day: dt.date = YESTERDAY) -> str:
    """A one-stop ``yyyyMMddHHmmss`` timestamp on ``day``."""
    return f"{day:%Y%m%d}{hour:02d}0000"


def dossier(code: str, **fields: object) -> dict:
    """A resolved, consistent dossier changed yesterday; ``fields`` override it."""
    return {
        "MaHoSo": code,
        "MaTTHC": "1.001193",
        "MaDonVi": "000.00.11.H33",
        "KenhThucHien": "2",
        "TrangThaiHoSo": "10",
        "NgayNopHoSo": stamp(8),
        "NgayTiepNhan": stamp(9),
        "NgayHenTra": stamp(17, YESTERDAY + dt.timedelta(days=5)),
        "NgayKetThucXuLy": stamp(10),
        "NgayTra": stamp(15),
        "NgayCapNhat": stamp(15),
        "HoSoCoThanhPhanSoHoa": "1",
        "DuocThanhToanTrucTuyen": "0",
        "DanhSachLePhi": [{"MaPhiLePhi": "LP1", "Gia": 50000}],
        **fields,
    }


def day(date: dt.date) -> str:
    """A one-stop ``yyyyMMdd`` date (``NgayNgungHoatDong``)."""
    return f"{date:%Y%m%d}"


def agency(code: str, level: str, unit: str, **fields: object) -> dict:
    """A ``/donvi`` record of a system that predates the reform; ``fields`` add or override."""
    return {
        "MaDonVi": code,
        "TenDonVi": f"Đơn vị {code}",
        "CapDonVi": level,
        "MaDonViCha": "" if level == "1" else "000.00.00.H33",
        "MaDVHC": unit,
        **fields,
    }

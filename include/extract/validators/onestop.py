"""Rules a one-stop record must follow to be loaded (sources/onestop.md).

Each function returns the reasons a record breaks the spec (empty: the record is good). They
run on redacted records, so the warehouse load can apply the same rules to landed data.
Only what the spec fixes is checked: codes listed in the spec, timestamps that must parse, and
the fields without which a record cannot be placed (its key, its update time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from include.landing.versions import parse_onestop_timestamp

STATUS_CODES = frozenset(str(code) for code in range(1, 11))
RESOLVED_STATUSES = frozenset({"9", "10"})
AGENCY_LEVELS = frozenset({"1", "2", "3"})
#: Coded fields of a dossier and their allowed values ("" or null means "none" for all).
HOSO_CODES: Mapping[str, frozenset[str]] = {
    "KenhThucHien": frozenset({"1", "2", "3"}),
    "LoaiDoiTuong": frozenset({"1", "2", "3", "4"}),
    "HinhThuc": frozenset({"0", "1"}),
    "DuocThanhToanTrucTuyen": frozenset({"0", "1", "2"}),
    "HoSoCoThanhPhanSoHoa": frozenset({"0", "1"}),
    "TaiKhoanDuocXacThucVoiVNeID": frozenset({"0", "1"}),
}
HOSO_TIMESTAMPS = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
)


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _code(value: Any) -> str:
    """Codes are strings; a bare integer is read as its string (same meaning)."""
    if isinstance(value, bool):
        return repr(value)
    return str(value).strip() if isinstance(value, (str, int)) else repr(value)


def _check_key(record: Mapping[str, Any], name: str) -> list[str]:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        return [f"missing {name}"]
    return []


def _check_timestamp(record: Mapping[str, Any], name: str, *, required: bool) -> list[str]:
    value = record.get(name)
    if _is_empty(value):
        return [f"missing {name}"] if required else []
    if parse_onestop_timestamp(value) is None:
        return [f"{name} {value!r} is not a valid yyyyMMddHHmmss timestamp"]
    return []


def _check_status(record: Mapping[str, Any], name: str) -> list[str]:
    value = record.get(name)
    if _is_empty(value):
        return [f"missing {name}"]
    if _code(value) not in STATUS_CODES:
        return [f"{name} {value!r} is outside 1..10"]
    return []


def validate_donvi(record: Mapping[str, Any]) -> list[str]:
    reasons = _check_key(record, "MaDonVi")
    level = record.get("CapDonVi")
    if _code(level) not in AGENCY_LEVELS:
        reasons.append(f"CapDonVi {level!r} is not 1, 2 or 3")
    return reasons


def validate_hoso(record: Mapping[str, Any]) -> list[str]:
    reasons = _check_key(record, "MaHoSo")
    reasons += _check_timestamp(record, "NgayCapNhat", required=True)
    reasons += _check_status(record, "TrangThaiHoSo")
    for name in HOSO_TIMESTAMPS:
        reasons += _check_timestamp(record, name, required=False)
    for name, allowed in HOSO_CODES.items():
        value = record.get(name)
        if not _is_empty(value) and _code(value) not in allowed:
            reasons.append(f"{name} {value!r} is not one of {sorted(allowed)}")
    if _code(record.get("TrangThaiHoSo")) in RESOLVED_STATUSES and all(
        _is_empty(record.get(name)) for name in ("NgayKetThucXuLy", "NgayTra")
    ):
        reasons.append("resolved dossier (status 9/10) has neither NgayKetThucXuLy nor NgayTra")
    return reasons


def validate_tientrinh(record: Mapping[str, Any]) -> list[str]:
    reasons = _check_key(record, "MaHoSo")
    reasons += _check_timestamp(record, "ThoiDiemXuLy", required=True)
    reasons += _check_status(record, "TrangThai")
    return reasons


VALIDATORS: Mapping[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "donvi": validate_donvi,
    "hoso": validate_hoso,
    "tientrinh": validate_tientrinh,
}


def validate(entity: str, record: Mapping[str, Any]) -> list[str]:
    """Reasons the one-stop ``entity`` record breaks the spec; empty when it is good."""
    return VALIDATORS[entity](record)

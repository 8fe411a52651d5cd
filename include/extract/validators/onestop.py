"""Rules a one-stop record must follow to be loaded (sources/onestop.md).

Each function returns the reasons a record breaks the spec (empty: the record is good). They
run on redacted records, so the warehouse load can apply the same rules to landed data.
Only what the spec fixes is checked: codes listed in the spec, timestamps that must parse, and
the fields without which a record cannot be placed (its key, its update time, an agency's unit
in its code scheme).

``/donvi`` records come in two shapes: systems that predate the reform send no
``PhienBanDVHC``/``NgayNgungHoatDong``/``MaDonViTiepNhan`` (their codes are ``pre2025``), newer
ones send them (reform2025.md §2). Both are valid. A takeover naming an agency missing from the
listing (``MaDonViTiepNhan``) is no reason to set the closing agency aside: its dossiers count at
their ``MaDonVi`` whoever took them over, so quarantining it would lose them; the load's
validation warns of it instead (``expectations/raw/onestop.donvi.json``, ``successor_missing``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from include.extract.validators import admin_units
from include.landing.versions import parse_onestop_timestamp

STATUS_CODES = frozenset(str(code) for code in range(1, 11))
RESOLVED_STATUSES = frozenset({"9", "10"})
AGENCY_LEVELS = frozenset({"1", "2", "3"})
#: ``PhienBanDVHC`` values; absent or ``""`` means the scheme of systems that predate the reform.
SCHEMES = frozenset(admin_units.SCHEMES)
DEFAULT_SCHEME = "pre2025"
#: The ``MaDVHC`` lengths of each scheme: the 2025 scheme has provinces and communes only.
SCHEME_CODE_LENGTHS: Mapping[str, tuple[int, ...]] = {"pre2025": (2, 3, 5), "2025": (2, 5)}
#: An agency serves a unit of its own level: the ``MaDVHC`` length of each ``CapDonVi``.
LEVEL_CODE_LENGTH: Mapping[str, int] = {"1": 2, "2": 3, "3": 5}
LEVEL_NAMES: Mapping[str, str] = {"1": "province", "2": "district", "3": "commune"}
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


def parse_closing_date(value: Any) -> dt.date | None:
    """A ``yyyyMMdd`` date (``NgayNgungHoatDong``); ``None`` when it is not a real one."""
    if not isinstance(value, str) or len(value) != 8 or not value.isascii() or not value.isdigit():
        return None
    try:
        return dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def agency_scheme(record: Mapping[str, Any]) -> str | None:
    """The code scheme of an agency's ``MaDVHC``; ``None`` when ``PhienBanDVHC`` is not one."""
    value = record.get("PhienBanDVHC")
    # Blank counts as absent, as the warehouse reads it (trimmed, "" as none).
    scheme = "" if value is None else _code(value)
    if scheme == "":
        return DEFAULT_SCHEME
    return scheme if scheme in SCHEMES else None


def _agency_label(record: Mapping[str, Any]) -> str:
    code = record.get("MaDonVi")
    if isinstance(code, str) and code.strip():
        return f"agency {code.strip()!r}"
    return "agency without MaDonVi"


def _code_shape(code: str, level: str, scheme: str | None) -> list[str]:
    """A well-formed code that contradicts its level or its scheme (issue 9's bad input)."""
    reasons = []
    expected = LEVEL_CODE_LENGTH.get(level)
    if expected is not None and len(code) != expected:
        reasons.append(
            f"MaDVHC {code!r} has {len(code)} digits, but CapDonVi {level!r} "
            f"({LEVEL_NAMES[level]}) serves a {expected}-digit unit"
        )
    if scheme == "2025" and level == "2":
        reasons.append(
            "CapDonVi '2' (district) with PhienBanDVHC '2025': that scheme has no districts"
        )
    if scheme is not None and len(code) not in SCHEME_CODE_LENGTHS[scheme]:
        lengths = " or ".join(str(n) for n in SCHEME_CODE_LENGTHS[scheme])
        reasons.append(
            f"MaDVHC {code!r} has {len(code)} digits, which contradicts PhienBanDVHC {scheme!r} "
            f"(its codes have {lengths} digits)"
        )
    return reasons


def _unit_reasons(record: Mapping[str, Any], level: str) -> list[str]:
    """``PhienBanDVHC`` is a scheme and ``MaDVHC`` a unit of it, of the agency's level."""
    reasons = []
    scheme = agency_scheme(record)
    if scheme is None:
        reasons.append(
            f"PhienBanDVHC {record.get('PhienBanDVHC')!r} is not 'pre2025' or '2025' (or absent)"
        )
    value = record.get("MaDVHC")
    if _is_empty(value):
        return [*reasons, f"missing MaDVHC (scheme {scheme or 'unknown'})"]
    code = _code(value)
    if not (code.isascii() and code.isdigit() and len(code) in (2, 3, 5)):
        return [*reasons, f"MaDVHC {value!r} is not a 2-, 3- or 5-digit GSO code"]
    shape = _code_shape(code, level, scheme)
    reasons += shape
    # Only a code of the right shape is looked up: a 3-digit "2025" code is already explained.
    if scheme is not None and not shape and not admin_units.is_known(scheme, code):
        reasons.append(
            f"MaDVHC {code!r} is not a unit of scheme {scheme} "
            f"(seed {admin_units.seed_path(scheme).name})"
        )
    return reasons


def _check_closing_date(record: Mapping[str, Any]) -> list[str]:
    value = record.get("NgayNgungHoatDong")
    if _is_empty(value) or parse_closing_date(value) is not None:
        return []
    return [f"NgayNgungHoatDong {value!r} is not a valid yyyyMMdd date"]


def validate_donvi(record: Mapping[str, Any]) -> list[str]:
    """The rules of one ``/donvi`` record on its own (the takeover rule needs the listing)."""
    reasons = _check_key(record, "MaDonVi")
    level = record.get("CapDonVi")
    if _code(level) not in AGENCY_LEVELS:
        reasons.append(f"CapDonVi {level!r} is not 1, 2 or 3")
    agency = _agency_label(record)
    new_rules = _unit_reasons(record, _code(level)) + _check_closing_date(record)
    return reasons + [f"{agency}: {reason}" for reason in new_rules]


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

"""What the landing area must hold for a simulator's records, computed independently of the
extractors' own redaction code (from the specs' lists of personal data)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from include.extract.qlvb import UNIT_FIELD
from include.pii import APPLICANT_KEY_FIELD

ENTITIES = {
    "onestop": ("donvi", "hoso", "tientrinh"),
    "qlvb": ("donvi", "den", "di", "hscv"),
    "dvc_portal": ("services", "payments", "ratings"),
}
KEYS = {
    ("onestop", "donvi"): ("MaDonVi",),
    ("onestop", "hoso"): ("MaHoSo",),
    ("onestop", "tientrinh"): ("MaHoSo", "ThoiDiemXuLy", "TrangThai"),
    ("qlvb", "donvi"): ("id",),
    ("qlvb", "den"): (UNIT_FIELD, "Mã văn bản"),
    ("qlvb", "di"): (UNIT_FIELD, "Mã văn bản"),
    ("qlvb", "hscv"): (UNIT_FIELD, "Mã hồ sơ"),
    ("dvc_portal", "services"): ("serviceId",),
    ("dvc_portal", "payments"): ("transactionId",),
    ("dvc_portal", "ratings"): ("ratingId",),
}
#: The field a live listing's drift changes (the update time): the version of a record.
VERSION_FIELDS = {
    ("onestop", "hoso"): "NgayCapNhat",
    ("dvc_portal", "payments"): "updatedAt",
    ("dvc_portal", "ratings"): "updatedAt",
}
ONESTOP_PII = ("ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email", "DiaChi", "TrichYeuHoSo")
ONESTOP_PII += ("DinhDanhCHS", "NoiDungXuLy")
QLVB_PII = ("Trích yếu", "Tiêu đề", "Nơi nhận")


def applicant_key(id_number: Any, key: bytes) -> str | None:
    if id_number in (None, ""):
        return None
    normalised = "".join(str(id_number).split()).replace(".", "").replace("-", "").upper()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def expected(
    source: str, entity: str, record: dict[str, Any], key: bytes, qlvb_format: str = "xlsx"
) -> dict[str, Any]:
    """The record as the extractor must land it (a csv export's numbers are text)."""
    out: dict[str, Any] = {}
    for name, value in record.items():
        if name.startswith("_"):
            continue
        if source == "onestop" and name in ONESTOP_PII:
            continue
        if source == "qlvb" and name in QLVB_PII:
            continue
        if source == "qlvb" and entity != "donvi":
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif value == "":
                value = None
            elif qlvb_format == "csv" and isinstance(value, (int, float)):
                value = str(value)
        out[name] = value
    if source == "onestop" and "SoGiayToChuHoSo" in record:
        out[APPLICANT_KEY_FIELD] = applicant_key(record["SoGiayToChuHoSo"], key)
    if source == "qlvb" and entity != "donvi":
        out[UNIT_FIELD] = record["_unit_id"]
    return out


def record_key(source: str, entity: str, record: dict[str, Any]) -> tuple:
    return tuple(record.get(name) for name in KEYS[(source, entity)])


def canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)

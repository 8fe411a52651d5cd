"""Rules a QLVB register row must follow to be loaded (sources/qlvb.md).

Rows are checked in their landed form: column names as in the export, date cells already
turned into ISO dates by the parser (a cell it could not read stays the text it was).
Enumerated cells are compared after trimming and case folding, because exports write yes/no
cells in any case with stray spaces; the landed value stays as received.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any

from include.sources.qlvb_columns import DATE_COLUMNS, KEY_COLUMN, REGISTRATION_DATE

_YES_NO = ("Có", "Không")
_SECRECY = ("Thường", "Mật", "Tối mật", "Tuyệt mật")
_URGENCY = ("Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc")
_FORM = ("Điện tử", "Giấy", "Điện tử và giấy")
ENUMERATIONS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "den": {
        "Độ mật": _SECRECY,
        "Độ khẩn": _URGENCY,
        "Hình thức": _FORM,
        "Qua trục liên thông": _YES_NO,
        "Ký số": _YES_NO,
        "Trạng thái xử lý": ("Chưa xử lý", "Đang xử lý", "Đã xử lý"),
    },
    "di": {
        "Độ mật": _SECRECY,
        "Độ khẩn": _URGENCY,
        "Hình thức phát hành": _FORM,
        "Ký số": ("Cá nhân", "Cơ quan", "Cá nhân và cơ quan", "Không"),
        "Gửi qua trục liên thông": _YES_NO,
    },
    "hscv": {
        "Trạng thái": ("Đang xử lý", "Đã đóng"),
        "Xử lý trên môi trường mạng": _YES_NO,
        "Độ mật": _SECRECY,
    },
}


def normalise_value(value: Any) -> str:
    """The canonical form of an enumerated cell: NFC, trimmed, case folded.

    The old and new tone placements (``Hoả``/``Hỏa``) are folded too: both occur in Vietnamese
    text and mean the same word.
    """
    text = unicodedata.normalize("NFC", str(value)).strip().casefold()
    return " ".join(text.split()).replace("oả", "ỏa").replace("oà", "òa")


_NORMALISED = {
    register: {column: {normalise_value(v) for v in values} for column, values in columns.items()}
    for register, columns in ENUMERATIONS.items()
}


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def validate(register: str, row: Mapping[str, Any]) -> list[str]:
    """Reasons a landed ``register`` row breaks the spec; empty when it is good."""
    reasons = []
    key = KEY_COLUMN[register]
    if _is_empty(row.get(key)):
        reasons.append(f"missing {key}")
    required_date = REGISTRATION_DATE[register]
    for column in DATE_COLUMNS[register]:
        value = row.get(column)
        if _is_empty(value):
            if column == required_date:
                reasons.append(f"missing {column}")
        elif not is_iso_date(value):
            reasons.append(f"{column} {value!r} is not a date")
    for column, allowed in _NORMALISED[register].items():
        value = row.get(column)
        if _is_empty(value):
            reasons.append(f"missing {column}")
        elif normalise_value(value) not in allowed:
            reasons.append(
                f"{column} {value!r} is not one of {list(ENUMERATIONS[register][column])}"
            )
    return reasons

"""How units, levels and periods are named in Vietnamese report prose."""

from __future__ import annotations

import datetime as dt

from include.reports.formatting import roman, vn_date
from include.reports.schemes import SCHEME_2025

# Longest first: "Thị xã" must win over a bare "Xã"-like prefix, "Thành phố" over nothing.
# "Đặc khu" is the island unit of the 2025 scheme (13 of them, reform2025.md §1).
_UNIT_TYPES = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Huyện",
    "Quận",
    "Phường",
    "Tỉnh",
    "Xã",
)

HANDLING_LEVEL_LABELS = {
    "province": "Cấp tỉnh",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
    "all": "Toàn địa bàn",
}

#: In the 2025 scheme a province's ``district`` level holds the old district agencies'
#: records (reform2025.md §4): named so that no reader takes it for a level that still exists.
OLD_DISTRICT_LABEL = "Cấp huyện (cũ)"


def handling_level_label(scheme: str, level: str) -> str:
    """``Cấp huyện``, ``Cấp xã`` …; ``Cấp huyện (cũ)`` in the 2025 scheme."""
    if scheme == SCHEME_2025 and level == "district":
        return OLD_DISTRICT_LABEL
    return HANDLING_LEVEL_LABELS[level]


TARGET_STATUS_LABELS = {
    "achieved": "Đạt",
    "not_achieved": "Chưa đạt",
    "no_basis": "Chưa có cơ sở đánh giá",
}


def full_unit_name(unit_name: str, unit_level: str) -> str:
    """The name with its type. The 2025 unit list names provinces bare (``Hưng Yên``) where
    the old one says ``Tỉnh Hưng Yên``; a province without a type is a tỉnh (the five cities
    keep their ``Thành phố``), so the prose can say "UBND tỉnh Hưng Yên"."""
    if unit_level == "province" and not split_unit_name(unit_name)[0]:
        return f"Tỉnh {unit_name}"
    return unit_name


def split_unit_name(unit_name: str) -> tuple[str, str]:
    """``Thị xã Mỹ Hào`` → (``thị xã``, ``Mỹ Hào``); a name without a known type → ("", name)."""
    for kind in _UNIT_TYPES:
        if unit_name.startswith(kind + " "):
            return kind.lower(), unit_name[len(kind) + 1 :]
    return "", unit_name


def unit_in_prose(unit_name: str) -> str:
    """The unit inside a sentence: ``thị xã Mỹ Hào`` (the type is lower-case mid-sentence)."""
    kind, name = split_unit_name(unit_name)
    return f"{kind} {name}" if kind else name


def ubnd_of(unit_name: str) -> str:
    """``UBND thị xã Mỹ Hào``."""
    return f"UBND {unit_in_prose(unit_name)}"


def place_name(unit_name: str) -> str:
    """The place on the date line: ``Mỹ Hào``."""
    return split_unit_name(unit_name)[1]


def children_word(child_names: list[str]) -> str:
    """What a district calls its communes, from their types: ``xã, phường`` or ``xã, thị trấn``."""
    kinds = []
    for name in child_names:
        kind = split_unit_name(name)[0] or "xã"
        if kind not in kinds:
            kinds.append(kind)
    order = {"xã": 0, "phường": 1, "thị trấn": 2, "đặc khu": 3}
    kinds.sort(key=lambda kind: order.get(kind, 4))
    return ", ".join(kinds) if kinds else "xã"


def period_phrase(period_type: str, period_key: str, start: dt.date, end: dt.date) -> str:
    """The period as a report title names it: ``06 tháng đầu năm 2023``, ``Quý II năm 2023``,
    ``năm 2023``, ``tháng 6 năm 2023``; a statistical reporting period (NĐ 09/2019) adds its
    dates, since its bounds are not the calendar's."""
    calendar_type = period_type.removeprefix("report_")
    year = end.year
    if calendar_type == "half":
        phrase = f"06 tháng {'đầu' if period_key.endswith('H1') else 'cuối'} năm {year}"
    elif calendar_type == "quarter":
        phrase = f"Quý {roman(int(period_key[-1]))} năm {year}"
    elif calendar_type == "month":
        phrase = f"tháng {end.month} năm {year}"
    else:
        phrase = f"năm {year}"
    if period_type.startswith("report_"):
        phrase += f" (theo chu kỳ báo cáo, từ {vn_date(start)} đến {vn_date(end)})"
    return phrase

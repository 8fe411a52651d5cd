"""Vietnamese number, percentage, amount and date formatting, as the officers write them.

Administrative documents (NĐ 30/2020/NĐ-CP) group thousands with a dot and mark decimals with a
comma: ``23.479`` hồ sơ, ``98,33%``, ``2.500.000.000`` đồng, dates ``dd/mm/yyyy``. Rounding is
half-up (the way a figure is rounded by hand), never banker's rounding, so 0,125 → 0,13.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def nfc(text: str) -> str:
    """Text in Unicode NFC: Word, browsers and search all expect precomposed Vietnamese letters."""
    return unicodedata.normalize("NFC", text)


def _decimal(value: float | int | Decimal) -> Decimal:
    # str() first: Decimal(0.1) would carry the binary float's tail into the rounding.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _group_thousands(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    groups.append(digits)
    return ".".join(reversed(groups))


def vn_number(value: float | int | Decimal, decimals: int = 0, *, trim: bool = False) -> str:
    """``23479`` → ``23.479``; ``1234.5`` with 2 decimals → ``1.234,50`` (``1.234,5`` trimmed)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = _decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    if trim:
        fraction = fraction.rstrip("0")
    text = sign + _group_thousands(whole)
    return f"{text},{fraction}" if fraction else text


def vn_count(value: float | int | Decimal) -> str:
    """A count of records: ``1079`` → ``1.079``."""
    return vn_number(value, 0)


def vn_percent(fraction: float | Decimal | None, decimals: int = 2) -> str:
    """A fraction as a percentage with up to ``decimals`` decimals, trailing zeros dropped:
    ``0.98333`` → ``98,33%``, ``0.681`` → ``68,1%``, ``1`` → ``100%``; None → ``—``."""
    if fraction is None:
        return "—"
    return vn_number(_decimal(fraction) * 100, decimals, trim=True) + "%"


def vn_vnd(amount: float | int | Decimal) -> str:
    """An amount in đồng, to the đồng: ``2500000000`` → ``2.500.000.000``."""
    return vn_number(amount, 0)


def vn_amount_words(amount: float | int | Decimal) -> str:
    """A rounded amount the way reports quote it: ``2513650000`` → ``hơn 2,5 tỷ đồng``,
    ``46300000`` → ``hơn 46 triệu đồng``, ``3000000`` → ``3 triệu đồng``.

    Truncated, never rounded up, so "hơn" (more than) stays true.
    """
    value = _decimal(amount)
    for size, unit, decimals in ((Decimal(10) ** 9, "tỷ", 1), (Decimal(10) ** 6, "triệu", 0)):
        if value >= size:
            shown = (value / size).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
            prefix = "hơn " if shown * size < value else ""
            return f"{prefix}{vn_number(shown, decimals, trim=True)} {unit} đồng"
    return f"{vn_vnd(value)} đồng"


def vn_two_digits(count: int) -> str:
    """Small counts in report prose are written with two digits: ``2`` → ``02``, ``13`` → ``13``."""
    return f"{count:02d}"


def vn_date(day: dt.date) -> str:
    """``dd/mm/yyyy``: 2023-06-30 → ``30/06/2023``."""
    return day.strftime("%d/%m/%Y")


def vn_datetime(moment: dt.datetime) -> str:
    """``HH:MM dd/mm/yyyy`` (the order Vietnamese documents use)."""
    return moment.strftime("%H:%M %d/%m/%Y")


def roman(number: int) -> str:
    """Section and quarter numerals: 2 → ``II``."""
    return _ROMAN[number - 1]

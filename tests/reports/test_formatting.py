"""Vietnamese number, percentage, amount and date formats (NĐ 30/2020 conventions)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest

from include.reports.formatting import (
    nfc,
    vn_amount_words,
    vn_count,
    vn_date,
    vn_number,
    vn_percent,
    vn_two_digits,
    vn_vnd,
)
from include.reports.wording import period_phrase, split_unit_name, unit_in_prose


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (980, "980"), (1079, "1.079"), (23479, "23.479"), (1234567, "1.234.567")],
)
def test_counts_group_thousands_with_dots(value: int, expected: str) -> None:
    assert vn_count(value) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        (0.98333, "98,33%"),
        (Decimal(646) / Decimal(1079), "59,87%"),
        (Decimal(21777) / Decimal(33820), "64,39%"),
        (0.681, "68,1%"),  # trailing zero dropped, as the reports write it
        (1, "100%"),
        (0.5, "50%"),
        (0.000049, "0%"),
        (0.12345, "12,35%"),  # half-up, not banker's: 12,345 → 12,35
        (0.12335, "12,34%"),
    ],
)
def test_percentages_use_a_decimal_comma_and_round_half_up(fraction, expected: str) -> None:
    assert vn_percent(fraction) == expected


def test_percentage_of_nothing_is_a_dash() -> None:
    assert vn_percent(None) == "—"


def test_decimals_and_negative_numbers() -> None:
    assert vn_number(1234.5, 2) == "1.234,50"
    assert vn_number(1234.5, 2, trim=True) == "1.234,5"
    assert vn_number(Decimal("0.125"), 2) == "0,13"
    assert vn_number(-23479, 0) == "-23.479"


def test_amounts_in_dong() -> None:
    assert vn_vnd(2_500_000_000) == "2.500.000.000"
    assert vn_vnd(46_350_000) == "46.350.000"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (2_513_650_000, "hơn 2,5 tỷ đồng"),
        (2_500_000_000, "2,5 tỷ đồng"),  # exact: no "hơn"
        (2_599_999_999, "hơn 2,5 tỷ đồng"),  # truncated, never rounded up to 2,6
        (46_350_000, "hơn 46 triệu đồng"),
        (3_000_000, "3 triệu đồng"),
        (800_000, "800.000 đồng"),
    ],
)
def test_rounded_amounts_are_truncated_so_hon_stays_true(amount: int, expected: str) -> None:
    assert vn_amount_words(amount) == expected


def test_dates_are_dd_mm_yyyy() -> None:
    assert vn_date(dt.date(2023, 6, 30)) == "30/06/2023"
    assert vn_date(dt.date(2022, 12, 15)) == "15/12/2022"


def test_small_counts_have_two_digits() -> None:
    assert [vn_two_digits(n) for n in (1, 2, 13, 14)] == ["01", "02", "13", "14"]


def test_nfc_composes_decomposed_vietnamese() -> None:
    decomposed = unicodedata.normalize("NFD", "Thị xã Mỹ Hào")
    assert decomposed != "Thị xã Mỹ Hào"
    assert nfc(decomposed) == "Thị xã Mỹ Hào"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (("half", "2023-H1", dt.date(2023, 1, 1), dt.date(2023, 6, 30)), "06 tháng đầu năm 2023"),
        (("half", "2023-H2", dt.date(2023, 7, 1), dt.date(2023, 12, 31)), "06 tháng cuối năm 2023"),
        (("quarter", "2023-Q2", dt.date(2023, 4, 1), dt.date(2023, 6, 30)), "Quý II năm 2023"),
        (("year", "2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)), "năm 2023"),
        (("month", "2023-06", dt.date(2023, 6, 1), dt.date(2023, 6, 30)), "tháng 6 năm 2023"),
        (
            ("report_year", "R2021", dt.date(2020, 12, 15), dt.date(2021, 12, 14)),
            "năm 2021 (theo chu kỳ báo cáo, từ 15/12/2020 đến 14/12/2021)",
        ),
    ],
)
def test_period_phrases(period, expected: str) -> None:
    assert period_phrase(*period) == expected


def test_unit_names_in_prose() -> None:
    assert split_unit_name("Thị xã Mỹ Hào") == ("thị xã", "Mỹ Hào")
    assert split_unit_name("Thị trấn Châu Ổ") == ("thị trấn", "Châu Ổ")
    assert unit_in_prose("Huyện Bình Sơn") == "huyện Bình Sơn"

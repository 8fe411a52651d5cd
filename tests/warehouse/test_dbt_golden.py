"""The published figures of indicators.md §7, computed back from the calibrated scenarios.

Each scenario is loaded into its own database and built with the real dbt once. Counts must
equal the published ones exactly; rates the published rounding. Every expected value below is
typed from indicators.md §7 (and the seed reports it quotes), not computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from dbt_harness import RawLoader, Warehouse, create_warehouse, load_scenario
from reports.seed_phrases import BINH_SON_2023, MY_HAO_2023_H1, report_text, squash

from include.scenario import build_scenario

pytestmark = pytest.mark.slow

Figure = tuple[Decimal, Decimal | None, Decimal | None]


@pytest.fixture(scope="module")
def built(
    server_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], Warehouse]]:
    """Build a calibrated scenario's warehouse on first use; reuse it for the module."""
    cache: dict[str, Warehouse] = {}

    def build(name: str) -> Warehouse:
        if name not in cache:
            scenario = build_scenario(name, 0)
            wh = create_warehouse(server_uri, f"golden_{name}", tmp_path_factory.mktemp(name))
            with wh.connect() as conn:
                load_scenario(RawLoader(conn), scenario)
            wh.dbt("seed")
            wh.dbt("build", "--exclude", "resource_type:seed")
            cache[name] = wh
        return cache[name]

    yield build


def figures(wh: Warehouse, unit: str, level: str, period: str) -> dict[str, Figure]:
    rows = wh.rows(
        """
        select indicator_code, numerator, denominator, value from marts.indicator_value
        where scheme = 'pre2025' and unit_code = %s and handling_level = %s and period_key = %s
        """,
        (unit, level, period),
    )
    return {code: (num, den, val) for code, num, den, val in rows}


def percent(value: Any, places: int) -> Decimal:
    """A fraction as the reports print it: a percentage rounded to ``places`` decimals."""
    return round(Decimal(value) * 100, places)


def test_my_hao_2023_h1_district(built: Callable[[str], Warehouse]) -> None:
    got = figures(built("my_hao_2023h1"), "328", "district", "2023-H1")
    assert got["tthc.received"][0] == 1079
    assert got["tthc.received_online"][0] == 980
    assert got["tthc.received_in_person"][0] == 76
    assert got["tthc.received_postal"][0] == 23
    assert got["tthc.resolved_early"][0] == 1038
    assert got["tthc.resolved_on_time"][0] == 53
    assert got["tthc.resolved_late"][0] == 0
    assert percent(got["tthc.on_time_rate"][2], 0) == 100
    assert got["tthc.carried_over"][0] > 0
    assert got["tthc.digitized_rate"][:2] == (646, 1079)
    assert percent(got["tthc.digitized_rate"][2], 1) == Decimal("59.9")
    assert got["tthc.result_digitized_rate"][:2] == (697, 1091)
    assert percent(got["tthc.result_digitized_rate"][2], 1) == Decimal("63.9")


def test_my_hao_2023_h1_communes(built: Callable[[str], Warehouse]) -> None:
    wh = built("my_hao_2023h1")
    got = figures(wh, "328", "commune", "2023-H1")
    assert got["tthc.received"][0] == 23479
    assert got["tthc.received_online"][0] == 16696
    assert got["tthc.resolved_early"][0] == 21893
    assert percent(got["tthc.digitized_rate"][2], 1) == Decimal("68.1")
    assert percent(got["tthc.result_digitized_rate"][2], 1) == Decimal("29.1")
    (communes,) = wh.rows(
        "select count(*) from marts.admin_units where parent_code = '328' and unit_code in "
        "(select unit_code from marts.indicator_value where period_key = '2023-H1')"
    )
    assert communes == (13,)


def test_my_hao_2023_h1_documents_and_catalogue(built: Callable[[str], Warehouse]) -> None:
    wh = built("my_hao_2023h1")
    town = figures(wh, "328", "district", "2023-H1")
    assert town["qlvb.outgoing"][0] == 4796
    assert town["qlvb.incoming"][0] == 4530
    assert percent(town["qlvb.outgoing_signed_rate"][2], 0) == 100
    everything = figures(wh, "328", "all", "2023-H1")
    assert everything["dvc.procedures"][0] == 238
    assert everything["dvc.partial"][0] == 54
    assert everything["dvc.full"][0] == 173


@pytest.mark.parametrize(
    ("scenario", "period", "expected"),
    [
        (
            "duc_pho_r2021",
            "R2021",
            {
                "in_scope": 21003,
                "carried_over": 1315,
                "resolved": 20653,
                "resolved_rate": "98.33",
                "on_time": 19739,
                "on_time_rate": "95.57",
                "late": 914,
                "late_rate": "4.43",
                "pending": 350,
                "pending_rate": "1.67",
                "not_due": 295,
                "overdue": 55,
            },
        ),
        (
            "duc_pho_r2022h1",
            "R2022-H1",
            {
                "in_scope": 18432,
                "carried_over": 295,
                "resolved": 17153,
                "resolved_rate": "93.06",
                "on_time": 16819,
                "on_time_rate": "98.05",
                "late": 334,
                "late_rate": "1.95",
                "pending": 1279,
                "pending_rate": "6.94",
                "not_due": 1204,
                "overdue": 75,
            },
        ),
    ],
)
def test_duc_pho_reporting_periods(
    built: Callable[[str], Warehouse], scenario: str, period: str, expected: dict[str, Any]
) -> None:
    got = figures(built(scenario), "534", "all", period)
    assert got["tthc.in_scope"][0] == expected["in_scope"]
    assert got["tthc.carried_over"][0] == expected["carried_over"]
    assert got["tthc.resolved"][0] == expected["resolved"]
    assert percent(got["tthc.resolved_rate"][2], 2) == Decimal(expected["resolved_rate"])
    assert got["tthc.on_time_rate"][0] == expected["on_time"]
    assert percent(got["tthc.on_time_rate"][2], 2) == Decimal(expected["on_time_rate"])
    assert got["tthc.resolved_late"][0] == expected["late"]
    assert percent(got["tthc.late_rate"][2], 2) == Decimal(expected["late_rate"])
    assert got["tthc.pending"][0] == expected["pending"]
    assert percent(got["tthc.pending_rate"][2], 2) == Decimal(expected["pending_rate"])
    assert got["tthc.pending_not_due"][0] == expected["not_due"]
    assert got["tthc.pending_overdue"][0] == expected["overdue"]


def test_binh_son_2023_digitisation(built: Callable[[str], Warehouse]) -> None:
    wh = built("binh_son_2023")
    district = figures(wh, "524", "district", "2023")
    assert district["tthc.digitized_rate"][0] == 21777
    assert percent(district["tthc.digitized_rate"][2], 2) == Decimal("64.39")
    assert district["tthc.result_digitized_rate"][0] == 9149
    assert percent(district["tthc.result_digitized_rate"][2], 2) == Decimal("28.42")
    communes = figures(wh, "524", "commune", "2023")
    assert communes["tthc.digitized_rate"][0] == 21213
    assert percent(communes["tthc.digitized_rate"][2], 2) == Decimal("65.16")
    assert communes["tthc.result_digitized_rate"][0] == 8885
    assert percent(communes["tthc.result_digitized_rate"][2], 2) == Decimal("28.69")
    (count,) = wh.rows(
        "select count(distinct unit_code) from marts.indicator_value where parent_code = '524'"
    )
    assert count == (22,)


def test_binh_son_2023_documents(built: Callable[[str], Warehouse]) -> None:
    district = figures(built("binh_son_2023"), "524", "district", "2023")
    assert district["qlvb.incoming"][0] == 26157
    assert district["qlvb.incoming_signed_rate"][0] == 23546
    assert district["qlvb.outgoing"][0] == 497
    assert district["qlvb.outgoing_signed_rate"][0] == 487
    assert percent(district["qlvb.outgoing_signed_rate"][2], 2) == Decimal("97.99")


def test_binh_son_2023_payments_and_catalogue(built: Callable[[str], Warehouse]) -> None:
    wh = built("binh_son_2023")
    everything = figures(wh, "524", "all", "2023")
    assert everything["dvc.payments.LAND_TAX"][0] == 1451
    assert everything["dvc.payment_amount.LAND_TAX"][0] > 2_500_000_000
    months = ("2023-07", "2023-08", "2023-09", "2023-10")
    fees = [figures(wh, "524", "all", month) for month in months]
    kinds = ("FEE", "CHARGE")
    assert sum(f[f"dvc.payments.{kind}"][0] for f in fees for kind in kinds) == 2920
    assert sum(f[f"dvc.payment_amount.{kind}"][0] for f in fees for kind in kinds) > 46_000_000
    district = figures(wh, "524", "district", "2023")
    assert (district["dvc.partial"][0], district["dvc.full"][0]) == (47, 23)
    communes = figures(wh, "524", "commune", "2023")
    assert (communes["dvc.partial"][0], communes["dvc.full"][0]) == (47, 7)


@pytest.mark.parametrize(
    ("scenario", "unit", "period_type", "period_key", "expected"),
    [
        ("my_hao_2023h1", "328", "half", "2023-H1", MY_HAO_2023_H1),
        ("binh_son_2023", "524", "year", "2023", BINH_SON_2023),
    ],
)
def test_draft_reports_on_these_marts_carry_the_seed_figures(
    built: Callable[[str], Warehouse],
    scenario: str,
    unit: str,
    period_type: str,
    period_key: str,
    expected: list[str],
) -> None:
    """The officers' draft, written from the marts dbt built from records, says what the seed
    report says, in its phrasing (the figures of §7; the phrases are typed from the seeds)."""
    wh = built(scenario)
    dsn = f"postgresql://postgres@/{wh.dbname}?host={wh.socket_dir}"
    text = squash(report_text(dsn, unit, period_type, period_key))
    figures_only = [phrase for phrase in expected if any(ch.isdigit() for ch in phrase)]
    missing = [phrase for phrase in figures_only if squash(phrase) not in text]
    assert not missing, missing

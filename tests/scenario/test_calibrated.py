"""Every figure of indicators.md §7, counted back from the generated records by the independent
reference counter (tests/scenario/reference_counts.py).

Each calibrated scenario is built once per module, with every data fault switched on: the
malformed extra records are invalid and must count nowhere, NFD text and unknown fields must
change nothing — so the published figures must come out exactly all the same.
"""

from __future__ import annotations

import datetime as dt

import pytest

from include.scenario import DataFaults, build_scenario

from .reference_counts import (
    catalogue_counts,
    payment_counts,
    qlvb_counts,
    scope_agencies,
    tthc_counts,
)

D = dt.date


def _build(name):
    return build_scenario(name, seed=0, data_faults=DataFaults.all())


@pytest.fixture(scope="module")
def my_hao():
    return _build("my_hao_2023h1")


@pytest.fixture(scope="module")
def duc_pho_2021():
    return _build("duc_pho_r2021")


@pytest.fixture(scope="module")
def duc_pho_2022():
    return _build("duc_pho_r2022h1")


@pytest.fixture(scope="module")
def binh_son():
    return _build("binh_son_2023")


def tthc(sc, unit, level, s, e):
    c = tthc_counts(sc.dossiers, scope_agencies(sc.agencies, unit, level), s, e)
    assert c["in_scope"] == c["resolved"] + c["withdrawn"] + c["stopped"] + c["pending"]
    assert c["in_scope"] == c["received"] + c["carried_over"]
    assert c["resolved"] == c["early"] + c["on_time"] + c["late"]
    assert c["pending"] == c["overdue"] + c["not_due"]
    return c


def qlvb(sc, unit, level, s, e):
    codes = scope_agencies(sc.agencies, unit, level)
    ids = {u["id"] for u in sc.qlvb_units if u["ma_dinh_danh"] in codes}
    return qlvb_counts(sc.documents, ids, s, e)


def pct(n, d, nd):
    return round(100 * n / d, nd)


# --- 1. Mỹ Hào, 2023-H1 --------------------------------------------------------------------

H1 = (D(2023, 1, 1), D(2023, 6, 30))


def test_my_hao_district(my_hao):
    c = tthc(my_hao, "328", "district", *H1)
    assert c["received"] == 1079
    assert (c["received_online"], c["received_in_person"], c["received_postal"]) == (980, 76, 23)
    assert (c["early"], c["on_time"], c["late"]) == (1038, 53, 0)
    assert pct(c["early"] + c["on_time"], c["resolved"], 1) == 100.0
    assert c["carried_over"] > 0
    assert c["digitised"] == 646 and pct(c["digitised"], c["received"], 1) == 59.9
    assert c["result_digitised"] == 697 and c["resolved"] == 1091
    assert pct(c["result_digitised"], c["resolved"], 1) == 63.9


def test_my_hao_commune(my_hao):
    assert len(scope_agencies(my_hao.agencies, "328", "commune")) == 13
    c = tthc(my_hao, "328", "commune", *H1)
    assert c["received"] == 23479
    assert c["received_online"] == 16696
    assert c["early"] == 21893
    assert pct(c["digitised"], c["received"], 1) == 68.1
    assert pct(c["result_digitised"], c["resolved"], 1) == 29.1


def test_my_hao_documents(my_hao):
    c = qlvb(my_hao, "328", "district", *H1)
    assert c["outgoing"] == 4796
    assert c["incoming"] == 4530
    assert c["di_nc_elec"] > 0 and c["di_nc_elec_signed"] == c["di_nc_elec"]  # outgoing signed 100%


def test_my_hao_catalogue(my_hao):
    c = catalogue_counts(my_hao.services, my_hao.agencies, "328", "all", D(2023, 6, 30))
    assert (c["procedures"], c["partial"], c["full"]) == (238, 54, 173)


# --- 2. Đức Phổ ---------------------------------------------------------------------------------


def test_duc_pho_r2021(duc_pho_2021):
    c = tthc(duc_pho_2021, "534", "all", D(2020, 12, 15), D(2021, 12, 14))
    assert c["in_scope"] == 21003 and c["carried_over"] == 1315
    assert c["resolved"] == 20653 and pct(c["resolved"], c["in_scope"], 2) == 98.33
    on_time = c["early"] + c["on_time"]
    assert on_time == 19739 and pct(on_time, c["resolved"], 2) == 95.57
    assert c["late"] == 914 and pct(c["late"], c["resolved"], 2) == 4.43
    assert c["pending"] == 350 and pct(c["pending"], c["in_scope"], 2) == 1.67
    assert (c["not_due"], c["overdue"]) == (295, 55)


def test_duc_pho_r2022h1(duc_pho_2022):
    c = tthc(duc_pho_2022, "534", "all", D(2021, 12, 15), D(2022, 6, 14))
    assert c["in_scope"] == 18432 and c["carried_over"] == 295
    assert c["resolved"] == 17153 and pct(c["resolved"], c["in_scope"], 2) == 93.06
    on_time = c["early"] + c["on_time"]
    assert on_time == 16819 and pct(on_time, c["resolved"], 2) == 98.05
    assert c["late"] == 334 and pct(c["late"], c["resolved"], 2) == 1.95
    assert c["pending"] == 1279 and pct(c["pending"], c["in_scope"], 2) == 6.94
    assert (c["not_due"], c["overdue"]) == (1204, 75)


def test_duc_pho_communes(duc_pho_2021):
    assert len(scope_agencies(duc_pho_2021.agencies, "534", "commune")) == 15


# --- 3. Bình Sơn, 2023 -------------------------------------------------------------------------

Y2023 = (D(2023, 1, 1), D(2023, 12, 31))


def test_binh_son_digitisation(binh_son):
    c = tthc(binh_son, "524", "district", *Y2023)
    assert c["digitised"] == 21777 and pct(c["digitised"], c["received"], 2) == 64.39
    assert c["result_digitised"] == 9149 and pct(c["result_digitised"], c["resolved"], 2) == 28.42
    c = tthc(binh_son, "524", "commune", *Y2023)
    assert c["digitised"] == 21213 and pct(c["digitised"], c["received"], 2) == 65.16
    assert c["result_digitised"] == 8885 and pct(c["result_digitised"], c["resolved"], 2) == 28.69
    assert len(scope_agencies(binh_son.agencies, "524", "commune")) == 22


def test_binh_son_documents(binh_son):
    c = qlvb(binh_son, "524", "district", *Y2023)
    assert c["incoming"] == 26157
    assert c["confidential_incoming"] == 897
    assert c["den_nc_elec"] == 25260
    assert c["den_nc_elec_signed"] == 23546 and c["den_nc_elec"] - c["den_nc_elec_signed"] == 1714
    assert c["outgoing"] == 497
    assert (
        c["di_nc_elec_signed"] == 487 and pct(c["di_nc_elec_signed"], c["di_nc_elec"], 2) == 97.99
    )


def test_binh_son_payments(binh_son):
    c = payment_counts(binh_son.payments, scope_agencies(binh_son.agencies, "524", "all"), *Y2023)
    assert c["payments.LAND_TAX"] == 1451
    assert 2_500_000_000 < c["payment_amount.LAND_TAX"] < 2_600_000_000
    assert c["payments.FEE"] + c["payments.CHARGE"] == 2920
    assert 46_000_000 < c["payment_amount.FEE"] + c["payment_amount.CHARGE"] < 47_000_000
    # all paid between 1 July and 31 October 2023
    jul = payment_counts(
        binh_son.payments,
        scope_agencies(binh_son.agencies, "524", "all"),
        D(2023, 7, 1),
        D(2023, 10, 31),
    )
    assert jul["payments"] == c["payments"] == 1451 + 2920


def test_binh_son_catalogue(binh_son):
    c = catalogue_counts(binh_son.services, binh_son.agencies, "524", "district", D(2023, 12, 31))
    assert (c["partial"], c["full"]) == (47, 23)
    c = catalogue_counts(binh_son.services, binh_son.agencies, "524", "commune", D(2023, 12, 31))
    assert (c["partial"], c["full"]) == (47, 7)

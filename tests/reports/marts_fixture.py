"""A small hand-made ``marts`` schema (warehouse.md §1) for the report and scorecard tests.

Two provinces, three districts, eight communes, every month, quarter, half and year from
12/2022 to 01/2024, every indicator of the catalogue (read from the dbt seed, so names match the
real catalogue). Most figures are generated (seeded, internally consistent: received = the
channels, in scope = resolved + withdrawn + stopped + pending, numerator ≤ denominator). Two
cells carry the published figures typed from indicators.md §7 — the figures the officers wrote:

* Mỹ Hào (328), ``half`` ``2023-H1``, handling levels ``district`` and ``commune``;
* Bình Sơn (524), ``year`` ``2023``, handling levels ``district``, ``commune`` and ``all``.

The commune-level §7 totals are split over the fixture's communes, so the district's
``commune`` row is their exact sum, as in the real grid. The real marts, built by dbt from the
demo records, must give the same figures: the end-to-end variant of these tests
(``test_drafts_on_real_marts``) runs against them when they exist. ``dti_index`` and
``service_766`` are computed here from the figures with indicators.md §6.

``build(conn, with_2025=True)`` adds a small slice of the ``2025`` scheme (reform2025.md) for
every month, quarter, half and the year 2025: the new province Hưng Yên (the 2025 unit list
names it bare, "Hưng Yên"), the three new phường formed from the 13 communes of old thị xã Mỹ
Hào, xã Như Quỳnh (which counts the divided old xã Đình Dù whole: its figures before
01/07/2025 are approximate) and xã Đại Đồng (part of Đình Dù lies in it, counted elsewhere),
with the crosswalk rows behind them, typed from ``vietnamadminunits`` 1.0.4
(``converter_2025.json``, province ``tinhhungyen``). Two cells carry typed figures:
Thượng Hồng's 2025-Q3 and Như Quỳnh's 2025-H1 (see ``THUONG_HONG_2025_Q3``).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import psycopg

from include.paths import PROJECT_ROOT

CATALOG_CSV = PROJECT_ROOT / "dbt_project" / "seeds" / "indicators.csv"
SCHEME = "pre2025"
LOADED_FROM, LOADED_THROUGH = dt.date(2022, 12, 1), dt.date(2024, 1, 31)

UNITS = [  # code, name, level, parent
    ("33", "Tỉnh Hưng Yên", "province", None),
    ("328", "Thị xã Mỹ Hào", "district", "33"),
    ("12103", "Phường Bần Yên Nhân", "commune", "328"),
    ("12127", "Phường Minh Đức", "commune", "328"),
    ("12133", "Xã Xuân Dục", "commune", "328"),
    ("325", "Huyện Văn Lâm", "district", "33"),
    ("12142", "Thị trấn Như Quỳnh", "commune", "325"),
    ("12145", "Xã Lạc Hồng", "commune", "325"),
    ("51", "Tỉnh Quảng Ngãi", "province", None),
    ("524", "Huyện Bình Sơn", "district", "51"),
    ("21040", "Thị trấn Châu Ổ", "commune", "524"),
    ("21043", "Xã Bình Thuận", "commune", "524"),
    ("21046", "Xã Bình Thạnh", "commune", "524"),
]
HANDLING_LEVELS = {
    "province": ("province", "district", "commune", "all"),
    "district": ("district", "commune", "all"),
    "commune": ("commune", "all"),
}
FEE_KINDS = ("FEE", "CHARGE", "LAND_TAX", "OTHER")
# Counts that are a distinct set of procedures, not a sum over agencies.
NON_ADDITIVE = ("procedures", "full", "partial", "eligible")

# --- §7 figures --------------------------------------------------------------------------------

MY_HAO_H1_DISTRICT = dict(
    online=980, in_person=76, postal=23, carried=62, early=1038, on_time=53, late=0,
    withdrawn=2, stopped=1, pend_overdue=0, digitized=646, result_digitized=697,
    den=4530, di=4796, den_conf=18, di_conf=6, den_e=4490, den_fe=4420, di_e=4775, di_fe=4700,
    den_signed=4300, di_signed=4775, di_interlinked=4700, wf_closed=0, wf_online=0,
)  # fmt: skip
MY_HAO_H1_COMMUNE = dict(
    online=16696, in_person=6671, postal=112, carried=180, early=21893, on_time=1250, late=41,
    withdrawn=25, stopped=9, pend_overdue=150, digitized=15989, result_digitized=6747,
)  # fmt: skip
MY_HAO_H1_ALL_CATALOGUE = dict(procedures=238, partial=54, full=173)
BINH_SON_2023_DISTRICT = dict(
    online=15219, in_person=17601, postal=1000, carried=700, early=27500, on_time=3300,
    late=1392, withdrawn=80, stopped=20, pend_overdue=628, digitized=21777, result_digitized=9149,
    den=26157, di=497, den_conf=897, di_conf=0, den_e=25260, den_fe=25260, di_e=497, di_fe=497,
    den_signed=23546, di_signed=487, di_interlinked=480, procedures=110, partial=47, full=23,
)  # fmt: skip
BINH_SON_2023_COMMUNE = dict(
    online=14650, in_person=17405, postal=500, carried=300, early=27400, on_time=3200, late=369,
    withdrawn=90, stopped=30, pend_overdue=1166, digitized=21213, result_digitized=8885,
    procedures=80, partial=47, full=7,
)  # fmt: skip
BINH_SON_2023_PAYMENTS = dict(
    pay_LAND_TAX=1451, amt_LAND_TAX=2_513_650_000, pay_FEE=1700, amt_FEE=27_100_000,
    pay_CHARGE=1220, amt_CHARGE=19_250_000, pay_OTHER=0, amt_OTHER=0,
)  # fmt: skip
#: Commune shares when a §7 commune-level total is split over the fixture's communes.
SPLIT = (Decimal("0.45"), Decimal("0.35"))

#: Fixture targets (year 2023; invented for the tests, marked in source_document).
TARGETS = [
    ("tthc.online_rate", 2023, "district", "328", None, ">=", Decimal("0.8")),
    ("tthc.online_rate", 2023, "commune", "328", None, ">=", Decimal("0.8")),
    ("tthc.result_digitized_rate", 2023, "district", "328", None, ">=", Decimal("0.5")),
    ("qlvb.work_file_online_rate", 2023, "district", "328", None, ">=", Decimal("0.4")),
    ("tthc.online_rate", 2023, "all", "328", "commune", ">=", Decimal("0.6")),
    ("tthc.late_rate", 2023, "district", "524", None, "<=", Decimal("0.05")),
]
TARGET_SOURCE = "Kế hoạch thử nghiệm (dữ liệu kiểm thử)"

DDL = """
CREATE SCHEMA marts;
CREATE TABLE marts.admin_units (scheme text, unit_code text, unit_name text, unit_level text,
    parent_code text, PRIMARY KEY (scheme, unit_code));
CREATE TABLE marts.indicator_catalog (indicator_code text PRIMARY KEY, name_vi text, name_en text,
    group_code text, unit text, direction text, formula text, source_system text,
    numerator_measure text, denominator_measure text, is_additive boolean, weight numeric,
    full_score_level numeric);
CREATE TABLE marts.indicator_target (scheme text, indicator_code text, target_year integer,
    handling_level text, unit_code text, unit_level text, unit_scope text, comparator text,
    target_value numeric, source_document text,
    PRIMARY KEY (scheme, indicator_code, target_year, handling_level, unit_code, unit_scope));
CREATE TABLE marts.indicator_value (scheme text, unit_code text, unit_name text,
    unit_level text, parent_code text, handling_level text, period_type text, period_key text,
    period_start date, period_end date, indicator_code text, numerator numeric,
    denominator numeric, value numeric, target numeric, target_status text,
    is_complete boolean, is_approximate boolean NOT NULL,
    PRIMARY KEY (scheme, unit_code, handling_level, period_type, period_key, indicator_code));
CREATE TABLE marts.admin_unit_crosswalk (old_scheme text, old_unit_code text,
    old_unit_level text, old_unit_name text, new_unit_code text, new_unit_level text,
    new_unit_name text, new_province_code text, relation text, is_default boolean,
    source_version text, PRIMARY KEY (old_scheme, old_unit_code, new_unit_code));
CREATE TABLE marts.periods (period_type text, period_key text, period_start date,
    period_end date, period_year integer, is_complete boolean,
    PRIMARY KEY (period_type, period_key));
CREATE TABLE marts.dti_index (scheme text, unit_code text, unit_name text, unit_level text,
    parent_code text, handling_level text, period_type text, period_key text,
    period_start date, period_end date, group_code text, score numeric,
    indicators_scored integer, indicators_defined integer, rank_among_siblings integer,
    siblings integer,
    PRIMARY KEY (scheme, unit_code, handling_level, period_type, period_key, group_code));
CREATE TABLE marts.service_766 (scheme text, unit_code text, unit_name text, unit_level text,
    handling_level text, period_type text, period_key text, period_start date,
    period_end date, item_code text, item_name text, indicator_code text, value numeric,
    points numeric, max_points numeric, points_share numeric,
    PRIMARY KEY (scheme, unit_code, handling_level, period_type, period_key, item_code));
CREATE TABLE marts.dossiers (dossier_code text PRIMARY KEY, agency_code text,
    received_on date, ended_on date);
CREATE TABLE marts.documents (register text, document_code text, agency_code text,
    registered_on date, PRIMARY KEY (register, document_code));
CREATE TABLE marts.payments (transaction_id text PRIMARY KEY, paid_on date);
CREATE TABLE marts.ratings (rating_id text PRIMARY KEY, rated_on date);
"""

SERVICE_766_ITEMS = [  # item, name, indicator, max points, full at
    ("2.1", "Tiến độ giải quyết hồ sơ", "tthc.progress_766_rate", 20, Decimal(1)),
    ("3.3", "Tỷ lệ hồ sơ trực tuyến", "tthc.online_rate", 6, Decimal("0.5")),
    ("3.6", "Tỷ lệ thanh toán trực tuyến", "tthc.online_payment_rate", 6, Decimal(1)),
    ("4.1", "Tỷ lệ số hóa kết quả", "tthc.result_digitized_rate", 6, Decimal(1)),
    ("4.2", "Tỷ lệ số hóa hồ sơ", "tthc.digitized_rate", 4, Decimal("0.8")),
    ("4.3", "Tỷ lệ tái sử dụng dữ liệu", "tthc.reuse_rate", 2, Decimal("0.8")),
    ("5.4", "Mức độ hài lòng", "dvc.satisfaction_rate", 6, Decimal("0.9")),
]


# --- periods -----------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def periods(
    loaded_from: dt.date = LOADED_FROM, loaded_through: dt.date = LOADED_THROUGH
) -> list[tuple[str, str, dt.date, dt.date]]:
    out = []
    for year in range(loaded_from.year, loaded_through.year + 1):
        out.append(("year", str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)))
        for half in (1, 2):
            start = dt.date(year, 6 * half - 5, 1)
            out.append(("half", f"{year}-H{half}", start, _month_end(year, 6 * half)))
        for quarter in range(1, 5):
            start = dt.date(year, 3 * quarter - 2, 1)
            out.append(("quarter", f"{year}-Q{quarter}", start, _month_end(year, 3 * quarter)))
        for month in range(1, 13):
            start = dt.date(year, month, 1)
            out.append(("month", f"{year}-{month:02d}", start, _month_end(year, month)))
    return [p for p in out if p[3] >= loaded_from and p[2] <= loaded_through]


def is_complete(start: dt.date, end: dt.date) -> bool:
    return start >= LOADED_FROM and end <= LOADED_THROUGH


# --- counts ------------------------------------------------------------------------------------


def generated_counts(unit: str, level: str, start: dt.date, end: dt.date) -> dict[str, int]:
    """Plausible, internally consistent base counts for one agency group and period."""
    rng = random.Random(f"{unit}/{level}/{start}/{end}")
    months = max(1, round((end - start).days / 30.4))
    size = (90 if level == "district" else 160) * months * rng.uniform(0.6, 1.4)
    received = int(size)
    online = int(received * rng.uniform(0.4, 0.9))
    postal = int(received * 0.02)
    carried = int(received * rng.uniform(0.03, 0.08))
    in_scope = received + carried
    early = int(in_scope * rng.uniform(0.7, 0.85))
    on_time = int(in_scope * 0.05)
    late = int(in_scope * rng.uniform(0.0, 0.04))
    resolved = early + on_time + late
    fee = int(received * 0.3)
    den, di = int(40 * months * rng.uniform(0.5, 1.5)), int(30 * months * rng.uniform(0.5, 1.5))
    den_nc, di_nc = den - 1, di - 1
    di_e = int(di_nc * rng.uniform(0.85, 1.0))
    ratings = int(received * 0.1)
    counts = dict(
        online=online, in_person=received - online - postal, postal=postal, carried=carried,
        early=early, on_time=on_time, late=late, withdrawn=int(in_scope * 0.003),
        stopped=int(in_scope * 0.001), pend_overdue=int(in_scope * 0.01),
        digitized=int(received * rng.uniform(0.5, 0.9)),
        result_digitized=int(resolved * rng.uniform(0.2, 0.7)),
        reused=int(received * rng.uniform(0.1, 0.4)), fee=fee,
        fee_paid_online=int(fee * rng.uniform(0.1, 0.6)),
        full_offered=int(online * 0.8), full_offered_online=int(online * 0.7),
        procedures=rng.randint(60, 120), eligible=40, full=rng.randint(10, 35),
        partial=rng.randint(10, 25), ratings=ratings, satisfied=int(ratings * rng.uniform(0.85, 1)),
        den=den, di=di, den_conf=1, di_conf=1, den_e=int(den_nc * 0.97), den_fe=int(den_nc * 0.9),
        di_e=di_e, di_fe=int(di_e * 0.95), den_signed=int(den_nc * 0.8),
        di_signed=int(di_e * rng.uniform(0.9, 1.0)), di_interlinked=int(di_e * 0.6),
        wf_closed=int(10 * months), wf_online=int(10 * months * rng.uniform(0.3, 0.7)),
    )  # fmt: skip
    for kind, share, price in (("FEE", 0.5, 20_000), ("CHARGE", 0.3, 15_000),
                               ("LAND_TAX", 0.15, 1_700_000), ("OTHER", 0.05, 50_000)):  # fmt: skip
        counts[f"pay_{kind}"] = int(counts["fee_paid_online"] * share)
        counts[f"amt_{kind}"] = counts[f"pay_{kind}"] * price
    return counts


def _completed(counts: dict[str, int]) -> dict[str, int]:
    """Fill the counts a calibrated cell leaves out (payments, catalogue…) with generated
    ones of the same shape; derive ``pend_not_due`` so the in-scope identity holds."""
    received = counts["online"] + counts["in_person"] + counts["postal"]
    in_scope = received + counts["carried"]
    ended = sum(counts[k] for k in ("early", "on_time", "late", "withdrawn", "stopped"))
    counts["pend_not_due"] = in_scope - ended - counts["pend_overdue"]
    assert counts["pend_not_due"] >= 0, counts
    return counts


def split(counts: dict[str, int], parts: int) -> list[dict[str, int]]:
    """Split a calibrated commune-level total over ``parts`` communes (remainders to the last)."""
    shares = [*SPLIT[: parts - 1]]
    out = []
    for share in shares:
        out.append({k: int(v * share) for k, v in counts.items()})
    out.append({k: v - sum(part[k] for part in out) for k, v in counts.items()})
    return out


def ratios(c: dict[str, int]) -> dict[str, tuple[int, int | None]]:
    """(numerator, denominator) of every indicator from the base counts (indicators.md §4)."""
    received = c["online"] + c["in_person"] + c["postal"]
    resolved = c["early"] + c["on_time"] + c["late"]
    pending = c["pend_overdue"] + c["pend_not_due"]
    in_scope = received + c["carried"]
    nc_rows = c["den"] - c["den_conf"] + c["di"] - c["di_conf"]
    out: dict[str, tuple[int, int | None]] = {
        "tthc.received": (received, None),
        "tthc.received_online": (c["online"], None),
        "tthc.received_in_person": (c["in_person"], None),
        "tthc.received_postal": (c["postal"], None),
        "tthc.carried_over": (c["carried"], None),
        "tthc.in_scope": (in_scope, None),
        "tthc.resolved": (resolved, None),
        "tthc.resolved_early": (c["early"], None),
        "tthc.resolved_on_time": (c["on_time"], None),
        "tthc.resolved_late": (c["late"], None),
        "tthc.withdrawn": (c["withdrawn"], None),
        "tthc.stopped": (c["stopped"], None),
        "tthc.pending": (pending, None),
        "tthc.pending_overdue": (c["pend_overdue"], None),
        "tthc.pending_not_due": (c["pend_not_due"], None),
        "tthc.online_rate": (c["online"], received),
        "tthc.resolved_rate": (resolved, in_scope),
        "tthc.on_time_rate": (c["early"] + c["on_time"], resolved),
        "tthc.late_rate": (c["late"], resolved),
        "tthc.pending_rate": (pending, in_scope),
        "tthc.progress_766_rate": (c["early"] + c["on_time"] + c["pend_not_due"], in_scope),
        "tthc.digitized_rate": (c["digitized"], received),
        "tthc.result_digitized_rate": (c["result_digitized"], resolved),
        "tthc.reuse_rate": (c["reused"], received),
        "tthc.online_payment_rate": (c["fee_paid_online"], c["fee"]),
        "tthc.full_online_dossier_rate": (c["full_offered_online"], c["full_offered"]),
        "dvc.procedures": (c["procedures"], None),
        "dvc.full": (c["full"], None),
        "dvc.partial": (c["partial"], None),
        "dvc.online_share": (c["full"] + c["partial"], c["procedures"]),
        "dvc.full_share_eligible": (min(c["full"], c["eligible"]), c["eligible"]),
        "dvc.payments": (sum(c[f"pay_{k}"] for k in FEE_KINDS), None),
        "dvc.payment_amount": (sum(c[f"amt_{k}"] for k in FEE_KINDS), None),
        "dvc.ratings": (c["ratings"], None),
        "dvc.satisfaction_rate": (c["satisfied"], c["ratings"]),
        "qlvb.incoming": (c["den"], None),
        "qlvb.outgoing": (c["di"], None),
        "qlvb.electronic_rate": (c["den_e"] + c["di_e"], nc_rows),
        "qlvb.fully_electronic_rate": (c["den_fe"] + c["di_fe"], nc_rows),
        "qlvb.outgoing_signed_rate": (c["di_signed"], c["di_e"]),
        "qlvb.incoming_signed_rate": (c["den_signed"], c["den_e"]),
        "qlvb.interlinked_rate": (c["di_interlinked"], c["di_e"]),
        "qlvb.work_file_online_rate": (c["wf_online"], c["wf_closed"]),
    }
    for kind in FEE_KINDS:
        out[f"dvc.payments.{kind}"] = (c[f"pay_{kind}"], None)
        out[f"dvc.payment_amount.{kind}"] = (c[f"amt_{kind}"], None)
    return out


def _sum(parts: list[dict[str, int]]) -> dict[str, int]:
    keys = parts[0].keys()
    return {
        k: max(p[k] for p in parts) if k in NON_ADDITIVE else sum(p[k] for p in parts) for k in keys
    }


def _leaf_counts(unit: str, level: str, period: tuple[str, str, dt.date, dt.date]):
    """Counts of one unit's own agencies of one level, with the §7 cells typed in."""
    period_type, key, start, end = period
    counts = generated_counts(unit, level, start, end)
    calibrated = {
        ("328", "district", "half", "2023-H1"): MY_HAO_H1_DISTRICT,
        ("524", "district", "year", "2023"): BINH_SON_2023_DISTRICT,
    }.get((unit, level, period_type, key))
    commune_totals = {
        ("328", "half", "2023-H1"): MY_HAO_H1_COMMUNE,
        ("524", "year", "2023"): BINH_SON_2023_COMMUNE,
    }
    if calibrated:
        counts.update(calibrated)
    parent = next(u[3] for u in UNITS if u[0] == unit)
    if level == "commune" and (parent, period_type, key) in commune_totals:
        siblings = [u[0] for u in UNITS if u[3] == parent]
        share = split(commune_totals[(parent, period_type, key)], len(siblings))
        counts.update(share[siblings.index(unit)])
        # Catalogue counts are distinct procedures: every commune shows the level's catalogue.
        for k in NON_ADDITIVE:
            if k in commune_totals[(parent, period_type, key)]:
                counts[k] = commune_totals[(parent, period_type, key)][k]
    return _completed(counts)


def scope_counts(period) -> dict[tuple[str, str], dict[str, int]]:
    """Counts per (unit, handling level), leaves summed upwards like the real grid."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for code, _name, level, _parent in UNITS:
        if level != "province":
            out[(code, level)] = _leaf_counts(code, level, period)
    for code, _name, level, _parent in UNITS:
        children = [u[0] for u in UNITS if u[3] == code]
        if level == "district":
            out[(code, "commune")] = _sum([out[(c, "commune")] for c in children])
            out[(code, "all")] = _sum([out[(code, "district")], out[(code, "commune")]])
        elif level == "commune":
            out[(code, "all")] = dict(out[(code, "commune")])
    for code, _name, level, _parent in UNITS:
        if level == "province":
            districts = [u[0] for u in UNITS if u[3] == code]
            out[(code, "province")] = {k: 0 for k in out[(districts[0], "district")]}
            for lv in ("district", "commune"):
                out[(code, lv)] = _sum([out[(d, lv)] for d in districts])
            out[(code, "all")] = _sum([out[(code, lv)] for lv in ("district", "commune")])
    period_type, key = period[0], period[1]
    if (period_type, key) == ("half", "2023-H1"):
        out[("328", "all")].update(MY_HAO_H1_ALL_CATALOGUE)
    if (period_type, key) == ("year", "2023"):
        out[("524", "all")].update(BINH_SON_2023_PAYMENTS)
    return out


# --- the 2025 slice ----------------------------------------------------------------------------

SCHEME_2025 = "2025"
REFORM_DATE = dt.date(2025, 7, 1)
LOADED_FROM_2025, LOADED_THROUGH_2025 = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
SOURCE_VERSION = "vietnamadminunits==1.0.4"

UNITS_2025 = [  # code, name, level, parent (names as dbt_project/seeds/admin_units_2025.csv)
    ("33", "Hưng Yên", "province", None),
    ("11986", "Xã Như Quỳnh", "commune", "33"),
    ("11995", "Xã Đại Đồng", "commune", "33"),
    ("12103", "Phường Mỹ Hào", "commune", "33"),
    ("12127", "Phường Thượng Hồng", "commune", "33"),
    ("12133", "Phường Đường Hào", "commune", "33"),
]
#: 2025 units the crosswalk rows name that have no figures in the slice.
OTHER_UNITS_2025 = [
    ("11983", "Phường Sơn Nam", "commune", "33"),
    ("11992", "Xã Lạc Đạo", "commune", "33"),
    ("12322", "Xã Hiệp Cường", "commune", "33"),
]
#: Old units the crosswalk names that the pre2025 grid above lacks (real GSO codes; the base
#: grid's two Văn Lâm communes 12142, 12145 are made-up codes and stay as they are).
OLD_UNITS = [
    ("34", "Tỉnh Thái Bình", "province", None),
    ("331", "Huyện Kim Động", "district", "33"),
    ("11986", "Thị trấn Như Quỳnh", "commune", "325"),
    ("11989", "Xã Lạc Đạo", "commune", "325"),
    ("11995", "Xã Đại Đồng", "commune", "325"),
    ("11998", "Xã Việt Hưng", "commune", "325"),
    ("12001", "Xã Tân Quang", "commune", "325"),
    ("12004", "Xã Đình Dù", "commune", "325"),
    ("12010", "Xã Lương Tài", "commune", "325"),
    ("12013", "Xã Trưng Trắc", "commune", "325"),
    ("12016", "Xã Lạc Hồng", "commune", "325"),
    ("12106", "Phường Phan Đình Phùng", "commune", "328"),
    ("12109", "Xã Cẩm Xá", "commune", "328"),
    ("12112", "Xã Dương Quang", "commune", "328"),
    ("12115", "Xã Hòa Phong", "commune", "328"),
    ("12118", "Phường Nhân Hòa", "commune", "328"),
    ("12121", "Phường Dị Sử", "commune", "328"),
    ("12124", "Phường Bạch Sam", "commune", "328"),
    ("12130", "Phường Phùng Chí Kiên", "commune", "328"),
    ("12136", "Xã Ngọc Lâm", "commune", "328"),
    ("12139", "Xã Hưng Long", "commune", "328"),
    ("12322", "Xã Ngọc Thanh", "commune", "331"),
]
#: Which old communes form each new one, from vietnamadminunits 1.0.4 (converter_2025.json,
#: DICT_PROVINCE_WARD_NO_DIVIDED / _DIVIDED under "tinhhungyen"): new code → [(old code,
#: relation, is default)]. The three new phường hold exactly the 13 communes of old Mỹ Hào.
FORMED_FROM = {
    "12103": [("12103", "whole", True), ("12106", "whole", True), ("12109", "whole", True),
              ("12118", "whole", True)],
    "12127": [("12112", "whole", True), ("12115", "whole", True), ("12124", "whole", True),
              ("12127", "whole", True)],
    "12133": [("12121", "whole", True), ("12130", "whole", True), ("12133", "whole", True),
              ("12136", "whole", True), ("12139", "whole", True)],
    "11986": [("11986", "whole", True), ("12001", "whole", True), ("12004", "divided", True),
              ("12013", "whole", True), ("12016", "whole", True)],
    "11995": [("11989", "divided", False), ("11995", "whole", True), ("11998", "whole", True),
              ("12004", "divided", False), ("12010", "whole", True)],
    "11992": [("11989", "divided", True)],
    "12322": [("12322", "divided", True)],
    "11983": [("12322", "divided", False)],
}  # fmt: skip
#: Old districts and provinces → the new province (reform2025.md §3).
OLD_TO_PROVINCE = [("33", "province"), ("34", "province"), ("325", "district"),
                   ("328", "district"), ("331", "district")]  # fmt: skip

#: Typed figures (base counts as in MY_HAO_H1_*), commune level. Thượng Hồng 2025-Q3, after
#: the reform: received 2.650 + 455 + 15 = 3.120; in scope 3.120 + 210 = 3.330; resolved
#: 2.900 + 180 + 12 = 3.092 (92,85%); digitised at intake 2.496/3.120 = 80%.
THUONG_HONG_2025_Q3 = dict(
    online=2650, in_person=455, postal=15, carried=210, early=2900, on_time=180, late=12,
    withdrawn=4, stopped=1, pend_overdue=8, digitized=2496, result_digitized=1546,
)  # fmt: skip
#: Như Quỳnh 2025-H1, before the reform and including old Đình Dù (approximate): received
#: 1.900 + 480 + 20 = 2.400, online 1.900/2.400 = 79,17%.
NHU_QUYNH_2025_H1 = dict(
    online=1900, in_person=480, postal=20, carried=95, early=2100, on_time=150, late=30,
    withdrawn=3, stopped=2, pend_overdue=20, digitized=1800, result_digitized=900,
)  # fmt: skip
#: The one new commune counting a divided old commune (Đình Dù) whole: its figures before
#: the reform are approximate, and so are the province's that include them.
COUNTS_DIVIDED = "11986"

TARGETS_2025 = [  # (scheme, code, year, level, unit, unit level, comparator, value, source)
    (SCHEME_2025, "tthc.online_rate", 2025, "commune", "12127", None, ">=", Decimal("0.8"),
     "Kế hoạch thử nghiệm của UBND phường Thượng Hồng (dữ liệu kiểm thử)"),
    # The same code in the other scheme is old phường Minh Đức: never Thượng Hồng's target.
    ("pre2025", "tthc.online_rate", 2025, "commune", "12127", None, "<=", Decimal("0.1"),
     "Kế hoạch thử nghiệm của UBND phường Minh Đức (dữ liệu kiểm thử)"),
]  # fmt: skip


def _zero_counts() -> dict[str, int]:
    return {k: 0 for k in generated_counts("0", "commune", LOADED_FROM, LOADED_THROUGH)}


def _leaf_counts_2025(unit: str, level: str, period) -> dict[str, int]:
    period_type, key, start, end = period
    if level == "district":
        # Old district agencies (reform2025.md §4): nothing after 30/06/2025, and no
        # district-level offering on a last day after it.
        if start >= REFORM_DATE:
            return _completed(_zero_counts())
        counts = generated_counts(f"2025/{unit}", level, start, end)
        if end >= REFORM_DATE:
            counts.update({k: 0 for k in NON_ADDITIVE if k != "eligible"})
        return _completed(counts)
    counts = generated_counts(f"2025/{unit}", level, start, end)
    typed = {
        ("12127", "quarter", "2025-Q3"): THUONG_HONG_2025_Q3,
        ("11986", "half", "2025-H1"): NHU_QUYNH_2025_H1,
    }.get((unit, period_type, key))
    if typed and level == "commune":
        counts.update(typed)
    return _completed(counts)


def scope_counts_2025(period) -> dict[tuple[str, str], dict[str, int]]:
    """The 2025 grid's counts: communes report commune and all; the province province,
    district (old district agencies), commune (its communes summed) and all."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    communes = [u[0] for u in UNITS_2025 if u[2] == "commune"]
    for code in communes:
        out[(code, "commune")] = _leaf_counts_2025(code, "commune", period)
        out[(code, "all")] = dict(out[(code, "commune")])
    out[("33", "province")] = _leaf_counts_2025("33", "province", period)
    out[("33", "district")] = _leaf_counts_2025("33", "district", period)
    out[("33", "commune")] = _sum([out[(c, "commune")] for c in communes])
    out[("33", "all")] = _sum([out[("33", lv)] for lv in ("province", "district", "commune")])
    return out


def _approximate_2025(unit: str, level: str, start: dt.date, leaf: dict[str, tuple]) -> set[str]:
    """Indicators of a 2025 row that count Đình Dù's records (reform2025.md §4): rows of
    Như Quỳnh, and of the province at the levels that include it, for a period beginning
    before the reform, where Như Quỳnh's own figure is not empty."""
    if start >= REFORM_DATE:
        return set()
    if unit == COUNTS_DIVIDED or (unit == "33" and level in ("commune", "all")):
        return {code for code, (num, den) in leaf.items() if num or den}
    return set()


# --- targets and scores ------------------------------------------------------------------------


def _target_for(
    targets: list[tuple],
    code: str,
    year: int,
    level: str,
    unit: str,
    unit_level: str,
    chain: list[str],
):
    """``targets`` rows are (code, year, level, unit, unit level, comparator, value)."""
    own = [t for t in targets if t[:4] == (code, year, level, unit) and t[4] is None]
    by_level = [
        t for t in targets if t[:3] == (code, year, level) and t[4] == unit_level and t[3] in chain
    ]
    chosen = (own or by_level or [None])[0]
    return (chosen[5], chosen[6]) if chosen else None


def _status(value: Decimal | None, rule) -> str | None:
    if rule is None:
        return None
    if value is None:
        return "no_basis"
    comparator, target = rule
    met = value >= target if comparator == ">=" else value <= target
    return "achieved" if met else "not_achieved"


def _chain(units: list[tuple], unit: str) -> list[str]:
    parents = {u[0]: u[3] for u in units}
    chain = [unit]
    while parents[chain[-1]]:
        chain.append(parents[chain[-1]])
    return chain


def _rank(scores: dict[str, Decimal | None]) -> dict[str, int | None]:
    values = [s for s in scores.values() if s is not None]
    return {u: None if s is None else 1 + sum(v > s for v in values) for u, s in scores.items()}


@dataclass(frozen=True)
class _Slice:
    """One scheme's part of the grid: its units, periods, counts, targets, approximate rows."""

    scheme: str
    units: list[tuple]
    periods: list[tuple[str, str, dt.date, dt.date]]
    complete: Callable[[dt.date, dt.date], bool]
    counts: Callable[[tuple], dict[tuple[str, str], dict[str, int]]]
    targets: list[tuple]
    approximate: Callable[[str, str, dt.date, dict[str, tuple]], set[str]] = lambda *_: set()


PRE2025_SLICE = _Slice(SCHEME, UNITS, periods(), is_complete, scope_counts, TARGETS)
SLICE_2025 = _Slice(
    SCHEME_2025,
    UNITS_2025,
    periods(LOADED_FROM_2025, LOADED_THROUGH_2025),
    lambda start, end: end <= LOADED_THROUGH_2025,
    scope_counts_2025,
    [t[1:8] for t in TARGETS_2025 if t[0] == SCHEME_2025],
    _approximate_2025,
)


def _grid(part: _Slice, catalog: list[dict], groups: dict[str, str | None]):
    """indicator_value, dti_index and service_766 rows of one slice."""
    value_rows, dti_rows, points_rows = [], [], []
    info = {u[0]: u for u in part.units}
    scheme = part.scheme
    for period in part.periods:
        period_type, key, start, end = period
        complete = part.complete(start, end)
        counts = part.counts(period)
        group_scores: dict[tuple[str, str, str], Decimal | None] = {}
        leaf = ratios(counts[(COUNTS_DIVIDED, "commune")]) if scheme == SCHEME_2025 else {}
        for (unit, level), base in counts.items():
            _code, name, unit_level, parent = info[unit]
            figures = ratios(base)
            missing = {r["indicator_code"] for r in catalog} - figures.keys()
            assert not missing, f"fixture lacks {missing}"
            approximate = part.approximate(unit, level, start, leaf)
            indicator_scores: dict[str, list[Decimal]] = {}
            values: dict[str, Decimal | None] = {}
            for indicator, (num, den) in figures.items():
                value = (
                    Decimal(num) if den is None else (Decimal(num) / Decimal(den) if den else None)
                )
                values[indicator] = value
                rule = _target_for(
                    part.targets, indicator, end.year, level, unit, unit_level,
                    _chain(part.units, unit),
                )  # fmt: skip
                value_rows.append(
                    (scheme, unit, name, unit_level, parent, level, period_type, key, start, end,
                     indicator, num, den, value, rule[1] if rule else None, _status(value, rule),
                     complete, indicator in approximate)
                )  # fmt: skip
                group = groups.get(indicator)
                if group:
                    full = rule[1] if rule else Decimal(1)
                    score = None if value is None else min(Decimal(1), value / full)
                    indicator_scores.setdefault(group, [])
                    if score is not None:
                        indicator_scores[group].append(score)
            group_values = {
                g: (sum(s) / len(s) if s else None) for g, s in indicator_scores.items()
            }
            scored = [v for v in group_values.values() if v is not None]
            group_values["all"] = sum(scored) / len(scored) if scored else None
            for group, score in group_values.items():
                group_scores[(unit, level, group)] = score
            total_points, total_max = Decimal(0), 0
            for item, item_name, indicator, max_points, full_at in SERVICE_766_ITEMS:
                value = values[indicator]
                points = None if value is None else max_points * min(1, value / full_at)
                total_points += points or 0
                total_max += max_points
                points_rows.append(
                    (scheme, unit, name, unit_level, level, period_type, key, start, end, item,
                     item_name, indicator, value, points, max_points,
                     None if points is None else points / max_points)
                )  # fmt: skip
            points_rows.append(
                (scheme, unit, name, unit_level, level, period_type, key, start, end, "total",
                 "Tổng điểm các mục tính được", None, None, total_points, total_max,
                 total_points / total_max)
            )  # fmt: skip
        for (unit, level, group), score in group_scores.items():
            _code, name, unit_level, parent = info[unit]
            siblings = {
                u[0]: group_scores.get((u[0], level, group))
                for u in part.units
                if u[3] == parent and u[2] == unit_level and (u[0], level, group) in group_scores
            }
            defined = (
                sum(1 for g in groups.values() if g == group)
                if group != "all"
                else sum(1 for g in groups.values() if g)
            )
            dti_rows.append(
                (scheme, unit, name, unit_level, parent, level, period_type, key, start, end,
                 group, score, defined if score is not None else 0, defined,
                 _rank(siblings)[unit], len(siblings))
            )  # fmt: skip
    return value_rows, dti_rows, points_rows


def crosswalk_rows() -> list[tuple]:
    """marts.admin_unit_crosswalk rows of the slice (old scheme first, as the mart)."""
    old = {u[0]: u for u in [*UNITS, *OLD_UNITS] if u[0] not in ("12142", "12145")}
    new = {u[0]: u for u in [*UNITS_2025, *OTHER_UNITS_2025]}
    rows = []
    for new_code, sources in FORMED_FROM.items():
        for old_code, relation, is_default in sources:
            rows.append(
                ("pre2025", old_code, "commune", old[old_code][1], new_code, "commune",
                 new[new_code][1], "33", relation, is_default, SOURCE_VERSION)
            )  # fmt: skip
    for old_code, level in OLD_TO_PROVINCE:
        rows.append(
            ("pre2025", old_code, level, old[old_code][1], "33", "province", "Hưng Yên", "33",
             "whole", True, SOURCE_VERSION)
        )  # fmt: skip
    return rows


def _insert(conn: psycopg.Connection, table: str, rows: list[tuple]) -> None:
    with conn.cursor().copy(f"COPY marts.{table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(conn: psycopg.Connection, *, with_2025: bool = False) -> None:
    """Create and fill schema ``marts`` in an empty database (``with_2025``: and the 2025
    slice, its crosswalk, its old and new units)."""
    conn.execute(DDL)
    with CATALOG_CSV.open(encoding="utf-8") as handle:
        catalog = list(csv.DictReader(handle))
    with conn.cursor().copy("COPY marts.indicator_catalog FROM STDIN") as copy:
        for row in catalog:
            copy.write_row([row[k] or None for k in row])
    units = [(SCHEME, *u) for u in UNITS]
    if with_2025:
        units += [(SCHEME, *u) for u in OLD_UNITS]
        units += [(SCHEME_2025, *u) for u in [*UNITS_2025, *OTHER_UNITS_2025]]
    _insert(conn, "admin_units", units)
    targets = [
        (SCHEME, code, year, level, unit, unit_level, unit_level or "unit", comparator, value,
         TARGET_SOURCE)
        for code, year, level, unit, unit_level, comparator, value in TARGETS
    ]  # fmt: skip
    if with_2025:
        targets += [
            (scheme, code, year, level, unit, unit_level, unit_level or "unit", comparator, value,
             source)
            for scheme, code, year, level, unit, unit_level, comparator, value, source
            in TARGETS_2025
        ]  # fmt: skip
    _insert(conn, "indicator_target", targets)
    groups = {r["indicator_code"]: r["group_code"] or None for r in catalog}
    slices = [PRE2025_SLICE, SLICE_2025] if with_2025 else [PRE2025_SLICE]
    period_rows = {}
    for part in slices:
        value_rows, dti_rows, points_rows = _grid(part, catalog, groups)
        _insert(conn, "indicator_value", value_rows)
        _insert(conn, "dti_index", dti_rows)
        _insert(conn, "service_766", points_rows)
        for period_type, key, start, end in part.periods:
            period_rows[(period_type, key)] = (
                period_type, key, start, end, end.year, part.complete(start, end)
            )  # fmt: skip
    _insert(conn, "periods", list(period_rows.values()))
    if with_2025:
        _insert(conn, "admin_unit_crosswalk", crosswalk_rows())
    conn.execute(
        "INSERT INTO marts.dossiers VALUES ('HS-1', 'A', '2024-01-30', NULL);"
        "INSERT INTO marts.documents VALUES ('den', 'VB-1', 'A', '2024-01-31');"
        "INSERT INTO marts.payments VALUES ('GD-1', '2024-01-29');"
        "INSERT INTO marts.ratings VALUES ('DG-1', '2024-01-28')"
    )
    if with_2025:
        conn.execute(
            "INSERT INTO marts.dossiers VALUES ('HS-2', 'B', '2025-12-30', NULL);"
            "INSERT INTO marts.documents VALUES ('den', 'VB-2', 'B', '2025-12-31');"
            "INSERT INTO marts.payments VALUES ('GD-2', '2025-12-29');"
            "INSERT INTO marts.ratings VALUES ('DG-2', '2025-12-28')"
        )
    stamp = "2026-01-01T01:05:00+00:00" if with_2025 else "2024-02-01T01:05:00+00:00"
    state = f'{{"state": "published", "run_id": "fixture", "at": "{stamp}"}}'
    conn.execute(f"COMMENT ON SCHEMA marts IS '{state}'")
    conn.commit()


def load_only_through(conn: psycopg.Connection, first_missing_day: dt.date) -> None:
    """Cut the 2025 slice back to what a load through the day before ``first_missing_day``
    leaves: periods starting on or after it gone, periods running past it incomplete."""
    for table in ("indicator_value", "dti_index", "service_766"):
        conn.execute(
            f"DELETE FROM marts.{table} WHERE scheme = %s AND period_start >= %s",
            (SCHEME_2025, first_missing_day),
        )
    conn.execute(
        "UPDATE marts.indicator_value SET is_complete = false "
        "WHERE scheme = %s AND period_end >= %s",
        (SCHEME_2025, first_missing_day),
    )
    conn.execute("DELETE FROM marts.periods WHERE period_start >= %s", (first_missing_day,))
    conn.execute(
        "UPDATE marts.periods SET is_complete = false WHERE period_end >= %s",
        (first_missing_day,),
    )
    conn.commit()

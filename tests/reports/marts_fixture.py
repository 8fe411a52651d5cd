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
"""

from __future__ import annotations

import csv
import datetime as dt
import random
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
CREATE TABLE marts.indicator_target (indicator_code text, target_year integer,
    handling_level text, unit_code text, unit_level text, unit_scope text, comparator text,
    target_value numeric, source_document text,
    PRIMARY KEY (indicator_code, target_year, handling_level, unit_code, unit_scope));
CREATE TABLE marts.indicator_value (scheme text, unit_code text, unit_name text,
    unit_level text, parent_code text, handling_level text, period_type text, period_key text,
    period_start date, period_end date, indicator_code text, numerator numeric,
    denominator numeric, value numeric, target numeric, target_status text,
    is_complete boolean,
    PRIMARY KEY (scheme, unit_code, handling_level, period_type, period_key, indicator_code));
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


def periods() -> list[tuple[str, str, dt.date, dt.date]]:
    out = []
    for year in (2022, 2023, 2024):
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
    return [p for p in out if p[3] >= LOADED_FROM and p[2] <= LOADED_THROUGH]


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


# --- targets and scores ------------------------------------------------------------------------


def _target_for(code: str, year: int, level: str, unit: str, unit_level: str, chain: list[str]):
    own = [t for t in TARGETS if t[:4] == (code, year, level, unit) and t[4] is None]
    by_level = [
        t for t in TARGETS if t[:3] == (code, year, level) and t[4] == unit_level and t[3] in chain
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


def _chain(unit: str) -> list[str]:
    parents = {u[0]: u[3] for u in UNITS}
    chain = [unit]
    while parents[chain[-1]]:
        chain.append(parents[chain[-1]])
    return chain


def _rank(scores: dict[str, Decimal | None]) -> dict[str, int | None]:
    values = [s for s in scores.values() if s is not None]
    return {u: None if s is None else 1 + sum(v > s for v in values) for u, s in scores.items()}


def build(conn: psycopg.Connection) -> None:
    """Create and fill schema ``marts`` in an empty database."""
    conn.execute(DDL)
    with CATALOG_CSV.open(encoding="utf-8") as handle:
        catalog = list(csv.DictReader(handle))
    with conn.cursor().copy("COPY marts.indicator_catalog FROM STDIN") as copy:
        for row in catalog:
            copy.write_row([row[k] or None for k in row])
    conn.execute(
        "INSERT INTO marts.admin_units VALUES " + ",".join(["(%s,%s,%s,%s,%s)"] * len(UNITS)),
        [x for u in UNITS for x in (SCHEME, *u)],
    )
    for code, year, level, unit, unit_level, comparator, value in TARGETS:
        conn.execute(
            "INSERT INTO marts.indicator_target VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (code, year, level, unit, unit_level, unit_level or "unit", comparator, value,
             TARGET_SOURCE),
        )  # fmt: skip
    groups = {r["indicator_code"]: r["group_code"] or None for r in catalog}
    value_rows, dti_rows, points_rows, period_rows = [], [], [], []
    info = {u[0]: u for u in UNITS}
    for period in periods():
        period_type, key, start, end = period
        complete = is_complete(start, end)
        period_rows.append((period_type, key, start, end, end.year, complete))
        counts = scope_counts(period)
        group_scores: dict[tuple[str, str, str], Decimal | None] = {}
        for (unit, level), base in counts.items():
            _code, name, unit_level, parent = info[unit]
            figures = ratios(base)
            missing = {r["indicator_code"] for r in catalog} - figures.keys()
            assert not missing, f"fixture lacks {missing}"
            indicator_scores: dict[str, list[Decimal]] = {}
            values: dict[str, Decimal | None] = {}
            for indicator, (num, den) in figures.items():
                value = (
                    Decimal(num) if den is None else (Decimal(num) / Decimal(den) if den else None)
                )
                values[indicator] = value
                rule = _target_for(indicator, end.year, level, unit, unit_level, _chain(unit))
                value_rows.append(
                    (SCHEME, unit, name, unit_level, parent, level, period_type, key, start, end,
                     indicator, num, den, value, rule[1] if rule else None, _status(value, rule),
                     complete)
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
                    (SCHEME, unit, name, unit_level, level, period_type, key, start, end, item,
                     item_name, indicator, value, points, max_points,
                     None if points is None else points / max_points)
                )  # fmt: skip
            points_rows.append(
                (SCHEME, unit, name, unit_level, level, period_type, key, start, end, "total",
                 "Tổng điểm các mục tính được", None, None, total_points, total_max,
                 total_points / total_max)
            )  # fmt: skip
        for (unit, level, group), score in group_scores.items():
            _code, name, unit_level, parent = info[unit]
            siblings = {
                u[0]: group_scores.get((u[0], level, group))
                for u in UNITS
                if u[3] == parent and u[2] == unit_level and (u[0], level, group) in group_scores
            }
            defined = (
                sum(1 for g in groups.values() if g == group)
                if group != "all"
                else sum(1 for g in groups.values() if g)
            )
            dti_rows.append(
                (SCHEME, unit, name, unit_level, parent, level, period_type, key, start, end,
                 group, score, defined if score is not None else 0, defined,
                 _rank(siblings)[unit], len(siblings))
            )  # fmt: skip
    cursor = conn.cursor()
    for table, rows in (
        ("indicator_value", value_rows),
        ("dti_index", dti_rows),
        ("service_766", points_rows),
        ("periods", period_rows),
    ):
        with cursor.copy(f"COPY marts.{table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    conn.execute(
        "INSERT INTO marts.dossiers VALUES ('HS-1', 'A', '2024-01-30', NULL);"
        "INSERT INTO marts.documents VALUES ('den', 'VB-1', 'A', '2024-01-31');"
        "INSERT INTO marts.payments VALUES ('GD-1', '2024-01-29');"
        "INSERT INTO marts.ratings VALUES ('DG-1', '2024-01-28')"
    )
    state = '{"state": "published", "run_id": "fixture", "at": "2024-02-01T01:05:00+00:00"}'
    conn.execute(f"COMMENT ON SCHEMA marts IS '{state}'")
    conn.commit()

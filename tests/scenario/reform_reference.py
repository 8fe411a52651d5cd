"""Independent reference counts in both administrative-unit schemes (reform2025.md §4), written
from the specs only, for scenarios whose agencies carry the reform fields (``hung_yen_reform``).

It does not import the generator or the warehouse. It reads the records as the portals serve
them (the Scenario's lists), the committed unit seeds (``admin_units_2025.csv``) and the
crosswalk seed ``admin_units_pre2025_to_2025.csv`` (the old→new default successors). Without
that seed, the successors come from ``vietnamadminunits``' public converter
(``convert_address``), resolved to codes by name in the 2025 seed.

Rules:
* a dossier is attributed to its ``MaDonVi`` (never ``MaDonViXuLy``) and counted once;
* ``pre2025``: only agencies of the old scheme (``PhienBanDVHC`` ``pre2025`` or absent), their
  own units; only periods that start before 01/07/2025;
* ``2025``: a 2025 agency counts at its own unit; an old commune's agency at its commune's default
  successor, an old district-level agency at the new province (handling level ``district``), an
  old province-level agency at the new province;
* records invalid under the specs count nowhere: those of ``reference_counts.dossier_fact``, and
  every record of an agency whose ``PhienBanDVHC`` contradicts its code (a district code, or
  ``CapDonVi`` 2, marked ``2025``; a code unknown in its scheme), which is quarantined;
* a dossier received after its agency's ``NgayNgungHoatDong``, or whose ``MaDonViXuLy`` is no
  agency of ``/donvi``, is well formed and counts at its ``MaDonVi`` (a validation warning).

``reform_reference(sc, scheme, unit_code, handling_level, period_type, period_key)`` returns the
counts below; ``MEASURE_INDICATOR`` says which ``marts.indicator_value`` figure each one is.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .reference_counts import (
    LEVEL_OF_CAP,
    Fact,
    dossier_fact,
    latest,
    qlvb_counts,
    unit_parents,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "dbt_project" / "seeds"
REFORM_DAY = dt.date(2025, 7, 1)
#: the committed crosswalk seed (published as ``marts.admin_unit_crosswalk``)
CROSSWALK_SEED = "admin_units_pre2025_to_2025.csv"
SCHEMES = ("pre2025", "2025")

#: measure -> (indicator_code, "value" for a count / "numerator" of a ratio)
MEASURE_INDICATOR: dict[str, tuple[str, str]] = {
    "received": ("tthc.received", "value"),
    "received_online": ("tthc.received_online", "value"),
    "received_in_person": ("tthc.received_in_person", "value"),
    "received_postal": ("tthc.received_postal", "value"),
    "carried_over": ("tthc.carried_over", "value"),
    "in_scope": ("tthc.in_scope", "value"),
    "resolved": ("tthc.resolved", "value"),
    "resolved_early": ("tthc.resolved_early", "value"),
    "resolved_on_time": ("tthc.resolved_on_time", "value"),
    "resolved_late": ("tthc.resolved_late", "value"),
    "withdrawn": ("tthc.withdrawn", "value"),
    "stopped": ("tthc.stopped", "value"),
    "pending": ("tthc.pending", "value"),
    "pending_overdue": ("tthc.pending_overdue", "value"),
    "pending_not_due": ("tthc.pending_not_due", "value"),
    "received_digitized": ("tthc.digitized_rate", "numerator"),
    "resolved_result_digitized": ("tthc.result_digitized_rate", "numerator"),
    "qlvb_incoming": ("qlvb.incoming", "value"),
    "qlvb_outgoing": ("qlvb.outgoing", "value"),
}
MEASURES = tuple(MEASURE_INDICATOR)


# --- periods (indicators.md §1) ------------------------------------------------------------------


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)


def _prev_15(y: int, m: int) -> dt.date:
    """The 15th of the month before (y, m)."""
    return dt.date(y - (m == 1), (m - 2) % 12 + 1, 15)


def period_bounds(period_type: str, key: str) -> tuple[dt.date, dt.date]:
    """[start, end] of a period, both inclusive."""
    if period_type.startswith("report_"):
        if not key.startswith("R"):
            raise ValueError(key)
        key = key[1:]
    y = int(key[:4])
    if period_type == "month":
        m = int(key[5:7])
        return dt.date(y, m, 1), _month_end(y, m)
    if period_type == "quarter":
        q = int(key[6])
        return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if period_type == "half":
        h = int(key[6])
        return (
            (dt.date(y, 1, 1), dt.date(y, 6, 30))
            if h == 1
            else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        )
    if period_type == "year":
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if period_type == "report_month":
        m = int(key[5:7])
        return _prev_15(y, m), dt.date(y, m, 14)
    if period_type == "report_quarter":
        last = 3 * int(key[6])
        return _prev_15(y, last - 2), dt.date(y, last, 14)
    if period_type == "report_half":
        h = int(key[6])
        return (
            (dt.date(y - 1, 12, 15), dt.date(y, 6, 14))
            if h == 1
            else (
                dt.date(y, 6, 15),
                dt.date(y, 12, 14),
            )
        )
    if period_type == "report_year":
        return dt.date(y - 1, 12, 15), dt.date(y, 12, 14)
    raise ValueError(period_type)


# --- units of both schemes -----------------------------------------------------------------------


@cache
def units_2025() -> dict[str, tuple[str, str, str]]:
    """2025 unit code -> (name, level, parent code)."""
    with open(SEEDS / "admin_units_2025.csv", encoding="utf-8", newline="") as f:
        return {
            r["unit_code"]: (r["unit_name"], r["unit_level"], r["parent_code"])
            for r in csv.DictReader(f)
            if r["scheme"] == "2025"
        }


@cache
def old_names() -> dict[str, str]:
    """pre-2025 unit code -> name (the committed pre-2025 seed)."""
    with open(SEEDS / "admin_units_pre2025.csv", encoding="utf-8", newline="") as f:
        return {
            r["unit_code"]: r["unit_name"] for r in csv.DictReader(f) if r["scheme"] == "pre2025"
        }


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip().lower()


@dataclass(frozen=True)
class Successors:
    communes: dict[str, str]  # old commune -> default new commune
    divided: frozenset[str]  # old communes the reform divided
    provinces: dict[str, str]  # old district / province -> new province
    source: str


@cache
def successors() -> Successors:
    path = SEEDS / CROSSWALK_SEED
    if path.exists():
        communes, provinces, divided = {}, {}, set()
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["old_scheme"] != "pre2025":
                    continue
                if r["old_unit_level"] == "commune":
                    if r["relation"] == "divided":
                        divided.add(r["old_unit_code"])
                    if str(r["is_default"]).strip().lower() in ("true", "t", "1", "yes"):
                        communes[r["old_unit_code"]] = r["new_unit_code"]
                else:
                    provinces[r["old_unit_code"]] = r["new_province_code"] or r["new_unit_code"]
        return Successors(communes, frozenset(divided), provinces, "seed")
    return Successors({}, frozenset(), {}, "vietnamadminunits.convert_address")


@cache
def _converted(old_commune: str) -> str:
    """Default successor through the library's public converter (no street: the default ward)."""
    from vietnamadminunits import convert_address

    parents = unit_parents()
    district = parents[old_commune]
    province = parents[district]
    names = old_names()
    address = f"{names[old_commune]}, {names[district]}, {names[province]}"
    unit = convert_address(address)
    new_province = f"{int(unit.province_code):02d}"
    matches = [
        code
        for code, (name, level, parent) in units_2025().items()
        if level == "commune" and parent == new_province and _nfc(name) == _nfc(unit.ward)
    ]
    if len(matches) != 1:
        raise LookupError(f"{address}: {unit.ward!r} is not one commune of {new_province}")
    return matches[0]


def new_commune_of(old_commune: str) -> str:
    s = successors()
    return s.communes[old_commune] if s.source == "seed" else _converted(old_commune)


def new_province_of(old_unit: str) -> str:
    """New province of an old district or province."""
    s = successors()
    if s.source == "seed":
        return s.provinces[old_unit]
    parents = unit_parents()
    province = old_unit if len(old_unit) == 2 else parents[old_unit]
    # every old province lies whole in one new one: ask the converter for any of its communes
    commune = next(c for c, p in parents.items() if len(c) == 5 and parents.get(p) == province)
    return units_2025()[_converted(commune)][2]


def inside_2025(unit: str, container: str) -> bool:
    return unit == container or units_2025().get(unit, ("", "", ""))[2] == container


def inside_pre2025(unit: str, container: str) -> bool:
    parents = unit_parents()
    while unit:
        if unit == container:
            return True
        unit = parents.get(unit, "")
    return False


# --- agencies ------------------------------------------------------------------------------------


def agency_scheme(a: dict) -> str:
    return "2025" if a.get("PhienBanDVHC") == "2025" else "pre2025"


def closing_day(a: dict) -> dt.date | None:
    """``NgayNgungHoatDong`` as a date (None while active); raises when unreadable."""
    s = a.get("NgayNgungHoatDong") or ""
    if not s:
        return None
    if len(s) != 8 or not s.isdigit():
        raise ValueError(s)
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))


def agency_valid(a: dict) -> bool:
    """The agency's unit exists in its scheme at a level that scheme has; its closing date reads."""
    if a.get("PhienBanDVHC") not in (None, "", "pre2025", "2025"):
        return False
    try:
        closing_day(a)
    except ValueError:
        return False
    code, cap = a.get("MaDVHC") or "", a.get("CapDonVi")
    if cap not in LEVEL_OF_CAP:
        return False
    if agency_scheme(a) == "2025":
        return cap in ("1", "3") and code in units_2025() and len(code) == (2 if cap == "1" else 5)
    return code in old_names() and len(code) == {"1": 2, "2": 3, "3": 5}[cap]


def agency_unit(a: dict, scheme: str) -> str | None:
    """The unit of ``scheme`` whose figures count the agency's records (None: none)."""
    own = agency_scheme(a)
    if scheme == "pre2025":
        return a["MaDVHC"] if own == "pre2025" else None
    if own == "2025":
        return a["MaDVHC"]
    if a["CapDonVi"] == "3":
        return new_commune_of(a["MaDVHC"])
    return new_province_of(a["MaDVHC"])


def scope(sc, scheme: str, unit: str, level: str) -> set[str]:
    """MaDonVi of the valid agencies of handling level ``level`` counted in ``unit``."""
    inside = inside_2025 if scheme == "2025" else inside_pre2025
    out = set()
    for a in sc.agencies:
        if not agency_valid(a) or (level != "all" and LEVEL_OF_CAP[a["CapDonVi"]] != level):
            continue
        u = agency_unit(a, scheme)
        if u is not None and inside(u, unit):
            out.add(a["MaDonVi"])
    return out


# --- dossiers ------------------------------------------------------------------------------------


def dossier_facts(sc) -> dict[str, Fact]:
    """MaHoSo -> facts of every dossier valid under the specs, reform rules included."""
    cached = _FACTS.get(id(sc))
    if cached is not None and cached[0] is sc:
        return cached[1]
    agencies = {a["MaDonVi"]: a for a in sc.agencies}
    out: dict[str, Fact] = {}
    for r in latest(sc.dossiers):
        f = dossier_fact(r)
        a = agencies.get(f.agency) if f is not None else None
        if f is None or a is None or not agency_valid(a):
            continue
        # A dossier received after its agency's last day, or taken over by no agency of /donvi,
        # is well formed and still counts at its MaDonVi: the load's validation warns of it
        # (docs/validation.md), nothing is set aside.
        out[r["MaHoSo"]] = f
    _FACTS[id(sc)] = (sc, out)
    return out


_FACTS: dict[int, tuple[object, dict[str, Fact]]] = {}


def _count(facts: list[Fact], s: dt.date, e: dt.date) -> dict[str, int]:
    c = dict.fromkeys(MEASURES, 0)
    for f in facts:
        if not f.received:
            continue
        rd = f.receipt
        in_p = s <= rd <= e
        carried = rd < s and (not f.ended or f.end >= s)
        if not (in_p or carried):
            continue
        if in_p:
            c["received"] += 1
            c["received_" + f.channel] += 1
            c["received_digitized"] += f.digitised
        else:
            c["carried_over"] += 1
        c["in_scope"] += 1
        if f.ended and s <= f.end <= e:
            if f.status in (9, 10):
                c["resolved"] += 1
                c["resolved_result_digitized"] += f.result_digitised
                if f.due is None or f.end == f.due:
                    c["resolved_on_time"] += 1
                elif f.end < f.due:
                    c["resolved_early"] += 1
                else:
                    c["resolved_late"] += 1
            else:
                c["withdrawn" if f.status == 7 else "stopped"] += 1
        elif not f.ended or f.end > e:
            c["pending"] += 1
            c["pending_overdue" if f.due is not None and f.due < e else "pending_not_due"] += 1
    return c


def reform_reference(
    sc, scheme: str, unit_code: str, handling_level: str, period_type: str, period_key: str
) -> dict[str, int]:
    """Counts of one figure cell of ``marts.indicator_value`` (see ``MEASURE_INDICATOR``)."""
    if scheme not in SCHEMES:
        raise ValueError(scheme)
    s, e = period_bounds(period_type, period_key)
    if scheme == "pre2025" and s >= REFORM_DAY:
        raise ValueError(f"{period_type} {period_key} starts after the old scheme ended")
    agencies = scope(sc, scheme, unit_code, handling_level)
    facts = [f for f in dossier_facts(sc).values() if f.agency in agencies]
    c = _count(facts, s, e)
    ids = {u["id"] for u in sc.qlvb_units if u["ma_dinh_danh"] in agencies}
    q = qlvb_counts(sc.documents, ids, s, e)
    c["qlvb_incoming"], c["qlvb_outgoing"] = q["incoming"], q["outgoing"]
    return c


def is_approximate(sc, unit_code: str, handling_level: str) -> bool:
    """A 2025 figure counts a divided old commune's agency (whole, at its default successor)."""
    if successors().source != "seed":
        raise LookupError("the divided communes are known from the crosswalk seed only")
    divided = successors().divided
    by = {a["MaDonVi"]: a for a in sc.agencies}
    return any(
        agency_scheme(by[c]) == "pre2025" and by[c]["MaDVHC"] in divided
        for c in scope(sc, "2025", unit_code, handling_level)
    )

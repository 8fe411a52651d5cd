"""The reform of 1/7/2025 (reform2025.md) inside a scenario.

* the 2025 units (``dbt_project/seeds/admin_units_2025.csv``, generated from
  ``vietnam-provinces`` 2025.10.1) and the old→new crosswalk: the committed seed
  ``dbt_project/seeds/admin_units_pre2025_to_2025.csv`` when it exists, else the same facts
  read from the pinned ``vietnamadminunits`` package (its conversion tables), with new codes
  resolved by name against the 2025 seed, which is what the warehouse joins on;
* the agencies of the two-level scheme (a new UBND tỉnh, the province's one-stop centre, one
  UBND per new commune), and the closing of the old ones (``NgayNgungHoatDong`` 20250630,
  ``MaDonViTiepNhan``);
* the portal catalogue leaving the district level: DISTRICT offerings end on 30/06/2025 and the
  district procedures are offered at PROVINCE or COMMUNE level from 01/07/2025;
* the takeover of unfinished dossiers on 01/07/2025 (``MaDonViXuLy``, a takeover step, the later
  steps by the new agency).

Every choice where the spec is silent is listed in docs/scenarios.md ("hung_yen_reform").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from include.paths import PROJECT_ROOT

from . import records as R
from .catalogue import BY_CODE, PROCEDURES, Procedure
from .lifecycle import _COMMUNE_HANDLER
from .units import Agency, Province, _split, province_letter
from .workdays import DAY, ts14
from .world import Offering, World

REFORM_DAY = dt.date(2025, 7, 1)
LAST_OLD_DAY = dt.date(2025, 6, 30)
#: ``NgayNgungHoatDong`` of every agency the reform closed (reform2025.md §2).
CLOSED = "20250630"
PRE2025, SCHEME_2025 = "pre2025", "2025"

SEEDS = PROJECT_ROOT / "dbt_project" / "seeds"
UNITS_2025_SEED = SEEDS / "admin_units_2025.csv"
#: The committed crosswalk seed (published as the mart ``admin_unit_crosswalk``; dbt forbids a
#: seed of the mart's own name).
CROSSWALK_SEED = SEEDS / "admin_units_pre2025_to_2025.csv"

#: District procedures' level from 01/07/2025, by field: these go to the province (its one-stop
#: centre and branches), every other district procedure to the new communes. A plausible
#: reading of the 2025 decentralisation decrees, not a legal reference.
PROVINCE_FIELDS = frozenset(
    {
        "DATDAI",
        "MOITRUONG",
        "TNNUOC",
        "QHXD",
        "DUONGTHUY",
        "HTX",
        "CONGSAN",
        "TONGIAO",
        "VANBANG",
        "XUATBAN",
        "BTNN",
        "KCB",
    }
)


# --- units and crosswalk -------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit2025:
    code: str  # 2-digit province or 5-digit commune code of QĐ 19/2025
    name: str  # "Phường Mỹ Hào"
    level: str  # province / commune
    parent: str  # province code ("" for a province)

    @property
    def kind(self) -> str:
        return _split(self.name)[0]

    @property
    def short(self) -> str:
        return _split(self.name)[1]


@cache
def units_2025() -> dict[str, Unit2025]:
    """Every unit of the two-level scheme, by code (the committed seed)."""
    with open(UNITS_2025_SEED, encoding="utf-8", newline="") as f:
        return {
            r["unit_code"]: Unit2025(
                r["unit_code"], r["unit_name"], r["unit_level"], r["parent_code"]
            )
            for r in csv.DictReader(f)
            if r["scheme"] == SCHEME_2025
        }


def communes_2025(province: str) -> list[Unit2025]:
    """A 2025 province's communes in GSO (code) order."""
    return sorted(
        (u for u in units_2025().values() if u.level == "commune" and u.parent == province),
        key=lambda u: u.code,
    )


@dataclass(frozen=True)
class Crosswalk:
    """Default successors of one old province's units (reform2025.md §3)."""

    #: old commune code -> (new commune code, "whole" / "divided")
    communes: dict[str, tuple[str, str]]
    #: old district or province code -> new province code
    provinces: dict[str, str]
    #: where the facts came from: the seed, or the library (with its version)
    source: str


def _truthy(v: str) -> bool:
    return str(v).strip().lower() in ("true", "t", "1", "yes")


def _from_seed(path: Path, old_province: str) -> Crosswalk:
    communes: dict[str, tuple[str, str]] = {}
    provinces: dict[str, str] = {}
    version = ""
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["old_scheme"] != PRE2025:
                continue
            version = r.get("source_version") or version
            code, level = r["old_unit_code"], r["old_unit_level"]
            if level == "commune" and _truthy(r["is_default"]):
                communes[code] = (r["new_unit_code"], r["relation"])
            elif level in ("district", "province"):
                provinces[code] = r["new_province_code"] or r["new_unit_code"]
    parents = _old_parents()
    keep = {c for c, p in parents.items() if p == old_province or parents.get(p) == old_province}
    return Crosswalk(
        communes={c: v for c, v in communes.items() if c in keep},
        provinces={c: v for c, v in provinces.items() if c in keep or c == old_province},
        source=f"seed {path.name} ({version})",
    )


@cache
def _old_parents() -> dict[str, str]:
    """pre-2025 unit code -> parent code (the committed pre-2025 seed)."""
    with open(SEEDS / "admin_units_pre2025.csv", encoding="utf-8", newline="") as f:
        return {r["unit_code"]: r["parent_code"] for r in csv.DictReader(f)}


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def _from_library(old_province: str) -> Crosswalk:
    """The same facts from ``vietnamadminunits``' own tables (used until the seed exists).

    Its legacy table keys old units by name keys and carries their GSO codes; its conversion
    tables name, per new commune, the old communes merged whole and, per divided old commune,
    its successors with one default. New communes are resolved to codes by name within the new
    province in the 2025 seed, because the two packages disagree on a few new codes (e.g. Xã Như
    Quỳnh, Hưng Yên: 12004 in the library, 11986 in the 2025 list) and the warehouse joins on
    the 2025 seed.
    """
    import importlib.metadata

    import vietnamadminunits

    base = Path(vietnamadminunits.__file__).parent / "data"
    conv = json.loads((base / "converter_2025.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(f"file:{base / 'dataset.db'}?mode=ro", uri=True)
    try:
        legacy = db.execute(
            "SELECT DISTINCT provinceKey, districtKey, wardKey, districtCode, wardCode "
            "FROM admin_units_legacy WHERE CAST(provinceCode AS INTEGER) = ?",
            (int(old_province),),
        ).fetchall()
        new_wards = db.execute(
            "SELECT DISTINCT provinceKey, provinceCode, wardKey, ward FROM admin_units"
        ).fetchall()
    finally:
        db.close()
    old_pkey = legacy[0][0]
    new_pkey = next(k for k, v in conv["DICT_PROVINCE"].items() if old_pkey in v)
    new_pcode = next(f"{int(c):02d}" for pk, c, _w, _n in new_wards if pk == new_pkey)
    ward_name = {wk: name for pk, _c, wk, name in new_wards if pk == new_pkey}
    by_name = {_nfc(u.name): u.code for u in communes_2025(new_pcode)}
    whole = {
        old: new
        for new, olds in conv["DICT_PROVINCE_WARD_NO_DIVIDED"][new_pkey].items()
        for old in olds
    }
    divided = conv["DICT_PROVINCE_WARD_DIVIDED"].get(new_pkey, {})
    communes: dict[str, tuple[str, str]] = {}
    provinces = {f"{int(old_province):02d}": new_pcode}
    for pkey, dkey, wkey, dcode, wcode in legacy:
        provinces[f"{int(dcode):03d}"] = new_pcode
        key = f"{pkey}_{dkey}_{wkey}"
        if key in whole:
            new_key, relation = whole[key], "whole"
        elif key in divided:
            new_key = next(w["newWardKey"] for w in divided[key] if w["isDefaultNewWard"])
            relation = "divided"
        else:
            continue
        communes[f"{int(wcode):05d}"] = (by_name[_nfc(ward_name[new_key])], relation)
    version = importlib.metadata.version("vietnamadminunits")
    return Crosswalk(communes, provinces, f"vietnamadminunits {version}")


@cache
def crosswalk(old_province: str) -> Crosswalk:
    """Default successors of an old province's units: the seed if committed, else the library."""
    if CROSSWALK_SEED.exists():
        return _from_seed(CROSSWALK_SEED, old_province)
    return _from_library(old_province)


# --- agencies ------------------------------------------------------------------------------------

CENTRE_KIND = "TTHCC"


def agency_code_2025(letter: str, commune_rank: int) -> str:
    """Identifier of a new commune's UBND: ``000.<rank mod 100>.<02 + rank div 100>.<letter>``.

    Old codes use L2 ``00`` (province), ``07``.. (districts) and ``41``.. (Sở); the two-level
    scheme's agencies take the unused ``01`` (province block) and ``02``, ``03`` (communes, 1-based
    rank in GSO order, a hundred per block), so no code of the old scheme is reused.
    """
    return f"000.{commune_rank % 100:02d}.{2 + commune_rank // 100:02d}.{letter}"


def build_agencies_2025(prov: Province, communes: list[str], seed: int) -> list[Agency]:
    """UBND tỉnh, the province's one-stop centre and the UBND of each listed new commune."""
    letter = province_letter(prov)
    rank = {u.code: i for i, u in enumerate(communes_2025(prov.code), start=1)}
    root = Agency(
        code=f"000.00.01.{letter}",
        name=f"UBND tỉnh {prov.short}",
        level="1",
        parent="",
        unit=prov.code,
        kind="UBND_T",
        dept="",
        district="",
        scheme=SCHEME_2025,
    )
    centre = Agency(
        code=f"000.01.01.{letter}",
        name=f"Trung tâm Phục vụ hành chính công tỉnh {prov.short}",
        level="1",
        parent=root.code,
        unit=prov.code,
        kind=CENTRE_KIND,
        dept="",
        district="",
        scheme=SCHEME_2025,
    )
    out = [root, centre]
    units = units_2025()
    for code in sorted(communes, key=lambda c: rank[c]):
        u = units[code]
        out.append(
            Agency(
                code=agency_code_2025(letter, rank[code]),
                name=f"UBND {u.kind.lower()} {u.short}",
                level="3",
                parent=root.code,
                unit=code,
                kind="UBND_X",
                dept="",
                district="",
                scheme=SCHEME_2025,
            )
        )
    return out


def close_old_agencies(old: list[Agency], successor: dict[str, str]) -> None:
    """Mark every old agency ``pre2025``, closed on 30/06/2025, taken over by ``successor``."""
    for a in old:
        a.scheme = PRE2025
        a.closed = CLOSED
        a.successor = successor[a.code]


def new_level(proc: Procedure) -> str:
    """Where a district-only procedure is offered and handled from 01/07/2025."""
    return "PROVINCE" if proc.field in PROVINCE_FIELDS else "COMMUNE"


def procedures_2025(level: str) -> list[Procedure]:
    """The procedures an agency of the two-level scheme handles (``COMMUNE`` or ``PROVINCE``)."""
    own = [p for p in PROCEDURES if level in p.levels and p.levels != ("DISTRICT",)]
    moved = [p for p in PROCEDURES if p.levels == ("DISTRICT",) and new_level(p) == level]
    return own + moved


def retarget_contexts(w: World, agencies: list[Agency], communes: dict[str, Unit2025]) -> None:
    """Procedures and applicants of the 2025 agencies (``World.build_contexts`` knows only the
    old levels): communes get the commune procedures plus the district ones moved to them, the
    centre the provincial ones plus those moved to the province; applicants live in the new
    communes and write the two-level address (commune, province)."""
    prov_tail = f"tỉnh {w.prov.short}"
    everyone = [(u.kind, u.short) for u in communes_2025(w.prov.code)]
    for a in agencies:
        ac = w.ctx[a.code]
        if a.kind == CENTRE_KIND:
            procs = procedures_2025("PROVINCE")
            ac.residence = everyone
        elif a.level == "3":
            procs = procedures_2025("COMMUNE")
            u = communes[a.unit]
            ac.residence = [(u.kind, u.short)]
        else:
            procs = []
        cum, tot = [], 0.0
        for p in procs:
            tot += p.weight
            cum.append(tot)
        ac.procs, ac.cum = procs, cum
        ac.district_lower = prov_tail
        ac.online_cache.clear()


# --- the catalogue leaves the district level -----------------------------------------------------


def reform_offerings(offerings: list[Offering], rng: random.Random) -> list[Offering]:
    """DISTRICT offerings end on 30/06/2025; from 01/07/2025 each district-only procedure
    published that day is offered at its new level (PROVINCE or COMMUNE) at the same online
    level. Procedures shared by the district and commune levels keep their commune offerings."""
    last = LAST_OLD_DAY.toordinal()
    first = REFORM_DAY.toordinal()
    out: list[Offering] = []
    moved: list[Offering] = []
    for o in offerings:
        if o.level != "DISTRICT":
            out.append(o)
            continue
        if o.start > last:
            continue  # a change planned after the reform never happened at district level
        if o.stop is None or o.stop > last:
            o.stop = last
            o.updated = first * DAY + rng.randrange(7 * 3600, 17 * 3600)
        if (
            o.proc.levels == ("DISTRICT",)
            and o.agency is None
            and o.status == "PUBLISHED"
            and o.start <= last <= o.stop
        ):
            moved.append(o)
        out.append(o)
    for o in moved:
        out.append(
            Offering(
                proc=o.proc,
                level=new_level(o.proc),
                agency=None,
                online=o.online,
                start=first,
                stop=None,
                updated=first * DAY + rng.randrange(7 * 3600, 17 * 3600),
            )
        )
    out.sort(key=lambda o: (o.start, o.level, o.proc.code, o.agency or ""))
    for i, o in enumerate(out, start=1):
        o.service_id = 100000 + i
    return out


# --- takeovers -----------------------------------------------------------------------------------

_DESK_TEXTS_4 = ("Tiếp nhận hồ sơ bổ sung", "Chuyển hồ sơ")


def _role(step: dict) -> str:
    st = step["TrangThai"]
    if st in ("2", "7", "10"):
        return "desk"
    if st in ("8", "9"):
        return "leader"
    if st == "4" and step["NoiDungXuLy"].startswith(_DESK_TEXTS_4):
        return "desk"
    return "handler"


def take_over(w: World, rng: random.Random) -> int:
    """Hand every unfinished dossier of a closed agency to its ``MaDonViTiepNhan``.

    Unfinished = received (not status 1/3) and either still open or changed after 30/06/2025
    (ended, or its result handed over, after the reform). On the first working day from
    01/07/2025, before office hours, the new agency records a takeover step (the dossier's
    status unchanged); every later step is the new agency's; the record gets ``MaDonViXuLy`` and,
    when nothing happened after the takeover, the takeover's time as ``NgayCapNhat``. ``MaHoSo``,
    dates and ``MaDonVi`` stay. Returns how many dossiers were taken over.
    """
    closed = {a.code: a for a in w.agencies if a.closed}
    cut = f"{REFORM_DAY:%Y%m%d}000000"
    day = w.cal.days[w.cal.idx_ge(REFORM_DAY.toordinal())]
    steps_of: dict[str, list[dict]] = {}
    for s in w.steps:
        if s["MaDonVi"] in closed:
            steps_of.setdefault(s["MaHoSo"], []).append(s)
    n = 0
    for i, d in enumerate(w.dossiers):
        old = closed.get(d["MaDonVi"])
        if old is None or d["TrangThaiHoSo"] in ("1", "3"):
            continue
        steps = sorted(steps_of.get(d["MaHoSo"], ()), key=lambda s: s["ThoiDiemXuLy"])
        after = [s for s in steps if s["ThoiDiemXuLy"] >= cut]
        if not after and d["TrangThaiHoSo"] not in ("2", "4", "5", "6"):
            continue
        new = w.ctx[old.successor]
        status_then = [s for s in steps if s["ThoiDiemXuLy"] < cut][-1]["TrangThai"]
        at = ts14(day * DAY + rng.randrange(7 * 3600, 7 * 3600 + 29 * 60))
        name, title, dept = new.staff["desk"][rng.randrange(len(new.staff["desk"]))]
        w.steps.append(
            R.step(
                d["MaHoSo"],
                new.a.code,
                at,
                status_then,
                dept,
                name,
                title,
                f"Tiếp nhận hồ sơ chuyển giao từ {old.name} do sắp xếp đơn vị hành chính",
            )
        )
        field = BY_CODE[d["MaTTHC"]].field
        for s in after:
            role = _role(s)
            people = new.staff[role]
            commune = new.a.level == "3"
            if commune and role == "handler":
                name, title, dept = people[_COMMUNE_HANDLER.get(field, 2)]
            else:
                name, title, dept = people[rng.randrange(len(people))]
            s["MaDonVi"] = new.a.code
            s["PhongBanXuLy"] = dept if role != "handler" or commune else new.dept_label
            s["NguoiXuLy"], s["ChucDanh"] = name, title
        rec: dict = {}
        for k, v in d.items():
            rec[k] = v
            if k == "MaDonVi":
                rec["MaDonViXuLy"] = new.a.code  # the spec's place for it, after MaDonVi
        rec["NgayCapNhat"] = max(d["NgayCapNhat"], at)
        w.dossiers[i] = rec
        n += 1
    return n

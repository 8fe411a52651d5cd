"""The named scenarios. Every number chosen here is listed in docs/scenarios.md."""

from __future__ import annotations

import datetime as dt
import operator
import random
from collections.abc import Callable
from typing import Any

from . import portal, reform
from .catalogue import BY_CODE, PROCEDURES
from .datafiles import yaml_doc
from .documents import DocGen, DocQuota
from .generate import Generator, Quota
from .lifecycle import Profile
from .model import Scenario
from .units import Agency, build_agencies, load_province
from .workdays import DAY, parse_ts14
from .world import AgencyCtx, World

D = dt.date

# --- catalogue designs ----------------------------------------------------------------------

SHARED = [p.code for p in PROCEDURES if set(p.levels) == {"COMMUNE", "DISTRICT"}]
DISTRICT_ONLY = [p for p in PROCEDURES if p.levels == ("DISTRICT",)]
COMMUNE_ONLY = [p for p in PROCEDURES if p.levels == ("COMMUNE",)]
PROVINCE_ONLY = [p for p in PROCEDURES if p.levels == ("PROVINCE",)]

#: Hưng Yên on 30/06/2023 (Mỹ Hào report: 238 procedures, 54 partial, 173 full, `all`).
HY_DESIGN = {
    "shared": "FULL",  # 8
    "DISTRICT": {"FULL": 105, "PARTIAL": 33, "NONE": 7},  # 145 of 170 district-only
    "COMMUNE": {"FULL": 60, "PARTIAL": 21, "NONE": 4},  # 85 of 99 commune-only
}
#: Quảng Ngãi on 31/12/2023 (Bình Sơn report: district 47 partial + 23 full, commune 47 + 7).
QN_DESIGN_2023 = {
    "shared": "PARTIAL",
    "DISTRICT": {"FULL": 23, "PARTIAL": 39, "NONE": 100},  # 162 of 170
    "COMMUNE": {"FULL": 7, "PARTIAL": 39, "NONE": 45},  # 91 of 99
}
#: Quảng Ngãi in 2021–2022 (Đức Phổ: few online services yet). Not calibrated.
QN_DESIGN_2021 = {
    "shared": "PARTIAL",
    "DISTRICT": {"FULL": 4, "PARTIAL": 24, "NONE": 120},
    "COMMUNE": {"FULL": 3, "PARTIAL": 14, "NONE": 70},
}
PROVINCE_DESIGN = {"FULL": 10, "PARTIAL": 10, "NONE": 6}

#: Commune procedures Hưng Yên offers fully online only in Mỹ Hào's four pilot communes
#: (Kế hoạch 32/KH-UBND: Xuân Dục, Hưng Long, Minh Đức, Bần Yên Nhân); level-wide PARTIAL.
MY_HAO_PILOTS = ("12133", "12139", "12127", "12103")


def _designations(
    design: dict, rng: random.Random, with_province: bool = False
) -> dict[str, dict[str, str]]:
    d_map = portal.designate(DISTRICT_ONLY, design["DISTRICT"], rng)
    c_map = portal.designate(
        COMMUNE_ONLY, design["COMMUNE"], rng, prefer=["1.001193", "1.000656", "1.000894"]
    )
    for code in SHARED:
        d_map[code] = design["shared"]
        c_map[code] = design["shared"]
    out = {"DISTRICT": d_map, "COMMUNE": c_map}
    if with_province:
        out["PROVINCE"] = portal.designate(PROVINCE_ONLY, PROVINCE_DESIGN, rng)
    return out


def _pilot_specific(
    des: dict[str, dict[str, str]], agencies: list[Agency], rng: random.Random, n: int = 3
):
    """Move n commune FULL procedures to level-wide PARTIAL plus FULL offerings of the pilots."""
    pilots = [a.code for a in agencies if a.level == "3" and a.unit in MY_HAO_PILOTS]
    if not pilots:
        return []
    full = sorted(
        c
        for c, v in des["COMMUNE"].items()
        if v == "FULL" and c not in SHARED and BY_CODE[c].synthetic
    )
    chosen = rng.sample(full, n)
    for c in chosen:
        des["COMMUNE"][c] = "PARTIAL"
    return [(c, "COMMUNE", pilots, "FULL") for c in chosen]


def _tnmt_specific(
    des: dict[str, dict[str, str]], agencies: list[Agency], rng: random.Random, n: int = 2
):
    """Move n district FULL procedures to level-wide PARTIAL plus FULL offerings of one agency."""
    tnmt = [a.code for a in agencies if a.kind == "PHONG" and a.dept == "TNMT"]
    full = sorted(
        c for c, v in des["DISTRICT"].items() if v == "FULL" and BY_CODE[c].field == "DATDAI"
    )
    if not tnmt or not full:
        return []
    chosen = rng.sample(full, min(n, len(full)))
    for c in chosen:
        des["DISTRICT"][c] = "PARTIAL"
    return [(c, "DISTRICT", tnmt, "FULL") for c in chosen]


# --- department weights (share of a district's dossiers) ------------------------------------

HY_DEPTS = {
    "TP": 0.34,
    "TCKH": 0.22,
    "LDTBXH": 0.14,
    "KTHT": 0.08,
    "TNMT": 0.08,
    "GDDT": 0.06,
    "KT": 0.02,
    "VHTT": 0.02,
    "NV": 0.01,
    "YT": 0.015,
    "TTRA": 0.005,
}
QN_DEPTS = {
    "TNMT": 0.55,
    "TP": 0.2,
    "TCKH": 0.08,
    "LDTBXH": 0.07,
    "KTHT": 0.04,
    "GDDT": 0.03,
    "KT": 0.01,
    "VHTT": 0.01,
    "NV": 0.005,
    "YT": 0.005,
}


# --- assembling -------------------------------------------------------------------------------


def _world(
    name: str,
    seed: int,
    prov_code: str,
    districts: list[str] | None,
    start: dt.date,
    end: dt.date,
    *,
    with_province_departments: bool = False,
) -> World:
    prov = load_province(prov_code)
    agencies = build_agencies(
        prov, districts, with_province_departments=with_province_departments, seed=seed
    )
    host = {"33": "dichvucong.hungyen.gov.vn", "51": "dichvucong.quangngai.gov.vn"}[prov_code]
    return World(
        name=name,
        seed=seed,
        province=prov,
        agencies=agencies,
        start=start,
        end=end,
        portal_host=host,
    )


def _group(w: World, level: str, district: str | None = None) -> list[AgencyCtx]:
    lv = {"province": "1", "district": "2", "commune": "3"}[level]
    return [
        w.ctx[a.code]
        for a in w.agencies
        if a.level == lv and (district is None or a.district == district)
    ]


def _rates(group: list[AgencyCtx], total: float) -> dict[str, float]:
    tot = sum(ac.a.weight for ac in group) or 1.0
    return {ac.a.code: total * ac.a.weight / tot for ac in group}


def _doc_rates(w: World, scale: float = 1.0, **over) -> dict[str, tuple[float, float, float]]:
    base = {
        "UBND_T": (30, 20, 5),
        "SO": (8, 6, 2),
        "UBND_H": (14, 8, 2),
        "PHONG": (1.5, 1.2, 0.4),
        "UBND_X": (2.0, 1.0, 0.25),
    }
    base.update(over)
    out = {}
    for a in w.agencies:
        r = base[a.kind]
        if a.kind == "PHONG" and a.dept == "VP":
            r = (0.5, 0.3, 0.1)
        out[a.code] = (r[0] * scale, r[1] * scale, r[2] * scale)
    return out


def _finish(
    w: World,
    *,
    docs: dict,
    services: list,
    payments: list,
    ratings: list,
    notes: dict,
    procedures_used: set[str],
) -> Scenario:
    # two stable passes instead of tuple keys: no per-record key tuples (matters at a million)
    for rows, k1, k2 in (
        (w.dossiers, "NgayCapNhat", "MaHoSo"),
        (w.steps, "ThoiDiemXuLy", "MaHoSo"),
    ):
        rows.sort(key=operator.itemgetter(k2))
        rows.sort(key=operator.itemgetter(k1))
    payments.sort(key=lambda r: (r["updatedAt"], r["transactionId"]))
    ratings.sort(key=lambda r: (r["updatedAt"], r["ratingId"]))
    start = w.start
    if w.dossiers:
        first = min(r["NgayNopHoSo"] for r in w.dossiers)
        start = min(start, parse_ts14(first).date())
    return Scenario(
        name=w.name,
        seed=w.seed,
        start=start,
        end=w.end,
        now=dt.datetime.combine(w.end, dt.time(23, 59, 59)),
        agencies=[a.record() for a in w.agencies],
        dossiers=w.dossiers,
        steps=w.steps,
        qlvb_units=[
            {"id": a.qlvb_id, "ten": a.name, "ma_dinh_danh": a.code}
            for a in sorted(w.agencies, key=lambda a: a.qlvb_id)
        ],
        documents=docs,
        services=services,
        payments=payments,
        ratings=ratings,
        procedures=[BY_CODE[c].record() for c in sorted(procedures_used)],
        notes=notes,
    )


def _procedures_used(w: World) -> set[str]:
    used = {o.proc.code for o in w.offerings}
    for ac in w.ctx.values():
        used.update(p.code for p in ac.procs)
    return used


# --- small ---------------------------------------------------------------------------------


def build_small(seed: int = 0, **_) -> Scenario:
    w = _world("small", seed, "33", ["328"], D(2023, 4, 1), D(2023, 6, 30))
    rng = w.rng("catalogue")
    des = _designations(HY_DESIGN, rng)
    specific = _pilot_specific(des, w.agencies, rng)
    w.set_offerings(portal.build_offerings(w, rng, D(2023, 6, 30), des, specific))
    w.build_contexts(HY_DEPTS, ubnd_share=0.05)
    prof_c = Profile(
        p_online=0.85,
        p_digitised=0.68,
        p_result_digitised=0.29,
        p_early=0.94,
        p_late=0.002,
        p_pay_online=0.15,
        p_vneid=0.6,
    )
    prof_d = Profile(
        p_online=0.95,
        p_digitised=0.6,
        p_result_digitised=0.64,
        p_early=0.95,
        p_late=0.0,
        p_pay_online=0.15,
        p_vneid=0.6,
    )
    g = Generator(w, w.rng("dossiers"))
    com = _group(w, "commune")
    dis = _group(w, "district")
    g.natural(com, _rates(com, 40.0), prof_c, w.S_idx, w.E_idx)
    g.natural(dis, _rates(dis, 4.0), prof_d, w.S_idx, w.E_idx)
    dg = DocGen(w, w.rng("documents"))
    dg.natural(w.agencies[1:], _doc_rates(w, 0.5), w.start, w.end)
    prng = w.rng("payments")
    payments = portal.natural_payments(w, prng, p_land_online=0.3)
    ratings = portal.make_ratings(w, w.rng("ratings"))
    return _finish(
        w,
        docs=dg.finish(),
        services=portal.service_records(w.offerings),
        payments=payments,
        ratings=ratings,
        notes={"kind": "natural"},
        procedures_used=_procedures_used(w),
    )


def _wd(w: World, q: Quota) -> int:
    return w.cal.idx_le(q.e.toordinal()) - w.cal.idx_ge(q.s.toordinal()) + 1


# --- calibrated scenarios: one declaration each in data/scenarios/<name>.yaml ------------------

#: Catalogue designs, department weights and agency-specific offerings a declaration names.
DESIGNS = {"hung_yen": HY_DESIGN, "quang_ngai_2023": QN_DESIGN_2023}
DEPARTMENTS = {"hung_yen": HY_DEPTS, "quang_ngai": QN_DEPTS}
SPECIFIC = {"pilot_communes": _pilot_specific, "tnmt_land": _tnmt_specific}


def calibration(name: str) -> dict[str, Any]:
    """The declaration of a calibrated scenario (data/scenarios/<name>.yaml)."""
    spec = yaml_doc(f"scenarios/{name}.yaml")
    if spec["name"] != name:
        raise ValueError(f"data/scenarios/{name}.yaml declares {spec['name']!r}")
    return spec


def _profiles(spec: dict[str, Any]) -> dict[str, Profile]:
    """A declaration's profiles (lifecycle.Profile) by group."""
    return {group: Profile(**p) for group, p in spec["profiles"].items()}


def build_calibrated(name: str, seed: int = 0) -> Scenario:
    """A district and its communes calibrated to a report: the declaration's exact quotas for
    dossiers (district and commune levels), the district units' QLVB documents and, when
    declared, online payments; natural activity around them."""
    spec = calibration(name)
    w = _world(name, seed, spec["province"], [spec["district"]], spec["start"], spec["end"])
    cat = spec["catalogue"]
    rng = w.rng("catalogue")
    des = _designations(DESIGNS[cat["design"]], rng)
    specific = SPECIFIC[cat["specific"]](des, w.agencies, rng)
    w.set_offerings(portal.build_offerings(w, rng, cat["day"], des, specific))
    w.build_contexts(DEPARTMENTS[spec["departments"]], ubnd_share=spec["ubnd_share"])
    quotas = {level: Quota(**q) for level, q in spec["quotas"].items()}
    _calibrated_dossiers(w, quotas, _profiles(spec))
    dg = _calibrated_documents(w, spec["documents"])
    notes = {"kind": "calibrated", "quotas": {q.label: q.totals() for q in quotas.values()}}
    pay = spec["payments"]
    if "quota" in pay:
        pay = {**pay["quota"], "fee_total_range": tuple(pay["quota"]["fee_total_range"])}
        payments = _quota_payments(w, w.rng("payments"), pay)
        notes["payments"] = {k: v for k, v in pay.items() if k != "window"}
    else:
        payments = portal.natural_payments(w, w.rng("payments"), **pay)
    ratings = portal.make_ratings(w, w.rng("ratings"), **spec["ratings"])
    notes["catalogue_day"] = cat["day"].isoformat()
    return _finish(
        w,
        docs=dg.finish(),
        services=portal.service_records(w.offerings),
        payments=payments,
        ratings=ratings,
        notes=notes,
        procedures_used=_procedures_used(w),
    )


def _calibrated_dossiers(w: World, quotas: dict[str, Quota], prof: dict[str, Profile]) -> None:
    """Each level's quota exactly, then background dossiers at the quota's own daily volume."""
    g = Generator(w, w.rng("dossiers"))
    levels = ("district", "commune")
    groups = {level: _group(w, level) for level in levels}
    for level in levels:
        g.calibrated(groups[level], quotas[level], prof[level])
    for level in levels:
        q = quotas[level]
        rate = _rates(groups[level], sum(q.received.values()) / _wd(w, q))
        g.background(groups[level], q, prof[level], rate)


def _calibrated_documents(w: World, spec: dict) -> DocGen:
    """Natural QLVB rows, except the district units' in the quota window: those are exact.

    Unfinished: the caller numbers them (``finish``) after the payments, as it always has."""
    dg = DocGen(w, w.rng("documents"))
    dist_units = [a for a in w.agencies if a.level == "2"]
    quota = DocQuota(**spec["quota"])
    over = {kind: tuple(r) for kind, r in spec["rates"].items()}
    dg.natural(
        w.agencies,
        _doc_rates(w, **over),
        w.start,
        w.end,
        forms=tuple(tuple(f) for f in spec["forms"]),
        **({"p_conf": spec["p_conf"]} if "p_conf" in spec else {}),
        skip=(quota.s, quota.e),
        skip_units={a.code for a in dist_units},
    )
    weights = spec["weights"]
    quota.weights = {a.code: weights.get(a.kind, weights["other"]) for a in dist_units}
    dg.quota(dist_units, quota)
    return dg


# --- Đức Phổ ---------------------------------------------------------------------------------


def build_duc_pho(name: str, seed: int = 0) -> Scenario:
    """One Đức Phổ period (data/scenarios/<name>.yaml): the district and its communes as one
    group calibrated to the report's quota, natural activity around it."""
    spec = calibration(name)
    q = Quota(**spec["quota"])
    w = _world(name, seed, "51", ["534"], spec["start"], spec["end"])
    rng = w.rng("catalogue")
    des = _designations(QN_DESIGN_2021, rng)
    w.set_offerings(portal.build_offerings(w, rng, q.e, des, []))
    w.build_contexts(QN_DEPTS, ubnd_share=0.03)
    grp = _group(w, "district", "534") + _group(w, "commune", "534")
    # district-level agencies take 35% of the volume; communes share the rest
    dsum = sum(ac.a.weight for ac in grp if ac.a.level == "2")
    csum = sum(ac.a.weight for ac in grp if ac.a.level == "3")
    for ac in grp:
        ac.a.weight = ac.a.weight / dsum * 0.35 if ac.a.level == "2" else ac.a.weight / csum * 0.65
    prof = Profile(**spec["profile"])
    g = Generator(w, w.rng("dossiers"))
    g.calibrated(grp, q, prof)
    bg = Profile(**{**prof.__dict__, "p_withdraw": 0.003, "p_stop": 0.001})
    g.background(grp, q, bg, _rates(grp, sum(q.received.values()) / _wd(w, q)))
    dg = DocGen(w, w.rng("documents"))
    dg.natural(
        w.agencies[1:],
        _doc_rates(w, 0.8),
        w.start,
        w.end,
        forms=(("Điện tử", 70), ("Điện tử và giấy", 20), ("Giấy", 10)),
        online_share=0.7,
    )
    payments = portal.natural_payments(w, w.rng("payments"), p_land_online=0.02)
    ratings = portal.make_ratings(w, w.rng("ratings"), share=0.08)
    notes = {"kind": "calibrated", "quotas": {q.label: q.totals()}}
    return _finish(
        w,
        docs=dg.finish(),
        services=portal.service_records(w.offerings),
        payments=payments,
        ratings=ratings,
        notes=notes,
        procedures_used=_procedures_used(w),
    )


# --- calibrated payments (Bình Sơn 2023) ------------------------------------------------------


def _quota_payments(w: World, rng: random.Random, pay: dict) -> list[dict]:
    """Online payments matching a report's exact counts and totals (``payments.quota``)."""
    lo, hi = (d.toordinal() for d in pay["window"])
    pm = portal.PaymentMaker(w, rng)
    # --- fees and charges: one SUCCESS transaction per fee kind of a chosen dossier --------
    cands = []
    for idx, d in enumerate(w.dossiers):
        if d["TrangThaiHoSo"] in ("1", "3"):
            continue
        kinds: dict[str, int] = {}
        for f in d["DanhSachLePhi"]:
            if f["Gia"] > 0:
                k = "FEE" if f["LoaiPhiLePhi"] == "1" else "CHARGE"
                kinds[k] = kinds.get(k, 0) + f["Gia"]
        if not kinds:
            continue
        at = portal.fee_payment_instant(d)
        if not lo <= at // DAY <= hi:
            continue
        cands.append((idx, len(kinds), sum(kinds.values()), at))
    rng.shuffle(cands)
    # prefer online submissions (they pay on the portal)
    cands.sort(
        key=lambda c: 0 if w.dossiers[c[0]]["KenhThucHien"] == "2" and rng.random() < 0.8 else 1
    )
    need = pay["FEE_CHARGE"]
    chosen, rest, n = [], [], 0
    for c in cands:
        if n + c[1] <= need and (n < need):
            chosen.append(c)
            n += c[1]
        else:
            rest.append(c)
    if n != need:
        raise RuntimeError(f"Bình Sơn: only {n} fee transactions possible, need {need}")
    lo_t, hi_t = pay["fee_total_range"]
    target = (lo_t + hi_t) // 2
    total = sum(c[2] for c in chosen)
    singles_out = [c for c in rest if c[1] == 1]
    it = 0
    while not lo_t <= total <= hi_t and it < 400_000:
        it += 1
        i = rng.randrange(len(chosen))
        a = chosen[i]
        if a[1] != 1 or not singles_out:
            continue
        j = rng.randrange(len(singles_out))
        b = singles_out[j]
        if abs(total - a[2] + b[2] - target) < abs(total - target):
            chosen[i], singles_out[j] = b, a
            total += b[2] - a[2]
    if not lo_t <= total <= hi_t:
        raise RuntimeError(f"Bình Sơn: fee total {total} not reachable")
    for idx, _k, _amt, at in chosen:
        d = w.dossiers[idx]
        d["DuocThanhToanTrucTuyen"] = "1" if rng.random() < 0.85 else "2"
        pm.fee_payments(idx, at, failed_first=rng.random() < 0.04)
    # abandoned attempts (FAILED only) on dossiers then paid at the desk
    for c in rng.sample(rest, min(len(rest), 60)):
        d = w.dossiers[c[0]]
        pm.make(
            d,
            "FEE" if any(f["LoaiPhiLePhi"] == "1" for f in d["DanhSachLePhi"]) else "CHARGE",
            c[2],
            c[3],
            status="FAILED",
            gateway="DVCQG",
        )
    # --- land tax: financial obligations met inside the window, on district dossiers -----------
    land = [(idx, at) for idx, at in sorted(w.nvtc.items()) if lo <= at // DAY <= hi]
    need = pay["LAND_TAX"]
    if len(land) < need:
        raise RuntimeError(f"Bình Sơn: only {len(land)} land-tax candidates, need {need}")
    picked = rng.sample(land, need)
    amounts = [rng.lognormvariate(0.0, 0.9) for _ in picked]
    scale = pay["land_tax_total"] / sum(amounts)
    vals = [max(1000, int(a * scale / 1000) * 1000) for a in amounts]
    vals[vals.index(max(vals))] += pay["land_tax_total"] - sum(vals)
    for (idx, at), v in zip(picked, vals, strict=True):
        d = w.dossiers[idx]
        if d["DuocThanhToanTrucTuyen"] == "0":
            d["DuocThanhToanTrucTuyen"] = "1"
        paid = at - min(rng.randint(60, 3600), at % DAY - 7 * 3600)
        pm.make(d, "LAND_TAX", v, paid, gateway="DVCQG")
        if rng.random() < 0.003:
            pm.make(d, "LAND_TAX", v, paid - 900, status="REFUNDED", gateway="DVCQG")
    return pm.out


# --- Hưng Yên, province scale ---------------------------------------------------------------


def build_hung_yen_province(seed: int = 0, scale: float = 1.0, **_) -> Scenario:
    w = _world(
        "hung_yen_province",
        seed,
        "33",
        None,
        D(2023, 1, 1),
        D(2024, 12, 31),
        with_province_departments=True,
    )
    rng = w.rng("catalogue")
    des = _designations(HY_DESIGN, rng, with_province=True)
    specific = _pilot_specific(des, w.agencies, rng)
    w.set_offerings(portal.build_offerings(w, rng, D(2023, 6, 30), des, specific))
    w.build_contexts(HY_DEPTS, ubnd_share=0.05)
    prof_c = Profile(
        p_online=0.7,
        p_digitised=0.65,
        p_result_digitised=0.3,
        p_early=0.93,
        p_late=0.005,
        p_pay_online=0.2,
        p_vneid=0.6,
    )
    prof_d = Profile(
        p_online=0.85,
        p_digitised=0.6,
        p_result_digitised=0.6,
        p_early=0.92,
        p_late=0.01,
        p_pay_online=0.25,
        p_vneid=0.6,
    )
    prof_p = Profile(
        p_online=0.6,
        p_digitised=0.7,
        p_result_digitised=0.5,
        p_early=0.88,
        p_late=0.02,
        p_pay_online=0.3,
        p_vneid=0.6,
    )
    g = Generator(w, w.rng("dossiers"))
    for dist in w.prov.districts:
        g.natural(
            _group(w, "commune", dist.code),
            _rates(_group(w, "commune", dist.code), 11.0 * scale * len(dist.communes)),
            prof_c,
            w.S_idx,
            w.E_idx,
            p_online_end=0.85,
        )
        g.natural(
            _group(w, "district", dist.code),
            _rates(_group(w, "district", dist.code), 12.0 * scale),
            prof_d,
            w.S_idx,
            w.E_idx,
        )
    sos = [ac for ac in _group(w, "province") if ac.a.kind == "SO"]
    g.natural(sos, _rates(sos, 300.0 * scale), prof_p, w.S_idx, w.E_idx)
    dg = DocGen(w, w.rng("documents"))
    dg.natural(w.agencies, _doc_rates(w, scale), w.start, w.end)
    payments = portal.natural_payments(w, w.rng("payments"), p_land_online=0.3)
    ratings = portal.make_ratings(w, w.rng("ratings"))
    notes = {"kind": "natural", "scale": scale}
    return _finish(
        w,
        docs=dg.finish(),
        services=portal.service_records(w.offerings),
        payments=payments,
        ratings=ratings,
        notes=notes,
        procedures_used=_procedures_used(w),
    )


# --- Hưng Yên across the reform of 1/7/2025 ----------------------------------------------------

#: Old Mỹ Hào (whole, 13 communes → 3 new phường) plus, from the neighbouring Văn Lâm district,
#: its UBND and xã Lạc Đạo, an old commune the reform divided (reform2025.md §3).
REFORM_DIVIDED_COMMUNE = "11989"  # Xã Lạc Đạo (Văn Lâm): new Lạc Đạo (default) and Đại Đồng
REFORM_DISTRICTS = ("325", "328")


def _reform_agencies(seed: int) -> tuple[list[Agency], list[Agency], dict]:
    """Old agencies (closed 30/06/2025) and new ones (from 01/07/2025), and the 2025 communes."""
    prov = load_province("33")
    every = build_agencies(prov, list(REFORM_DISTRICTS), seed=seed)
    old = [
        a
        for a in every
        if a.district in ("", "328")
        or a.kind == "UBND_H"
        or (a.kind == "UBND_X" and a.unit == REFORM_DIVIDED_COMMUNE)
    ]
    cw = reform.crosswalk(prov.code)
    successor_unit = {a.code: cw.communes[a.unit][0] for a in old if a.level == "3"}
    new = reform.build_agencies_2025(prov, sorted(set(successor_unit.values())), seed)
    new_root, centre = new[0], new[1]
    by_unit = {a.unit: a.code for a in new if a.level == "3"}
    successor = {
        a.code: (
            by_unit[successor_unit[a.code]]
            if a.level == "3"
            else centre.code
            if a.level == "2"
            else new_root.code
        )
        for a in old
    }
    reform.close_old_agencies(old, successor)
    # a new commune's volume is its predecessors' (the old communes it absorbed in the scenario)
    for a in new[2:]:
        a.weight = sum(o.weight for o in old if successor.get(o.code) == a.code)
    units = reform.units_2025()
    return old, new, {a.unit: units[a.unit] for a in new[2:]}


def build_hung_yen_reform(seed: int = 0, **_) -> Scenario:
    spec = calibration("hung_yen_reform")
    old, new, communes = _reform_agencies(seed)
    agencies = old + new
    # QLVB ids: this system's own numbers, over both schemes' agencies in code order
    for i, a in enumerate(sorted(agencies, key=lambda a: a.code)):
        a.qlvb_id = 33 * 1000 + 100 + i
    w = World(
        name="hung_yen_reform",
        seed=seed,
        province=load_province("33"),
        agencies=agencies,
        start=spec["start"],
        end=spec["end"],
        portal_host="dichvucong.hungyen.gov.vn",
    )
    rng = w.rng("catalogue")
    des = _designations(HY_DESIGN, rng, with_province=True)
    offerings = portal.build_offerings(w, rng, reform.LAST_OLD_DAY, des, [])
    w.set_offerings(reform.reform_offerings(offerings, rng))
    w.build_contexts(HY_DEPTS, ubnd_share=0.05)
    reform.retarget_contexts(w, new, communes)
    quotas = {level: Quota(**q) for level, q in spec["takeovers"].items()}
    if any(q.s != reform.REFORM_DAY for q in quotas.values()):
        raise ValueError("hung_yen_reform.yaml: the takeover period starts on the reform day")
    _reform_dossiers(w, old, new, quotas, _profiles(spec), spec["rates"])
    takeovers = reform.take_over(w, w.rng("takeover"))
    dg = _reform_documents(w, old, new)
    payments = portal.natural_payments(w, w.rng("payments"), p_land_online=0.3)
    ratings = portal.make_ratings(w, w.rng("ratings"))
    notes = {
        "kind": "reform",
        "reform_day": reform.REFORM_DAY.isoformat(),
        "quotas": {q.label: q.totals() for q in quotas.values()},
        "takeovers": takeovers,
        "divided_commune": REFORM_DIVIDED_COMMUNE,
        "crosswalk_source": reform.crosswalk("33").source,
        "rates": spec["rates"],
    }
    return _finish(
        w,
        docs=dg.finish(),
        services=portal.service_records(w.offerings),
        payments=payments,
        ratings=ratings,
        notes=notes,
        procedures_used=_procedures_used(w),
    )


def _reform_dossiers(
    w: World,
    old: list[Agency],
    new: list[Agency],
    quotas: dict[str, Quota],
    prof: dict[str, Profile],
    rates: dict[str, float],
) -> None:
    """The old agencies' takeovers exactly and their natural dossiers until 30/06/2025; the new
    agencies' natural dossiers from 01/07/2025."""
    g = Generator(w, w.rng("dossiers"))
    r_reform = w.cal.idx_ge(reform.REFORM_DAY.toordinal())
    old_com = [w.ctx[a.code] for a in old if a.level == "3"]
    old_dis = [w.ctx[a.code] for a in old if a.level == "2"]
    new_com = [w.ctx[a.code] for a in new if a.level == "3"]
    centre = [w.ctx[a.code] for a in new if a.kind == reform.CENTRE_KIND]
    for group, level in ((old_com, "commune"), (old_dis, "district")):
        q = quotas[level]
        g.calibrated(group, q, prof[level])
        # before the reform every other dossier of the old agencies ends by 30/06/2025 (the
        # province's drive to close its backlog before the handover); daily rate minus the
        # dossiers carried across, as Generator.background does before a period
        rate = _rates(group, rates[f"old_{level}"])
        days = r_reform - w.S_idx
        f = max(0.0, 1 - sum(q.carried.values()) / (sum(rate.values()) * days))
        g.natural(
            group,
            {k: v * f for k, v in rate.items()},
            prof[level],
            w.S_idx,
            r_reform - 1,
            t_hi=r_reform - 1,
        )
    g.natural(new_com, _rates(new_com, rates["new_commune"]), prof["commune"], r_reform, w.E_idx)
    g.natural(centre, _rates(centre, rates["centre"]), prof["centre"], r_reform, w.E_idx)


def _reform_documents(w: World, old: list[Agency], new: list[Agency]) -> DocGen:
    """QLVB rows of the old agencies until 30/06/2025, of the new ones after (unfinished)."""
    dg = DocGen(w, w.rng("documents"))
    doc_rates = _reform_doc_rates(old + new)
    roots = {a.code for a in old + new if a.kind == "UBND_T"}
    dg.natural([a for a in old if a.code not in roots], doc_rates, w.start, reform.LAST_OLD_DAY)
    # from 01/07/2025 the provincial departments are the merged ones (Sở TT&TT into Sở KH&CN)
    dg.external = [x.format(p=w.prov.short) for x in REFORM_EXTERNAL]
    dg.natural([a for a in new if a.code not in roots], doc_rates, reform.REFORM_DAY, w.end)
    return dg


#: Issuers of incoming documents from 01/07/2025 (the provincial departments after the merger).
REFORM_EXTERNAL = [
    "UBND tỉnh {p}",
    "Văn phòng UBND tỉnh {p}",
    "Sở Khoa học và Công nghệ tỉnh {p}",
    "Sở Nội vụ tỉnh {p}",
    "Sở Tài chính tỉnh {p}",
    "Sở Nông nghiệp và Môi trường tỉnh {p}",
    "Bảo hiểm xã hội tỉnh {p}",
    "Công an tỉnh {p}",
    "Thuế tỉnh {p}",
    "Sở Giáo dục và Đào tạo tỉnh {p}",
    "Ban Chỉ đạo chuyển đổi số tỉnh {p}",
    "Sở Xây dựng tỉnh {p}",
]


def _reform_doc_rates(agencies: list[Agency]) -> dict[str, tuple[float, float, float]]:
    """QLVB rows per working day (den, di, hscv). A new commune's UBND does the paperwork of the
    old communes it merged plus part of the district's: three old communes' worth."""
    base = {
        "UBND_H": (4.2, 2.4, 0.6),
        "PHONG": (0.45, 0.36, 0.12),
        "UBND_X": (0.6, 0.3, 0.08),
        reform.CENTRE_KIND: (2.4, 1.8, 0.6),
    }
    out = {}
    for a in agencies:
        if a.kind not in base:
            continue
        r = base[a.kind]
        if a.kind == "UBND_X" and a.scheme == reform.SCHEME_2025:
            r = (r[0] * 3, r[1] * 3, r[2] * 3)
        out[a.code] = r
    return out


def _declared_entry(
    builder: Callable[[str, int], Scenario], name: str
) -> tuple[Callable[..., Scenario], str]:
    """The registry entry of a declared scenario: its builder and its one-line description."""

    def build(seed: int = 0, **_) -> Scenario:
        return builder(name, seed)

    build.__name__ = f"build_{name}"
    return build, calibration(name)["description"]


BUILDERS: dict[str, tuple[Callable[..., Scenario], str]] = {
    "small": (
        build_small,
        "Mỹ Hào (district 328) and its 13 communes, Apr–Jun 2023, ~3k dossiers; fast tests",
    ),
    "my_hao_2023h1": _declared_entry(build_calibrated, "my_hao_2023h1"),
    "duc_pho_r2021": _declared_entry(build_duc_pho, "duc_pho_r2021"),
    "duc_pho_r2022h1": _declared_entry(build_duc_pho, "duc_pho_r2022h1"),
    "binh_son_2023": _declared_entry(build_calibrated, "binh_son_2023"),
    "hung_yen_province": (
        build_hung_yen_province,
        "All of Hưng Yên (10 districts, 139 communes, 12 departments), 2023–2024, ~1M dossiers "
        "at scale=1.0; benchmarks (parameter scale)",
    ),
    "hung_yen_reform": (
        build_hung_yen_reform,
        calibration("hung_yen_reform")["description"],
    ),
}

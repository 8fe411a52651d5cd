"""The reform scenario ``hung_yen_reform`` (reform2025.md): agencies of both schemes, takeovers,
the catalogue leaving the district level, and the figures of both schemes counted back by the
independent reference (tests/scenario/reform_reference.py).

Golden figures here are the scenario's design inputs (the takeover quotas, documented in
docs/scenarios.md) and facts of the specs and the unit lists, never numbers read off a run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import vietnamadminunits

from include.scenario import DataFaults, build_scenario

from . import reform_reference as ref
from .reference_counts import dossier_fact, tthc_counts

D = dt.date
OLD_FIELDS = {"MaDonVi", "TenDonVi", "CapDonVi", "MaDonViCha", "MaDVHC"}
REFORM_FIELDS = {"PhienBanDVHC", "NgayNgungHoatDong", "MaDonViTiepNhan"}
CUT = "20250701000000"
CUT_DAY = D(2025, 7, 1)
MY_HAO_COMMUNES = {f"{c:05d}" for c in range(12103, 12140, 3)}  # the 13 of thị xã Mỹ Hào
#: the three new phường the 2025 list names for old Mỹ Hào
MY_HAO_2025 = {"12103": "Phường Mỹ Hào", "12127": "Phường Thượng Hồng", "12133": "Phường Đường Hào"}
LAC_DAO_OLD, LAC_DAO_NEW = "11989", "11992"
#: the design of the takeovers (data/scenarios/hung_yen_reform.yaml): unfinished on 30/06/2025
TAKEOVER_COMMUNE = {"early": 118, "ontime": 24, "late": 6, "withdrawn": 3, "stopped": 2, "pend": 4}
TAKEOVER_DISTRICT = {"early": 30, "ontime": 8, "late": 3, "withdrawn": 1, "stopped": 1, "pend": 2}
PRE_REFORM = (
    [("month", f"2024-{m:02d}") for m in range(7, 13)]
    + [("month", f"2025-{m:02d}") for m in range(1, 7)]
    + [("quarter", k) for k in ("2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2")]
    + [("half", "2024-H2"), ("half", "2025-H1"), ("report_quarter", "R2025-Q2")]
)


@pytest.fixture(scope="module")
def sc():
    return build_scenario("hung_yen_reform", seed=0)


@pytest.fixture(scope="module")
def faulty():
    return build_scenario("hung_yen_reform", seed=0, data_faults=DataFaults.all())


def _good(rows):
    return [r for r in rows if "_malformed" not in r]


def _by_code(sc):
    return {a["MaDonVi"]: a for a in sc.agencies}


def _predecessors(sc) -> dict[str, list[str]]:
    """New commune -> the old communes of the scenario whose default successor it is."""
    out = defaultdict(list)
    for a in _good(sc.agencies):
        if a["PhienBanDVHC"] == "pre2025" and a["CapDonVi"] == "3":
            out[ref.new_commune_of(a["MaDVHC"])].append(a["MaDVHC"])
    return dict(out)


# --- agencies ----------------------------------------------------------------------------------


def test_size_and_determinism(sc):
    assert 5_000 <= len(sc.dossiers) <= 15_000
    assert sc.start <= D(2024, 7, 1) and sc.end == D(2025, 12, 31)
    again = build_scenario("hung_yen_reform", seed=0)
    for attr in ("agencies", "dossiers", "steps", "qlvb_units", "documents", "services"):
        assert getattr(again, attr) == getattr(sc, attr), attr
    assert again.payments == sc.payments and again.ratings == sc.ratings
    other = build_scenario("hung_yen_reform", seed=1)
    assert other.dossiers != sc.dossiers
    # the seed changes who, when and which procedure, never the designed takeovers
    for s in (sc, other):
        unfinished = [
            d
            for d in s.dossiers
            if "MaDonViXuLy" in d and (not dossier_fact(d).ended or dossier_fact(d).end >= CUT_DAY)
        ]
        assert len(unfinished) == sum(TAKEOVER_COMMUNE.values()) + sum(TAKEOVER_DISTRICT.values())


def test_agencies_of_both_schemes(sc):
    agencies = _good(sc.agencies)
    by = _by_code(sc)
    assert len(by) == len(sc.agencies)
    assert all(set(a) == OLD_FIELDS | REFORM_FIELDS for a in agencies)
    old = [a for a in agencies if a["PhienBanDVHC"] == "pre2025"]
    new = [a for a in agencies if a["PhienBanDVHC"] == "2025"]
    assert len(old) + len(new) == len(agencies)
    units_2025 = ref.units_2025()
    for a in old:
        assert a["NgayNgungHoatDong"] == "20250630"
        succ = by[a["MaDonViTiepNhan"]]
        assert succ["PhienBanDVHC"] == "2025" and succ["NgayNgungHoatDong"] == ""
        assert a["MaDVHC"] in ref.old_names()
        if a["CapDonVi"] == "3":  # old commune UBND -> the UBND of its default successor
            assert succ["CapDonVi"] == "3"
            assert succ["MaDVHC"] == ref.new_commune_of(a["MaDVHC"])
        elif a["CapDonVi"] == "2":  # old district agencies -> the province's one-stop centre
            assert succ["TenDonVi"] == "Trung tâm Phục vụ hành chính công tỉnh Hưng Yên"
            assert succ["CapDonVi"] == "1"
            assert succ["MaDVHC"] == ref.new_province_of(a["MaDVHC"]) == "33"
    for a in new:
        assert a["CapDonVi"] in ("1", "3") and a["MaDonViTiepNhan"] == ""
        assert a["MaDVHC"] in units_2025
        assert len(a["MaDVHC"]) == (2 if a["CapDonVi"] == "1" else 5)
        assert a["MaDonViCha"] == "" or by[a["MaDonViCha"]]["PhienBanDVHC"] == "2025"
    assert all(a["MaDonViCha"] in by for a in agencies if a["MaDonViCha"])
    # old Mỹ Hào: UBND + 12 departments, its 13 communes; Văn Lâm: UBND and xã Lạc Đạo
    old_communes = {a["MaDVHC"] for a in old if a["CapDonVi"] == "3"}
    assert old_communes == MY_HAO_COMMUNES | {LAC_DAO_OLD}
    assert Counter(a["MaDVHC"] for a in old if a["CapDonVi"] == "2") == {"328": 13, "325": 1}
    new_communes = {a["MaDVHC"]: a["TenDonVi"] for a in new if a["CapDonVi"] == "3"}
    assert new_communes == {
        **{c: "UBND " + n[0].lower() + n[1:] for c, n in MY_HAO_2025.items()},
        LAC_DAO_NEW: "UBND xã Lạc Đạo",
    }
    assert {units_2025[c][0] for c in MY_HAO_2025} == set(MY_HAO_2025.values())
    # QLVB knows every agency
    assert {u["ma_dinh_danh"] for u in sc.qlvb_units} == set(by)


def test_my_hao_maps_into_its_three_phuong_and_lac_dao_is_divided(sc):
    assert {ref.new_commune_of(c) for c in MY_HAO_COMMUNES} == set(MY_HAO_2025)
    assert ref.new_commune_of(LAC_DAO_OLD) == LAC_DAO_NEW
    # the library names xã Lạc Đạo (Văn Lâm) divided, its default successor the new xã Lạc Đạo
    data = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    divided = json.loads(data.read_text(encoding="utf-8"))["DICT_PROVINCE_WARD_DIVIDED"]
    parts = divided["tinhhungyen"]["tinhhungyen_huyenvanlam_xalacdao"]
    assert len(parts) >= 2
    assert [p["newWardKey"] for p in parts if p["isDefaultNewWard"]] == ["xalacdao"]
    if ref.successors().source == "seed":
        assert LAC_DAO_OLD in ref.successors().divided
        assert not MY_HAO_COMMUNES & ref.successors().divided
        assert ref.is_approximate(sc, LAC_DAO_NEW, "commune")
        assert not ref.is_approximate(sc, "12103", "all")


def test_code_reuse_is_in_the_data(sc):
    """New codes reuse old ones: Phường Mỹ Hào 12103 = old Bần Yên Nhân, Thượng Hồng 12127 = old
    Minh Đức, Lạc Đạo 11992 = old xã Chỉ Đạo; only the scheme tells them apart."""
    names = ref.old_names()
    assert names["12103"] == "Phường Bần Yên Nhân" and names["12127"] == "Phường Minh Đức"
    assert names[LAC_DAO_NEW] == "Xã Chỉ Đạo"
    by_unit = defaultdict(set)
    for a in _good(sc.agencies):
        if a["CapDonVi"] == "3":
            by_unit[a["MaDVHC"]].add(a["PhienBanDVHC"])
    assert by_unit["12103"] == {"pre2025", "2025"} and by_unit["12127"] == {"pre2025", "2025"}
    assert by_unit[LAC_DAO_NEW] == {"2025"}


# --- dossiers and takeovers ------------------------------------------------------------------


def test_intake_respects_the_reform_date(sc):
    by = _by_code(sc)
    for d in sc.dossiers:
        a = by[d["MaDonVi"]]
        day = (d["NgayTiepNhan"] or d["NgayTuChoi"] or d["NgayNopHoSo"])[:8]
        if a["PhienBanDVHC"] == "pre2025":
            assert day <= a["NgayNgungHoatDong"], d["MaHoSo"]
        else:
            assert d["NgayTiepNhan"] == "" or day >= "20250701", d["MaHoSo"]
            assert "MaDonViXuLy" not in d


def test_takeovers(sc):
    by = _by_code(sc)
    steps = defaultdict(list)
    for s in sc.steps:
        steps[s["MaHoSo"]].append(s)
    taken = [d for d in sc.dossiers if "MaDonViXuLy" in d]
    assert taken
    for d in sc.dossiers:
        a = by[d["MaDonVi"]]
        if a["PhienBanDVHC"] != "pre2025" or d["TrangThaiHoSo"] in ("1", "3"):
            continue
        f = dossier_fact(d)
        changed_after = any(s["ThoiDiemXuLy"] >= CUT for s in steps[d["MaHoSo"]])
        unfinished = not f.ended or f.end >= D(2025, 7, 1)
        # every unfinished dossier (and every one still changing) is taken over, no other
        assert ("MaDonViXuLy" in d) == (unfinished or changed_after), d["MaHoSo"]
    for d in taken:
        old = by[d["MaDonVi"]]
        assert d["MaDonViXuLy"] == old["MaDonViTiepNhan"]
        assert d["NgayTiepNhan"][:8] <= "20250630"
        st = steps[d["MaHoSo"]]
        assert [s["ThoiDiemXuLy"] for s in st] == sorted(s["ThoiDiemXuLy"] for s in st)
        before = [s for s in st if s["ThoiDiemXuLy"] < CUT]
        after = [s for s in st if s["ThoiDiemXuLy"] >= CUT]
        assert all(s["MaDonVi"] == d["MaDonVi"] for s in before)
        assert all(s["MaDonVi"] == d["MaDonViXuLy"] for s in after)
        first = after[0]  # the takeover: first working day of the new scheme, status unchanged
        assert (
            first["ThoiDiemXuLy"][:8] == "20250701"
            and first["TrangThai"] == before[-1]["TrangThai"]
        )
        assert old["TenDonVi"] in first["NoiDungXuLy"]
        assert (
            d["NgayCapNhat"] == st[-1]["ThoiDiemXuLy"] and st[-1]["TrangThai"] == d["TrangThaiHoSo"]
        )
    # takeovers of unfinished dossiers: exactly the design's, by level
    unfinished = Counter(
        by[d["MaDonVi"]]["CapDonVi"]
        for d in taken
        if not dossier_fact(d).ended or dossier_fact(d).end >= D(2025, 7, 1)
    )
    assert unfinished == {"3": sum(TAKEOVER_COMMUNE.values()), "2": sum(TAKEOVER_DISTRICT.values())}


def test_payments_and_ratings_name_the_receiving_agency(sc):
    dossiers = {d["MaHoSo"]: d for d in sc.dossiers}
    by = _by_code(sc)
    assert sc.payments and sc.ratings
    for r in sc.payments + sc.ratings:
        assert r["agencyCode"] == dossiers[r["dossierCode"]]["MaDonVi"]
    new_codes = {c for c, a in by.items() if a["PhienBanDVHC"] == "2025"}
    assert {p["agencyCode"] for p in sc.payments} & new_codes  # the new agencies take payments


# --- catalogue and documents ----------------------------------------------------------------


def _published(services, day: str):
    return [
        o
        for o in services
        if o["status"] == "PUBLISHED"
        and o["publishedFrom"] <= day
        and (o["publishedTo"] is None or day <= o["publishedTo"])
    ]


def test_district_offerings_end_on_30_june(sc):
    district = [o for o in sc.services if o["agencyLevel"] == "DISTRICT"]
    assert district
    assert all(o["publishedTo"] is not None and o["publishedTo"] <= "2025-06-30" for o in district)
    assert all(o["publishedFrom"] <= "2025-06-30" for o in district)
    on_30 = _published(sc.services, "2025-06-30")
    on_1 = _published(sc.services, "2025-07-01")
    assert not [o for o in on_1 if o["agencyLevel"] == "DISTRICT"]
    commune_on_30 = {o["procedureCode"] for o in on_30 if o["agencyLevel"] == "COMMUNE"}
    # every district-only procedure of 30/06 is offered at province or commune level on 01/07,
    # at the same online level
    after = {(o["procedureCode"], o["onlineLevel"]) for o in on_1 if o["agencyLevel"] != "DISTRICT"}
    for o in on_30:
        if o["agencyLevel"] == "DISTRICT" and o["procedureCode"] not in commune_on_30:
            assert (o["procedureCode"], o["onlineLevel"]) in after, o["procedureCode"]
    assert len({o["serviceId"] for o in sc.services}) == len(sc.services)
    levels = Counter(o["agencyLevel"] for o in on_1)
    assert levels["PROVINCE"] > 26 and levels["COMMUNE"] > 0  # province took district ones


def test_documents_by_scheme(sc):
    by = _by_code(sc)
    unit_scheme = {u["id"]: by[u["ma_dinh_danh"]]["PhienBanDVHC"] for u in sc.qlvb_units}
    seen = Counter()
    for loai, col in (("den", "Ngày đến"), ("di", "Ngày ban hành"), ("hscv", "Ngày mở")):
        for r in sc.documents[loai]:
            scheme = unit_scheme[r["_unit_id"]]
            seen[scheme] += 1
            assert (r[col] <= D(2025, 6, 30)) == (scheme == "pre2025"), (loai, r)
    assert seen["pre2025"] > 0 and seen["2025"] > 0


# --- figures in both schemes -----------------------------------------------------------------


def _check_identities(c):
    assert c["in_scope"] == c["resolved"] + c["withdrawn"] + c["stopped"] + c["pending"]
    assert c["in_scope"] == c["received"] + c["carried_over"]
    assert c["resolved"] == c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
    assert c["pending"] == c["pending_overdue"] + c["pending_not_due"]


def test_2025_series_of_a_new_commune_sums_its_predecessors(sc):
    preds = _predecessors(sc)
    assert sorted(map(len, preds.values())) == [1, 4, 4, 5]
    for new, olds in preds.items():
        for level in ("commune", "all"):
            for pt, pk in PRE_REFORM:
                got = ref.reform_reference(sc, "2025", new, level, pt, pk)
                _check_identities(got)
                parts = [ref.reform_reference(sc, "pre2025", o, level, pt, pk) for o in olds]
                want = {m: sum(p[m] for p in parts) for m in ref.MEASURES}
                assert got == want, (new, level, pt, pk)
    assert ref.reform_reference(sc, "2025", "12103", "commune", "half", "2025-H1")["received"] > 0


def test_2025_province_sums_the_old_province_before_the_reform(sc):
    for pt, pk in PRE_REFORM:
        districts = [
            ref.reform_reference(sc, "pre2025", d, "district", pt, pk) for d in ("325", "328")
        ]
        got = ref.reform_reference(sc, "2025", "33", "district", pt, pk)
        assert got == {m: sum(p[m] for p in districts) for m in ref.MEASURES}, (pt, pk)
        for level in ("all", "commune"):
            assert ref.reform_reference(sc, "2025", "33", level, pt, pk) == ref.reform_reference(
                sc, "pre2025", "33", level, pt, pk
            )


def test_a_period_across_the_reform_counts_each_dossier_once(sc):
    by = _by_code(sc)
    preds = _predecessors(sc)
    new_agency = {
        a["MaDVHC"]: a["MaDonVi"] for a in _good(sc.agencies) if a["PhienBanDVHC"] == "2025"
    }
    for pt, pk in (("report_half", "R2025-H2"), ("year", "2025"), ("month", "2025-07")):
        s, e = ref.period_bounds(pt, pk)
        for new, olds in preds.items():
            got = ref.reform_reference(sc, "2025", new, "commune", pt, pk)
            _check_identities(got)
            own = tthc_counts(sc.dossiers, {new_agency[new]}, s, e)
            assert own["carried_over"] == 0  # a new agency holds nothing from before it opened
            if s < D(2025, 7, 1):
                parts = [ref.reform_reference(sc, "pre2025", o, "commune", pt, pk) for o in olds]
                for m in ("received", "in_scope", "resolved", "pending"):
                    assert got[m] == sum(p[m] for p in parts) + own[m], (new, pt, pk, m)
    # over the whole 2025 province, in scope once per distinct dossier (takeovers included)
    s, e = ref.period_bounds("year", "2025")
    total = ref.reform_reference(sc, "2025", "33", "all", "year", "2025")
    distinct = set()
    for d in sc.dossiers:
        f = dossier_fact(d)
        if f is None or not f.received or d["MaDonVi"] not in by:
            continue
        if s <= f.receipt <= e or (f.receipt < s and (not f.ended or f.end >= s)):
            distinct.add(d["MaHoSo"])
    assert total["in_scope"] == len(distinct)
    assert sum(1 for d in sc.dossiers if d["MaHoSo"] in distinct and "MaDonViXuLy" in d) > 200


def test_takeovers_are_the_carried_over_of_the_new_scheme(sc):
    """2025-H2 in the 2025 scheme: the old agencies' dossiers are exactly the design's takeovers,
    at the new province (district level) and the new communes (commune level)."""
    district = ref.reform_reference(sc, "2025", "33", "district", "half", "2025-H2")
    commune_old = Counter()
    for new in _predecessors(sc):
        c = ref.reform_reference(sc, "2025", new, "commune", "half", "2025-H2")
        own_agency = next(
            a["MaDonVi"]
            for a in _good(sc.agencies)
            if a["PhienBanDVHC"] == "2025" and a["MaDVHC"] == new
        )
        own = tthc_counts(sc.dossiers, {own_agency}, *ref.period_bounds("half", "2025-H2"))
        for m, k in (
            ("resolved_early", "early"),
            ("resolved_on_time", "on_time"),
            ("resolved_late", "late"),
        ):
            commune_old[m] += c[m] - own[k]
        commune_old["carried_over"] += c["carried_over"]
        for m in ("withdrawn", "stopped", "pending"):
            commune_old[m] += c[m] - own[m]
    t = TAKEOVER_DISTRICT
    assert district["received"] == 0 and district["carried_over"] == sum(t.values())
    assert (
        district["resolved_early"],
        district["resolved_on_time"],
        district["resolved_late"],
    ) == (
        t["early"],
        t["ontime"],
        t["late"],
    )
    assert (district["withdrawn"], district["stopped"], district["pending"]) == (
        t["withdrawn"],
        t["stopped"],
        t["pend"],
    )
    t = TAKEOVER_COMMUNE
    assert commune_old["carried_over"] == sum(t.values())
    assert (
        commune_old["resolved_early"],
        commune_old["resolved_on_time"],
        commune_old["resolved_late"],
        commune_old["withdrawn"],
        commune_old["stopped"],
        commune_old["pending"],
    ) == (t["early"], t["ontime"], t["late"], t["withdrawn"], t["stopped"], t["pend"])


def test_old_scheme_has_no_period_after_the_reform(sc):
    with pytest.raises(ValueError):
        ref.reform_reference(sc, "pre2025", "328", "all", "quarter", "2025-Q3")
    # the year 2025 starts before: it exists, with the old agencies' records only
    c = ref.reform_reference(sc, "pre2025", "328", "all", "year", "2025")
    assert c["received"] > 0
    _check_identities(c)
    assert ref.reform_reference(sc, "pre2025", LAC_DAO_NEW, "all", "year", "2025")["in_scope"] == 0


def test_a_broken_agency_counts_nowhere_and_anomalies_count_at_their_agency(sc, faulty):
    malformed = {r["_malformed"] for r in faulty.agencies if "_malformed" in r}
    assert "PhienBanDVHC 2025 with a 3-digit district code (CapDonVi 2)" in malformed
    anomalies = {r["_anomaly"] for r in faulty.agencies + faulty.dossiers if "_anomaly" in r}
    assert anomalies == {
        "MaDonViTiepNhan is not an agency of /donvi",
        "received after its agency's NgayNgungHoatDong",
        "MaDonViXuLy is not an agency of /donvi",
    }
    bad_agency = next(a for a in faulty.agencies if a.get("_malformed", "").startswith("PhienBan"))
    assert not ref.agency_valid(bad_agency)
    facts = ref.dossier_facts(faulty)
    odd = [d for d in faulty.dossiers if "_anomaly" in d]
    # well formed: they count, at MaDonVi (reform2025.md §2), whatever took them over
    assert {d["MaHoSo"] for d in odd} <= set(facts)
    assert all(facts[d["MaHoSo"]].agency == d["MaDonVi"] for d in odd)
    for scheme, unit, level, pt, pk in (
        ("2025", "33", "all", "year", "2025"),
        ("2025", "33", "district", "half", "2025-H2"),
        ("2025", "12103", "commune", "quarter", "2025-Q3"),
        ("pre2025", "33", "all", "half", "2025-H1"),
        ("pre2025", "325", "all", "year", "2024"),
    ):
        if any(d["MaDonVi"] in ref.scope(faulty, scheme, unit, level) for d in odd):
            continue  # the anomalies count here, as they should
        assert ref.reform_reference(faulty, scheme, unit, level, pt, pk) == ref.reform_reference(
            sc, scheme, unit, level, pt, pk
        )


def test_period_bounds():
    assert ref.period_bounds("report_quarter", "R2023-Q1") == (D(2022, 12, 15), D(2023, 3, 14))
    assert ref.period_bounds("report_half", "R2025-H2") == (D(2025, 6, 15), D(2025, 12, 14))
    assert ref.period_bounds("report_month", "R2025-01") == (D(2024, 12, 15), D(2025, 1, 14))
    assert ref.period_bounds("quarter", "2025-Q3") == (D(2025, 7, 1), D(2025, 9, 30))
    assert ref.period_bounds("month", "2024-02") == (D(2024, 2, 1), D(2024, 2, 29))


def test_crosswalk_sources_agree():
    """The generator's two crosswalk paths (the seed, the library's tables) and the reference's
    (the library's public converter) give the same default successors for Hưng Yên."""
    from include.scenario import reform

    lib = reform._from_library("33")
    assert len(lib.communes) == 139 and set(lib.provinces.values()) == {"33"}
    assert {c: ref._converted(c) for c in MY_HAO_COMMUNES | {LAC_DAO_OLD}} == {
        c: lib.communes[c][0] for c in MY_HAO_COMMUNES | {LAC_DAO_OLD}
    }
    assert lib.communes[LAC_DAO_OLD] == (LAC_DAO_NEW, "divided")
    if not reform.CROSSWALK_SEED.exists():
        pytest.skip("crosswalk seed not committed")
    seed = reform._from_seed(reform.CROSSWALK_SEED, "33")
    assert seed.communes == lib.communes and seed.provinces == lib.provinces
    assert all(ref.new_commune_of(c) == n for c, (n, _r) in seed.communes.items())

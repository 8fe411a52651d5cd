"""The reform fields on the wire (reform2025.md §2, sources/onestop.md): ``/donvi`` serves
``PhienBanDVHC``, ``NgayNgungHoatDong`` and ``MaDonViTiepNhan`` only for scenarios whose agencies
carry them, ``/hoso`` serves ``MaDonViXuLy`` on taken-over dossiers, the portal's catalogue has
no DISTRICT offering from 01/07/2025, and the command line serves ``hung_yen_reform``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests

from include.scenario import DataFaults, build_scenario
from include.scenario.model import Scenario
from include.simulators import DvcPortalSimulator, OnestopSimulator, QlvbSimulator
from include.simulators.__main__ import _build, _parser

OLD_FIELDS = {"MaDonVi", "TenDonVi", "CapDonVi", "MaDonViCha", "MaDVHC"}
REFORM_FIELDS = {"PhienBanDVHC", "NgayNgungHoatDong", "MaDonViTiepNhan"}
JULY_2025 = {"tu_ngay": "20250701000000", "den_ngay": "20250801000000", "so_ban_ghi": 1000}


@pytest.fixture(scope="module")
def reform() -> Scenario:
    return build_scenario("hung_yen_reform", 0)


@pytest.fixture(scope="module")
def onestop(reform: Scenario) -> Iterator[OnestopSimulator]:
    with OnestopSimulator(reform) as sim:
        yield sim


def _session(sim: OnestopSimulator, login) -> requests.Session:
    http = requests.Session()
    http.headers["X-Session"] = login(sim.url)
    return http


def _all_pages(http: requests.Session, url: str, params: dict) -> list[dict]:
    out: list[dict] = []
    for trang in range(1, 100):
        body = http.get(url, params={**params, "trang": trang}, timeout=10).json()
        assert body["error_code"] == "0", body
        out.extend(body["data"])
        if trang * params["so_ban_ghi"] >= body["tong_so_ban_ghi"]:
            return out
    raise AssertionError("too many pages")


def test_donvi_serves_the_reform_fields_as_stored(
    reform: Scenario, onestop: OnestopSimulator, onestop_login
) -> None:
    http = _session(onestop, onestop_login)
    served = http.get(f"{onestop.url}/api/v1/donvi", timeout=10).json()["data"]
    assert served == reform.agencies
    assert all(set(a) == OLD_FIELDS | REFORM_FIELDS for a in served)
    closed = [a for a in served if a["NgayNgungHoatDong"]]
    assert closed and all(a["NgayNgungHoatDong"] == "20250630" for a in closed)
    assert all(a["PhienBanDVHC"] == "pre2025" and a["MaDonViTiepNhan"] for a in closed)
    active = [a for a in served if not a["NgayNgungHoatDong"]]
    assert active and all(a["PhienBanDVHC"] == "2025" for a in active)


def test_old_catalogues_stay_without_the_reform_fields(onestop_login) -> None:
    small = build_scenario("small", 0)
    with OnestopSimulator(small) as sim:
        served = _session(sim, onestop_login).get(f"{sim.url}/api/v1/donvi", timeout=10).json()
    assert all(set(a) == OLD_FIELDS for a in served["data"])
    assert served["data"] == small.agencies


def test_hoso_carries_madonvixuly_on_takeovers(
    reform: Scenario, onestop: OnestopSimulator, onestop_login
) -> None:
    http = _session(onestop, onestop_login)
    july = _all_pages(http, f"{onestop.url}/api/v1/hoso", JULY_2025)
    expected = {
        d["MaHoSo"]: d["MaDonViXuLy"]
        for d in reform.dossiers
        if "MaDonViXuLy" in d and JULY_2025["tu_ngay"] <= d["NgayCapNhat"] < JULY_2025["den_ngay"]
    }
    assert expected
    served = {d["MaHoSo"]: d.get("MaDonViXuLy") for d in july}
    assert {k: served[k] for k in expected} == expected
    assert all(v is None for k, v in served.items() if k not in expected)
    # a taken-over dossier keeps its receiving agency
    agencies = {a["MaDonVi"]: a for a in reform.agencies}
    for d in july:
        if "MaDonViXuLy" in d:
            assert agencies[d["MaDonVi"]]["MaDonViTiepNhan"] == d["MaDonViXuLy"]


def test_madonvi_lists_what_an_agency_holds(
    reform: Scenario, onestop: OnestopSimulator, onestop_login
) -> None:
    """The new agency's listing includes the dossiers it took over; the old agency's still has
    them (it received them); /tientrinh lists the steps an agency took, the takeover included."""
    http = _session(onestop, onestop_login)
    taken = next(
        d
        for d in reform.dossiers
        if "MaDonViXuLy" in d and JULY_2025["tu_ngay"] <= d["NgayCapNhat"] < JULY_2025["den_ngay"]
    )
    for agency in (taken["MaDonVi"], taken["MaDonViXuLy"]):
        rows = _all_pages(http, f"{onestop.url}/api/v1/hoso", {**JULY_2025, "madonvi": agency})
        assert taken["MaHoSo"] in {d["MaHoSo"] for d in rows}
        assert all(agency in (d["MaDonVi"], d.get("MaDonViXuLy")) for d in rows)
    steps = _all_pages(
        http,
        f"{onestop.url}/api/v1/tientrinh",
        {**JULY_2025, "madonvi": taken["MaDonViXuLy"]},
    )
    mine = [s for s in steps if s["MaHoSo"] == taken["MaHoSo"]]
    assert mine and mine[0]["NoiDungXuLy"].startswith("Tiếp nhận hồ sơ chuyển giao")
    assert all(s["MaDonVi"] == taken["MaDonViXuLy"] for s in steps)


def test_catalogue_has_no_district_offering_after_the_reform(reform: Scenario, dvc_token) -> None:
    with DvcPortalSimulator(reform) as sim:
        headers = {"Authorization": f"Bearer {dvc_token(sim.url)}"}

        def levels(day: str) -> set[str]:
            body = requests.get(
                f"{sim.url}/api/v1/services",
                params={"asOf": day, "size": 1000},
                headers=headers,
                timeout=10,
            ).json()
            assert body["page"]["totalElements"] <= 1000
            return {o["agencyLevel"] for o in body["content"]}

        assert levels("2025-06-30") == {"PROVINCE", "DISTRICT", "COMMUNE"}
        assert levels("2025-07-01") == {"PROVINCE", "COMMUNE"}


def test_qlvb_lists_the_new_units(reform: Scenario, qlvb_headers) -> None:
    with QlvbSimulator(reform) as sim:
        units = requests.get(f"{sim.url}/api/qlvb/v2/donvi", headers=qlvb_headers, timeout=10)
    codes = {u["ma_dinh_danh"] for u in units.json()}
    new = {a["MaDonVi"] for a in reform.agencies if a["PhienBanDVHC"] == "2025"}
    assert new and new <= codes


def test_command_line_builds_the_reform_scenario() -> None:
    args = _parser().parse_args(["all", "--scenario", "hung_yen_reform", "--clean-data"])
    scenario = _build(args.scenario, args.seed, not args.clean_data)
    assert scenario.name == "hung_yen_reform"
    assert {a.get("PhienBanDVHC") for a in scenario.agencies} == {"pre2025", "2025"}


def test_every_record_of_the_reform_scenario_is_served(onestop_login) -> None:
    """With every data fault on (the reform's bad inputs included), paging month windows over
    the whole span returns every dossier and step, and /donvi every agency."""
    faulty = build_scenario("hung_yen_reform", 0, DataFaults.all())
    with OnestopSimulator(faulty) as sim:
        http = _session(sim, onestop_login)
        agencies = http.get(f"{sim.url}/api/v1/donvi", timeout=10).json()["data"]
        assert len(agencies) == len(faulty.agencies)
        assert {a["MaDonVi"] for a in agencies} == {a["MaDonVi"] for a in faulty.agencies}
        for entity, source in (("hoso", faulty.dossiers), ("tientrinh", faulty.steps)):
            served: list[dict] = []
            start = faulty.start - dt.timedelta(days=5)
            while start <= faulty.now.date():
                end = start + dt.timedelta(days=31)
                params = {"tu_ngay": f"{start:%Y%m%d}000000", "den_ngay": f"{end:%Y%m%d}000000"}
                served += _all_pages(
                    http, f"{sim.url}/api/v1/{entity}", {**params, "so_ban_ghi": 1000}
                )
                start = end
            assert len(served) == len(source), entity
            assert all(not k.startswith("_") for r in served for k in r)

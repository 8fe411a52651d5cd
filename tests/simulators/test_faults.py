"""Every fault is observable when switched on, absent when off, and reproducible by seed."""

from __future__ import annotations

import time

import pytest
import requests

from include.scenario.model import Scenario
from include.simulators import (
    DvcPortalSimulator,
    FaultConfig,
    OnestopSimulator,
    QlvbSimulator,
)

JUNE = {"tu_ngay": "20230601000000", "den_ngay": "20230701000000"}
#: A window that contains the simulator clock (2023-07-20 17:00): drift makes records enter it.
JULY = {"tu_ngay": "20230701000000", "den_ngay": "20230721000000"}
DVC_JUNE = {"updatedFrom": "2023-06-01T00:00:00+07:00", "updatedTo": "2023-07-01T00:00:00+07:00"}
FAULTS = ("rate_limit", "server_error", "hang", "session_expiry", "drift", "duplicate_page")


def _hoso(sim: OnestopSimulator, token: str, **params: object) -> requests.Response:
    return requests.get(
        f"{sim.url}/api/v1/hoso", params=params, headers={"X-Session": token}, timeout=5
    )


def _only(**fields: float) -> FaultConfig:
    """One fault on, at the given rate, with a generous run limit so it fires every time."""
    return FaultConfig(seed=1, max_consecutive=fields.pop("max_consecutive", 50), **fields)


def test_no_faults_when_off(scenario: Scenario, onestop_login, dvc_token, qlvb_headers) -> None:
    with OnestopSimulator(scenario) as sim:
        token = onestop_login(sim.url)
        bodies = [_hoso(sim, token, trang=p, **JUNE).json() for p in range(1, 6)]
        assert {b["tong_so_ban_ghi"] for b in bodies} == {442}
        assert sum(len(b["data"]) for b in bodies) == 442
        assert all(sim.stats[name] == 0 for name in (*FAULTS, "business_error"))
        assert sim.stats["requests"] == 6
    with DvcPortalSimulator(scenario) as sim:
        token = dvc_token(sim.url)
        for page in range(4):
            answer = requests.get(
                f"{sim.url}/api/v1/payments",
                params={"page": page, **DVC_JUNE},
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            )
            assert answer.status_code == 200
        assert all(sim.stats[name] == 0 for name in FAULTS)


def test_fault_rates_are_validated() -> None:
    with pytest.raises(ValueError):
        FaultConfig(rate_limit=0.7, server_error=0.7)
    assert not FaultConfig.none().enabled and FaultConfig.all(3).enabled
    assert FaultConfig.from_name("all", 3) == FaultConfig.all(3)


def test_rate_limit_with_retry_after_and_max_consecutive(scenario: Scenario, qlvb_headers) -> None:
    config = _only(rate_limit=1.0, retry_after_seconds=2, max_consecutive=2)
    with QlvbSimulator(scenario, faults=config) as sim:
        url = f"{sim.url}/api/qlvb/v2/donvi"
        answers = [requests.get(url, headers=qlvb_headers, timeout=5) for _ in range(6)]
        assert [a.status_code for a in answers] == [429, 429, 200, 429, 429, 200]
        assert answers[0].headers["Retry-After"] == "2"
        assert answers[0].json()["loi"]
        assert sim.stats["rate_limit"] == 4 and sim.stats["requests"] == 6


def test_server_errors_are_gateway_pages(scenario: Scenario, dvc_token) -> None:
    config = _only(server_error=1.0, max_consecutive=3)
    with DvcPortalSimulator(scenario, faults=config) as sim:
        statuses = [requests.get(f"{sim.url}/api/v1/services", timeout=5) for _ in range(3)]
        assert {a.status_code for a in statuses} <= {502, 503, 504}
        assert all(a.headers["Content-Type"].startswith("text/html") for a in statuses)
        assert sim.stats["server_error"] == 3


def test_hang_holds_the_request_past_the_client_timeout(scenario: Scenario) -> None:
    config = _only(hang=1.0, hang_seconds=1.5, max_consecutive=1)
    with OnestopSimulator(scenario, faults=config) as sim:
        url = f"{sim.url}/api/v1/donvi"
        started = time.monotonic()
        with pytest.raises(requests.Timeout):
            requests.get(url, timeout=0.3)
        assert time.monotonic() - started < 1.0
        assert requests.get(url, timeout=2).status_code == 401  # next one answers at once
        assert sim.stats["hang"] == 1


def test_onestop_session_dropped_early(scenario: Scenario, onestop_login) -> None:
    with OnestopSimulator(scenario, faults=_only(session_expiry=1.0, max_consecutive=1)) as sim:
        token = onestop_login(sim.url)  # the login itself cannot lose a session
        first = requests.get(f"{sim.url}/api/v1/donvi", headers={"X-Session": token}, timeout=5)
        assert first.status_code == 401 and first.json()["error_code"] == "401"
        again = requests.get(f"{sim.url}/api/v1/donvi", headers={"X-Session": token}, timeout=5)
        assert again.status_code == 401  # the token is gone for good: log in again
        assert sim.stats["session_expiry"] == 1
        fresh = onestop_login(sim.url)
        answer = requests.get(f"{sim.url}/api/v1/donvi", headers={"X-Session": fresh}, timeout=5)
        assert answer.status_code == 401 and sim.stats["session_expiry"] == 2


def test_dvc_token_dropped_early(scenario: Scenario, dvc_token) -> None:
    with DvcPortalSimulator(scenario, faults=_only(session_expiry=1.0, max_consecutive=1)) as sim:
        token = dvc_token(sim.url)
        headers = {"Authorization": f"Bearer {token}"}
        first = requests.get(f"{sim.url}/api/v1/services", headers=headers, timeout=5)
        assert first.status_code == 401
        assert first.headers["Content-Type"].startswith("application/problem+json")
        assert sim.stats["session_expiry"] == 1


def test_business_error_is_http_200(scenario: Scenario, onestop_login) -> None:
    with OnestopSimulator(scenario, faults=_only(business_error=1.0, max_consecutive=1)) as sim:
        creds = {"username": "dti_reader", "password": "demo-onestop-password"}
        url = f"{sim.url}/api/v1/auth/session"
        failed = requests.post(url, json=creds, timeout=5)
        assert failed.status_code == 200 and failed.json()["error_code"] in {"500", "504"}
        token = requests.post(url, json=creds, timeout=5).json()["session"]
        listing = _hoso(sim, token, **JUNE)
        assert listing.status_code == 200 and listing.json()["error_code"] != "0"
        assert "data" not in listing.json()
        assert sim.stats["business_error"] == 2


def test_drift_moves_a_served_record_out_and_shifts_the_rest(
    scenario: Scenario, onestop_login
) -> None:
    with OnestopSimulator(scenario, faults=_only(drift=1.0)) as sim:
        token = onestop_login(sim.url)
        clock = sim.now
        first = _hoso(sim, token, trang=1, **JUNE).json()
        second = _hoso(sim, token, trang=2, **JUNE).json()
        assert (first["tong_so_ban_ghi"], second["tong_so_ban_ghi"]) == (442, 441)
        moved = [r for r in sim.current_records("hoso") if r["NgayCapNhat"] == "20230720170000"]
        assert len(moved) == 1 and moved[0]["ChuHoSo"]  # annotations and data kept
        assert moved[0].get("MaHoSo") in {r.get("MaHoSo") for r in first["data"]}
        assert (sim.now - clock).total_seconds() == 60
        seen = {r.get("MaHoSo") for r in first["data"] + second["data"]}
        in_window = [
            r.get("MaHoSo")
            for r in sim.current_records("hoso")[:200]
            if JUNE["tu_ngay"] <= r["NgayCapNhat"] < JUNE["den_ngay"]
        ]
        assert set(in_window) - seen  # a record slipped across the page boundary
        assert sim.stats["drift"] == 1
        # The scenario the simulator was built from is untouched.
        assert all(r["NgayCapNhat"] != "20230720170000" for r in scenario.dossiers)


def test_drift_makes_a_record_enter_a_window_holding_the_clock(
    scenario: Scenario, onestop_login
) -> None:
    with OnestopSimulator(scenario, faults=_only(drift=1.0)) as sim:
        token = onestop_login(sim.url)
        first = _hoso(sim, token, trang=1, **JULY).json()["tong_so_ban_ghi"]
        second = _hoso(sim, token, trang=2, **JULY).json()
        assert second["tong_so_ban_ghi"] == first + 1
        last = _hoso(sim, token, trang=1, so_ban_ghi=1000, **JULY).json()["data"][-1]
        assert last["NgayCapNhat"] == "20230720170000"


def test_dvc_drift_keeps_the_offset_style(scenario: Scenario, dvc_token) -> None:
    with DvcPortalSimulator(scenario, faults=_only(drift=1.0)) as sim:
        headers = {"Authorization": f"Bearer {dvc_token(sim.url)}"}
        url = f"{sim.url}/api/v1/payments"
        pages = [
            requests.get(url, params={"page": p, **DVC_JUNE}, headers=headers, timeout=5).json()
            for p in (0, 1)
        ]
        totals = [p["page"]["totalElements"] for p in pages]
        assert totals[1] == totals[0] - 1
        moved = [
            r
            for r in sim.current_records("payments")
            if r["updatedAt"] in ("2023-07-20T17:00:00+07:00", "2023-07-20T10:00:00Z")
        ]
        assert len(moved) == 1


def test_duplicate_page_repeats_the_previous_last_record(scenario: Scenario, onestop_login) -> None:
    with OnestopSimulator(scenario, faults=_only(duplicate_page=1.0, max_consecutive=1)) as sim:
        token = onestop_login(sim.url)
        first = _hoso(sim, token, trang=1, **JUNE).json()
        second = _hoso(sim, token, trang=2, **JUNE).json()
        assert second["data"][0] == first["data"][-1]
        assert len(second["data"]) == 101 and second["tong_so_ban_ghi"] == 442
        assert second["data"][1:] == _hoso(sim, token, trang=2, **JUNE).json()["data"]
        assert sim.stats["duplicate_page"] == 1


def test_slow_export(scenario: Scenario, qlvb_headers) -> None:
    with QlvbSimulator(scenario, faults=FaultConfig(export_delay_seconds=0.4)) as sim:
        started = time.monotonic()
        answer = requests.get(
            f"{sim.url}/api/qlvb/v2/so-van-ban",
            params={
                "loai": "di",
                "don_vi": 1201,
                "tu_ngay": "01/04/2023",
                "den_ngay": "30/04/2023",
            },
            headers=qlvb_headers,
            timeout=5,
        )
        assert answer.status_code == 200 and time.monotonic() - started >= 0.4
        assert sim.stats["slow_export"] == 1


def _trace(sim: OnestopSimulator) -> list[tuple[int, str]]:
    """Status and error code of a fixed request sequence (hangs answered after the wait)."""
    creds = {"username": "dti_reader", "password": "demo-onestop-password"}
    session = requests.post(f"{sim.url}/api/v1/auth/session", json=creds, timeout=5).json()
    token = session.get("session", "")
    trace = []
    for page in range(1, 31):
        answer = _hoso(sim, token, trang=page % 5 + 1, **JUNE)
        code = answer.json().get("error_code", "") if answer.status_code in (200, 401) else ""
        trace.append((answer.status_code, code))
    return trace


def test_faults_are_reproducible_by_seed(scenario: Scenario) -> None:
    def run(seed: int) -> tuple[list[tuple[int, str]], dict[str, int]]:
        config = FaultConfig(
            seed=seed, rate_limit=0.1, server_error=0.1, session_expiry=0.05, business_error=0.1
        )
        with OnestopSimulator(scenario, faults=config) as sim:
            return _trace(sim), sim.stats

    first, again, other = run(7), run(7), run(8)
    assert first == again
    assert first[0] != other[0]
    assert sum(first[1][name] for name in ("rate_limit", "server_error", "business_error")) > 0


class _CarefulClient:
    """What the spec asks of a client: timeouts, retries, re-login, restart on a moving total."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.token = ""
        self.events: set[str] = set()

    def _login(self) -> None:
        creds = {"username": "dti_reader", "password": "demo-onestop-password"}
        for _ in range(10):
            body = self._call("POST", "auth/session", json=creds)
            if body is not None:
                self.token = body["session"]
                return
        raise AssertionError("could not log in")

    def _call(self, method: str, path: str, **kwargs: object) -> dict | None:
        """One attempt: the envelope on success, None when the caller should retry."""
        try:
            answer = self.http.request(
                method,
                f"{self.url}/api/v1/{path}",
                headers={"X-Session": self.token},
                timeout=0.5,
                **kwargs,
            )
        except requests.Timeout:
            self.events.add("timeout")
            return None
        if answer.status_code == 429:
            self.events.add("429")
            time.sleep(float(answer.headers["Retry-After"]))
            return None
        if answer.status_code in (502, 503, 504):
            self.events.add("5xx")
            return None
        if answer.status_code == 401:
            self.events.add("401")
            self._login()
            return None
        body = answer.json()
        if body["error_code"] != "0":
            self.events.add("business")
            return None
        return body

    def listing(self, **window: str) -> list[dict]:
        self._login()
        for _ in range(20):
            pages: list[dict] = []
            total = None
            trang = 1
            while True:
                body = None
                for _ in range(10):
                    body = self._call(
                        "GET", "hoso", params={"trang": trang, "so_ban_ghi": 25, **window}
                    )
                    if body is not None:
                        break
                assert body is not None
                if total is not None and body["tong_so_ban_ghi"] != total:
                    self.events.add("restart")
                    break
                total = body["tong_so_ban_ghi"]
                pages.extend(body["data"])
                if trang * body["so_ban_ghi"] >= total:
                    unique = {r["MaHoSo"]: r for r in pages if "MaHoSo" in r}
                    if len(unique) + sum("MaHoSo" not in r for r in pages) < len(pages):
                        self.events.add("duplicate")
                    return [*unique.values(), *(r for r in pages if "MaHoSo" not in r)]
                trang += 1
        raise AssertionError("the listing never held still")


def test_a_careful_client_gets_everything_under_all_faults(scenario: Scenario) -> None:
    with OnestopSimulator(scenario, faults=FaultConfig.all(seed=3)) as sim:
        client = _CarefulClient(sim.url)
        landed = client.listing(**JUNE)
        expected = [
            r
            for r in sim.current_records("hoso")
            if JUNE["tu_ngay"] <= r["NgayCapNhat"] < JUNE["den_ngay"]
        ]
        key = lambda r: (r.get("MaHoSo"), r["NgayCapNhat"])  # noqa: E731
        assert sorted(map(key, landed), key=str) == sorted(map(key, expected), key=str)
        faults = {name for name in FAULTS if sim.stats[name]}
        assert len(faults) >= 3, sim.stats

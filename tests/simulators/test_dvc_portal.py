"""Conformance of the DVC portal simulator with specs/sources/dvc_portal.md."""

from __future__ import annotations

import base64
import datetime as dt

import requests

from include.simulators import DEMO_CREDENTIALS, DvcPortalSimulator

JUNE = {"updatedFrom": "2023-06-01T00:00:00+07:00", "updatedTo": "2023-07-01T00:00:00+07:00"}


def _get(sim: DvcPortalSimulator, token: str, path: str, **params: object) -> requests.Response:
    return requests.get(
        f"{sim.url}/api/v1/{path}",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def _instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _assert_problem(answer: requests.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == status and body["title"] and body["detail"] and "type" in body
    return body


def test_token_good_basic_and_bad_credentials(dvc: DvcPortalSimulator) -> None:
    creds = DEMO_CREDENTIALS["dvc_portal"]
    url = f"{dvc.url}/oauth/token"
    good = requests.post(
        url,
        data={
            "grant_type": "client_credentials",
            "client_id": creds["login"],
            "client_secret": creds["password"],
        },
        timeout=5,
    ).json()
    assert good["token_type"] == "Bearer" and good["expires_in"] == 900 and good["access_token"]
    basic = base64.b64encode(f"{creds['login']}:{creds['password']}".encode()).decode()
    via_basic = requests.post(
        url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
        timeout=5,
    )
    assert via_basic.status_code == 200
    bad = requests.post(
        url,
        data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
        timeout=5,
    )
    _assert_problem(bad, 401)
    _assert_problem(requests.post(url, data={"grant_type": "password"}, timeout=5), 400)


def test_api_without_valid_token_is_401(dvc: DvcPortalSimulator) -> None:
    _assert_problem(_get(dvc, "forged", "services"), 401)
    _assert_problem(requests.get(f"{dvc.url}/api/v1/services", timeout=5), 401)


def test_payments_pages_from_zero_in_instant_order(dvc: DvcPortalSimulator, dvc_token) -> None:
    token = dvc_token(dvc.url)
    start, end = _instant(JUNE["updatedFrom"]), _instant(JUNE["updatedTo"])
    expected = [
        r for r in dvc.current_records("payments") if start <= _instant(r["updatedAt"]) < end
    ]
    seen: list[dict] = []
    for number in range(10):
        body = _get(dvc, token, "payments", page=number, size=200, **JUNE).json()
        assert body["page"] == {
            "number": number,
            "size": 200,
            "totalElements": len(expected),
            "totalPages": -(-len(expected) // 200),
        }
        if not body["content"]:
            break
        seen.extend(body["content"])
    assert number == body["page"]["totalPages"]
    assert [r["transactionId"] for r in seen] == [r["transactionId"] for r in expected]
    instants = [_instant(r["updatedAt"]) for r in seen]
    assert instants == sorted(instants)
    assert {r["updatedAt"][-1] for r in seen} == {"Z", "0"}  # UTC and +07:00 both served
    assert {type(r["amount"]) for r in seen} == {int, str}
    assert all(not k.startswith("_") for r in seen for k in r)


def test_default_page_size_and_window_limits(dvc: DvcPortalSimulator, dvc_token) -> None:
    token = dvc_token(dvc.url)
    body = _get(dvc, token, "ratings", **JUNE).json()
    assert body["page"]["number"] == 0 and body["page"]["size"] == 20
    withdrawn = [r for r in dvc.current_records("ratings") if r.get("withdrawn")]
    assert withdrawn and withdrawn[0]["level"] is None
    too_long = {"updatedFrom": "2023-06-01T00:00:00Z", "updatedTo": "2023-07-02T00:00:01Z"}
    _assert_problem(_get(dvc, token, "payments", **too_long), 400)
    _assert_problem(_get(dvc, token, "payments", size=1001, **JUNE), 400)
    _assert_problem(_get(dvc, token, "payments", page=-1, **JUNE), 400)
    naive = {"updatedFrom": "2023-06-01T00:00:00", "updatedTo": "2023-06-02T00:00:00"}
    _assert_problem(_get(dvc, token, "payments", **naive), 400)
    _assert_problem(_get(dvc, token, "payments", updatedFrom=JUNE["updatedFrom"]), 400)
    _assert_problem(_get(dvc, token, "nothing-here"), 404)


def test_utc_and_vietnam_bounds_select_the_same_records(dvc: DvcPortalSimulator, dvc_token) -> None:
    token = dvc_token(dvc.url)
    utc = {"updatedFrom": "2023-05-31T17:00:00Z", "updatedTo": "2023-06-30T17:00:00Z"}
    a = _get(dvc, token, "payments", size=1000, **utc).json()
    b = _get(dvc, token, "payments", size=1000, **JUNE).json()
    assert a == b and a["page"]["totalElements"] > 0


def test_services_as_of_and_history(dvc: DvcPortalSimulator, dvc_token) -> None:
    token = dvc_token(dvc.url)
    history = _get(dvc, token, "services", includeHistory="true", size=1000).json()
    assert history["page"]["totalElements"] == len(dvc.current_records("services")) == 30
    keys = [(_instant(r["updatedAt"]), r["serviceId"]) for r in history["content"]]
    assert keys == sorted(keys)
    assert "_truth" not in history["content"][0]

    day = "2023-03-05"
    as_of = _get(dvc, token, "services", asOf=day, size=1000).json()["content"]
    expected = {
        r["serviceId"]
        for r in history["content"]
        if r["publishedFrom"] <= day and (r["publishedTo"] is None or day <= r["publishedTo"])
    }
    assert {r["serviceId"] for r in as_of} == expected and expected
    today = _get(dvc, token, "services", size=1000).json()["content"]
    clock_day = dvc.now.date().isoformat()
    assert all(
        r["publishedFrom"] <= clock_day
        and (r["publishedTo"] is None or clock_day <= r["publishedTo"])
        for r in today
    )
    assert len(today) < 30
    _assert_problem(_get(dvc, token, "services", asOf="05/03/2023"), 400)


def test_ties_order_by_numeric_id_across_offsets(dvc: DvcPortalSimulator, dvc_token) -> None:
    body = _get(dvc, dvc_token(dvc.url), "ratings", size=40, **JUNE).json()
    keys = [(_instant(r["updatedAt"]), r["ratingId"]) for r in body["content"]]
    assert [k[1] for k in keys[:12]] == list(range(1, 13))
    assert keys[8][0] == keys[9][0]  # ids 9 and 10: the same instant, one UTC, one +07:00
    assert body["content"][8]["updatedAt"] != body["content"][9]["updatedAt"]
    assert keys == sorted(keys)

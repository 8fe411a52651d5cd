"""The shared HTTP client against a scripted local server: retries, backoff, re-authentication."""

from __future__ import annotations

import datetime as dt

import pytest
from fake_http import Call, Reply

from include.connections import SourceConnection
from include.extract.dvc_portal import DvcAuth
from include.extract.http import AuthenticationError, ExtractSettings, HttpClient, SourceError
from include.extract.onestop import OnestopAuth, check_envelope, extract_onestop
from include.extract.qlvb import QlvbAuth
from include.landing import LandingArea

CONTEXT = "window 2023-01-01..2023-01-31"


def _onestop_client(url: str, settings: ExtractSettings, password: str = "secret") -> HttpClient:
    connection = SourceConnection.from_url("onestop_api", url, "demo", password)
    return HttpClient("onestop", connection, settings, OnestopAuth("demo", password))


def _onestop_login(call: Call) -> Reply | None:
    if call.path == "/api/v1/auth/session":
        if b'"secret"' not in call.body:
            return Reply(200, {"error_code": "401", "message": "Sai tên đăng nhập hoặc mật khẩu"})
        return Reply(200, {"error_code": "0", "session": f"s{len(call.body)}", "expires_in": 1800})
    return None


def test_server_that_stays_at_503_fails_with_source_endpoint_and_window(
    scripted_server, fast_settings, sleeps
):
    server = scripted_server(lambda call: _onestop_login(call) or Reply(503, "busy"))
    client = _onestop_client(server.url, fast_settings)

    with pytest.raises(SourceError) as raised:
        client.get_json("/api/v1/hoso", {"trang": 1}, context=CONTEXT, check=check_envelope)

    assert str(raised.value) == (
        "onestop GET /api/v1/hoso window 2023-01-01..2023-01-31: HTTP 503 after 6 attempts"
    )
    assert len([c for c in server.calls if c.path == "/api/v1/hoso"]) == 6
    # Exponential backoff with jitter: each sleep within [base*2^(n-1)/2, base*2^(n-1)].
    assert len(sleeps) == 5
    for attempt, delay in enumerate(sleeps, start=1):
        ceiling = fast_settings.backoff_base * 2 ** (attempt - 1)
        assert ceiling / 2 <= delay <= ceiling


def test_retry_after_is_honoured_and_429_then_success(scripted_server, fast_settings, sleeps):
    answers = iter([Reply(429, {"error_code": "429"}, {"Retry-After": "7"})])

    def respond(call: Call) -> Reply:
        return _onestop_login(call) or next(answers, Reply(200, {"error_code": "0", "data": [1]}))

    server = scripted_server(respond)
    client = _onestop_client(server.url, fast_settings)

    payload = client.get_json("/api/v1/donvi", context="snapshot", check=check_envelope)

    assert payload["data"] == [1]
    assert sleeps == [7.0]
    assert client.stats.snapshot()["retries"] == 1


def test_business_error_behind_http_200_is_retried(scripted_server, fast_settings):
    answers = iter([Reply(200, {"error_code": "500", "message": "Lỗi hệ thống"})] * 2)

    def respond(call: Call) -> Reply:
        return _onestop_login(call) or next(answers, Reply(200, {"error_code": "0", "data": []}))

    server = scripted_server(respond)
    client = _onestop_client(server.url, fast_settings)

    assert client.get_json("/api/v1/donvi", context="snapshot", check=check_envelope)["data"] == []
    assert client.stats.snapshot()["retries"] == 2


def test_expired_session_logs_in_again_and_repeats_the_call(scripted_server, fast_settings, sleeps):
    seen_sessions: list[str | None] = []
    expired = iter([True])

    def respond(call: Call) -> Reply:
        login = _onestop_login(call)
        if login:
            return login
        seen_sessions.append(call.headers.get("X-Session"))
        if next(expired, False):
            return Reply(401, {"error_code": "401", "message": "Phiên làm việc không hợp lệ"})
        return Reply(200, {"error_code": "0", "data": ["ok"]})

    server = scripted_server(respond)
    client = _onestop_client(server.url, fast_settings)

    payload = client.get_json("/api/v1/donvi", context="snapshot", check=check_envelope)
    assert payload["data"] == ["ok"]
    logins = [c for c in server.calls if c.path == "/api/v1/auth/session"]
    assert len(logins) == 2
    assert all(seen_sessions)
    assert client.stats.snapshot()["reauthentications"] == 1
    assert sleeps == []  # a renewed session is used at once


def test_bad_onestop_credentials_fail_at_once_naming_the_source(scripted_server, fast_settings):
    server = scripted_server(lambda call: _onestop_login(call) or Reply(200, {"error_code": "0"}))
    client = _onestop_client(server.url, fast_settings, password="wrong")

    with pytest.raises(AuthenticationError, match=r"onestop .*credentials rejected.*onestop_api"):
        client.get_json("/api/v1/donvi", context="snapshot", check=check_envelope)
    assert len(server.calls) == 1


def test_timeouts_are_retried(scripted_server, sleeps):
    answers = iter([Reply(200, {"error_code": "0", "data": []}, delay=0.6)])

    def respond(call: Call) -> Reply:
        late = Reply(200, {"error_code": "0", "data": ["late"]})
        return _onestop_login(call) or next(answers, late)

    server = scripted_server(respond)
    settings = ExtractSettings(connect_timeout=0.3, read_timeout=0.3, sleep=sleeps.append)
    client = _onestop_client(server.url, settings)

    payload = client.get_json("/api/v1/donvi", context="snapshot", check=check_envelope)
    assert payload["data"] == ["late"]
    assert len(sleeps) == 1


def test_client_error_is_not_retried_and_keeps_the_server_message(scripted_server, fast_settings):
    server = scripted_server(
        lambda call: (
            _onestop_login(call)
            or Reply(400, {"error_code": "400", "message": "Khoảng thời gian tối đa 31 ngày"})
        )
    )
    client = _onestop_client(server.url, fast_settings)

    with pytest.raises(SourceError, match="HTTP 400: Khoảng thời gian tối đa 31 ngày"):
        client.get_json("/api/v1/hoso", context=CONTEXT, check=check_envelope)
    assert len([c for c in server.calls if c.path == "/api/v1/hoso"]) == 1


def test_dvc_token_is_renewed_on_401_and_bad_client_secret_fails(scripted_server, fast_settings):
    tokens = iter(["t1", "t2"])
    answered_with: list[str] = []

    def respond(call: Call) -> Reply:
        if call.path == "/oauth/token":
            if b"client_secret=good" not in call.body:
                return Reply(401, {"title": "Unauthorized", "status": 401})
            token = {"access_token": next(tokens), "token_type": "Bearer", "expires_in": 900}
            return Reply(200, token)
        answered_with.append(call.headers["Authorization"])
        if call.headers["Authorization"] == "Bearer t1":
            return Reply(401, {"title": "Unauthorized", "status": 401})
        return Reply(200, {"content": [], "page": {"totalElements": 0}})

    server = scripted_server(respond)
    good = SourceConnection.from_url("dvc_portal_api", server.url, "cid", "good")
    client = HttpClient("dvc_portal", good, fast_settings, DvcAuth("cid", "good"))
    assert client.get_json("/api/v1/payments", context=CONTEXT)["content"] == []
    assert answered_with == ["Bearer t1", "Bearer t2"]

    bad = HttpClient("dvc_portal", good, fast_settings, DvcAuth("cid", "bad"))
    with pytest.raises(AuthenticationError, match="dvc_portal POST /oauth/token"):
        bad.get_json("/api/v1/payments", context=CONTEXT)


def test_wrong_qlvb_api_key_fails_at_once(scripted_server, fast_settings):
    server = scripted_server(lambda call: Reply(403, "Forbidden", {"Content-Type": "text/plain"}))
    connection = SourceConnection.from_url("qlvb_api", server.url, "", "bad-key")
    client = HttpClient("qlvb", connection, fast_settings, QlvbAuth("bad-key"))

    with pytest.raises(AuthenticationError, match="qlvb GET /api/qlvb/v2/donvi snapshot"):
        client.get_json("/api/qlvb/v2/donvi", context="snapshot")
    assert server.calls[0].headers["Authorization"] == "ApiKey bad-key"
    assert len(server.calls) == 1


def test_extract_of_a_window_that_stays_at_503_names_it_and_lands_nothing(
    scripted_server, fast_settings, sleeps, hmac_key, tmp_path
):
    def respond(call: Call) -> Reply:
        if call.path == "/api/v1/donvi":
            return Reply(200, {"error_code": "0", "data": []})
        return _onestop_login(call) or Reply(503, "Service Unavailable")

    server = scripted_server(respond)
    area = LandingArea(tmp_path)

    with pytest.raises(SourceError) as raised:
        extract_onestop(
            dt.date(2023, 2, 1),
            dt.date(2023, 2, 28),
            landing=area,
            connection=SourceConnection.from_url("onestop_api", server.url, "demo", "secret"),
            settings=fast_settings,
            hmac_key=hmac_key,
            entities=("hoso",),
        )

    assert str(raised.value) == (
        "onestop GET /api/v1/hoso window 2023-02-01..2023-02-28: HTTP 503 after 6 attempts"
    )
    listing = [c for c in server.calls if c.path == "/api/v1/hoso"]
    assert listing[0].query == {
        "tu_ngay": "20230201000000",
        "den_ngay": "20230301000000",
        "trang": "1",
        "so_ban_ghi": "1000",
    }
    assert area.manifests() == []

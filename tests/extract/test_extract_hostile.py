"""Broken or hostile servers: redirects, trickled answers, endless or bombed bodies, endless
paging, and the extraction settings that bound them (each on a real local HTTP server)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fake_http import Call, Reply

from include.connections import ConfigurationError, SourceConnection
from include.extract.dvc_portal import extract_dvc_portal
from include.extract.http import ExtractSettings, HttpClient, SourceError
from include.extract.onestop import OnestopAuth, check_envelope, extract_onestop
from include.landing import LandingArea
from include.pipeline.plan import resolve_run_window

CONTEXT = "window 2023-01-01..2023-01-31"
PASSWORD = "pa55word-of-the-portal"


def _onestop(url: str) -> SourceConnection:
    return SourceConnection.from_url("onestop_api", url, "demo", PASSWORD)


def _login(call: Call) -> Reply | None:
    if call.path == "/api/v1/auth/session":
        return Reply(200, {"error_code": "0", "session": "S-123", "expires_in": 1800})
    return None


# ---------------------------------------------------------------- redirects
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirected_login_is_refused_and_nothing_reaches_the_other_host(
    scripted_server, fast_settings, hmac_key, tmp_path, status
):
    elsewhere = scripted_server(lambda call: Reply(200, {"error_code": "0", "session": "x"}))
    portal = scripted_server(
        lambda call: Reply(status, "", {"Location": f"{elsewhere.url}/collect"})
    )

    with pytest.raises(SourceError) as raised:
        extract_onestop(
            "2023-01-01",
            "2023-01-31",
            landing=LandingArea(tmp_path),
            connection=_onestop(portal.url),
            settings=fast_settings,
            hmac_key=hmac_key,
            entities=("hoso",),
        )

    message = str(raised.value)
    assert f"HTTP {status} redirect to {elsewhere.url}/collect not followed" in message
    assert "onestop POST /api/v1/auth/session login" in message
    assert "'onestop_api'" in message
    assert elsewhere.calls == []
    assert len(portal.calls) == 1  # not retried: a redirect is a configuration problem
    assert PASSWORD not in message


def test_a_redirected_data_call_keeps_the_session_header_at_home(scripted_server, fast_settings):
    elsewhere = scripted_server(lambda call: Reply(200, {"error_code": "0", "data": []}))
    portal = scripted_server(
        lambda call: _login(call) or Reply(302, "", {"Location": f"{elsewhere.url}/api/v1/hoso"})
    )
    client = HttpClient(
        "onestop", _onestop(portal.url), fast_settings, OnestopAuth("demo", PASSWORD)
    )

    with pytest.raises(SourceError, match=r"HTTP 302 redirect to .* not followed"):
        client.get_json("/api/v1/hoso", context=CONTEXT, check=check_envelope)
    assert elsewhere.calls == []


def test_a_redirected_token_request_never_reposts_the_client_secret(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    elsewhere = scripted_server(lambda call: Reply(200, {"access_token": "stolen"}))
    portal = scripted_server(lambda call: Reply(307, "", {"Location": f"{elsewhere.url}/token"}))
    connection = SourceConnection.from_url("dvc_portal_api", portal.url, "cid", "client-secret")

    with pytest.raises(SourceError, match="dvc_portal POST /oauth/token token: HTTP 307"):
        extract_dvc_portal(
            "2023-01-01",
            "2023-01-31",
            landing=LandingArea(tmp_path),
            connection=connection,
            settings=fast_settings,
            hmac_key=hmac_key,
            entities=("payments",),
        )
    assert elsewhere.calls == []


# ---------------------------------------------------------------- raw servers
class _RawHandler(BaseHTTPRequestHandler):
    """Hands the socket to a test function that writes whatever it likes."""

    protocol_version = "HTTP/1.1"
    writer: Callable[[socket.socket], None]

    def do_GET(self) -> None:
        # The client hanging up (an OSError here) is what the test wanted.
        with contextlib.suppress(OSError):
            type(self).writer(self.connection)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(writer: Callable[[socket.socket], None]) -> str:
        handler = type("Handler", (_RawHandler,), {"writer": staticmethod(writer)})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _trickle(data: bytes, pause: float) -> Callable[[socket.socket], None]:
    def write(sock: socket.socket) -> None:
        for byte in data:
            sock.sendall(bytes([byte]))
            time.sleep(pause)

    return write


def _client(url: str, settings: ExtractSettings) -> HttpClient:
    return HttpClient("dvc_portal", SourceConnection.from_url("dvc_portal_api", url), settings)


BODY = b'{"content": [], "page": {"totalElements": 0}}' * 50


@pytest.mark.parametrize(
    "answer",
    [
        # Headers at once, then the body one byte every 50 ms: no read ever waits 1 s.
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
        + BODY,
        # The status line and headers themselves trickled.
        b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"." * 400 + b"\r\n\r\n",
    ],
    ids=["body", "headers"],
)
@pytest.mark.timeout(20)
def test_a_trickled_answer_ends_at_the_request_deadline(raw_server, fast_settings, answer):
    if answer.startswith(b"HTTP/1.1 200 OK\r\nContent-Type"):
        header_end = answer.index(b"\r\n\r\n") + 4

        def writer(sock: socket.socket) -> None:
            sock.sendall(answer[:header_end])
            _trickle(answer[header_end:], 0.05)(sock)
    else:
        writer = _trickle(answer, 0.05)
    url = raw_server(writer)
    settings = replace(fast_settings, request_deadline=0.6, max_attempts=2)

    started = time.monotonic()
    with pytest.raises(SourceError) as raised:
        _client(url, settings).get_json("/api/v1/services", context="snapshot")
    elapsed = time.monotonic() - started

    assert "no complete answer within 0.6s (request_deadline) after 2 attempts" in str(raised.value)
    assert elapsed < 4  # two deadlines and a backoff, not the minutes the trickle would take


def _endless(sock: socket.socket) -> None:
    # No Content-Length: the body lasts until the connection closes, i.e. for ever.
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
    chunk = b"[" + b'{"a": 1},' * 10_000
    while True:
        sock.sendall(chunk)


@pytest.mark.timeout(20)
def test_an_endless_body_is_refused_at_the_size_cap_without_retrying(raw_server, fast_settings):
    url = raw_server(_endless)
    settings = replace(fast_settings, max_response_bytes=2_000_000)

    with pytest.raises(SourceError, match=r"answer too large .*max_response_bytes is 2000000"):
        _client(url, settings).get_json("/api/v1/services", context="snapshot")


def test_a_declared_oversized_body_is_refused_before_reading_it(scripted_server, fast_settings):
    server = scripted_server(lambda call: Reply(200, b"x" * 5000))
    settings = replace(fast_settings, max_response_bytes=4096)

    with pytest.raises(SourceError, match=r"Content-Length 5000; max_response_bytes is 4096"):
        _client(server.url, settings).get_json("/api/v1/services", context="snapshot")
    assert len(server.calls) == 1


@pytest.mark.timeout(30)
def test_a_gzip_bomb_is_stopped_after_the_cap_without_inflating_it(scripted_server, fast_settings):
    bomb = gzip.compress(b" " * (200 * 1024 * 1024), 9)  # 200 MiB of JSON whitespace, ~200 kB
    server = scripted_server(lambda call: Reply(200, bomb, {"Content-Encoding": "gzip"}))
    settings = replace(fast_settings, max_response_bytes=8 * 1024 * 1024)

    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="answer too large"):
            _client(server.url, settings).get_json("/api/v1/services", context="snapshot")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, f"{peak} bytes held"


# ---------------------------------------------------------------- endless paging
def _tientrinh_pages(total: int) -> Callable[[Call], Reply]:
    def respond(call: Call) -> Reply:
        if call.path == "/api/v1/auth/session":
            return _login(call)  # type: ignore[return-value]
        page = int(call.query["trang"])
        step = {"MaHoSo": f"HS-{page}", "ThoiDiemXuLy": "20230105080000", "TrangThai": "4"}
        # so_ban_ghi 1: by its own signal the listing ends only after `total` pages.
        envelope = {"error_code": "0", "tong_so_ban_ghi": total, "trang": page, "so_ban_ghi": 1}
        return Reply(200, envelope | {"data": [step]})

    return respond


@pytest.mark.timeout(30)
def test_endless_paging_with_a_constant_total_fails_clearly(
    scripted_server, fast_settings, hmac_key, tmp_path
):
    server = scripted_server(_tientrinh_pages(total=9000))
    settings = replace(fast_settings, page_size=1000, max_restarts=0, max_window_splits=0)

    with pytest.raises(SourceError) as raised:
        extract_onestop(
            "2023-01-01",
            "2023-01-31",
            landing=LandingArea(tmp_path),
            connection=_onestop(server.url),
            settings=settings,
            hmac_key=hmac_key,
            entities=("tientrinh",),
        )

    assert "did not end after 10 pages (total 9000, page size 1000" in str(raised.value)
    assert "onestop GET /api/v1/tientrinh window 2023-01-01..2023-01-31" in str(raised.value)


def test_a_huge_total_fails_on_the_first_page(scripted_server, fast_settings, hmac_key, tmp_path):
    server = scripted_server(_tientrinh_pages(total=10**12))

    with pytest.raises(SourceError, match=r"announces 1000000000000 records.*max_listing_total"):
        extract_onestop(
            "2023-01-01",
            "2023-01-31",
            landing=LandingArea(tmp_path),
            connection=_onestop(server.url),
            settings=fast_settings,
            hmac_key=hmac_key,
            entities=("tientrinh",),
        )
    assert len([c for c in server.calls if c.path == "/api/v1/tientrinh"]) == 1


# ---------------------------------------------------------------- settings
def test_settings_come_from_the_environment_with_the_defaults_otherwise():
    settings = ExtractSettings.from_environment(
        {"DTI_EXTRACT_REQUEST_DEADLINE": "30", "DTI_EXTRACT_MAX_LISTING_TOTAL": "250_000"}
    )
    assert settings.request_deadline == 30.0
    assert settings.max_listing_total == 250_000
    assert settings.max_response_bytes == ExtractSettings().max_response_bytes


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DTI_EXTRACT_PAGE_SIZE": "lots"}, "DTI_EXTRACT_PAGE_SIZE: 'lots' is not an integer"),
        (
            {"DTI_EXTRACT_PAGE_SIZE": "5000"},
            "DTI_EXTRACT_PAGE_SIZE: page_size must be between 1 and 1000, not 5000",
        ),
        (
            {"DTI_EXTRACT_REQUEST_DEADLINE": "0"},
            "DTI_EXTRACT_REQUEST_DEADLINE: request_deadline must be at least",
        ),
        ({"DTI_EXTRACT_MAX_RESPONSE_BYTE": "1"}, "DTI_EXTRACT_MAX_RESPONSE_BYTE: not an extr"),
        ({"DTI_EXTRACT_QLVB_FORMAT": "pdf"}, "DTI_EXTRACT_QLVB_FORMAT: qlvb_format must be"),
    ],
)
def test_a_bad_setting_is_refused_naming_it(environ, message):
    with pytest.raises(ConfigurationError) as raised:
        ExtractSettings.from_environment(environ)
    assert str(raised.value).startswith(message)


def test_a_bad_setting_stops_the_run_at_its_start(monkeypatch):
    monkeypatch.setenv("DTI_EXTRACT_MAX_EXPORT_BYTES", "-1")
    run_after = dt.datetime(2024, 3, 2, 1, 0, tzinfo=dt.UTC)
    with pytest.raises(ConfigurationError, match="DTI_EXTRACT_MAX_EXPORT_BYTES: max_export_bytes"):
        resolve_run_window({}, run_after)

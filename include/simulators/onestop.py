"""Simulator of the one-stop-shop read API v1 (specs/sources/onestop.md).

LGSP-style envelopes (``error_code`` "0" = success, business errors behind HTTP 200), session
login, offset paging from page 1 over live listings ordered by (``NgayCapNhat``, ``MaHoSo``).
Records are served as the scenario holds them: ``/donvi`` carries ``PhienBanDVHC``,
``NgayNgungHoatDong`` and ``MaDonViTiepNhan`` exactly when the scenario's agencies do (systems
that predate the reform omit them), ``/hoso`` carries ``MaDonViXuLy`` on taken-over dossiers.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from include.scenario.model import Record, Scenario
from include.simulators.base import JSON, Request, Response, SimulatorServer
from include.simulators.credentials import DEMO_CREDENTIALS
from include.simulators.faults import FaultConfig
from include.simulators.store import SortedStore, served_view

SESSION_SECONDS = 1800
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_WINDOW = dt.timedelta(days=31)
TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"

_PREFIX = "/api/v1"
_BUSINESS_ERRORS = (
    ("500", "Lỗi kết nối LGSP"),
    ("504", "Hết thời gian chờ phản hồi từ hệ thống nguồn qua LGSP"),
)


class BadRequest(Exception):
    """A parameter the API rejects with HTTP 400; the message is the envelope's ``message``."""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _by(window_field: str) -> Callable[[Record], tuple[str, str]]:
    return lambda record: (_text(record.get(window_field)), _text(record.get("MaHoSo")))


def _envelope(status: int, error_code: str, message: str, **extra: Any) -> Response:
    body = {"error_code": error_code, "message": message, **extra}
    return Response(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), JSON)


def _timestamp(request: Request, name: str) -> str:
    value = request.param(name)
    if not value:
        raise BadRequest(f"Thiếu tham số {name}")
    try:
        if len(value) != 14:
            raise ValueError(value)
        dt.datetime.strptime(value, TIMESTAMP_FORMAT)
    except ValueError:
        raise BadRequest(f"Tham số {name} không đúng định dạng yyyyMMddHHmmss") from None
    return value


def _integer(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    value = request.param(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"Tham số {name} phải là số nguyên") from None
    if number < low or (high is not None and number > high):
        limit = f"từ {low} đến {high}" if high is not None else f"từ {low} trở lên"
        raise BadRequest(f"Tham số {name} phải {limit}")
    return number


class OnestopSimulator(SimulatorServer):
    """The provincial one-stop system's read API, serving a :class:`Scenario`."""

    source = "onestop"

    @classmethod
    def example(cls, url: str, login: str, password: str) -> str:
        body = f'{{"username":"{login}","password":"{password}"}}'
        return (
            f"curl -s -X POST {url}/api/v1/auth/session -H 'Content-Type: application/json' "
            f"-d '{body}'\n    then: curl -s -H 'X-Session: <session>' "
            f"'{url}/api/v1/hoso?tu_ngay=<yyyyMMddHHmmss>&den_ngay=<yyyyMMddHHmmss>&trang=1'"
        )

    def __init__(
        self,
        scenario: Scenario,
        *,
        faults: FaultConfig | None = None,
        login: str = DEMO_CREDENTIALS["onestop"]["login"],
        password: str = DEMO_CREDENTIALS["onestop"]["password"],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(scenario, faults=faults, host=host, port=port)
        self._login = login
        self._password = password
        self._agencies = list(scenario.agencies)
        self._stores = {
            "hoso": SortedStore(scenario.dossiers, _by("NgayCapNhat")),
            "tientrinh": SortedStore(scenario.steps, _by("ThoiDiemXuLy")),
        }
        #: session token -> monotonic deadline
        self._sessions: dict[str, float] = {}

    def current_records(self, entity: str) -> list[Record]:
        with self._lock:
            if entity == "donvi":
                return [dict(record) for record in self._agencies]
            if entity in self._stores:
                return [dict(record) for record in self._stores[entity].records]
        raise KeyError(f"unknown onestop entity {entity!r} (donvi, hoso, tientrinh)")

    def rate_limited(self) -> Response:
        return _envelope(429, "429", "Vượt quá số lượng yêu cầu cho phép, vui lòng thử lại sau")

    def route(self, request: Request) -> Response:
        routes: dict[str, tuple[str, Callable[[Request], Response]]] = {
            f"{_PREFIX}/auth/session": ("POST", self._session),
            f"{_PREFIX}/donvi": ("GET", self._donvi),
            f"{_PREFIX}/hoso": ("GET", self._hoso),
            f"{_PREFIX}/tientrinh": ("GET", self._tientrinh),
        }
        path = request.path.rstrip("/")
        if path not in routes:
            return _envelope(404, "404", "Không tìm thấy tài nguyên")
        method, handler = routes[path]
        if request.method != method:
            return _envelope(405, "405", "Phương thức không được hỗ trợ")
        if not path.endswith("/auth/session") and not self._authorised(request):
            return _envelope(401, "401", "Phiên làm việc không hợp lệ hoặc đã hết hạn")
        try:
            response = handler(request)
        except BadRequest as error:
            return _envelope(400, "400", str(error))
        return response

    # --- authentication -----------------------------------------------------------------------
    def _session(self, request: Request) -> Response:
        try:
            body = json.loads(request.body or b"{}")
            username, password = body["username"], body["password"]
        except (ValueError, KeyError, TypeError):
            raise BadRequest("Dữ liệu đăng nhập không hợp lệ") from None
        if (username, password) != (self._login, self._password):
            return _envelope(200, "401", "Sai tên đăng nhập hoặc mật khẩu")
        if business := self._business_error(request):
            return business
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[token] = time.monotonic() + SESSION_SECONDS
        return _envelope(200, "0", "Thành công", session=token, expires_in=SESSION_SECONDS)

    def _authorised(self, request: Request) -> bool:
        token = request.headers.get("X-Session") or ""
        with self._lock:
            deadline = self._sessions.get(token)
            if deadline is None:
                return False
            if deadline < time.monotonic():
                del self._sessions[token]
                return False
            if request.take_fault("session_expiry"):
                # Dropped early, before expires_in: the client must log in again.
                del self._sessions[token]
                return False
        return True

    def _business_error(self, request: Request) -> Response | None:
        """The LGSP gateway's transient failure: HTTP 200 with an error_code other than "0"."""
        if not request.take_fault("business_error"):
            return None
        code, message = _BUSINESS_ERRORS[self._injector.randrange(len(_BUSINESS_ERRORS))]
        return _envelope(200, code, message)

    # --- data ---------------------------------------------------------------------------------
    def _donvi(self, request: Request) -> Response:
        if business := self._business_error(request):
            return business
        return _envelope(200, "0", "Thành công", data=[served_view(a) for a in self._agencies])

    def _hoso(self, request: Request) -> Response:
        return self._listing(request, "hoso", live=True)

    def _tientrinh(self, request: Request) -> Response:
        # Processing steps are history: they are added, never updated, so no drift.
        return self._listing(request, "tientrinh", live=False)

    def _listing(self, request: Request, entity: str, *, live: bool) -> Response:
        start = _timestamp(request, "tu_ngay")
        end = _timestamp(request, "den_ngay")
        if end <= start:
            raise BadRequest("tu_ngay phải nhỏ hơn den_ngay")
        span = dt.datetime.strptime(end, TIMESTAMP_FORMAT) - dt.datetime.strptime(
            start, TIMESTAMP_FORMAT
        )
        if span > MAX_WINDOW:
            raise BadRequest("Khoảng thời gian tối đa 31 ngày")
        page_number = _integer(request, "trang", 1, 1, None)
        size = _integer(request, "so_ban_ghi", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        agency = request.param("madonvi") or None
        if business := self._business_error(request):
            return business
        page = self.page(
            request,
            self._stores[entity],
            (start, end),
            offset=(page_number - 1) * size,
            size=size,
            match=_held_by(entity, agency) if agency else None,
            stamp=_stamp_updated if live else None,
            clock_key=_format_clock if live else None,
        )
        head = json.dumps(
            {
                "error_code": "0",
                "message": "Thành công",
                "tong_so_ban_ghi": page.total,
                "trang": page_number,
                "so_ban_ghi": size,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        return Response(200, head[:-1] + b', "data": ' + page.json_array() + b"}", JSON)


def _held_by(entity: str, agency: str) -> Callable[[Record], bool]:
    """``madonvi``: the dossiers the agency received or handles now (a takeover after the reform
    puts the new agency in ``MaDonViXuLy``, reform2025.md §2); the steps the agency took."""
    if entity == "hoso":
        return lambda r: r.get("MaDonVi") == agency or r.get("MaDonViXuLy") == agency
    return lambda r: r.get("MaDonVi") == agency


def _format_clock(clock: dt.datetime) -> str:
    return clock.strftime(TIMESTAMP_FORMAT)


def _stamp_updated(record: Record, clock: dt.datetime) -> None:
    record["NgayCapNhat"] = _format_clock(clock)

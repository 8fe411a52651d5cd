"""Simulator of the provincial public-service portal API v1 (specs/sources/dvc_portal.md).

Spring style: OAuth 2 client credentials, ``application/problem+json`` errors, paging from
page 0 with a ``page`` block, live listings of payments and ratings ordered by
(``updatedAt``, id) as instants (records mix UTC and +07:00 offsets).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote

from include.scenario.model import Record, Scenario
from include.simulators.base import JSON, Page, Request, Response, SimulatorServer
from include.simulators.credentials import DEMO_CREDENTIALS
from include.simulators.faults import FaultConfig
from include.simulators.store import SortedStore

TOKEN_SECONDS = 900
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 1000
MAX_WINDOW = dt.timedelta(days=31)
VIETNAM = dt.timezone(dt.timedelta(hours=7))
PROBLEM = "application/problem+json"

_PREFIX = "/api/v1"
#: Window value of a record whose ``updatedAt`` cannot be read: before every window.
_UNREADABLE = -(2**62)
#: Bounds that select every record (the catalogue is not windowed).
_EVERYTHING = (float("-inf"), float("inf"))
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
}


class Problem(Exception):
    """An error answered as ``application/problem+json``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def problem(status: int, detail: str, path: str = "") -> Response:
    body = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": path,
    }
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else {}
    return Response(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), PROBLEM, headers)


def _instant(value: Any) -> dt.datetime | None:
    """An ISO 8601 timestamp with offset as an aware datetime; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _micros(instant: dt.datetime) -> int:
    return round(instant.timestamp() * 1_000_000)


def _id_order(value: Any) -> tuple[int, int, str]:
    """Ids sort numerically when they are numbers (``9`` before ``10``), as text otherwise; a
    missing id (a malformed record) first."""
    if value is None:
        return (0, 0, "")
    if isinstance(value, int) and not isinstance(value, bool):
        return (1, value, "")
    return (2, 0, str(value))


def _by_updated(id_field: str) -> Callable[[Record], tuple[int, tuple[int, int, str]]]:
    def key(record: Record) -> tuple[int, tuple[int, int, str]]:
        instant = _instant(record.get("updatedAt"))
        value = _micros(instant) if instant else _UNREADABLE
        return value, _id_order(record.get(id_field))

    return key


def _clock_micros(clock: dt.datetime) -> int:
    return _micros(clock.replace(tzinfo=VIETNAM))


def _stamp_updated(record: Record, clock: dt.datetime) -> None:
    """Write the clock in the offset style the record already uses (UTC ``Z`` or +07:00)."""
    instant = clock.replace(tzinfo=VIETNAM)
    if str(record.get("updatedAt", "")).endswith("Z"):
        record["updatedAt"] = instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        record["updatedAt"] = instant.isoformat(timespec="seconds")


def _page_params(request: Request) -> tuple[int, int]:
    def number(name: str, default: int) -> int:
        value = request.param(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise Problem(400, f"Parameter '{name}' must be an integer") from None

    page = number("page", 0)
    size = number("size", DEFAULT_PAGE_SIZE)
    if page < 0:
        raise Problem(400, "Parameter 'page' must be 0 or more")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise Problem(400, f"Parameter 'size' must be between 1 and {MAX_PAGE_SIZE}")
    return page, size


def _window_param(request: Request, name: str) -> dt.datetime:
    value = request.param(name)
    if not value:
        raise Problem(400, f"Required parameter '{name}' is missing")
    instant = _instant(value)
    if instant is None:
        raise Problem(
            400,
            f"Parameter '{name}' must be an ISO 8601 date-time with offset, "
            "e.g. 2023-07-01T00:00:00+07:00 (URL-encode the '+')",
        )
    return instant


class DvcPortalSimulator(SimulatorServer):
    """The provincial public-service portal's REST API, serving a :class:`Scenario`."""

    source = "dvc_portal"

    @classmethod
    def example(cls, url: str, login: str, password: str) -> str:
        return (
            f"curl -s -X POST {url}/oauth/token -d grant_type=client_credentials "
            f"-d client_id={login} -d client_secret={password}\n"
            f"    then: curl -s -H 'Authorization: Bearer <access_token>' "
            f"'{url}/api/v1/services?includeHistory=true&size=10'"
        )

    def __init__(
        self,
        scenario: Scenario,
        *,
        faults: FaultConfig | None = None,
        client_id: str = DEMO_CREDENTIALS["dvc_portal"]["login"],
        client_secret: str = DEMO_CREDENTIALS["dvc_portal"]["password"],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(scenario, faults=faults, host=host, port=port)
        self._client = (client_id, client_secret)
        self._stores = {
            "services": SortedStore(scenario.services, _by_updated("serviceId")),
            "payments": SortedStore(scenario.payments, _by_updated("transactionId")),
            "ratings": SortedStore(scenario.ratings, _by_updated("ratingId")),
        }
        #: bearer token -> monotonic deadline
        self._tokens: dict[str, float] = {}

    def current_records(self, entity: str) -> list[Record]:
        with self._lock:
            if entity in self._stores:
                return [dict(record) for record in self._stores[entity].records]
        raise KeyError(f"unknown dvc_portal entity {entity!r} (services, payments, ratings)")

    def rate_limited(self) -> Response:
        return problem(429, "Rate limit exceeded, retry later")

    def route(self, request: Request) -> Response:
        routes: dict[str, tuple[str, Callable[[Request], Response]]] = {
            "/oauth/token": ("POST", self._token),
            f"{_PREFIX}/services": ("GET", self._services),
            f"{_PREFIX}/payments": ("GET", lambda r: self._changes(r, "payments")),
            f"{_PREFIX}/ratings": ("GET", lambda r: self._changes(r, "ratings")),
        }
        path = request.path.rstrip("/")
        if path not in routes:
            return problem(404, f"No endpoint {request.method} {request.path}", request.path)
        method, handler = routes[path]
        if request.method != method:
            return problem(405, f"Method {request.method} not supported", request.path)
        if path != "/oauth/token" and not self._authorised(request):
            return problem(401, "Full authentication is required: invalid or expired token", path)
        try:
            return handler(request)
        except Problem as error:
            return problem(error.status, error.detail, path)

    # --- authentication -----------------------------------------------------------------------
    def _token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            raise Problem(400, "Unsupported grant_type: only client_credentials is accepted")
        client = (form.get("client_id"), form.get("client_secret"))
        basic = _basic_credentials(request.headers.get("Authorization"))
        if client != self._client and basic != self._client:
            return problem(401, "Bad client credentials", request.path)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = time.monotonic() + TOKEN_SECONDS
        body = {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS}
        return Response(200, json.dumps(body).encode(), JSON, {"Cache-Control": "no-store"})

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return False
        with self._lock:
            deadline = self._tokens.get(token.strip())
            if deadline is None:
                return False
            if deadline < time.monotonic() or request.take_fault("session_expiry"):
                del self._tokens[token.strip()]
                return False
        return True

    # --- data ---------------------------------------------------------------------------------
    def _services(self, request: Request) -> Response:
        history = request.param("includeHistory")
        if history not in (None, "", "true", "false"):
            raise Problem(400, "Parameter 'includeHistory' must be true or false")
        page_number, size = _page_params(request)
        match = None
        if history != "true":
            as_of = request.param("asOf") or self.now.date().isoformat()
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                raise Problem(400, "Parameter 'asOf' must be a date YYYY-MM-DD") from None
            match = _published_on(as_of)
        page = self.page(
            request,
            self._stores["services"],
            _EVERYTHING,
            offset=page_number * size,
            size=size,
            match=match,
        )
        return _page_response(page, page_number, size)

    def _changes(self, request: Request, entity: str) -> Response:
        start = _window_param(request, "updatedFrom")
        end = _window_param(request, "updatedTo")
        if end <= start:
            raise Problem(400, "'updatedTo' must be after 'updatedFrom'")
        if end - start > MAX_WINDOW:
            raise Problem(400, "The window 'updatedFrom'..'updatedTo' is at most 31 days")
        page_number, size = _page_params(request)
        page = self.page(
            request,
            self._stores[entity],
            (_micros(start), _micros(end)),
            offset=page_number * size,
            size=size,
            stamp=_stamp_updated,
            clock_key=_clock_micros,
        )
        return _page_response(page, page_number, size)


def _published_on(day: str) -> Callable[[Record], bool]:
    """Offerings whose interval [publishedFrom, publishedTo] (null = open) contains ``day``."""

    def match(record: Record) -> bool:
        start, end = record.get("publishedFrom"), record.get("publishedTo")
        return str(start or "") <= day and (end is None or day <= str(end))

    return match


def _page_response(page: Page, number: int, size: int) -> Response:
    meta = {
        "number": number,
        "size": size,
        "totalElements": page.total,
        "totalPages": math.ceil(page.total / size),
    }
    body = b'{"content":' + page.json_array() + b',"page":' + json.dumps(meta).encode() + b"}"
    return Response(200, body, JSON)


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    """client_secret_basic: the other way OAuth 2 lets a client present its credentials."""
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return unquote(client_id), unquote(secret)

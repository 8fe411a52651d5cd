"""Shared machinery of the three portal simulators: an HTTP server in a background thread,
per-request fault drawing, the simulator clock, and live paged listings.

Each source module subclasses :class:`SimulatorServer` and implements :meth:`route`; the base
class has already drawn the request's fault and answered transport faults (429, 5xx, hang) the
same way for every source, as a gateway in front of the real systems would.
"""

from __future__ import annotations

import datetime as dt
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs, urlsplit

from include.scenario.model import Record, Scenario
from include.simulators.faults import FaultConfig, FaultInjector
from include.simulators.store import SortedStore

JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"

_GATEWAY_REASONS = {
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}

#: How far the simulator clock moves after each drift update, so successive updates sort apart.
CLOCK_STEP = dt.timedelta(minutes=1)

#: How many earlier records are considered when drift makes a record enter a window.
_ENTER_CANDIDATES = 1000


@dataclass
class Request:
    """One HTTP request as the simulators see it, with the fault drawn for it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes
    fault: str | None = None
    #: The fault actually applied to this request's answer (``None``: answered cleanly).
    applied: str | None = None

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def take_fault(self, name: str) -> bool:
        """True (and recorded as applied) when this request drew fault ``name``."""
        if self.fault == name and self.applied is None:
            self.applied = name
            return True
        return False


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One page of a listing: the total at the time of the request and the page's records."""

    total: int
    items: list[bytes]

    def json_array(self) -> bytes:
        return b"[" + b",".join(self.items) + b"]"


class _Handler(BaseHTTPRequestHandler):
    """Turns HTTP into :class:`Request` and back; keep-alive so paging clients reuse sockets."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK (40 ms a response on Linux), which dominated small exports.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
        )
        response = self.server.simulator.handle(request)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (typically after a hang fault): nothing left to answer.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: a simulator under a benchmark would otherwise spend its time on stderr."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # A paging benchmark opens connections faster than the default backlog of 5 allows.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], simulator: SimulatorServer) -> None:
        self.simulator = simulator
        super().__init__(address, _Handler)


class SimulatorServer(ABC):
    """A portal simulator: serves one scenario over HTTP from a background thread."""

    #: Source name, as in ``DEMO_CREDENTIALS``.
    source: ClassVar[str]

    def __init__(
        self,
        scenario: Scenario,
        *,
        faults: FaultConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.scenario = scenario
        self.faults = faults or FaultConfig.none()
        self._injector = FaultInjector(self.faults)
        self._host = host
        self._port = port
        self._clock = scenario.now
        #: Guards the stores, the clock and the sessions; held only for in-memory work.
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._flight_lock = threading.Lock()
        self._in_flight = 0
        self._peak_in_flight = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError(f"{self.source} simulator already started")
        self._stopping.clear()
        self._server = _Server((self._host, self._port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"{self.source}-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes requests held by a hang fault
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{self.source} simulator not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8081`` (no trailing slash)."""
        return f"http://{self._host}:{self.port}"

    # --- observation ------------------------------------------------------------------------
    @property
    def now(self) -> dt.datetime:
        """The simulator clock (naive Vietnam time): ``scenario.now``, +1 min per drift."""
        with self._lock:
            return self._clock

    @property
    def stats(self) -> dict[str, int]:
        """Requests served and faults injected, by fault name."""
        return self._injector.stats

    @classmethod
    @abstractmethod
    def example(cls, url: str, login: str, password: str) -> str:
        """A shell command (or two) reaching the simulator at ``url``, for its banner."""

    @abstractmethod
    def current_records(self, entity: str) -> list[Record]:
        """Current state (after drift) of every record of ``entity``, annotations kept."""

    # --- request handling ---------------------------------------------------------------------
    @property
    def peak_in_flight(self) -> int:
        """The most requests this simulator was answering at once (concurrent clients)."""
        with self._flight_lock:
            return self._peak_in_flight

    def handle(self, request: Request) -> Response:
        with self._flight_lock:
            self._in_flight += 1
            self._peak_in_flight = max(self._peak_in_flight, self._in_flight)
        try:
            if self.faults.latency_seconds > 0:
                self._stopping.wait(self.faults.latency_seconds)
            return self._handle(request)
        finally:
            with self._flight_lock:
                self._in_flight -= 1

    def _handle(self, request: Request) -> Response:
        request.fault = self._injector.draw()
        if request.take_fault("rate_limit"):
            response = self.rate_limited()
            response.headers["Retry-After"] = str(self.faults.retry_after_seconds)
        elif request.take_fault("server_error"):
            response = self._gateway_error((502, 503, 504)[self._injector.randrange(3)])
        elif request.take_fault("hang"):
            # Counted before the wait, so requests arriving meanwhile see the run of faults.
            self._injector.applied("hang")
            self._stopping.wait(self.faults.hang_seconds)
            return self.route(request)
        else:
            response = self.route(request)
        if request.applied is None:
            self._injector.clean()
        else:
            self._injector.applied(request.applied)
        return response

    @abstractmethod
    def route(self, request: Request) -> Response:
        """Answer a request that passed the transport faults."""

    @abstractmethod
    def rate_limited(self) -> Response:
        """The source's HTTP 429 body (the base class adds ``Retry-After``)."""

    @staticmethod
    def _gateway_error(status: int) -> Response:
        """5xx as the reverse proxy in front of a portal sends it: HTML, not the API's JSON."""
        reason = _GATEWAY_REASONS[status]
        body = (
            f"<html><head><title>{status} {reason}</title></head><body>"
            f"<center><h1>{status} {reason}</h1></center><hr><center>nginx</center>"
            "</body></html>"
        )
        return Response(status, body.encode(), HTML)

    def _count(self, event: str) -> None:
        self._injector.count(event)

    # --- live listings ------------------------------------------------------------------------
    def page(
        self,
        request: Request,
        store: SortedStore,
        bounds: tuple[Any, Any],
        offset: int,
        size: int,
        match: Callable[[Record], bool] | None = None,
        stamp: Callable[[Record, dt.datetime], None] | None = None,
        clock_key: Callable[[dt.datetime], Any] | None = None,
    ) -> Page:
        """One page of the records whose window value lies in ``bounds`` = [start, end).

        ``match`` filters further (e.g. one agency). ``stamp`` writes the clock into a record's
        update timestamp and ``clock_key`` turns the clock into a window value: with both, the
        listing is live and the drift fault applies (see docs/simulators.md).
        """
        with self._lock:
            positions = self._positions(store, bounds, match)
            if offset > 0 and request.fault == "drift" and stamp and clock_key:
                moved = self._drift(
                    request, store, bounds, positions, offset, match, stamp, clock_key
                )
                if moved:
                    positions = self._positions(store, bounds, match)
            end = offset + size
            if offset > 0 and request.take_fault("duplicate_page"):
                # The page starts one record early but still ends where it should: the
                # previous page's last record comes again and nothing is skipped.
                offset -= 1
            served = positions[offset:end]
            return Page(len(positions), [store.encoded(p) for p in served])

    def _positions(
        self,
        store: SortedStore,
        bounds: tuple[Any, Any],
        match: Callable[[Record], bool] | None,
    ) -> range | list[int]:
        window = store.window(*bounds)
        if match is None:
            return window
        return [p for p in window if match(store.records[p])]

    def _drift(
        self,
        request: Request,
        store: SortedStore,
        bounds: tuple[Any, Any],
        positions: range | list[int],
        offset: int,
        match: Callable[[Record], bool] | None,
        stamp: Callable[[Record, dt.datetime], None],
        clock_key: Callable[[dt.datetime], Any],
    ) -> bool:
        """Update one record between two pages of a listing; True if something moved.

        Every drift changes the listing's total, which is the spec's signal to start over:
        when the clock lies before the window's end an updated record would only move to the
        end of the window (silently shifting the others), so a record from before the window
        enters instead; otherwise an already served record leaves the window.
        """
        start, end = bounds
        if start <= clock_key(self._clock) < end:
            window = store.window(start, end)
            candidates = []
            for p in range(window.start - 1, -1, -1):
                if match is None or match(store.records[p]):
                    candidates.append(p)
                    if len(candidates) >= _ENTER_CANDIDATES:
                        break
            if not candidates:
                return False
            position = candidates[self._injector.randrange(len(candidates))]
        else:
            served = min(offset, len(positions))
            if served == 0:
                return False
            position = positions[self._injector.randrange(served)]
        store.move(position, lambda record: stamp(record, self._clock))
        self._clock += CLOCK_STEP
        request.applied = "drift"
        return True

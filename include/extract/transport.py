"""Guards between the HTTP client and a server that may be broken or hostile.

A socket timeout bounds each read, not a whole answer: a server that trickles a byte every few
seconds keeps a request alive for ever, and one that sends an endless or gzip-bombed body fills
the memory. Here every request gets a wall-clock deadline, enforced by a timer that shuts the
request's socket down (headers and body alike), and a body is read in chunks up to a byte cap,
counted after decompression. Redirects are never followed (the caller turns them into errors):
following one would re-send the session header or re-post a login body to wherever the
``Location`` points.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_CHUNK = 64 * 1024
#: The deadline of the request running in this thread (QLVB exports run in a thread pool).
_ACTIVE = threading.local()


class BodyTooLarge(Exception):
    """The answer is larger than the cap (after decompression)."""


class Deadline:
    """Ends one request at a wall-clock deadline, whatever the server trickles.

    Used as a context manager around a request and the reading of its body; when the timer
    fires, the socket is shut down, so a blocked read returns at once and the request fails
    with a transport error (``expired`` then says why).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._socket = sock
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._socket is not None:
                _shut(self._socket)

    def __enter__(self) -> Deadline:
        _ACTIVE.deadline = self
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        with self._lock:
            # Finished in time: the socket may go back to the pool and must not be shut later.
            self._socket = None
        _ACTIVE.deadline = None


def _shut(sock: socket.socket) -> None:
    # An already closed socket has nothing left to interrupt.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedMixin:
    """Hands the socket of each request to the thread's active deadline."""

    sock: socket.socket | None

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        deadline: Deadline | None = getattr(_ACTIVE, "deadline", None)
        if deadline is not None and self.sock is not None:
            deadline.watch(self.sock)
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_WatchedMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedMixin, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter whose connections (direct or through a proxy) obey the deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def new_session() -> requests.Session:
    session = requests.Session()
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def read_body(response: requests.Response, limit: int) -> bytes:
    """The whole body, decompressed, refusing more than ``limit`` bytes.

    urllib3 decompresses chunk by chunk with bounded output, so a gzip bomb is stopped after
    ``limit`` decoded bytes without ever being held in full.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"Content-Length {declared}")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)

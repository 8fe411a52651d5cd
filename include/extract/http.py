"""The HTTP client shared by the three extractors: timeouts, retries, re-authentication.

Every failure that can pass (429, 502/503/504, timeouts, dropped connections, an unreadable
body, the one-stop gateway's business errors answered with HTTP 200) is retried with
exponential backoff and jitter, honouring ``Retry-After``; an expired session or token is
renewed and the call repeated; bad credentials and other client errors stop at once. When a
source stays broken the caller gets a ``SourceError`` naming source, endpoint and window.

Messages never carry response bodies beyond the server's own short error text, and requests
never carry personal data, so nothing here can leak an applicant's data into a log.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from include.connections import SourceConnection

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
_TRANSPORT_ERRORS = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


@dataclass(frozen=True)
class ExtractSettings:
    """Knobs of the extractors; the defaults suit a province's production portals."""

    connect_timeout: float = 10.0
    #: Longest wait for a JSON answer; a hung request still ends within this.
    read_timeout: float = 60.0
    #: Longest wait for a QLVB export, which "can take seconds" and grows with the register.
    export_read_timeout: float = 300.0
    #: Attempts per call, the first included.
    max_attempts: int = 6
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    #: A ``Retry-After`` longer than this is cut short (a misconfigured gateway must not park a
    #: nightly run for hours).
    retry_after_cap: float = 300.0
    #: Records per page; both paged APIs accept at most 1000.
    page_size: int = 1000
    #: Restarts of one listing whose total moved, before its window is split in halves.
    max_restarts: int = 3
    #: How many times a moving window may be halved (each half gets ``max_restarts`` too).
    max_window_splits: int = 3
    #: QLVB export format, ``xlsx`` (the clerk's format, with a footer to check) or ``csv``.
    qlvb_format: str = "xlsx"
    #: Units exported in parallel from QLVB.
    qlvb_workers: int = 3
    #: Re-downloads of a QLVB export whose footer count disagrees with its rows.
    qlvb_export_attempts: int = 2
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if not 1 <= self.page_size <= 1000:
            raise ValueError("page_size must be between 1 and 1000")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.qlvb_format not in ("xlsx", "csv"):
            raise ValueError("qlvb_format must be 'xlsx' or 'csv'")


class SourceError(RuntimeError):
    """A source failed in a way retries could not fix, or broke its spec."""


class AuthenticationError(SourceError):
    """The source rejected the configured credentials."""


class SessionExpired(Exception):
    """The response says the session or token is no longer valid: renew it and repeat."""


class TransientError(Exception):
    """The response is a failure worth retrying (e.g. a business error behind HTTP 200)."""


#: Inspects a decoded JSON body; raises ``SessionExpired``/``TransientError``/``SourceError``.
PayloadCheck = Callable[[Any], None]


@dataclass
class RequestStats:
    """Counters for a manifest's timings; shared by the threads of one client."""

    requests: int = 0
    retries: int = 0
    reauthentications: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {
                "requests": self.requests,
                "retries": self.retries,
                "reauthentications": self.reauthentications,
            }


class Auth:
    """How a source authenticates; the default sends nothing."""

    #: Whether an HTTP 401 on a data call means "renew and repeat".
    renewable = False

    def headers(self, client: HttpClient) -> dict[str, str]:
        return {}

    def invalidate(self) -> None:
        """Forget the current session so the next call logs in again."""

    def rejected(self, response: requests.Response) -> bool:
        """Whether a non-retryable error response means the credentials are wrong."""
        return False


class HttpClient:
    """Calls one source with the retry, backoff and re-authentication rules."""

    def __init__(
        self,
        source: str,
        connection: SourceConnection,
        settings: ExtractSettings,
        auth: Auth | None = None,
    ) -> None:
        self.source = source
        self.connection = connection
        self.settings = settings
        self.auth = auth or Auth()
        self.stats = RequestStats()
        self._local = threading.local()

    def _session(self) -> requests.Session:
        # requests.Session is not thread-safe; QLVB exports run in a small thread pool.
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            self._local.session = session
        return session

    def get_json(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        context: str,
        check: PayloadCheck | None = None,
    ) -> Any:
        return self.request("GET", path, params=params, context=context, check=check)

    def get_bytes(
        self, path: str, params: Mapping[str, Any] | None = None, *, context: str
    ) -> bytes:
        """A file download (QLVB export): waits up to ``export_read_timeout``."""
        return self.request(
            "GET",
            path,
            params=params,
            context=context,
            raw=True,
            read_timeout=self.settings.export_read_timeout,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        context: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        check: PayloadCheck | None = None,
        raw: bool = False,
        authenticated: bool = True,
        read_timeout: float | None = None,
    ) -> Any:
        """One logical call, repeated until it succeeds or the attempts run out.

        ``context`` says what the call is for (e.g. ``window 2023-01-01..2023-01-31``) and ends
        up in the error message. ``authenticated=False`` is for the login call itself.
        """
        settings = self.settings
        url = self.connection.base_url + path
        label = f"{self.source} {method} {path} {context}"
        failure = ""
        for attempt in range(1, settings.max_attempts + 1):
            retry_after: float | None = None
            renew = False
            headers = self.auth.headers(self) if authenticated else {}
            self.stats.add("requests")
            try:
                response = self._session().request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    data=form,
                    headers=headers,
                    timeout=(settings.connect_timeout, read_timeout or settings.read_timeout),
                )
            except _TRANSPORT_ERRORS as exc:
                failure = type(exc).__name__
            else:
                status = response.status_code
                if status == 401 and authenticated and self.auth.renewable:
                    failure, renew = "HTTP 401 (session expired)", True
                elif status in RETRY_STATUSES:
                    failure = f"HTTP {status}"
                    retry_after = _retry_after_seconds(response)
                elif status >= 400:
                    detail = _error_detail(response)
                    if self.auth.rejected(response) or (status == 401 and not authenticated):
                        raise AuthenticationError(
                            f"{label}: credentials rejected (HTTP {status}{detail}); check "
                            f"Airflow connection '{self.connection.conn_id}'"
                        )
                    raise SourceError(f"{label}: HTTP {status}{detail}")
                else:
                    try:
                        return self._decode(response, raw=raw, check=check)
                    except SessionExpired:
                        failure, renew = "session expired", True
                    except TransientError as exc:
                        failure = str(exc)
            if renew:
                self.auth.invalidate()
                self.stats.add("reauthentications")
            if attempt == settings.max_attempts:
                break
            self.stats.add("retries")
            delay = 0.0 if renew else self._delay(attempt, retry_after)
            log.warning(
                "%s: %s (attempt %d/%d), retrying in %.1fs",
                label,
                failure,
                attempt,
                settings.max_attempts,
                delay,
            )
            if delay:
                settings.sleep(delay)
        raise SourceError(f"{label}: {failure} after {settings.max_attempts} attempts")

    @staticmethod
    def _decode(response: requests.Response, *, raw: bool, check: PayloadCheck | None) -> Any:
        if raw:
            return response.content
        try:
            payload = response.json()
        except (json.JSONDecodeError, ValueError):
            raise TransientError("unreadable JSON body") from None
        if check is not None:
            check(payload)
        return payload

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        settings = self.settings
        if retry_after is not None:
            return min(retry_after, settings.retry_after_cap)
        ceiling = min(settings.backoff_cap, settings.backoff_base * 2 ** (attempt - 1))
        # "Equal jitter": at least half the backoff, so retries do spread out, never in lockstep.
        return ceiling / 2 + settings.rng.uniform(0, ceiling / 2)


def _retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_detail(response: requests.Response) -> str:
    """The server's own short error text (never the request, which holds no personal data)."""
    try:
        payload = response.json()
    except ValueError:
        text = response.text.strip()
        return f": {text[:200]}" if text else ""
    if isinstance(payload, Mapping):
        for key in ("message", "loi", "detail", "title"):
            if payload.get(key):
                return f": {str(payload[key])[:200]}"
    return ""

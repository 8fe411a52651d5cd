"""The HTTP client shared by the three extractors: timeouts, retries, re-authentication.

Every failure that can pass (429, 502/503/504, timeouts, dropped connections, an unreadable
body, the one-stop gateway's business errors answered with HTTP 200) is retried with
exponential backoff and jitter, honouring ``Retry-After``; an expired session or token is
renewed and the call repeated; bad credentials and other client errors stop at once. When a
source stays broken the caller gets a ``SourceError`` naming source, endpoint and window.

Every attempt has a wall-clock deadline and a size cap on its (decompressed) answer, and
redirects are refused rather than followed (``transport``): no session, token or login body
ever goes to an address other than the connection's.

Messages never carry response bodies beyond the server's own short error text, and requests
never carry personal data, so nothing here can leak an applicant's data into a log.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from include.connections import ConfigurationError, SourceConnection
from include.extract.transport import BodyTooLarge, Deadline, new_session, read_body
from include.sources import registry

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_TRANSPORT_ERRORS = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


#: Requests in flight at once to one portal from one extract task, unless set (docs/extraction.md,
#: *Concurrency*): what a handful of clerks' browsers ask of a portal, not a crawler's load.
DEFAULT_CONCURRENCY = 4
CONCURRENCY_BOUNDS = (1, 16)


class SettingError(ValueError):
    """An extraction setting is out of its range; ``setting`` names it."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting} {problem}")
        self.setting = setting


@dataclass(frozen=True)
class ExtractSettings:
    """Knobs of the extractors; the defaults suit a province's production portals.

    Every numeric setting (and ``qlvb_format``) can be set for a deployment through the
    environment, ``DTI_EXTRACT_<NAME>`` (e.g. ``DTI_EXTRACT_PAGE_SIZE=500``): see
    :meth:`from_environment`. A bad value stops the run at its start, naming the setting.
    """

    connect_timeout: float = 10.0
    #: Longest wait for a JSON answer; a hung request still ends within this.
    read_timeout: float = 60.0
    #: Longest wait for a QLVB export, which "can take seconds" and grows with the register.
    export_read_timeout: float = 300.0
    #: Longest a whole JSON call may take, headers and body: a server trickling a byte at a time
    #: never trips the read timeout, which bounds each read only.
    request_deadline: float = 180.0
    #: The same for a QLVB export download.
    export_deadline: float = 900.0
    #: Largest JSON answer (after decompression): a page of 1000 dossiers is about 1 MB.
    max_response_bytes: int = 64 * 1024 * 1024
    #: Largest QLVB export download (after decompression).
    max_export_bytes: int = 256 * 1024 * 1024
    #: Largest uncompressed content of an xlsx export (the sum over its zip members): a zip
    #: bomb is refused before anything is unpacked.
    max_export_unpacked_bytes: int = 512 * 1024 * 1024
    #: Largest total a listing may announce for one window (a month of a whole province's
    #: steps is a few hundred thousand); with the page size it bounds the pages of a pass.
    max_listing_total: int = 1_000_000
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
    #: Most requests in flight at once to each portal from one extract task, by source slug
    #: (``DTI_EXTRACT_<SLUG>_CONCURRENCY``): pages of a listing, QLVB unit exports. A source
    #: not named gets ``DEFAULT_CONCURRENCY``; an int sets every source. See docs/extraction.md,
    #: *Concurrency*.
    concurrency: Mapping[str, int] | int = DEFAULT_CONCURRENCY
    #: Re-downloads of a QLVB export whose footer count disagrees with its rows.
    qlvb_export_attempts: int = 2
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "concurrency", _per_source(self.concurrency))
        for name, low, high in _LIMITS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise SettingError(name, f"must be a number, not {value!r}")
            if value < low or (high is not None and value > high):
                bound = f"between {low} and {high}" if high is not None else f"at least {low}"
                raise SettingError(name, f"must be {bound}, not {value!r}")
        if self.qlvb_format not in ("xlsx", "csv"):
            raise SettingError("qlvb_format", f"must be 'xlsx' or 'csv', not {self.qlvb_format!r}")
        if self.backoff_cap < self.backoff_base:
            raise SettingError("backoff_cap", "must be at least backoff_base")

    def concurrency_for(self, source: str) -> int:
        """The most requests in flight at once to ``source`` from one extract task."""
        assert isinstance(self.concurrency, Mapping)
        return self.concurrency.get(source, DEFAULT_CONCURRENCY)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ExtractSettings:
        """The defaults, overridden by ``DTI_EXTRACT_<NAME>`` variables.

        Raises ``ConfigurationError`` naming the variable when a value is not a number of the
        setting's kind or is out of its range, or when a ``DTI_EXTRACT_`` variable names no
        setting (a typo would otherwise be ignored silently).
        """
        environ = os.environ if environ is None else environ
        known = {f"{ENV_PREFIX}{name.upper()}": name for name in _ENV_SETTINGS}
        per_source = {concurrency_variable(slug): slug for slug in registry.SOURCES}
        values: dict[str, Any] = {}
        concurrency: dict[str, int] = {}
        variables = sorted(v for v in environ if v.startswith(ENV_PREFIX))
        if _LEGACY_QLVB_WORKERS in variables and concurrency_variable("qlvb") in variables:
            raise ConfigurationError(
                f"{_LEGACY_QLVB_WORKERS} is the old name of {concurrency_variable('qlvb')}: "
                "set only the new one"
            )
        for variable in variables:
            if variable in per_source or variable == _LEGACY_QLVB_WORKERS:
                slug = per_source.get(variable, "qlvb")
                concurrency[slug] = _parse_int(variable, f"{slug}_concurrency", environ[variable])
                continue
            if variable not in known:
                expected = sorted([*known, *per_source])
                raise ConfigurationError(
                    f"{variable}: not an extraction setting; expected one of {expected}"
                )
            name = known[variable]
            values[name] = _parse_setting(variable, name, environ[variable])
        if concurrency:
            values["concurrency"] = concurrency
        try:
            return cls(**values)
        except SettingError as exc:
            raise ConfigurationError(f"{ENV_PREFIX}{exc.setting.upper()}: {exc}") from None


#: (setting, lowest, highest) of the numeric settings.
_LIMITS: tuple[tuple[str, float, float | None], ...] = (
    ("connect_timeout", 0.001, None),
    ("read_timeout", 0.001, None),
    ("export_read_timeout", 0.001, None),
    ("request_deadline", 0.001, None),
    ("export_deadline", 0.001, None),
    ("max_response_bytes", 1, None),
    ("max_export_bytes", 1, None),
    ("max_export_unpacked_bytes", 1, None),
    ("max_listing_total", 1, None),
    ("max_attempts", 1, None),
    ("backoff_base", 0, None),
    ("backoff_cap", 0, None),
    ("retry_after_cap", 0, None),
    ("page_size", 1, 1000),
    ("max_restarts", 0, None),
    ("max_window_splits", 0, None),
    ("qlvb_export_attempts", 1, None),
)
ENV_PREFIX = "DTI_EXTRACT_"
_ENV_SETTINGS = (*(name for name, _, _ in _LIMITS), "qlvb_format")
#: Before issue 12 QLVB alone exported units in parallel, ``qlvb_workers`` (default 3): its
#: variable still sets ``qlvb``'s concurrency.
_LEGACY_QLVB_WORKERS = f"{ENV_PREFIX}QLVB_WORKERS"


def concurrency_variable(source: str) -> str:
    """``DTI_EXTRACT_<SLUG>_CONCURRENCY``, the variable of ``source``'s concurrency."""
    return f"{ENV_PREFIX}{source.upper()}_CONCURRENCY"


def _per_source(value: Any) -> Mapping[str, int]:
    """Every registry source's concurrency, checked: an int for all, or a mapping by slug."""
    if isinstance(value, Mapping):
        unknown = set(value) - set(registry.SOURCES)
        if unknown:
            raise SettingError(
                "concurrency",
                f"names no source {sorted(unknown)}; sources: {list(registry.SOURCES)}",
            )
        given = dict(value)
    else:
        given = {slug: value for slug in registry.SOURCES}
    result = {}
    for slug in registry.SOURCES:
        number = given.get(slug, DEFAULT_CONCURRENCY)
        name = f"{slug}_concurrency"
        if isinstance(number, bool) or not isinstance(number, int):
            raise SettingError(name, f"must be an integer, not {number!r}")
        low, high = CONCURRENCY_BOUNDS
        if not low <= number <= high:
            raise SettingError(name, f"must be between {low} and {high}, not {number!r}")
        result[slug] = number
    return result


def _parse_int(variable: str, name: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ConfigurationError(f"{variable}: {text!r} is not an integer ({name})") from None


def _parse_setting(variable: str, name: str, text: str) -> Any:
    kind = type(getattr(ExtractSettings, name))
    if kind is str:
        return text.strip()
    try:
        return kind(text.strip())
    except ValueError:
        what = "an integer" if kind is int else "a number"
        raise ConfigurationError(f"{variable}: {text!r} is not {what} ({name})") from None


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
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def add(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)
        mine = getattr(self._local, "counts", None)
        if mine is None:
            mine = self._local.counts = Counter()
        mine[name] += 1

    def thread_snapshot(self) -> Counter[str]:
        """The calling thread's own counts (what one unit's export cost, whatever the other
        workers do meanwhile)."""
        return Counter(getattr(self._local, "counts", None) or {})

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

    def invalidate(self, used: Mapping[str, str] | None = None) -> None:
        """Forget the current session so the next call logs in again.

        ``used``: the headers the rejected call carried. Several workers whose calls were sent
        with one session all see it expire; only the first must drop it, or each drops the
        session the one before just got and they log in one after the other (a stampede). An
        implementation forgets its session only when ``used`` carried it (or is ``None``).
        """

    def rejected(self, status: int) -> bool:
        """Whether a non-retryable error status means the credentials are wrong."""
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
        self.concurrency = settings.concurrency_for(source)
        self.gate = PortalGate(self.concurrency)
        self._local = threading.local()
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()

    def executor(self) -> ThreadPoolExecutor:
        """The client's worker threads (``concurrency`` of them), started on first use: pages
        of a listing and QLVB exports are fetched there. A task submitted to it must not wait
        on another task of it."""
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.concurrency, thread_name_prefix=f"{self.source}-http"
                )
            return self._executor

    def close(self) -> None:
        """Stop the worker threads (tasks not started are cancelled)."""
        with self._executor_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _session(self) -> requests.Session:
        # requests.Session is not thread-safe (its connection pool and cookies are shared
        # state): one session per thread, the worker threads' and the caller's.
        session = getattr(self._local, "session", None)
        if session is None:
            session = new_session()
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
        """A file download (QLVB export): the export's own wait, deadline and size cap."""
        return self.request(
            "GET",
            path,
            params=params,
            context=context,
            raw=True,
            limits=Limits(
                self.settings.export_read_timeout,
                self.settings.export_deadline,
                self.settings.max_export_bytes,
                "export_deadline",
                "max_export_bytes",
            ),
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
        limits: Limits | None = None,
    ) -> Any:
        """One logical call, repeated until it succeeds or the attempts run out.

        ``context`` says what the call is for (e.g. ``window 2023-01-01..2023-01-31``) and ends
        up in the error message. ``authenticated=False`` is for the login call itself.
        """
        settings = self.settings
        limits = limits or Limits.for_json(settings)
        url = self.connection.base_url + path
        label = f"{self.source} {method} {path} {context}"
        failure = ""
        #: When the pause this call itself asked the gate for ends (it sleeps it on its own).
        own_pause = 0.0
        for attempt in range(1, settings.max_attempts + 1):
            retry_after: float | None = None
            renew = False
            held = False
            headers = self.auth.headers(self) if authenticated else {}
            self.stats.add("requests")
            try:
                status, response_headers, body = self._exchange(
                    method,
                    url,
                    limits,
                    label,
                    own_pause,
                    params=params,
                    json=json_body,
                    data=form,
                    headers=headers,
                )
            except _Unanswered as exc:
                failure = str(exc)
            else:
                if status == 401 and authenticated and self.auth.renewable:
                    failure, renew = "HTTP 401 (session expired)", True
                elif status in RETRY_STATUSES:
                    # The portal (or its gateway) says it is overloaded: every worker pauses.
                    failure, held = f"HTTP {status}", True
                    retry_after = _retry_after_seconds(response_headers)
                elif status in REDIRECT_STATUSES:
                    raise SourceError(_redirect_message(label, status, response_headers, self))
                elif status >= 400:
                    detail = _error_detail(body)
                    if self.auth.rejected(status) or (status == 401 and not authenticated):
                        raise AuthenticationError(
                            f"{label}: credentials rejected (HTTP {status}{detail}); check "
                            f"Airflow connection '{self.connection.conn_id}'"
                        )
                    raise SourceError(f"{label}: HTTP {status}{detail}")
                else:
                    try:
                        return body if raw else _decode(body, check)
                    except SessionExpired:
                        failure, renew = "session expired", True
                    except TransientError as exc:
                        failure = str(exc)
            if renew:
                self.auth.invalidate(headers)
                self.stats.add("reauthentications")
            if attempt == settings.max_attempts:
                break
            self.stats.add("retries")
            delay = 0.0 if renew else self._delay(attempt, retry_after)
            if held and delay:
                own_pause = self.gate.pause(delay)
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

    def _exchange(
        self, method: str, url: str, limits: Limits, label: str, own_pause: float, **send: Any
    ) -> tuple[int, Mapping[str, str], bytes]:
        """Status, headers and whole body of one attempt, within the deadline and the cap.

        Sent only in one of the gate's slots and once its pause is over (``own_pause``: the end
        of the pause this call set and slept already). Redirects are not followed: a 3xx comes
        back as it is, for ``request`` to refuse.
        """
        timeout = (self.settings.connect_timeout, limits.read_timeout)
        late = _Unanswered(
            f"no complete answer within {limits.deadline:g}s ({limits.deadline_setting})"
        )
        session = self._session()
        with self.gate.slot(self.settings.sleep, own_pause), Deadline(limits.deadline) as deadline:
            try:
                with session.request(
                    method, url, timeout=timeout, allow_redirects=False, stream=True, **send
                ) as response:
                    body = read_body(response, limits.max_bytes)
                    status, headers = response.status_code, response.headers
            except BodyTooLarge as exc:
                raise SourceError(
                    f"{label}: answer too large ({exc}; {limits.size_setting} is "
                    f"{limits.max_bytes} bytes): refused"
                ) from None
            except _TRANSPORT_ERRORS as exc:
                raise (late if deadline.expired else _Unanswered(type(exc).__name__)) from None
        # Cut off by the deadline, a read can also look like the end of the headers or body.
        if deadline.expired:
            raise late
        return status, headers, body

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        settings = self.settings
        if retry_after is not None:
            return min(retry_after, settings.retry_after_cap)
        ceiling = min(settings.backoff_cap, settings.backoff_base * 2 ** (attempt - 1))
        # "Equal jitter": at least half the backoff, so retries do spread out, never in lockstep.
        return ceiling / 2 + settings.rng.uniform(0, ceiling / 2)


class PortalGate:
    """What every worker of one client passes before a request to the portal.

    * ``slot()``: at most ``concurrency`` requests in flight at once (the setting's meaning,
      whatever threads the extractor runs: listing pages, exports, logins);
    * a shared pause: when one worker is told to back off (429 with or without
      ``Retry-After``, 502/503/504), no worker sends anything until that pause ends, so the
      portal sees the client go quiet, not the other workers keep hammering it.
    """

    def __init__(self, concurrency: int) -> None:
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        #: ``time.monotonic()`` until which nothing is sent.
        self._paused_until = 0.0
        self._in_flight = 0
        #: The most requests seen in flight at once (for tests and the bench).
        self.peak_in_flight = 0

    def pause(self, seconds: float) -> float:
        """Hold every worker for ``seconds`` from now (a later pause already set stays);
        returns when this pause ends."""
        until = time.monotonic() + seconds
        with self._lock:
            self._paused_until = max(self._paused_until, until)
        return until

    def wait_for_pause(self, sleep: Callable[[float], None], own_pause: float = 0.0) -> None:
        """Sleep (with the settings' ``sleep``) until no pause is set.

        ``own_pause``: the end of the pause the caller set and has slept already. A sleep that
        does not sleep (tests) is called once per pause, never spun on.
        """
        slept_for = own_pause
        while True:
            with self._lock:
                until = self._paused_until
            remaining = until - time.monotonic()
            if remaining <= 0 or until <= slept_for:
                return
            sleep(remaining)
            slept_for = until

    @contextlib.contextmanager
    def slot(self, sleep: Callable[[float], None], own_pause: float = 0.0) -> Iterator[None]:
        """A slot to send one request in, once the pause is over (checked with the slot held,
        so a worker that waited for a slot does not send into a pause set meanwhile)."""
        with self._slots:
            self.wait_for_pause(sleep, own_pause)
            with self._lock:
                self._in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            try:
                yield
            finally:
                with self._lock:
                    self._in_flight -= 1


@dataclass(frozen=True)
class Limits:
    """How long one attempt may wait and take, and how large its answer may be."""

    read_timeout: float
    deadline: float
    max_bytes: int
    deadline_setting: str
    size_setting: str

    @classmethod
    def for_json(cls, settings: ExtractSettings) -> Limits:
        return cls(
            settings.read_timeout,
            settings.request_deadline,
            settings.max_response_bytes,
            "request_deadline",
            "max_response_bytes",
        )


class _Unanswered(Exception):
    """An attempt got no usable answer (timeout, dropped connection, deadline): retry it."""


def _decode(body: bytes, check: PayloadCheck | None) -> Any:
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise TransientError("unreadable JSON body") from None
    if check is not None:
        check(payload)
    return payload


def _redirect_message(
    label: str, status: int, headers: Mapping[str, str], client: HttpClient
) -> str:
    location = headers.get("Location", "")[:200] or "(no Location)"
    return (
        f"{label}: HTTP {status} redirect to {location} not followed (the session, token or "
        f"login would go along); point Airflow connection '{client.connection.conn_id}' at the "
        "address that answers"
    )


def _retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After")
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


def _error_detail(body: bytes) -> str:
    """The server's own short error text (never the request, which holds no personal data)."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        text = body[:400].decode("utf-8", "replace").strip()
        return f": {text[:200]}" if text else ""
    if isinstance(payload, Mapping):
        for key in ("message", "loi", "detail", "title"):
            if payload.get(key):
                return f": {str(payload[key])[:200]}"
    return ""

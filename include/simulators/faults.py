"""Fault injection for the portal simulators: what can go wrong, how often, reproducibly.

The real portals fail in the ways their specs warn about (429, 5xx, hangs, sessions dropped
early, live listings, business errors behind HTTP 200). A simulator draws, for every request
it receives, at most one fault from a ``random.Random(seed)`` under a lock, so a sequential
client sees the same faults at the same requests on every run with the same seed.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass

#: Fault names in the fixed order their rates are stacked when one uniform draw picks a fault.
FAULT_NAMES = (
    "rate_limit",
    "server_error",
    "hang",
    "session_expiry",
    "drift",
    "duplicate_page",
    "business_error",
)


@dataclass(frozen=True)
class FaultConfig:
    """Per-request probabilities of each fault, and the knobs that shape them.

    A drawn fault that does not apply to the request (drift on a first page, session expiry on
    an unauthenticated call, business errors outside the one-stop API) is dropped: the request
    is answered normally and nothing is counted.
    """

    seed: int = 0
    rate_limit: float = 0.0
    retry_after_seconds: int = 1
    server_error: float = 0.0
    hang: float = 0.0
    hang_seconds: float = 3.0
    session_expiry: float = 0.0
    drift: float = 0.0
    duplicate_page: float = 0.0
    business_error: float = 0.0
    #: QLVB: every register export takes at least this long (the spec: "an export can take
    #: seconds"). Not random, so it is not a rate.
    export_delay_seconds: float = 0.0
    #: Every request waits this long before it is answered (a distant or busy portal), faults
    #: or not. Not random, so it is not a rate; what concurrent clients are measured against.
    latency_seconds: float = 0.0
    #: Never more than this many faulted responses in a row, so bounded retries get through.
    max_consecutive: int = 2

    def __post_init__(self) -> None:
        total = sum(self.rate(name) for name in FAULT_NAMES)
        if any(self.rate(name) < 0 for name in FAULT_NAMES) or total > 1:
            raise ValueError(f"fault rates must be >= 0 and sum to at most 1 (sum {total})")
        if self.max_consecutive < 0:
            raise ValueError("max_consecutive must be >= 0")
        if self.latency_seconds < 0 or self.export_delay_seconds < 0:
            raise ValueError("latency_seconds and export_delay_seconds must be >= 0")

    def rate(self, name: str) -> float:
        return float(getattr(self, name))

    @property
    def enabled(self) -> bool:
        return (
            any(self.rate(name) > 0 for name in FAULT_NAMES)
            or self.export_delay_seconds > 0
            or self.latency_seconds > 0
        )

    @classmethod
    def none(cls) -> FaultConfig:
        return cls()

    @classmethod
    def all(cls, seed: int = 0) -> FaultConfig:
        """Every fault on, at rates a test pulling a few thousand records survives in < 1 min.

        About one request in four is faulted; hangs are rare because each costs the client
        its timeout.
        """
        return cls(
            seed=seed,
            rate_limit=0.05,
            retry_after_seconds=1,
            server_error=0.05,
            hang=0.02,
            hang_seconds=3.0,
            session_expiry=0.04,
            drift=0.05,
            duplicate_page=0.05,
            business_error=0.05,
            export_delay_seconds=0.5,
            max_consecutive=2,
        )

    @classmethod
    def from_name(cls, name: str, seed: int = 0) -> FaultConfig:
        """``none`` or ``all``: the command-line presets."""
        if name == "none":
            return cls.none()
        if name == "all":
            return cls.all(seed)
        raise ValueError(f"unknown fault preset {name!r} (none|all)")


class FaultInjector:
    """Draws the fault of each request and keeps the counts tests assert on."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self._lock = threading.Lock()
        self._consecutive = 0
        self._stats: Counter[str] = Counter()

    def draw(self) -> str | None:
        """The fault chosen for the next request (one uniform draw per request, always)."""
        with self._lock:
            self._stats["requests"] += 1
            u = self._rng.random()
            if self._consecutive >= self.config.max_consecutive:
                return None
            edge = 0.0
            for name in FAULT_NAMES:
                edge += self.config.rate(name)
                if u < edge:
                    return name
            return None

    def randrange(self, n: int) -> int:
        """A reproducible choice among ``n`` (which 5xx, which record drifts)."""
        with self._lock:
            return self._rng.randrange(n)

    def applied(self, name: str) -> None:
        """The request was answered with fault ``name``."""
        with self._lock:
            self._stats[name] += 1
            self._consecutive += 1

    def clean(self) -> None:
        """The request was answered without a fault: the run of faults is broken."""
        with self._lock:
            self._consecutive = 0

    def count(self, name: str) -> None:
        """Count an event that is not a fault (e.g. a slow export) without touching the run."""
        with self._lock:
            self._stats[name] += 1

    @property
    def stats(self) -> dict[str, int]:
        with self._lock:
            counts = {name: 0 for name in ("requests", *FAULT_NAMES, "slow_export")}
            counts.update(self._stats)
            return counts

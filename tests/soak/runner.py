"""The zero-loss soak: extraction of a scenario under every simulator fault, the windows in
shuffled orders, tasks killed and retried, checked key for key against the simulators.

One *run* (a seed and an order) plays what Airflow does with ``dti_nightly``: the backfill's
extract items (``plan_extracts``, the DAG's own cut) in a shuffled order — mapped tasks run in
no fixed order — some killed on their first attempt and retried (the worker dies at a backoff
or half-way through landing), some run again after they succeeded (a cleared task); then the
nightly runs that follow the backfill, up to the simulator's clock (records the drift fault
updates move there, as a portal's updates move to its "now"). Then every entity's latest landed
records must equal the simulator's current records: none missing, none doubled, none extra,
every one at its current version, every malformed one quarantined. The same holds right after
the backfill (what the demo publishes), except that a record the drift fault moved past the
backfill's range may still be at the version the backfill saw — but it must be there.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from include.connections import CONNECTION_IDS, SourceConnection
from include.extract.http import ExtractSettings, SourceError
from include.extract.sources import extract_source
from include.landing import LandingArea
from include.pipeline.plan import RunWindow, plan_extracts
from include.scenario import DataFaults, build_scenario
from include.scenario.model import Scenario
from include.simulators import DEMO_CREDENTIALS, FaultConfig
from include.simulators.faults import FAULT_NAMES
from include.sources import registry

from .truth import ENTITIES, VERSION_FIELDS, canonical, expected, record_key

SIMULATORS = registry.simulators()
HMAC_KEY = b"soak-test-hmac-key-0123456789abcdef"
#: Airflow's retries of an extract task (dags/dti_nightly.py: retries=4), the first included.
TASK_ATTEMPTS = 5
#: QLVB exports wait this long (the simulators' default 0.5 s only costs time: an export's
#: delay cannot lose a row, and the hang fault still exercises the export timeout).
EXPORT_DELAY = 0.05


class TaskKilled(Exception):
    """The worker running an extract task died (injected)."""


@dataclass
class Check:
    """One entity of one run: what was compared and what was wrong."""

    records: int = 0
    quarantined: int = 0
    missing: int = 0
    doubled: int = 0
    extra: int = 0
    stale: int = 0
    unquarantined: int = 0
    #: Records at an earlier version because they moved after the range (backfill check only).
    moved: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.doubled or self.extra or self.stale or self.unquarantined)


@dataclass
class RunResult:
    scenario: str
    seed: int
    order: int
    seconds: float = 0.0
    items: int = 0
    killed: int = 0
    reruns: int = 0
    nightly_items: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    #: After the nightly runs: strict.
    checks: dict[tuple[str, str], Check] = field(default_factory=dict)
    #: Right after the backfill.
    backfill: dict[tuple[str, str], Check] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in [*self.checks.values(), *self.backfill.values()])

    def total(self, name: str) -> int:
        return sum(getattr(check, name) for check in self.checks.values())


@dataclass(frozen=True)
class SoakOptions:
    #: Share of extract tasks whose first attempt is killed.
    kill_rate: float = 0.25
    #: Share of extract tasks run again after they succeeded.
    rerun_rate: float = 0.15
    sources: tuple[str, ...] = tuple(SIMULATORS)
    settings: ExtractSettings = field(
        default_factory=lambda: ExtractSettings(
            # JSON timeouts well under the simulators' 3 s hangs, no real sleeping, small
            # pages so listings span many pages and drift strikes between them. Exports get
            # longer: the simulator builds a calibrated scenario's larger workbooks in seconds.
            connect_timeout=1.0,
            read_timeout=0.7,
            export_read_timeout=10.0,
            page_size=200,
            concurrency=4,
            sleep=lambda seconds: None,
        )
    )


def listing_span(scenario: Scenario, source: str) -> tuple[dt.date, dt.date]:
    """The backfill's range: every record the source can serve, as the DAG would be given.

    QLVB registers hold what was registered in the scenario's dates. Listings start with the
    year: a record whose window field is corrupted (``ThoiDiemXuLy`` of 30 February) is listed
    where the source sorts it.
    """
    if source == "qlvb":
        return scenario.start, scenario.end
    return scenario.start.replace(month=1, day=1), scenario.end


def _connection(source: str, url: str) -> SourceConnection:
    credentials = DEMO_CREDENTIALS[source]
    return SourceConnection.from_url(
        CONNECTION_IDS[source], url, credentials["login"], credentials["password"]
    )


class _DyingLanding(LandingArea):
    """A landing area whose next write dies half-way through its records."""

    def write_extract(self, **kwargs: Any) -> Any:
        records = list(kwargs.pop("records"))

        def half_then_die() -> Iterator[Mapping[str, Any]]:
            yield from records[: len(records) // 2]
            raise TaskKilled("worker killed while landing")

        return super().write_extract(records=half_then_die(), **kwargs)


def _die(seconds: float) -> None:
    raise TaskKilled("worker killed during a backoff")


class _Tasks:
    """Runs extract items as Airflow would, with injected deaths and reruns."""

    def __init__(
        self,
        connection: SourceConnection,
        root: Path,
        options: SoakOptions,
        rng: random.Random,
        result: RunResult,
    ) -> None:
        self.connection = connection
        self.area = LandingArea(root)
        self.dying = _DyingLanding(root)
        self.options = options
        self.rng = rng
        self.result = result

    def run_all(self, items: list[dict[str, str]], *, inject: bool) -> None:
        queue = list(items)
        self.rng.shuffle(queue)
        while queue:
            item = queue.pop(0)
            self._run(item, inject=inject)
            if inject and self.rng.random() < self.options.rerun_rate:
                self.result.reruns += 1
                queue.insert(self.rng.randrange(len(queue) + 1), item)

    def _run(self, item: dict[str, str], *, inject: bool) -> None:
        failure: Exception | None = None
        for attempt in range(1, TASK_ATTEMPTS + 1):
            area, settings = self.area, self.options.settings
            if inject and attempt == 1 and self.rng.random() < self.options.kill_rate:
                self.result.killed += 1
                if self.rng.random() < 0.5:
                    settings = replace(settings, sleep=_die)
                else:
                    area = self.dying
            try:
                extract_source(
                    item["source"],
                    item["start"],
                    item["end"],
                    landing=area,
                    connection=self.connection,
                    settings=settings,
                    hmac_key=HMAC_KEY,
                    entities=(item["entity"],),
                )
                return
            except (TaskKilled, SourceError) as exc:
                failure = exc
        raise RuntimeError(f"{item} failed {TASK_ATTEMPTS} times, last: {failure}")


def _moved_earlier(want: dict[str, Any], got: dict[str, Any], version: str | None) -> bool:
    """``got`` is ``want`` at an earlier update time (drift changes nothing else)."""
    if version is None or {**got, version: None} != {**want, version: None}:
        return False
    if version == "updatedAt":  # ISO 8601 with varying offsets: compare instants
        return dt.datetime.fromisoformat(got[version]) < dt.datetime.fromisoformat(want[version])
    return str(got[version]) < str(want[version])


def _check(
    area: LandingArea,
    source: str,
    entity: str,
    truth: list[dict[str, Any]],
    qlvb_format: str,
    *,
    moved_allowed: bool = False,
) -> Check:
    """``moved_allowed``: a record may be at an earlier update time than the simulator's."""
    check = Check()
    good = [r for r in truth if not r.get("_malformed")]
    want = {
        record_key(source, entity, e): e
        for e in (expected(source, entity, r, HMAC_KEY, qlvb_format) for r in good)
    }
    got_list = area.latest_records(source, entity)
    got = {record_key(source, entity, r): r for r in got_list}
    check.records = len(want)
    check.doubled = len(got_list) - len(got)
    missing = sorted(want.keys() - got.keys(), key=str)
    extra = sorted(got.keys() - want.keys(), key=str)
    stale = sorted((k for k in want.keys() & got.keys() if want[k] != got[k]), key=str)
    if moved_allowed:
        version = VERSION_FIELDS.get((source, entity))
        moved = [k for k in stale if _moved_earlier(want[k], got[k], version)]
        check.moved = len(moved)
        stale = [k for k in stale if k not in set(moved)]
    check.missing, check.extra, check.stale = len(missing), len(extra), len(stale)
    check.examples += [f"missing {k}" for k in missing[:3]] + [f"extra {k}" for k in extra[:3]]
    check.examples += [f"stale {k}: {got[k]} != {want[k]}" for k in stale[:2]]
    quarantined = {
        canonical(entry.record)
        for manifest in area.manifests(source, entity)
        for entry in manifest.quarantine
    }
    malformed = [r for r in truth if r.get("_malformed")]
    check.quarantined = len(malformed)
    absent = [
        r
        for r in malformed
        if canonical(expected(source, entity, r, HMAC_KEY, qlvb_format)) not in quarantined
    ]
    check.unquarantined = len(absent)
    check.examples += [f"not quarantined: {r.get('_malformed')}" for r in absent[:3]]
    return check


def _nightly_days(scenario: Scenario, clock: dt.datetime) -> list[dt.date]:
    """The days of the nightly runs after the backfill, through the simulator's clock.

    The simulator's clock starts in the scenario's last second, inside the backfill's last
    day, and drift moves it on; a nightly run loads the day before it runs.
    """
    day, last = scenario.now.date(), clock.date()
    days = []
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def _soak_source(
    scenario: Scenario,
    source: str,
    root: Path,
    options: SoakOptions,
    rng: random.Random,
    result: RunResult,
) -> None:
    """One source: its backfill in a shuffled order with deaths and reruns, then the nightly
    runs through the simulator's clock; its entities checked against the simulator."""
    faults = replace(
        FaultConfig.all(result.seed * 1000 + result.order), export_delay_seconds=EXPORT_DELAY
    )
    fmt = options.settings.qlvb_format
    with SIMULATORS[source](scenario, faults=faults) as sim:
        tasks = _Tasks(_connection(source, sim.url), root, options, rng, result)
        start, end = listing_span(scenario, source)
        items = plan_extracts(source, RunWindow(start, end, nightly=False))
        result.items += len(items)
        tasks.run_all(items, inject=True)
        for entity in ENTITIES[source]:
            result.backfill[(source, entity)] = _check(
                tasks.area, source, entity, sim.current_records(entity), fmt, moved_allowed=True
            )
        if source != "qlvb":  # registers have no update time: nothing moves
            # Each nightly run sees the clock as the runs before left it; drift during one
            # can move records on to a later night.
            done: set[dt.date] = set()
            while days := [d for d in _nightly_days(scenario, sim.now) if d not in done]:
                for day in days:
                    nightly = plan_extracts(source, RunWindow(day, day, nightly=True))
                    result.nightly_items += len(nightly)
                    tasks.run_all(nightly, inject=False)
                    done.add(day)
        truth = {entity: sim.current_records(entity) for entity in ENTITIES[source]}
        result.faults.update({k: v for k, v in sim.stats.items() if k in FAULT_NAMES})
    for entity in ENTITIES[source]:
        result.checks[(source, entity)] = _check(tasks.area, source, entity, truth[entity], fmt)


def soak_run(scenario: Scenario, seed: int, order: int, options: SoakOptions) -> RunResult:
    """One run: each source extracted and checked, into a landing area of its own.

    QLVB exports are read as xlsx and csv in turn (by seed and order): both parsers are soaked,
    and csv runs cost a fraction of the time.
    """
    qlvb_format = "xlsx" if (seed + order) % 2 == 0 else "csv"
    options = replace(options, settings=replace(options.settings, qlvb_format=qlvb_format))
    result = RunResult(scenario.name, seed, order)
    rng = random.Random(f"soak:{seed}:{order}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="soak-") as root:
        for source in options.sources:
            _soak_source(scenario, source, Path(root), options, rng, result)
    result.seconds = time.perf_counter() - started
    return result


def run_soak(
    scenario_name: str, seeds: list[int], orders: int, options: SoakOptions | None = None
) -> Iterator[RunResult]:
    """Every (seed, order) run; a scenario is built once per seed, with its data faults."""
    options = options or SoakOptions()
    for seed in seeds:
        scenario = build_scenario(scenario_name, seed, data_faults=DataFaults.all())
        for order in range(orders):
            yield soak_run(scenario, seed, order, options)


def summary(results: list[RunResult]) -> str:
    """Seeds × orders × faults, records checked, lost, doubled, ... and the time taken."""
    faults: Counter[str] = Counter()
    for result in results:
        faults.update(result.faults)
    seeds = sorted({r.seed for r in results})
    orders = len({r.order for r in results})
    lines = [
        f"soak {results[0].scenario if results else '-'}: {len(seeds)} seeds × {orders} orders "
        f"= {len(results)} runs in {sum(r.seconds for r in results):.1f}s",
        f"  faults injected: {dict(sorted(faults.items()))}",
        f"  tasks: {sum(r.items for r in results)} backfill items, "
        f"{sum(r.killed for r in results)} killed and retried, "
        f"{sum(r.reruns for r in results)} re-run, {sum(r.nightly_items for r in results)} "
        "nightly items",
    ]
    for name in ("records", "quarantined", "missing", "doubled", "extra", "stale", "unquarantined"):
        after = sum(r.total(name) for r in results)
        backfill = sum(getattr(c, name) for r in results for c in r.backfill.values())
        lines.append(f"  {name}: {after} (right after the backfill: {backfill})")
    moved = sum(c.moved for r in results for c in r.backfill.values())
    lines.append(f"  moved past the backfill, landed as seen, current after the nightly: {moved}")
    for result in results:
        for when, checks in (("backfill", result.backfill), ("nightly", result.checks)):
            for (source, entity), check in checks.items():
                if not check.ok:
                    lines.append(
                        f"  FAILED ({when}) seed {result.seed} order {result.order} "
                        f"{source}.{entity}: " + "; ".join(check.examples)
                    )
    return "\n".join(lines)

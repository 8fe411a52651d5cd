"""Warehouse benchmarks: the dbt build of the province's history, then one night on top.

Measured for one year and for two years of history, side by side: does memory stay flat?

For each history length (``--years``, default ``1 2``) one pass, on a fresh database of a freshly
restarted embedded server of its own (``DTI_LOCAL_DIR``, default ``.local/bwh``):

1. **Full build.** The ``hung_yen_province`` scenario (two years), minus its last day, is cut to
   the last N years before that day (two: the whole scenario; one: the records of
   2023-12-31..2024-12-30 only, landed by the same ``RunWindow`` with a later start), landed and
   loaded the way the initial-load run cuts it (``include.pipeline.plan``: month pieces, QLVB
   quarters, snapshots once) — records written with ``LandingArea.write_extract`` (redacted as
   ``tests/warehouse/dbt_harness.py`` does: personal fields and generator annotations dropped, QLVB
   rows tagged ``don_vi_id``, dates as ISO strings) and loaded by the real loader
   (``include.load.load_landing``). No simulators: this measures the warehouse, not extraction
   (``python -m bench`` does that). Then ``dbt seed`` and a full ``dbt build``; in the longest
   history's pass only, measured beside the same build with the ``pre2025`` figures only
   (``report_schemes``): what the second code scheme of reform2025.md §4 costs.
2. **Nightly build.** The last day is landed as the nightly run would extract it — one-stop
   dossiers by ``NgayCapNhat``, steps by ``ThoiDiemXuLy``, DVC payments and ratings by
   ``updatedAt``, each QLVB register re-exported over its lookback, snapshots again (the loader
   skips those whose file it has loaded) — loaded, then an incremental ``dbt build``.

The scenario is built and landed in a child process of each pass (its peak RSS reported: the
landing process). dbt runs as the DAG runs it (the ``.venv-dbt`` executable, ``DBT_VARS``: marts
built into the candidate schema), in one invocation per step. For each step: wall time, the peak
RSS of its process (dbt: ``os.wait4``'s rusage of that very child; a raw load: the loader's, run
in a child process of its own, so that this process stays small — a child's peak RSS as the
kernel reports it is at least its parent's), the PostgreSQL server's peak memory (proportional
set size summed over its processes, sampled from ``/proc``; the largest backend's private
memory beside it), the bytes it spilled to temporary files, and dbt's own
per-node timings (``run_results.json``), the slowest printed. Beside them, measured in the same
run on the same data: the raw load's time and a ``count(*)`` scan over every raw table. At the
end, a comparison table: each step's figures and the landing process's peak RSS per history
length, with the ratio 2y/1y (also in the results JSON, ``comparison``; each pass's figures under
``passes``).

    python -m bench.warehouse [--scale 0.1] [--seed 0] [--years 1 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from include.landing import LandingArea, Manifest, RecordIdentity
from include.landing.versions import VN_TZ, parse_iso_instant, parse_onestop_timestamp
from include.load.schema import RAW_TABLES
from include.paths import PROJECT_ROOT
from include.pii import ONESTOP_PII_FIELDS, QLVB_PII_COLUMNS
from include.pipeline import dbt
from include.pipeline.plan import SOURCES, RunWindow, plan_extracts
from include.scenario.model import Scenario
from include.simulators.qlvb import REGISTRATION_COLUMN, registration_date
from include.sources import registry

RESULTS_DIR = Path(__file__).resolve().parent / "results"
#: Short: the server's Unix socket lives inside it.
DEFAULT_LOCAL_DIR = PROJECT_ROOT / ".local" / "bwh"
DATABASE = "bench_dbt"
PERSONAL_FIELDS = ONESTOP_PII_FIELDS | frozenset(QLVB_PII_COLUMNS)
SLOWEST = 12
#: The span of the hung_yen_province scenario: its full history.
SCENARIO_YEARS = 2

Record = dict[str, Any]
DayOf = Callable[[Record], dt.date | None]


# --------------------------------------------------------------------------- landing
def landed(record: Record) -> Record:
    """The record as the extractor lands it (tests/warehouse/dbt_harness.py ``_landed``)."""
    out: Record = {}
    for key, value in record.items():
        if key == "_unit_id":
            out["don_vi_id"] = value
        elif key in PERSONAL_FIELDS or key.startswith("_") or key == "STT":
            continue
        else:
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _onestop_day(field_name: str) -> DayOf:
    def day(record: Record) -> dt.date | None:
        instant = parse_onestop_timestamp(record.get(field_name))
        return instant.date() if instant else None

    return day


def _dvc_day(record: Record) -> dt.date | None:
    instant = parse_iso_instant(record.get("updatedAt"))
    return instant.astimezone(VN_TZ).date() if instant else None


def _register_day(register: str) -> DayOf:
    column = REGISTRATION_COLUMN[register]
    return lambda row: registration_date(row.get(column))


def entity_records(scenario: Scenario) -> dict[tuple[str, str], tuple[list[Record], DayOf | None]]:
    """Each raw table's scenario records and the Vietnam day that selects one into a window
    (``None``: a snapshot, all of it every time)."""
    return {
        ("onestop", "donvi"): (scenario.agencies, None),
        ("onestop", "hoso"): (scenario.dossiers, _onestop_day("NgayCapNhat")),
        ("onestop", "tientrinh"): (scenario.steps, _onestop_day("ThoiDiemXuLy")),
        ("qlvb", "donvi"): (scenario.qlvb_units, None),
        **{
            ("qlvb", register): (scenario.documents.get(register, []), _register_day(register))
            for register in ("den", "di", "hscv")
        },
        ("dvc_portal", "services"): (scenario.services, None),
        ("dvc_portal", "payments"): (scenario.payments, _dvc_day),
        ("dvc_portal", "ratings"): (scenario.ratings, _dvc_day),
    }


def _identities() -> dict[tuple[str, str], RecordIdentity]:
    return {
        (source.slug, entity): identity
        for source in registry.SOURCES.values()
        for entity, identity in source.extractor_module().IDENTITIES.items()
    }


def land_runs(
    landing: LandingArea, scenario: Scenario, runs: list[RunWindow]
) -> list[list[Manifest]]:
    """Land each run's extract items, in order; records dated before the scenario's start go
    with its first day, undated ones with the first run's (a run starting later, a history cut
    short, lands no record dated before it). Returns each run's manifests."""
    identities = _identities()
    first = runs[0].start
    by_day: dict[tuple[str, str], dict[dt.date, list[Record]]] = {}
    snapshots: dict[tuple[str, str], list[Record]] = {}
    for table, (records, day_of) in entity_records(scenario).items():
        if day_of is None:
            snapshots[table] = records
            continue
        days: dict[dt.date, list[Record]] = defaultdict(list)
        for record in records:
            days[max(day_of(record) or first, scenario.start)].append(record)
        by_day[table] = days
    landed_runs = []
    for run in runs:
        manifests = []
        for source in SOURCES:
            for item in plan_extracts(source, run):
                table = (item["source"], item["entity"])
                start = dt.date.fromisoformat(item["start"])
                end = dt.date.fromisoformat(item["end"])
                if table in snapshots:
                    records = snapshots[table]
                else:
                    days = by_day[table]
                    records = [
                        record
                        for offset in range((end - start).days + 1)
                        for record in days.get(start + dt.timedelta(days=offset), ())
                    ]
                manifests.append(
                    landing.write_extract(
                        source=table[0],
                        entity=table[1],
                        mode="snapshot" if table in snapshots else "incremental",
                        window_start=start,
                        window_end=end,
                        records=map(landed, records),
                        started_at=dt.datetime.now(dt.UTC),
                        extractor_version="bench.warehouse",
                        identity=identities[table],
                    )
                )
        landed_runs.append(manifests)
    return landed_runs


# --------------------------------------------------------------------------- measuring
def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _smaps_kb(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:  # the process ended between listing and reading
        return {}
    return {
        name: int(value.split()[0])
        for name, _, value in (line.partition(":") for line in lines[1:])
    }


class ServerMemory(threading.Thread):
    """Peak memory of a PostgreSQL server, sampled from ``/proc`` while it runs: the summed
    proportional set size of the postmaster and its children (shared buffers counted once,
    split among the processes that touched them) and the largest backend's private memory."""

    def __init__(self, postmaster: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.postmaster = postmaster
        self.interval = interval
        self.peak_pss_kb = 0
        self.peak_backend_private_kb = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            self.sample()
            if self._stop_event.wait(self.interval):
                return

    def sample(self) -> None:
        pss = 0
        for pid in [self.postmaster, *_children(self.postmaster)]:
            smaps = _smaps_kb(pid)
            pss += smaps.get("Pss", 0)
            private = smaps.get("Private_Clean", 0) + smaps.get("Private_Dirty", 0)
            self.peak_backend_private_kb = max(self.peak_backend_private_kb, private)
        self.peak_pss_kb = max(self.peak_pss_kb, pss)
        self.samples += 1

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class Step:
    """One measured step: a dbt invocation or a load, with the server's figures around it."""

    what: str
    seconds: float = 0.0
    process_peak_rss_mb: float | None = None
    server_peak_pss_mb: float = 0.0
    server_peak_backend_private_mb: float = 0.0
    server_temp_mb: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _temp_bytes(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def measured(what: str, dsn: str, postmaster: int) -> Iterator[Step]:
    step = Step(what)
    temp_before = _temp_bytes(dsn)
    sampler = ServerMemory(postmaster)
    sampler.start()
    started = time.perf_counter()
    try:
        yield step
    finally:
        step.seconds = time.perf_counter() - started
        sampler.stop()
        step.server_peak_pss_mb = sampler.peak_pss_kb / 1024
        step.server_peak_backend_private_mb = sampler.peak_backend_private_kb / 1024
        # pg_stat_database is updated when a backend reports (at the latest when it exits).
        time.sleep(0.6)
        step.server_temp_mb = (_temp_bytes(dsn) - temp_before) / 2**20


def run_child(command: list[str], env: dict[str, str], log: Path) -> tuple[int, float]:
    """Run ``command``, output to ``log``; its exit code and its own peak RSS (MB)."""
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024


# --------------------------------------------------------------------------- dbt
@dataclass(frozen=True)
class DbtProject:
    dsn: str
    workdir: Path

    @property
    def target(self) -> Path:
        return self.workdir / "target"

    def run(self, step: Step, *args: str, extra_vars: dict[str, Any] | None = None) -> None:
        """``dbt <args>`` as the DAG runs it (plus ``extra_vars``); per-node timings into
        ``step.extra``."""
        env = {
            **os.environ,
            **dbt.dbt_environment(self.dsn),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [
            str(dbt.dbt_executable()),
            *args,
            "--vars",
            json.dumps({**dbt.DBT_VARS, **(extra_vars or {})}),
            "--project-dir",
            str(dbt.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(dbt.DBT_PROJECT_DIR),
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.workdir / "logs"),
        ]
        log = self.workdir / f"{step.what.replace(' ', '_')}.log"
        code, step.process_peak_rss_mb = run_child(command, env, log)
        if code != 0:
            raise SystemExit(f"dbt {' '.join(args)} failed (exit {code}); see {log}")
        step.extra.update(self.node_timings())

    def node_timings(self) -> dict[str, Any]:
        results = json.loads((self.target / "run_results.json").read_text(encoding="utf-8"))
        nodes = json.loads((self.target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
        timed = []
        for result in results["results"]:
            node = nodes.get(result["unique_id"], {})
            timed.append(
                {
                    "node": result["unique_id"],
                    "type": node.get("resource_type", ""),
                    "materialized": node.get("config", {}).get("materialized", ""),
                    "status": result["status"],
                    "seconds": round(result["execution_time"], 2),
                    "rows": (result.get("adapter_response") or {}).get("rows_affected"),
                }
            )
        timed.sort(key=lambda n: -n["seconds"])
        by_type: dict[str, float] = defaultdict(float)
        for node in timed:
            kind = node["type"]
            if kind == "model":
                kind = f"model ({node['materialized']})"
            by_type[kind] += node["seconds"]
        return {
            "dbt_elapsed_seconds": round(results["elapsed_time"], 2),
            "node_seconds_by_type": {k: round(v, 1) for k, v in by_type.items()},
            "nodes": timed,
        }


# --------------------------------------------------------------------------- baselines
def scan_baseline(dsn: str) -> tuple[dict[str, int], float]:
    """Rows of every raw table and the time of a plain ``count(*)`` over all of them."""
    counts = {}
    started = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        for source, entity in RAW_TABLES:
            table = f"{source}.{entity}"
            counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return counts, time.perf_counter() - started


def load(step: Step, dsn: str, landing: LandingArea, manifests: list[Manifest]) -> None:
    from include.load import load_landing
    from include.validate.verdicts import record_verdict

    results = load_landing(dsn, landing, manifests=manifests)
    # Released as a passed validation releases them (the dbt models read released loads only);
    # validating is not what this measures (python -m bench.validation does).
    for result in results:
        if result.new and result.load_id is not None:
            record_verdict(dsn, result.load_id, passed=True, message="bench.warehouse")
    step.extra["loaded"] = sum(r.loaded for r in results)
    step.extra["files_loaded"] = sum(r.new for r in results)
    step.extra["files_skipped"] = sum(not r.new for r in results)


def load_in_child(dsn: str, root: Path, manifests: list[Manifest]) -> Step:
    """``load`` run in a child process (forked while this one is small): the step's figures
    and the loader's own peak RSS."""
    step = Step("load")
    load(step, dsn, LandingArea(root), manifests)
    step.process_peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return step


# --------------------------------------------------------------------------- report
def print_step(step: Step, baseline: str = "") -> None:
    rss = f"{step.process_peak_rss_mb:,.0f} MB" if step.process_peak_rss_mb else "-"
    print(
        f"{step.what:<26} {step.seconds:>8.1f} s | process peak RSS {rss:>8} | PostgreSQL peak "
        f"PSS {step.server_peak_pss_mb:,.0f} MB (largest backend private "
        f"{step.server_peak_backend_private_mb:,.0f} MB), temp files "
        f"{step.server_temp_mb:,.0f} MB{baseline}"
    )
    if "nodes" in step.extra:
        totals = step.extra["node_seconds_by_type"]
        by_type = ", ".join(f"{kind} {seconds:,.1f} s" for kind, seconds in totals.items())
        print(f"    dbt elapsed {step.extra['dbt_elapsed_seconds']:.1f} s; node time: {by_type}")
        for node in step.extra["nodes"][:SLOWEST]:
            rows = f"{node['rows']:>10,} rows" if isinstance(node["rows"], int) else " " * 15
            print(
                f"    {node['seconds']:>7.2f} s {rows}  {node['type']:<6} "
                f"{node['materialized']:<11} {node['node']}"
            )


def postmaster_pid() -> int:
    from include.warehouse import embedded

    return int((embedded.pgdata_dir() / "postmaster.pid").read_text().split()[0])


def fresh_database(restart: bool = False) -> str:
    """(Re)create the benchmark's database on its own embedded server (first stopped if
    ``restart``); its DSN."""
    from include.warehouse import embedded

    if restart:
        embedded.stop()
    embedded.start()
    with psycopg.connect(embedded.uri("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return embedded.uri(DATABASE)


def server_settings(dsn: str) -> dict[str, str]:
    names = ("server_version", "shared_buffers", "work_mem", "maintenance_work_mem", "jit")
    with psycopg.connect(dsn) as conn:
        return {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in names}


def history_window(scenario: Scenario, years: int) -> RunWindow:
    """The history before the night (the scenario's last day): the ``years`` before it, or the
    whole scenario (from its first record) for its full span."""
    night = scenario.end
    start = scenario.start
    if years < SCENARIO_YEARS:
        start = max(start, night.replace(year=night.year - years))
    return RunWindow(start, night - dt.timedelta(days=1), nightly=False)


def prepare(
    root: Path, scale: float, seed: int, years: int
) -> tuple[dict[str, Any], list[Manifest], list[Manifest]]:
    """Build the scenario and land ``years`` of history and the night (run in a child
    process)."""
    from include.scenario import build_scenario

    started = time.perf_counter()
    scenario = build_scenario("hung_yen_province", seed, scale=scale)
    built = time.perf_counter() - started
    history = history_window(scenario, years)
    nightly = RunWindow(scenario.end, scenario.end, nightly=True)
    started = time.perf_counter()
    history_manifests, night_manifests = land_runs(LandingArea(root), scenario, [history, nightly])
    info: dict[str, Any] = {
        "years": years,
        "history": str(history),
        "nightly": str(nightly),
        "scenario_seconds": round(built, 1),
        "landing_seconds": round(time.perf_counter() - started, 1),
        "landing_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "counts": {
            f"{source}.{entity}": len(records)
            for (source, entity), (records, _) in entity_records(scenario).items()
        },
        "history_records": sum(m.record_count for m in history_manifests),
        "night_records": {
            f"{m.source}.{m.entity} {m.window_start}..{m.window_end}": m.record_count
            for m in night_manifests
        },
    }
    return info, history_manifests, night_manifests


def in_child(context: str, function: Callable[..., Any], *args: Any) -> Any:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(context)) as pool:
        return pool.submit(function, *args).result()


def history_pass(
    years: int, args: argparse.Namespace, root: Path, workdir: Path, *, baseline: bool
) -> tuple[dict[str, Any], list[Step]]:
    """Land and load ``years`` of history on a fresh database of a freshly started server,
    build it (beside the pre2025-only build if ``baseline``), then one night on top."""
    # The scenario is built and landed in a child, so that this process stays small: a child's
    # peak RSS as the kernel reports it is at least its parent's at the fork.
    span = f"{years} year" + "s" * (years > 1)
    landing = LandingArea(root / f"{years}y")
    info, history_manifests, night_manifests = in_child(
        "fork", prepare, landing.root, args.scale, args.seed, years
    )
    print(
        f"\n== {span} of history: hung_yen_province scale {args.scale}, history "
        f"{info['history']}, night {info['nightly']}; built in {info['scenario_seconds']:.0f} s"
        "\n  " + ", ".join(f"{table} {n:,}" for table, n in info["counts"].items())
    )
    print(
        f"landed {info['history_records']:,} history records in {info['landing_seconds']:.0f} s "
        f"(peak RSS of the landing process {info['landing_peak_rss_mb']:,} MB); the night's "
        "extracts:\n  " + ", ".join(f"{k} {n:,}" for k, n in info["night_records"].items())
    )
    # Restarted in a fresh interpreter: pgserver keeps a handle per data directory that a stop
    # in this process would leave stale. No pass sees the memory another left in the server.
    dsn = in_child("spawn", fresh_database, True)
    postmaster = postmaster_pid()
    info["server"] = server_settings(dsn)
    settings = ", ".join(f"{name} {value}" for name, value in info["server"].items())
    print(f"server {dsn.split('?')[0]} (restarted): {settings}")
    # The floor under a dbt process's reported peak RSS (see prepare's call above).
    info["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"this process's peak RSS: {info['bench_peak_rss_mb']} MB")
    steps: list[Step] = []
    project = DbtProject(dsn, workdir / f"{years}y")
    project.workdir.mkdir(parents=True)

    def raw_load(what: str, manifests: list[Manifest]) -> Step:
        with measured(what, dsn, postmaster) as step:
            loaded = in_child("fork", load_in_child, dsn, landing.root, manifests)
            step.process_peak_rss_mb, step.extra = loaded.process_peak_rss_mb, loaded.extra
        steps.append(step)
        return step

    def scan(what: str) -> None:
        counts, seconds = scan_baseline(dsn)
        info[f"raw_rows_{what}"] = counts
        info[f"scan_baseline_{what}_seconds"] = round(seconds, 2)
        print(
            f"{'scan baseline count(*)':<26} {seconds:>8.1f} s | {sum(counts.values()):,} raw rows"
        )

    print(f"\n-- 1. full build of the history ({span})")
    step = raw_load("raw load (history)", history_manifests)
    print_step(step, f" | {step.extra['loaded']:,} records")
    scan("history")
    with measured("dbt seed", dsn, postmaster) as step:
        project.run(step, "seed")
    steps.append(step)
    print_step(step)
    # Baseline for the second code scheme (reform2025.md §4): the same full build with the
    # pre2025 figures only, then the real one (both schemes); both full refreshes, so that
    # neither finds the other's incremental models already built.
    if baseline:
        with measured("dbt build (pre2025 only)", dsn, postmaster) as step:
            project.run(step, "build", "--full-refresh", extra_vars={"report_schemes": ["pre2025"]})
        steps.append(step)
        print_step(step)
    else:
        print("dbt build (pre2025 only): skipped (run in the longest history's pass only)")
    with measured("dbt build (full)", dsn, postmaster) as step:
        project.run(step, "build", "--full-refresh")
    steps.append(step)
    if baseline:
        info["second_scheme_ratio"] = round(step.seconds / steps[-2].seconds, 3)
        print_step(step, f" | {info['second_scheme_ratio']:.2f}× the pre2025-only build")
    else:
        print_step(step)

    print("\n-- 2. one night on top")
    step = raw_load("raw load (night)", night_manifests)
    print_step(
        step,
        f" | {step.extra['loaded']:,} records, {step.extra['files_loaded']} files "
        f"({step.extra['files_skipped']} unchanged snapshots skipped)",
    )
    scan("after_night")
    with measured("dbt build (incremental)", dsn, postmaster) as step:
        project.run(step, "build")
    steps.append(step)
    print_step(step)
    return info, steps


#: The comparison's figures of a step: (label, attribute of Step).
FIGURES = (
    ("process peak RSS MB", "process_peak_rss_mb"),
    ("PostgreSQL peak PSS MB", "server_peak_pss_mb"),
    ("largest backend private MB", "server_peak_backend_private_mb"),
    ("temp files MB", "server_temp_mb"),
    ("wall s", "seconds"),
)


def comparison(passes: dict[int, tuple[dict[str, Any], list[Step]]]) -> list[dict[str, Any]]:
    """Each step's figures (and the landing process's peak RSS) per history length, with the
    ratio of the longest history's to the shortest's."""
    rows = [
        {
            "step": "landing (prepare)",
            "figure": "landing process peak RSS MB",
            **{f"{y}y": info["landing_peak_rss_mb"] for y, (info, _) in passes.items()},
        }
    ]
    by_step = [{step.what: step for step in steps} for _, steps in passes.values()]
    names = list(dict.fromkeys(name for steps in by_step for name in steps))
    for name in names:
        for label, attribute in FIGURES:
            row: dict[str, Any] = {"step": name, "figure": label}
            for years, steps in zip(passes, by_step, strict=True):
                value = getattr(steps[name], attribute) if name in steps else None
                row[f"{years}y"] = None if value is None else round(value, 2)
            rows.append(row)
    shortest, longest = f"{min(passes)}y", f"{max(passes)}y"
    for row in rows:
        low, high = row[shortest], row[longest]
        row["ratio"] = round(high / low, 2) if low and high is not None else None
    return rows


def print_comparison(rows: list[dict[str, Any]], years: list[int]) -> None:
    columns = [f"{y}y" for y in years]
    ratio = f"{max(years)}y/{min(years)}y"
    print(f"\n{'step':<26} {'figure':<28}" + "".join(f" {c:>9}" for c in [*columns, ratio]))
    previous = ""
    for row in rows:
        cells = [row[c] for c in columns] + [row["ratio"]]
        step = row["step"] if row["step"] != previous else ""
        previous = row["step"]
        print(
            f"{step:<26} {row['figure']:<28}"
            + "".join(f" {'-' if v is None else f'{v:,.2f}':>9}" for v in cells)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="fraction of the province")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--years",
        type=int,
        nargs="+",
        choices=range(1, SCENARIO_YEARS + 1),
        default=list(range(1, SCENARIO_YEARS + 1)),
        help="history lengths to build and compare, each in its own pass (default: 1 2)",
    )
    args = parser.parse_args(argv)
    years = sorted(set(args.years))
    os.environ.setdefault("DTI_LOCAL_DIR", str(DEFAULT_LOCAL_DIR))

    # dbt's target and logs are kept until the next run, to be read when a step fails.
    workdir = Path(os.environ["DTI_LOCAL_DIR"]) / "last-run"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    with tempfile.TemporaryDirectory(dir=os.environ["DTI_LOCAL_DIR"], prefix="landing-") as tmp:
        passes = {
            n: history_pass(n, args, Path(tmp), workdir, baseline=n == years[-1]) for n in years
        }
    rows = comparison(passes)
    print_comparison(rows, years)

    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"warehouse-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    results = {
        f"{n}y": {
            **info,
            "steps": [
                {k: round(v, 2) if isinstance(v, float) else v for k, v in vars(step).items()}
                for step in steps
            ],
        }
        for n, (info, steps) in passes.items()
    }
    document = {"scale": args.scale, "seed": args.seed, "passes": results, "comparison": rows}
    out.write_text(json.dumps(document, default=str, indent=2))
    print(f"\nfigures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

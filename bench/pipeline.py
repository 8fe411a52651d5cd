"""Pipeline benchmark: the whole ``dti_nightly`` DAG on the province, a two-year initial load
and then one night.

The ``hung_yen_province`` scenario (Hưng Yên, 2023-01-01..2024-12-31) is served by the three
portal simulators (faults off unless ``--faults all``); the real DAG runs as ``airflow dags
test`` does, in a child process, against a warehouse and a metadata database of an embedded
server of its own (``DTI_LOCAL_DIR``, default ``.local/bpl``):

1. **Initial load**: conf ``window_start`` = the scenario's first day, ``window_end`` = its
   last day but one — cut into API-sized extract items by the DAG itself.
2. **One night**: no conf, run after 01:00 of the day after the scenario, so the DAG resolves
   its own nightly window (the scenario's last day, QLVB registers over their lookback).

Both runs happen "as of" 2025-01-01 01:00 Vietnam time (``DAG.test(run_after=...)``: the
``dags test`` command always runs as of now, which would make the nightly window a day the
scenario does not have). Each run's wall time is split by stage from the task instances Airflow
recorded — plan, extract, load, validate, dbt, publish, reports/audit — and the rest is
Airflow's own overhead (parsing, scheduling the next task). ``dags test`` runs one task at a
time, so the wall time is an upper bound of what the scheduler with parallel slots takes.

Baseline, measured in the same run on the same data: after each DAG run the same dbt project is
built once more by a single ``dbt build`` process, outside Airflow (a full refresh after the
initial load; an incremental build after the night, over the data the night just loaded) —
the cost of dbt's own work beside the DAG's dbt stage. That stage is printed three ways: the
seconds of its task instances (``prepare_marts``, Cosmos' producer task — the DAG's own one
``dbt build`` — and the per-model tasks that take their state from it), its span (first start
to last end, Airflow's scheduling between those tasks included) and the producer alone.

    python -m bench.pipeline [--scale 1.0] [--seed 0] [--faults none|all]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from bench.warehouse import (
    RESULTS_DIR,
    DbtProject,
    measured,
    postmaster_pid,
    print_step,
    run_child,
)
from include.connections import CONNECTION_IDS
from include.demo import SIMULATORS, connection_uri
from include.landing.versions import VN_TZ
from include.local_airflow import metadata_url
from include.paths import PROJECT_ROOT
from include.pipeline import dbt
from include.scenario import build_scenario
from include.simulators import DEMO_CREDENTIALS, FaultConfig
from include.warehouse import embedded

DEFAULT_LOCAL_DIR = PROJECT_ROOT / ".local" / "bpl"
WAREHOUSE_DB = "bench_pipeline"
METADATA_DB = "bench_pipeline_airflow"
DAG_ID = "dti_nightly"
PRODUCER_TASK_ID = "dbt.dbt_producer_watcher"
#: Task-id prefixes (within a source's group) and whole ids, by the stage they belong to.
STAGES = {
    "resolve_window": "plan",
    "plan": "plan",
    "extract": "extract",
    "load": "load",
    "validate": "validate",
    "validate_marts": "validate",
    "prepare_marts": "dbt",
    "publish": "publish",
    "officer_outputs": "reports/audit",
    "audit": "reports/audit",
}
STAGE_ORDER = ("plan", "extract", "load", "validate", "dbt", "publish", "reports/audit")
SLOWEST = 10

#: Run by the child: the DAG of ``airflow dags test`` (the deadline alert left out, as that
#: command leaves it out), run as of ``argv[1]`` with conf ``argv[2]``.
DAG_TEST_AT = """
import datetime, json, sys
run_after = datetime.datetime.fromisoformat(sys.argv[1])
conf = json.loads(sys.argv[2]) or None
sys.argv = ["airflow", "dags", "test", "dti_nightly"]
from airflow.utils.cli import get_bagged_dag
dag = get_bagged_dag(bundle_names=None, dag_id="dti_nightly")
run = dag.test(run_after=run_after, logical_date=run_after, run_conf=conf)
print(f"BENCH_RUN {run.run_id} {run.state}")
sys.exit(0 if str(run.state) == "success" else 1)
"""


def stage_of(task_id: str) -> str:
    if task_id.startswith("dbt."):
        return "dbt"
    return STAGES.get(task_id.rsplit(".", 1)[-1], "other")


@dataclass
class DagRunFigures:
    """One DAG run: wall time, and the task instances Airflow recorded for it."""

    what: str
    conf: dict[str, str]
    run_after: dt.datetime
    wall_seconds: float = 0.0
    run_id: str = ""
    tasks: list[dict[str, Any]] = field(default_factory=list)

    def by_stage(self) -> dict[str, tuple[int, float]]:
        totals: dict[str, list[float]] = defaultdict(list)
        for task in self.tasks:
            totals[stage_of(task["task_id"])].append(task["seconds"])
        return {stage: (len(t), sum(t)) for stage, t in totals.items()}

    def by_source(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for task in self.tasks:
            source, _, _ = task["task_id"].rpartition(".")
            if source and stage_of(task["task_id"]) != "dbt":
                totals[source] += task["seconds"]
        return dict(totals)

    def dbt_stage(self) -> dict[str, float]:
        """The dbt stage's task seconds, span (first start to last end) and producer seconds."""
        tasks = [task for task in self.tasks if stage_of(task["task_id"]) == "dbt"]
        if not tasks:
            return {"tasks": 0.0, "span": 0.0, "producer": 0.0}
        return {
            "tasks": sum(task["seconds"] for task in tasks),
            "span": max(task["end"] for task in tasks) - min(task["start"] for task in tasks),
            "producer": sum(
                task["seconds"] for task in tasks if task["task_id"] == PRODUCER_TASK_ID
            ),
        }


class Bench:
    """The server, the simulators' connections and the environment of the DAG runs."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        embedded.start()
        with psycopg.connect(embedded.uri("postgres"), autocommit=True) as conn:
            for database in (WAREHOUSE_DB, METADATA_DB):
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {database}")
        self.warehouse = embedded.uri(WAREHOUSE_DB)
        self.metadata = embedded.uri(METADATA_DB)
        socket_dir = embedded.pgdata_dir()
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(workdir / "airflow"),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__COSMOS__CACHE_DIR": str(workdir / "cosmos"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url(socket_dir, METADATA_DB),
            "DTI_LANDING_DIR": str(workdir / "landing"),
            "AIRFLOW_CONN_DTI_WAREHOUSE": self.warehouse,
            # A throwaway key: the benchmark's landed files are deleted with its directory.
            "AIRFLOW_VAR_DTI_PII_HMAC_KEY": secrets.token_hex(32),
        }

    def airflow(self, *args: str) -> None:
        log = self.workdir / f"airflow-{args[0]}-{args[1]}.log"
        code, _ = run_child([str(PROJECT_ROOT / ".venv" / "bin" / "airflow"), *args], self.env, log)
        if code != 0:
            raise SystemExit(f"airflow {' '.join(args)} failed (exit {code}); see {log}")

    def point_at(self, urls: dict[str, str]) -> None:
        for source, url in urls.items():
            creds = DEMO_CREDENTIALS[source]
            self.env[f"AIRFLOW_CONN_{CONNECTION_IDS[source].upper()}"] = connection_uri(
                url, creds["login"], creds["password"]
            )

    def run_dag(self, figures: DagRunFigures) -> None:
        log = self.workdir / f"{figures.what.replace(' ', '_')}.log"
        command = [
            str(PROJECT_ROOT / ".venv" / "bin" / "python"),
            "-c",
            DAG_TEST_AT,
            figures.run_after.isoformat(),
            json.dumps(figures.conf),
        ]
        started = time.perf_counter()
        code, _ = run_child(command, self.env, log)
        figures.wall_seconds = time.perf_counter() - started
        if code != 0:
            raise SystemExit(f"{figures.what}: the DAG run failed (exit {code}); see {log}")
        figures.run_id = next(
            line.split()[1] for line in log.read_text().splitlines() if "BENCH_RUN" in line
        )
        with psycopg.connect(self.metadata) as conn:
            rows = conn.execute(
                "SELECT task_id, map_index, state, try_number, "
                "extract(epoch FROM end_date - start_date), extract(epoch FROM start_date), "
                "extract(epoch FROM end_date) FROM task_instance "
                "WHERE dag_id = %s AND run_id = %s ORDER BY start_date",
                (DAG_ID, figures.run_id),
            ).fetchall()
        figures.tasks = [
            {
                "task_id": task_id,
                "map_index": map_index,
                "state": state,
                "tries": tries,
                "seconds": float(seconds or 0),
                "start": float(start or 0),
                "end": float(end or 0),
            }
            for task_id, map_index, state, tries, seconds, start, end in rows
        ]


def print_run(figures: DagRunFigures) -> None:
    stages = figures.by_stage()
    in_tasks = sum(seconds for _, seconds in stages.values())
    print(
        f"{figures.what}: wall {figures.wall_seconds:,.1f} s, {len(figures.tasks)} task "
        f"instances, {in_tasks:,.1f} s in tasks (run {figures.run_id})"
    )
    for stage in [*STAGE_ORDER, *sorted(set(stages) - set(STAGE_ORDER))]:
        if stage in stages:
            count, seconds = stages[stage]
            share = 100 * seconds / figures.wall_seconds
            print(f"  {stage:<14} {seconds:>9.1f} s {share:>5.1f} %  ({count} tasks)")
    overhead = figures.wall_seconds - in_tasks
    print(
        f"  {'Airflow':<14} {overhead:>9.1f} s {100 * overhead / figures.wall_seconds:>5.1f} %  "
        "(parsing, starting and scheduling tasks between them)"
    )
    sources = ", ".join(f"{s} {v:,.1f} s" for s, v in sorted(figures.by_source().items()))
    print(f"  per source (plan+extract+load+validate): {sources}")
    print("  slowest tasks:")
    for task in sorted(figures.tasks, key=lambda t: -t["seconds"])[:SLOWEST]:
        mapped = f"[{task['map_index']}]" if task["map_index"] >= 0 else ""
        print(f"    {task['seconds']:>8.1f} s  {task['task_id']}{mapped}")
    failed_tries = [t for t in figures.tasks if t["tries"] > 1]
    if failed_tries:
        print(f"  retried: {', '.join(t['task_id'] for t in failed_tries)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the province")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", choices=["none", "all"], default="none")
    args = parser.parse_args(argv)
    os.environ.setdefault("DTI_LOCAL_DIR", str(DEFAULT_LOCAL_DIR))
    workdir = Path(os.environ["DTI_LOCAL_DIR"]) / "last-run"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)

    started = time.perf_counter()
    scenario = build_scenario("hung_yen_province", args.seed, scale=args.scale)
    counts = {
        "dossiers": len(scenario.dossiers),
        "steps": len(scenario.steps),
        "register rows": sum(len(rows) for rows in scenario.documents.values()),
        "payments": len(scenario.payments),
        "ratings": len(scenario.ratings),
    }
    print(
        f"hung_yen_province scale {args.scale} (seed {args.seed}), {scenario.start}.."
        f"{scenario.end}, built in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items())
    )
    bench = Bench(workdir)
    started = time.perf_counter()
    dbt.ensure_manifest()  # before the DAG is parsed, as include.demo does
    bench.airflow("db", "migrate")
    print(f"airflow db migrate: {time.perf_counter() - started:.0f} s (not counted below)")

    next_morning = dt.datetime.combine(
        scenario.end + dt.timedelta(days=1), dt.time(1, 0), tzinfo=VN_TZ
    )
    initial_window = {
        "window_start": scenario.start.isoformat(),
        "window_end": (scenario.end - dt.timedelta(days=1)).isoformat(),
    }
    runs = [
        (DagRunFigures("initial load", initial_window, next_morning), ("build", "--full-refresh")),
        (DagRunFigures("one night", {}, next_morning + dt.timedelta(minutes=1)), ("build",)),
    ]
    faults = FaultConfig.all(args.seed) if args.faults == "all" else FaultConfig.none()
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"pipeline-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    project = DbtProject(bench.warehouse, workdir / "dbt")
    project.workdir.mkdir()
    server = (bench.warehouse, postmaster_pid())
    report: dict[str, Any] = {"scale": args.scale, "seed": args.seed, "faults": args.faults}
    report["counts"] = counts
    sims = [cls(scenario, faults=faults).start() for cls in SIMULATORS.values()]
    try:
        bench.point_at(dict(zip(SIMULATORS, (sim.url for sim in sims), strict=True)))
        for figures, dbt_args in runs:
            window = json.dumps(figures.conf) if figures.conf else "nightly (no conf)"
            print(f"\n-- {figures.what}: {window}, as of {figures.run_after.isoformat()}")
            bench.run_dag(figures)
            print_run(figures)
            with measured(f"baseline dbt {' '.join(dbt_args)}", *server) as baseline:
                project.run(baseline, *dbt_args)
            # A child's peak RSS counts this process's at the fork (the scenario): meaningless.
            baseline.process_peak_rss_mb = None
            stage = figures.dbt_stage()
            print_step(baseline)
            print(
                f"  the DAG's dbt stage vs this one dbt build ({baseline.seconds:.1f} s): "
                + ", ".join(
                    f"{what} {seconds:.1f} s = {seconds / baseline.seconds:.2f}×"
                    for what, seconds in stage.items()
                )
            )
            report[figures.what] = {
                "conf": figures.conf,
                "run_after": figures.run_after.isoformat(),
                "run_id": figures.run_id,
                "wall_seconds": round(figures.wall_seconds, 1),
                "stages": {s: round(v, 1) for s, (_, v) in figures.by_stage().items()},
                "sources": {s: round(v, 1) for s, v in figures.by_source().items()},
                "tasks": figures.tasks,
                "dbt_stage": {what: round(seconds, 1) for what, seconds in stage.items()},
                "baseline_dbt_seconds": round(baseline.seconds, 1),
                "baseline_dbt_elapsed": baseline.extra.get("dbt_elapsed_seconds"),
            }
            # Written after each run: the figures of a long initial load survive a failed night.
            out.write_text(json.dumps(report, default=str, indent=2))
    finally:
        for sim in sims:
            sim.stop()
    print(f"\nfigures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

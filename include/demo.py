"""The main job on the embedded default: ``make demo`` (or ``python -m include.demo``).

1. Generates a calibrated scenario (default ``my_hao_2023h1``, the Mỹ Hào 2023-H1 report's
   records; ``--scenario hung_yen_reform``, or ``make demo SCENARIO=hung_yen_reform``, the
   same town from 2024-07 to 2025-12 across the reform of 1/7/2025) and serves it from the
   three portal simulators (a background process), faults switched on.
2. Starts the embedded PostgreSQL (``.local/pgdata``): database ``dti`` is the warehouse,
   ``airflow`` Airflow's metadata.
3. Starts Airflow as a deployment runs it (``include/local_airflow.py``): scheduler,
   dag-processor, triggerer and api-server, LocalExecutor, homed in ``.local/airflow``, the
   connections pointing at the simulators. Triggers ``dti_nightly`` through Airflow's API over
   the scenario's dates and follows the run: extract → land → load → validate → dbt →
   validate marts → publish → audit.
4. Prints the run's audit, a few published figures, builds the scorecard site, and leaves
   Airflow and the simulators running: it prints the UI's address and login.
   ``python -m include.demo stop`` (``make stop``) stops Airflow, the simulators and the
   embedded PostgreSQL.

The demo's scheduler runs triggered runs only (``use_job_schedule`` off): its portals serve a
scenario of the past, and a nightly run of yesterday would find nothing there.

Personal data never reaches the landing area: the extractors redact it with the
``dti_pii_hmac_key`` secret, which the demo generates into ``.local/`` if none is configured
(and says so).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg

from include.connections import CONNECTION_IDS, HMAC_KEY_VARIABLE
from include.local_airflow import (
    ADMIN,
    LocalAirflow,
    free_port,
    metadata_url,
    stop_home,
    stop_processes,
)
from include.paths import local_dir
from include.pipeline import dbt
from include.scenario import SCENARIOS, build_scenario
from include.simulators import DEMO_CREDENTIALS
from include.sources import registry
from include.warehouse import embedded

SIMULATORS = registry.simulators()
HMAC_ENV = f"AIRFLOW_VAR_{HMAC_KEY_VARIABLE.upper()}"
DAG_ID = "dti_nightly"
#: Figures printed after the run: (indicator, handling level) for the scenario's main unit.
HEADLINE = (
    ("tthc.received", "district"),
    ("tthc.received_online", "district"),
    ("tthc.resolved_early", "district"),
    ("tthc.digitized_rate", "district"),
    ("tthc.received", "commune"),
    ("tthc.received_online", "commune"),
    ("qlvb.outgoing", "district"),
    ("dvc.procedures", "all"),
)


def ensure_demo_hmac_key() -> str:
    """Use the configured key; otherwise generate (once) and use a local demo key."""
    if os.environ.get(HMAC_ENV):
        return "configured (AIRFLOW_VAR_DTI_PII_HMAC_KEY)"
    key_file = local_dir() / "pii_hmac_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_hex(32))
        origin = f"generated a local demo key in {key_file}"
    else:
        origin = f"local demo key from {key_file}"
    os.environ[HMAC_ENV] = key_file.read_text().strip()
    return origin + " (set AIRFLOW_VAR_DTI_PII_HMAC_KEY for real data)"


def connection_uri(url: str, login: str, password: str) -> str:
    """An Airflow connection URI for a simulator, credentials URL-encoded."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{quote(login, safe='')}:{quote(password, safe='')}@{rest}"


def simulators_dir() -> Path:
    return local_dir() / "demo"


def start_simulators(scenario: str, seed: int, faults: str) -> dict[str, str]:
    """Serve ``scenario`` from every source's simulator in a background process (the command
    line of ``include.simulators``), so that Airflow left running still reaches its portals;
    return their URLs once they all answer."""
    run_dir = simulators_dir() / "run"
    stop_processes(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    port = _free_ports(len(SIMULATORS))
    log = simulators_dir() / "simulators.log"
    command = [
        sys.executable, "-m", "include.simulators", "all", "--scenario", scenario,
        "--seed", str(seed), "--faults", faults, "--clean-data", "--port", str(port),
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (run_dir / "simulators.pid").write_text(str(process.pid))
    urls = {source: f"http://127.0.0.1:{port + i}" for i, source in enumerate(SIMULATORS)}
    deadline = time.monotonic() + 300
    while not all(_listening(url) for url in urls.values()):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the simulators did not start; see {log}:\n{log.read_text()[-2000:]}")
        time.sleep(0.5)
    return urls


def _free_ports(count: int) -> int:
    """The first of ``count`` consecutive free local ports, 8081 onwards when free."""
    for base in range(8081, 65000 - count, 1000):
        if all(free_port(base + i) == base + i for i in range(count)):
            return base
    sys.exit(f"no {count} consecutive free local ports")


def _listening(url: str) -> bool:
    host, port = url.rsplit("/", 1)[-1].split(":")
    with contextlib.suppress(OSError), socket.create_connection((host, int(port)), timeout=1):
        return True
    return False


def demo_airflow(urls: dict[str, str]) -> LocalAirflow:
    """Airflow of ``.local/airflow`` on the embedded server, its connections at ``urls``."""
    env = {
        # The demo's portals serve a scenario of the past: triggered runs only (module doc).
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
    }
    for source, url in urls.items():
        creds = DEMO_CREDENTIALS[source]
        env[f"AIRFLOW_CONN_{CONNECTION_IDS[source].upper()}"] = connection_uri(
            url, creds["login"], creds["password"]
        )
    return LocalAirflow(
        home=local_dir() / "airflow",
        metadata=metadata_url(embedded.pgdata_dir(), "airflow"),
        port=free_port(8080),
        env=env,
    )


def stop() -> int:
    """Stop what ``make demo`` left running: Airflow, the simulators, the embedded server."""
    stopped = stop_home(local_dir() / "airflow") + stop_processes(simulators_dir() / "run")
    if embedded.is_running():
        embedded.stop()
        stopped.append("embedded PostgreSQL")
    print(f"stopped: {', '.join(stopped) or 'nothing was running'}")
    return 0


def print_results(dsn: str, agency_code: str) -> None:
    """The latest run's audit, then the headline figures of the unit of ``agency_code`` (the
    scenario's main agency) in its own scheme and, where its records count in another unit of
    the 2025 scheme (reform2025.md §4), there too."""
    with psycopg.connect(dsn) as conn:
        audit = conn.execute(
            "SELECT source, entity, extracted, loaded, quarantined, validation, published "
            "FROM ops.run_audit WHERE run_id = (SELECT run_id FROM ops.run_audit "
            "ORDER BY recorded_at DESC LIMIT 1) ORDER BY source, entity"
        ).fetchall()
        print(
            f"\n{'source':<11} {'entity':<10} {'extracted':>10} {'loaded':>9} "
            f"{'quarantined':>11}  validation  published"
        )
        for source, entity, extracted, loaded, quarantined, validation, published in audit:
            print(
                f"{source:<11} {entity:<10} {extracted:>10,} {loaded:>9,} {quarantined:>11,}"
                f"  {validation:<10}  {published}"
            )
        units = conn.execute(
            "SELECT scheme, unit_code FROM marts.agencies WHERE agency_code = %s "
            "UNION SELECT '2025', unit_code_2025 FROM marts.agencies "
            "WHERE agency_code = %s AND scheme = 'pre2025' AND unit_code_2025 IS NOT NULL "
            "ORDER BY 1 DESC",
            (agency_code, agency_code),
        ).fetchall()
        for scheme, unit_code in units:
            print(f"\npublished figures, unit {unit_code} ({scheme}) (marts.indicator_value):")
            for code, level in HEADLINE:
                for period_type, period_key, value, approximate in conn.execute(
                    "SELECT period_type, period_key, value, is_approximate "
                    "FROM marts.indicator_value "
                    "WHERE scheme = %s AND unit_code = %s AND handling_level = %s "
                    "AND indicator_code = %s AND period_type IN ('half', 'report_half') "
                    "AND is_complete ORDER BY period_type, period_start",
                    (scheme, unit_code, level, code),
                ):
                    mark = " (approximate)" if approximate else ""
                    print(
                        f"  {code:<24} {level:<9} {period_type:<12} {period_key:<9} {value}{mark}"
                    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["run", "stop"], default="run")
    parser.add_argument("--scenario", default="my_hao_2023h1", choices=sorted(SCENARIOS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", choices=["none", "all"], default="all")
    args = parser.parse_args(argv)
    if args.command == "stop":
        return stop()

    started = time.perf_counter()
    print(f"personal-data key: {ensure_demo_hmac_key()}")
    scenario = build_scenario(args.scenario, args.seed)
    print(
        f"scenario {scenario.name} (seed {scenario.seed}): {scenario.start}..{scenario.end}, "
        f"{len(scenario.dossiers):,} dossiers, "
        f"{sum(len(rows) for rows in scenario.documents.values()):,} register rows, "
        f"{len(scenario.payments):,} payments, {len(scenario.ratings):,} ratings"
    )
    warehouse_dsn = embedded.start()
    print(f"embedded warehouse: {warehouse_dsn}")
    # Parsed here, once, not by the DAG file: a fresh clone has no manifest, and a dbt parse
    # inside the DAG's import can outlast Airflow's import timeout on a busy machine.
    print(f"dbt manifest: {dbt.ensure_manifest()}")
    # What an earlier demo left running goes first: its ports are this one's.
    stop_home(local_dir() / "airflow")
    urls = start_simulators(args.scenario, args.seed, args.faults)
    for source, url in urls.items():
        print(f"simulator {source}: {url} (faults: {args.faults})")
    airflow = demo_airflow(urls)
    airflow.migrate()
    airflow.start()
    print(f"Airflow started: {airflow.url} (logs: {airflow.home / 'logs'})")
    airflow.wait_for_dag(DAG_ID)
    # One day past the scenario: the simulators' drift fault updates records "now" (the
    # scenario's clock, its last minute onwards), and a run must reach them as a real nightly
    # run would the next day.
    window_end = scenario.end + dt.timedelta(days=1)
    conf = {"window_start": scenario.start.isoformat(), "window_end": window_end.isoformat()}
    run_id = f"demo__{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%S}"
    airflow.trigger(DAG_ID, conf, run_id)
    print(f"triggered {DAG_ID} {run_id} with conf {json.dumps(conf)}")
    state = airflow.wait_for_run(
        DAG_ID, run_id, timeout=4 * 3600, every=10, progress=lambda line: print(f"  {line}")
    )
    main_agency = scenario.agencies[1]["MaDonVi"] if len(scenario.agencies) > 1 else ""
    if state == "success":
        print_results(warehouse_dsn, main_agency)
        site = local_dir() / "scorecard"
        subprocess.run(
            [sys.executable, "-m", "include.scorecard", "build", "--out", str(site)], check=True
        )
        print(
            f"\nscorecard site: {site}/index.html "
            f"(serve: .venv/bin/python -m include.scorecard serve --dir {site})"
        )
    else:
        failed = [
            ti["task_id"]
            for ti in airflow.task_instances(DAG_ID, run_id)
            if ti["state"] in ("failed", "upstream_failed")
        ]
        print(f"\nthe run failed: {', '.join(failed)} (their logs are in the UI)")
    print(
        f"\nAirflow keeps running (scheduler, dag-processor, triggerer, api-server):\n"
        f"  UI:    {airflow.url}/dags/{DAG_ID}/runs/{run_id}\n"
        f"  login: {ADMIN} / {airflow.password()}  (in {airflow.password_file})\n"
        f"  stop:  make stop  (Airflow, the simulators and the embedded PostgreSQL)"
    )
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0 if state == "success" else 1


if __name__ == "__main__":
    raise SystemExit(main())

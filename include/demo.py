"""The main job on the embedded default: ``make demo`` (or ``python -m include.demo``).

1. Generates a calibrated scenario (default ``my_hao_2023h1``, the Mỹ Hào 2023-H1 report's
   records; ``--scenario hung_yen_reform``, or ``make demo SCENARIO=hung_yen_reform``, the
   same town from 2024-07 to 2025-12 across the reform of 1/7/2025) and serves it from the
   three portal simulators, faults switched on.
2. Starts the embedded PostgreSQL (``.local/pgdata``): database ``dti`` is the warehouse,
   ``airflow`` Airflow's metadata; migrates Airflow's database.
3. Points the Airflow connections at the simulators and runs the real DAG ``dti_nightly`` over
   the scenario's dates with ``airflow dags test`` (no scheduler): extract → land → load →
   validate → dbt → validate marts → publish → audit.
4. Prints the run's audit, a few published figures, and builds the scorecard site.

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
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import quote

import psycopg

from include.connections import CONNECTION_IDS, HMAC_KEY_VARIABLE
from include.paths import PROJECT_ROOT, local_dir
from include.pipeline import dbt
from include.scenario import SCENARIOS, build_scenario
from include.simulators import DEMO_CREDENTIALS, FaultConfig
from include.sources import registry
from include.warehouse import embedded

SIMULATORS = registry.simulators()
HMAC_ENV = f"AIRFLOW_VAR_{HMAC_KEY_VARIABLE.upper()}"
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


@contextlib.contextmanager
def running_simulators(scenario, faults: FaultConfig) -> Iterator[dict[str, str]]:
    """Start every source's simulator and point the connections at them; yield their URLs."""
    with contextlib.ExitStack() as stack:
        urls = {}
        for source, simulator_class in SIMULATORS.items():
            sim = stack.enter_context(simulator_class(scenario, faults=faults))
            creds = DEMO_CREDENTIALS[source]
            env = f"AIRFLOW_CONN_{CONNECTION_IDS[source].upper()}"
            os.environ[env] = connection_uri(sim.url, creds["login"], creds["password"])
            urls[source] = sim.url
        yield urls


def airflow_environment() -> dict[str, str]:
    """Airflow configured on the embedded server, homed in ``.local/airflow``."""
    socket_dir = embedded.pgdata_dir()
    return {
        **os.environ,
        "AIRFLOW_HOME": str(local_dir() / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        # the spec's key variable holds no word Airflow masks by itself (docker-compose.yml)
        "AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES": HMAC_KEY_VARIABLE,
        "AIRFLOW__COSMOS__CACHE_DIR": str(local_dir() / "cosmos"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": (
            f"postgresql+psycopg://postgres:@/airflow?host={socket_dir}"
        ),
    }


def airflow(env: dict[str, str], *args: str) -> None:
    """Run the Airflow CLI of this virtual environment; stop the demo if it fails."""
    command = [str(PROJECT_ROOT / ".venv" / "bin" / "airflow"), *args]
    log = local_dir() / "demo-airflow.log"
    with log.open("a", encoding="utf-8") as output:
        result = subprocess.run(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        sys.exit(f"airflow {' '.join(args[:2])} failed (exit {result.returncode}); see {log}")


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
    parser.add_argument("--scenario", default="my_hao_2023h1", choices=sorted(SCENARIOS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", choices=["none", "all"], default="all")
    args = parser.parse_args(argv)

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
    env = airflow_environment()
    airflow(env, "db", "migrate")
    faults = FaultConfig.all(args.seed) if args.faults == "all" else FaultConfig.none()
    # One day past the scenario: the simulators' drift fault updates records "now" (the
    # scenario's clock, its last minute onwards), and a run must reach them as a real nightly
    # run would the next day.
    window_end = scenario.end + dt.timedelta(days=1)
    conf = {"window_start": scenario.start.isoformat(), "window_end": window_end.isoformat()}
    with running_simulators(scenario, faults) as urls:
        for source, url in urls.items():
            print(f"simulator {source}: {url} (faults: {args.faults})")
        env.update({k: v for k, v in os.environ.items() if k.startswith("AIRFLOW_")})
        print(f"running dti_nightly with conf {json.dumps(conf)} (log: .local/demo-airflow.log)")
        airflow(env, "dags", "test", "dti_nightly", "--conf", json.dumps(conf))
    main_agency = scenario.agencies[1]["MaDonVi"] if len(scenario.agencies) > 1 else ""
    print_results(warehouse_dsn, main_agency)
    site = local_dir() / "scorecard"
    subprocess.run(
        [sys.executable, "-m", "include.scorecard", "build", "--out", str(site)], check=True
    )
    print(
        f"\nscorecard site: {site}/index.html "
        f"(serve: .venv/bin/python -m include.scorecard serve --dir {site})"
    )
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

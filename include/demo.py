"""The main job on the embedded default: ``make demo`` (or ``python -m include.demo``).

Generates a scenario, serves it from the three portal simulators, points the Airflow
connections at them, extracts every source through the real extractors into the landing area,
starts the embedded PostgreSQL warehouse, and prints a summary. Personal data never reaches
the landing area: the extractors redact it with the ``dti_pii_hmac_key`` secret, which the demo
generates into ``.local/`` if none is configured (and says so).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from include.connections import CONNECTION_IDS, HMAC_KEY_VARIABLE
from include.extract import extract_source
from include.landing import LandingArea, Manifest
from include.paths import landing_dir, local_dir
from include.scenario import SCENARIOS, build_scenario
from include.simulators import (
    DEMO_CREDENTIALS,
    DvcPortalSimulator,
    FaultConfig,
    OnestopSimulator,
    QlvbSimulator,
)
from include.warehouse import embedded

SIMULATORS = {"onestop": OnestopSimulator, "qlvb": QlvbSimulator, "dvc_portal": DvcPortalSimulator}
HMAC_ENV = f"AIRFLOW_VAR_{HMAC_KEY_VARIABLE.upper()}"


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
    """Start the three simulators and point the connections at them; yield their URLs."""
    with contextlib.ExitStack() as stack:
        urls = {}
        for source, simulator_class in SIMULATORS.items():
            sim = stack.enter_context(simulator_class(scenario, faults=faults))
            creds = DEMO_CREDENTIALS[source]
            env = f"AIRFLOW_CONN_{CONNECTION_IDS[source].upper()}"
            os.environ[env] = connection_uri(sim.url, creds["login"], creds["password"])
            urls[source] = sim.url
        yield urls


def summarise(manifests: list[Manifest]) -> list[tuple[str, str, int, int, int]]:
    """(source, entity, extracts, records, quarantined) per landed entity."""
    rows: dict[tuple[str, str], list[int]] = {}
    for manifest in manifests:
        row = rows.setdefault((manifest.source, manifest.entity), [0, 0, 0])
        row[0] += 1
        row[1] += manifest.record_count
        row[2] += len(manifest.quarantine)
    return [(s, e, *counts) for (s, e), counts in sorted(rows.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="my_hao_2023h1", choices=sorted(SCENARIOS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", choices=["none", "all"], default="all")
    parser.add_argument("--landing", type=Path, default=None, help="landing area root")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    print(f"personal-data key: {ensure_demo_hmac_key()}")
    started = time.perf_counter()
    scenario = build_scenario(args.scenario, args.seed)
    print(
        f"scenario {scenario.name} (seed {scenario.seed}): {scenario.start}..{scenario.end}, "
        f"{len(scenario.dossiers):,} dossiers, "
        f"{sum(len(rows) for rows in scenario.documents.values()):,} register rows, "
        f"{len(scenario.payments):,} payments, {len(scenario.ratings):,} ratings "
        f"({time.perf_counter() - started:.1f} s)"
    )
    faults = FaultConfig.all(args.seed) if args.faults == "all" else FaultConfig.none()
    landing = LandingArea(args.landing or landing_dir())
    manifests: list[Manifest] = []
    with running_simulators(scenario, faults) as urls:
        for source, url in urls.items():
            print(f"simulator {source}: {url} (faults: {args.faults})")
        for source in SIMULATORS:
            source_started = time.perf_counter()
            landed = extract_source(source, scenario.start, scenario.end, landing=landing)
            manifests.extend(landed)
            records = sum(m.record_count for m in landed)
            print(
                f"extracted {source}: {records:,} records in {len(landed)} extracts "
                f"({time.perf_counter() - source_started:.1f} s)"
            )

    warehouse_uri = embedded.start()
    print(f"embedded warehouse running: {warehouse_uri}")

    print(f"\nlanding area: {landing.root}")
    print(f"{'source':<11} {'entity':<10} {'extracts':>8} {'records':>10} {'quarantined':>11}")
    for source, entity, extracts, records, quarantined in summarise(manifests):
        print(f"{source:<11} {entity:<10} {extracts:>8} {records:>10,} {quarantined:>11}")
    print(f"\ndone in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

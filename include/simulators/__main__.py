"""Run portal simulators in the foreground.

    python -m include.simulators {<source>|all} --scenario small --port 8081 \
        [--host 127.0.0.1] [--seed 0] [--faults none|all] [--clean-data]

The sources are those of include/sources/registry.yaml; ``all`` starts every one, on
consecutive ports in the registry's order. Ctrl-C or SIGTERM stops them cleanly.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
from types import FrameType

from include.scenario.model import Scenario
from include.simulators.base import SimulatorServer
from include.simulators.credentials import DEMO_CREDENTIALS
from include.simulators.faults import FaultConfig
from include.sources import registry

SIMULATORS: dict[str, type[SimulatorServer]] = registry.simulators()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m include.simulators", description=__doc__)
    parser.add_argument("source", choices=[*SIMULATORS, "all"])
    parser.add_argument("--scenario", default="small", help="scenario name (default: small)")
    parser.add_argument("--port", type=int, default=8081, help="first port (0 = any free port)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=0, help="scenario and fault seed")
    parser.add_argument("--faults", choices=["none", "all"], default="none")
    parser.add_argument(
        "--clean-data",
        action="store_true",
        help="build the scenario without data-level faults (NFD, extra fields, bad records)",
    )
    return parser


def _build(name: str, seed: int, data_faults: bool) -> Scenario:
    # Imported here: the generator is heavy and only the command line needs it.
    from include.scenario import DataFaults, build_scenario

    print(f"Building scenario {name!r} (seed {seed}, data faults {data_faults})...", flush=True)
    started = time.monotonic()
    scenario = build_scenario(name, seed, DataFaults.all() if data_faults else None)
    documents = sum(len(rows) for rows in scenario.documents.values())
    print(
        f"  built in {time.monotonic() - started:.1f} s: {len(scenario.dossiers)} dossiers, "
        f"{len(scenario.steps)} steps, {documents} register rows, "
        f"{len(scenario.payments)} payments, {len(scenario.ratings)} ratings",
        flush=True,
    )
    return scenario


def serve(
    sources: list[str],
    scenario: Scenario,
    *,
    host: str,
    port: int,
    faults_name: str,
    seed: int,
    stop: threading.Event,
) -> None:
    """Start the simulators of ``sources``, print how to reach them, serve until ``stop``."""
    faults = FaultConfig.from_name(faults_name, seed)
    running: list[SimulatorServer] = []
    try:
        for index, source in enumerate(sources):
            simulator = SIMULATORS[source](
                scenario, faults=faults, host=host, port=port + index if port else 0
            )
            running.append(simulator.start())
            creds = DEMO_CREDENTIALS[source]
            print(f"\n{source}: {simulator.url}  (faults: {faults_name})")
            print(f"  login={creds['login']!r} password={creds['password']!r}")
            example = simulator.example(simulator.url, creds["login"], creds["password"])
            print(f"  try: {example}", flush=True)
        print("\nServing; Ctrl-C to stop.", flush=True)
        stop.wait()
    finally:
        for simulator in running:
            simulator.stop()
        print("Stopped.", flush=True)


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    sources = list(SIMULATORS) if args.source == "all" else [args.source]
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scenario = _build(args.scenario, args.seed, not args.clean_data)
    serve(
        sources,
        scenario,
        host=args.host,
        port=args.port,
        faults_name=args.faults,
        seed=args.seed,
        stop=stop,
    )


if __name__ == "__main__":
    main()

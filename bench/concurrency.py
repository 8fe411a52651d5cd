"""Extraction at concurrency 1 and 4 beside each other (issue 12), against slow simulators.

Each simulator answers every request after ``--latency`` seconds (a distant or busy portal;
QLVB exports also wait ``--export-delay``): the time the extractors spend is then waiting for
the portal, which concurrent requests overlap. One month of one-stop dossiers and steps and of
DVC payments and ratings, one quarter of the three QLVB registers, of the ``small`` scenario;
the landed records of both runs are compared (they must be equal).

    python -m bench.concurrency [--latency 0.2] [--export-delay 0.5] [--concurrency 1 4]

About a minute and a half with the defaults.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: (source, entities, first day, last day) of the ``small`` scenario (2023-03-30..2023-06-30).
ITEMS = (
    ("onestop", ("hoso", "tientrinh"), "2023-05-01", "2023-05-31"),
    ("dvc_portal", ("payments", "ratings"), "2023-05-01", "2023-05-31"),
    ("qlvb", ("den", "di", "hscv"), "2023-04-01", "2023-06-30"),
)
HMAC_KEY = b"benchmark-only-key-0123456789abcdef"


@dataclass
class Run:
    seconds: float
    requests: int
    records: int
    peak_in_flight: int
    landed: dict[str, list[Any]]


def extract(
    scenario: Any,
    source: str,
    entities: tuple[str, ...],
    first: str,
    last: str,
    concurrency: int,
    faults: Any,
    root: Path,
) -> Run:
    """One item extracted from a fresh simulator at ``concurrency``."""
    from include.connections import CONNECTION_IDS, SourceConnection
    from include.extract.http import ExtractSettings
    from include.extract.sources import extract_source
    from include.landing import LandingArea
    from include.simulators import DEMO_CREDENTIALS
    from include.sources import registry

    settings = ExtractSettings(
        connect_timeout=2.0,
        read_timeout=2.0 + faults.latency_seconds,
        export_read_timeout=10.0,
        page_size=200,
        concurrency=concurrency,
        sleep=lambda seconds: None,
    )
    area = LandingArea(root)
    credentials = DEMO_CREDENTIALS[source]
    with registry.simulators()[source](scenario, faults=faults) as sim:
        connection = SourceConnection.from_url(
            CONNECTION_IDS[source], sim.url, credentials["login"], credentials["password"]
        )
        started = time.perf_counter()
        manifests = extract_source(
            source,
            first,
            last,
            landing=area,
            connection=connection,
            settings=settings,
            hmac_key=HMAC_KEY,
            entities=entities,
        )
        seconds = time.perf_counter() - started
        peak = sim.peak_in_flight
    landed = {
        entity: sorted(area.latest_records(source, entity), key=lambda r: repr(sorted(r.items())))
        for entity in entities
    }
    return Run(
        seconds,
        sum(m.timings.requests for m in manifests),
        sum(m.record_count + m.quarantine_count for m in manifests),
        peak,
        landed,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--export-delay", type=float, default=0.5, help="extra per QLVB export")
    parser.add_argument("--concurrency", type=int, nargs=2, default=(1, 4))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from include.scenario import build_scenario
    from include.simulators import FaultConfig

    scenario = build_scenario("small", args.seed)
    faults = FaultConfig(latency_seconds=args.latency, export_delay_seconds=args.export_delay)
    low, high = args.concurrency
    print(
        f"small scenario, {args.latency:g} s per request, {args.export_delay:g} s more per "
        f"QLVB export, page size 200: concurrency {low} | {high}"
    )
    totals = [0.0, 0.0]
    equal = True
    with tempfile.TemporaryDirectory() as tmp:
        for source, entities, first, last in ITEMS:
            runs = [
                extract(scenario, source, entities, first, last, c, faults, Path(tmp) / f"{c}")
                for c in (low, high)
            ]
            same = runs[0].landed == runs[1].landed
            equal &= same
            for i, run in enumerate(runs):
                totals[i] += run.seconds
            a, b = runs
            print(
                f"{source + ' ' + '+'.join(entities):<34} {a.records:>6,} rec "
                f"{a.requests:>4} req | {a.seconds:>6.1f} s (peak {a.peak_in_flight}) | "
                f"{b.seconds:>6.1f} s (peak {b.peak_in_flight})  x{a.seconds / b.seconds:.1f}"
                f"  {'same records' if same else 'RECORDS DIFFER'}"
            )
    print(
        f"{'total':<34} {'':>20} | {totals[0]:>6.1f} s          | {totals[1]:>6.1f} s"
        f"           x{totals[0] / totals[1]:.1f}"
    )
    return 0 if equal else 1


if __name__ == "__main__":
    raise SystemExit(main())

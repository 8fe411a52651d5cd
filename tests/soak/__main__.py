"""``python -m tests.soak [--scenario NAME] [--seeds N] [--orders M] [--first-seed S]``.

Runs the zero-loss soak (tests/soak/runner.py) for seeds S..S+N-1, M window orders each, and
prints the figures; exits 1 when any record was lost, doubled, extra, stale or not quarantined.
"""

from __future__ import annotations

import argparse
import logging
import sys

from include.scenario import SCENARIOS

from .runner import run_soak, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__)
    parser.add_argument("--scenario", default="my_hao_2023h1", choices=sorted(SCENARIOS))
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds (default 5)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--orders", type=int, default=3, help="window orders per seed")
    args = parser.parse_args(argv)
    # The extractors log every retry and restart: thousands of lines over a soak.
    logging.basicConfig(level=logging.ERROR)
    results = []
    for result in run_soak(
        args.scenario, list(range(args.first_seed, args.first_seed + args.seeds)), args.orders
    ):
        results.append(result)
        state = "ok" if result.ok else "FAILED"
        print(
            f"seed {result.seed} order {result.order}: {state}, "
            f"{result.total('records')} records, {sum(result.faults.values())} faults, "
            f"{result.seconds:.1f}s",
            flush=True,
        )
    print(summary(results))
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Operate on the loads the marts do not read (docs/operations.md, "A load held back").

    python -m include.validate held [--source S]            # loads held back, and why
    python -m include.validate validate LOAD_ID ...          # validate again (e.g. after an
                                                             # expectation was corrected)
    python -m include.validate accept LOAD_ID --reason TEXT  # release a failed load as it is

``accept`` quarantines the load's records that are invalid under the spec (as within the
tolerance) and releases the rest with the failures the operator accepts; who (``--by``, default
the login name) and why are kept in ``ops.load_verdict``. The next ``dti_nightly`` run builds
it into the marts. All use the ``dti_warehouse`` connection (or the embedded default), like the
DAG.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import psycopg

from include.sources import registry
from include.validate.loads import accept_load, validate_loads
from include.validate.verdicts import VerdictError, held_loads
from include.warehouse.connection import warehouse_dsn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m include.validate", description=__doc__)
    parser.add_argument("--dsn", help="warehouse DSN (default: the dti_warehouse connection)")
    actions = parser.add_subparsers(dest="action", required=True)
    held = actions.add_parser("held", help="list the loads the marts do not read")
    held.add_argument("--source", choices=registry.SLUGS)
    again = actions.add_parser("validate", help="validate loads again")
    again.add_argument("load_ids", nargs="+", type=int)
    accepting = actions.add_parser("accept", help="release a load that failed validation")
    accepting.add_argument("load_id", type=int)
    accepting.add_argument("--reason", required=True, help="why it may be published as it is")
    accepting.add_argument("--by", default=getpass.getuser(), help="who accepts it")
    args = parser.parse_args(argv)
    dsn = args.dsn or warehouse_dsn()
    if args.action == "held":
        return _list_held(dsn, args.source)
    if args.action == "validate":
        outcomes = validate_loads(dsn, args.load_ids)
        for outcome in outcomes:
            print(outcome.message())
        return 0 if all(outcome.passed for outcome in outcomes) else 1
    try:
        outcome = accept_load(dsn, args.load_id, reason=args.reason, by=args.by)
    except VerdictError as exc:
        print(f"not accepted: {exc}", file=sys.stderr)
        return 1
    print(outcome.message())
    print(f"load {args.load_id} accepted by {args.by}: {args.reason}")
    return 0


def _list_held(dsn: str, source: str | None) -> int:
    with psycopg.connect(dsn) as conn:
        loads = held_loads(conn, source)
    for load in loads:
        print(load)
        for line in (load.message or "").splitlines():
            if line.strip().startswith("- [blocking]"):
                print(f"    {line.strip()}")
    if not loads:
        print("no load is held back")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

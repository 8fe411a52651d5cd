"""Inspect or roll back the published marts from a shell.

    python -m include.publish status     # state and run of marts and marts_build
    python -m include.publish rollback   # put the previous published figures back

Both use the ``dti_warehouse`` connection (or the embedded default), like the DAG.
"""

from __future__ import annotations

import argparse
import json
import sys

import psycopg

from include.publish.wap import PublishError, rollback, schema_state, tables_in
from include.warehouse.connection import warehouse_dsn
from include.warehouse.roles import CANDIDATE_SCHEMA, PUBLISHED_SCHEMA


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m include.publish", description=__doc__)
    parser.add_argument("action", choices=["status", "rollback"])
    parser.add_argument("--dsn", help="warehouse DSN (default: the dti_warehouse connection)")
    args = parser.parse_args(argv)
    dsn = args.dsn or warehouse_dsn()
    if args.action == "rollback":
        try:
            run_id = rollback(dsn)
        except PublishError as exc:
            print(f"rollback refused: {exc}", file=sys.stderr)
            return 1
        print(f"{PUBLISHED_SCHEMA} holds the figures of run {run_id} again")
        return 0
    with psycopg.connect(dsn) as conn:
        for schema in (PUBLISHED_SCHEMA, CANDIDATE_SCHEMA):
            state = schema_state(conn, schema)
            tables = len(tables_in(conn, schema))
            print(f"{schema}: {tables} tables, {json.dumps(state.detail, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

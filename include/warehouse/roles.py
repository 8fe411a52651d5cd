"""Database roles of the warehouse (warehouse.md §1).

* The pipeline's role — whoever the ``dti_warehouse`` connection logs in as — creates, and so
  owns, every schema it writes: the raw schemas (one per source), ``ops``, dbt's ``staging``,
  ``intermediate`` and ``seeds``, and the two marts schemas of write-audit-publish
  (``marts`` and its candidate ``marts_build``, see ``include/publish``).
* ``dti_bi`` is read-only: ``USAGE`` on schema ``marts`` and ``SELECT`` on its tables, nothing
  else. Table privileges are also given by default privileges on both marts schemas, so tables
  dbt creates later are covered; only ``marts`` is ever reachable because schema ``USAGE`` is
  granted on it alone (publishing moves that grant with the name, in the swap's transaction).

Passwords never live in the repository: ``dti_bi`` is created without login, and gets one only
when the command is given a password through the environment (``DTI_BI_PASSWORD``, set by the
deployment's secret store or ``.env``)::

    python -m include.warehouse.roles          # uses the dti_warehouse connection
"""

from __future__ import annotations

import argparse
import os

import psycopg
from psycopg import sql

BI_ROLE = "dti_bi"
PUBLISHED_SCHEMA = "marts"
CANDIDATE_SCHEMA = "marts_build"
BI_PASSWORD_ENV = "DTI_BI_PASSWORD"


def ensure_roles(conn: psycopg.Connection, *, bi_password: str | None = None) -> None:
    """Create ``dti_bi`` and the marts schemas if missing and (re)apply every grant.

    Idempotent; run by the deployment's init step and before each publish. With
    ``bi_password`` the role may log in with it, otherwise it cannot log in (``SET ROLE`` or
    a grant of membership by an administrator).
    """
    bi = sql.Identifier(BI_ROLE)
    published = sql.Identifier(PUBLISHED_SCHEMA)
    candidate = sql.Identifier(CANDIDATE_SCHEMA)
    with conn.transaction():
        # Role creation is cluster-wide: serialise concurrent first runs.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('dti_roles'))")
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (BI_ROLE,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(bi))
        if bi_password:
            conn.execute(
                sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(bi, sql.Literal(bi_password))
            )
        database = sql.Identifier(conn.info.dbname)
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, bi))
        # PostgreSQL lets every role use schema public; BI must not see anything outside marts.
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        for schema in (published, candidate):
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
            conn.execute(
                sql.SQL(
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}"
                ).format(schema, bi)
            )
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(published, bi))
        conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(published, bi))
        conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(candidate, bi))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create the read-only BI role and its grants.")
    parser.add_argument("--dsn", help="warehouse DSN (default: the dti_warehouse connection)")
    args = parser.parse_args(argv)
    from include.warehouse.connection import warehouse_dsn

    with psycopg.connect(args.dsn or warehouse_dsn()) as conn:
        ensure_roles(conn, bi_password=os.environ.get(BI_PASSWORD_ENV) or None)
    print(f"role {BI_ROLE}: USAGE on {PUBLISHED_SCHEMA}, SELECT on its tables")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

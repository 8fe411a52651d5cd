"""warehouse.md §1: ``dti_bi`` reads schema ``marts`` and nothing else."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from include.load import ensure_schema
from include.warehouse.roles import ensure_roles

OTHER_RELATIONS = [
    "onestop.hoso",
    "qlvb.den",
    "dvc_portal.payments",
    "ops.load_ledger",
    "staging.stg_x",
    "intermediate.int_x",
    "seeds.indicators",
    "marts_build.indicator_value",
    "public.leftover",
]


@pytest.fixture
def warehouse(fresh_dsn: str) -> str:
    with psycopg.connect(fresh_dsn) as conn:
        ensure_schema(conn)
        conn.execute("CREATE SCHEMA staging; CREATE SCHEMA intermediate; CREATE SCHEMA seeds")
        conn.execute(
            "CREATE TABLE staging.stg_x (a int); CREATE TABLE intermediate.int_x (a int);"
            "CREATE TABLE seeds.indicators (a int); CREATE TABLE public.leftover (a int)"
        )
        ensure_roles(conn)
        # Created after the grants: default privileges must cover them.
        conn.execute(
            "CREATE TABLE marts.indicator_value (v int);"
            "INSERT INTO marts.indicator_value VALUES (7)"
        )
        conn.execute("CREATE TABLE marts_build.indicator_value (v int)")
        conn.commit()
    return fresh_dsn


def as_bi(dsn: str) -> psycopg.Connection:
    conn = psycopg.connect(dsn, autocommit=True)
    conn.execute("SET ROLE dti_bi")
    return conn


def test_bi_reads_marts_including_tables_created_after_the_grants(warehouse: str) -> None:
    with as_bi(warehouse) as conn:
        assert conn.execute("SELECT v FROM marts.indicator_value").fetchall() == [(7,)]


@pytest.mark.parametrize("relation", OTHER_RELATIONS)
def test_bi_is_refused_everywhere_else(warehouse: str, relation: str) -> None:
    with as_bi(warehouse) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(f"SELECT * FROM {relation}")


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO marts.indicator_value VALUES (1)",
        "DELETE FROM marts.indicator_value",
        "CREATE TABLE marts.mine (a int)",
        "DROP TABLE marts.indicator_value",
    ],
)
def test_bi_cannot_write_marts(warehouse: str, statement: str) -> None:
    with as_bi(warehouse) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(statement)


def test_ensure_roles_is_idempotent_and_never_grants_more_than_a_login(
    warehouse: str,
) -> None:
    with psycopg.connect(warehouse) as conn:
        ensure_roles(conn)
        assert conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
            "WHERE rolname = 'dti_bi'"
        ).fetchone() == (False, False, False, False)
        ensure_roles(conn, bi_password="not-a-real-secret")
        assert conn.execute(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'dti_bi'"
        ).fetchone() == (True,)
        ensure_roles(conn)  # no password given: login left as an administrator set it
        assert conn.execute(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'dti_bi'"
        ).fetchone() == (True,)

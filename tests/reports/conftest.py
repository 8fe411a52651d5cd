"""The hand-made marts (``marts_fixture``), built once per session in their own databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from tests.reports import marts_fixture


def _marts_database(server_dsn: str, **options: bool) -> Iterator[str]:
    name = f"marts_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base, _, query = server_dsn.partition("?")
    dsn = f"{base.rsplit('/', 1)[0]}/{name}?{query}"
    with psycopg.connect(dsn) as conn:
        marts_fixture.build(conn, **options)
    yield dsn
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def marts_dsn(server_dsn: str) -> Iterator[str]:
    """A database whose schema ``marts`` is the fixture's (read-only for the tests)."""
    yield from _marts_database(server_dsn)


@pytest.fixture(scope="session")
def reform_marts_dsn(server_dsn: str) -> Iterator[str]:
    """The same marts plus the fixture's ``2025`` slice and crosswalk (read-only)."""
    yield from _marts_database(server_dsn, with_2025=True)


@pytest.fixture(scope="session")
def reform_marts_before_dsn(server_dsn: str) -> Iterator[str]:
    """The 2025 marts as a run loaded through 30/06/2025 would leave them: no period that
    starts after the reform, and the year 2025 incomplete (read-only)."""
    for dsn in _marts_database(server_dsn, with_2025=True):
        with psycopg.connect(dsn) as conn:
            marts_fixture.load_only_through(conn, marts_fixture.REFORM_DATE)
        yield dsn

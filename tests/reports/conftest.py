"""The hand-made marts (``marts_fixture``), built once per session in its own database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from tests.reports import marts_fixture


@pytest.fixture(scope="session")
def marts_dsn(server_dsn: str) -> Iterator[str]:
    """A database whose schema ``marts`` is the fixture's (read-only for the tests)."""
    name = f"marts_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base, _, query = server_dsn.partition("?")
    dsn = f"{base.rsplit('/', 1)[0]}/{name}?{query}"
    with psycopg.connect(dsn) as conn:
        marts_fixture.build(conn)
    yield dsn
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

"""Suite-wide fixtures: the embedded PostgreSQL of the tests and fresh databases in it.

The tests' server lives in its own project-local directory (``.local/test``), never the demo's,
and each test module that asks for ``fresh_dsn`` gets a database of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from include.paths import PROJECT_ROOT

TEST_LOCAL_DIR = PROJECT_ROOT / ".local" / "test"


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[str]:
    """DSN of the maintenance database of the tests' embedded server (started on demand)."""
    previous = os.environ.get("DTI_LOCAL_DIR")
    os.environ["DTI_LOCAL_DIR"] = str(TEST_LOCAL_DIR)
    try:
        from include.warehouse import embedded

        embedded.start()
        yield embedded.uri("postgres")
    finally:
        if previous is None:
            os.environ.pop("DTI_LOCAL_DIR", None)
        else:
            os.environ["DTI_LOCAL_DIR"] = previous


def _database_dsn(server_dsn: str, name: str) -> str:
    base, _, query = server_dsn.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}?{query}"


@pytest.fixture
def fresh_dsn(server_dsn: str) -> Iterator[str]:
    """A new, empty database for one test; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield _database_dsn(server_dsn, name)
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

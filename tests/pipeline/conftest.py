"""Fixtures of the pipeline tests: a landing area and validation output per test, databases,
and a server of their own to restart."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from include.landing import LandingArea
from include.paths import PROJECT_ROOT


@pytest.fixture
def landing(tmp_path: Path) -> LandingArea:
    return LandingArea(tmp_path / "landing")


@pytest.fixture(autouse=True)
def validation_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation results and Data Docs of each test in its own directory."""
    monkeypatch.setenv("DTI_VALIDATION_DIR", str(tmp_path / "validation"))


@contextlib.contextmanager
def new_database(server_dsn: str) -> Iterator[str]:
    """A new database on the server of ``server_dsn``, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base, _, query = server_dsn.partition("?")
    try:
        yield f"{base.rsplit('/', 1)[0]}/{name}?{query}"
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def module_dsn(server_dsn: str) -> Iterator[str]:
    """A database of the tests' server for one module's tests (e.g. a run to compare with)."""
    with new_database(server_dsn) as dsn:
        yield dsn


@pytest.fixture
def other_dsn(server_dsn: str) -> Iterator[str]:
    """A second new database for one test (the same steps run undisturbed, to compare)."""
    with new_database(server_dsn) as dsn:
        yield dsn


@dataclass(frozen=True)
class RestartableServer:
    """A PostgreSQL of these tests alone (``.local/test-restart``), so restarting it disturbs
    no other test."""

    pgdata: Path
    dsn: str

    def restart(self) -> None:
        """A fast restart: every session is ended, as when the server's machine reboots."""
        from pgserver._commands import pg_ctl

        # pgserver runs PostgreSQL as an unprivileged system user when we are root.
        user = "pgserver" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=self.pgdata, user=user)


@pytest.fixture(scope="module")
def restartable_server(server_dsn: str) -> Iterator[RestartableServer]:
    # server_dsn first: it points pgserver's runtime directory into the project.
    import pgserver
    from pgserver._commands import pg_ctl

    pgdata = PROJECT_ROOT / ".local" / "test-restart" / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    yield RestartableServer(pgdata, server.get_uri("postgres"))
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)

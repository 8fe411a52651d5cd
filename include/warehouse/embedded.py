"""The embedded default warehouse: a real PostgreSQL 16 from the ``pgserver`` wheel.

Used when no ``dti_warehouse`` connection is configured, so the project runs on a fresh machine
with no Docker and no pre-installed server. The data directory is project-local
(``.local/pgdata``); the server listens on a Unix socket inside it only (no TCP port, so two
checkouts never collide), and keeps running across processes (Airflow tasks, dbt, psql) until
``stop()``.

Command line::

    python -m include.warehouse.embedded start|stop|status|uri
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from include.paths import local_dir

#: Databases the project creates in the embedded server: the warehouse and Airflow's metadata.
DATABASES = ("dti", "airflow")


def pgdata_dir() -> Path:
    return local_dir() / "pgdata"


def _use_local_runtime_dir() -> None:
    # pgserver decides its lock-file location at import time from XDG_RUNTIME_DIR; point it at
    # the project-local directory so nothing of ours lands in /tmp.
    run_dir = local_dir() / "run"
    run_dir.mkdir(mode=0o700, exist_ok=True)
    run_dir.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(run_dir))


def _server():
    _use_local_runtime_dir()
    import pgserver

    # pgserver logs its bookkeeping at INFO from an atexit hook, after test runners and daemons
    # have closed their streams; only its warnings are worth showing.
    logging.getLogger("pgserver").setLevel(logging.WARNING)

    # cleanup_mode=None: the server outlives this process; stop() ends it explicitly.
    return pgserver.get_server(pgdata_dir(), cleanup_mode=None)


def start() -> str:
    """Start the embedded server if it is not running, create the project databases, return
    the warehouse URI (``postgresql://postgres@/dti?host=<socket dir>``)."""
    server = _server()
    existing = set(server.psql("SELECT datname FROM pg_database;").split())
    for name in DATABASES:
        if name not in existing:
            server.psql(f"CREATE DATABASE {name};")
    return uri("dti")


def uri(database: str = "dti") -> str:
    """URI of one database of the running embedded server."""
    return _server().get_uri(database)


def is_running() -> bool:
    pid_file = pgdata_dir() / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop() -> None:
    """Stop the embedded server cleanly (a fast shutdown: open sessions are ended)."""
    if not is_running():
        return
    _use_local_runtime_dir()
    from pgserver._commands import pg_ctl

    # pgserver runs PostgreSQL as an unprivileged system user when we are root.
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata_dir(), user=user)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "status", "uri"])
    args = parser.parse_args(argv)
    if args.action == "start":
        print(start())
    elif args.action == "stop":
        stop()
        print("stopped")
    elif args.action == "status":
        running = is_running()
        print(f"{'running' if running else 'stopped'} ({pgdata_dir()})")
        return 0 if running else 3
    else:
        print(uri())
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as err:
        sys.exit(f"embedded PostgreSQL failed: {err}")

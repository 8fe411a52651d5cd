"""Fixtures for the dbt tests: the embedded PostgreSQL server in a test-only local directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from include.paths import PROJECT_ROOT
from include.warehouse import embedded

#: A short path: the server's Unix socket lives inside it.
TEST_LOCAL_DIR = PROJECT_ROOT / ".local" / "test-dbt"


@pytest.fixture(scope="session")
def server_uri() -> str:
    """Start (or reuse) the embedded server of the dbt tests and leave it running for reuse.
    The environment points at the test directory only while starting it (the embedded module
    also sets ``XDG_RUNTIME_DIR``), so no other test sees it."""
    saved = {name: os.environ.get(name) for name in ("DTI_LOCAL_DIR", "XDG_RUNTIME_DIR")}
    os.environ["DTI_LOCAL_DIR"] = str(TEST_LOCAL_DIR)
    try:
        return embedded.start()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def dbt_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dbt")

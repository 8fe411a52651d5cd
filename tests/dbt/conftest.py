"""Fixtures for the dbt tests: the embedded PostgreSQL server in a test-only local directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from include.paths import PROJECT_ROOT

#: A short path: the server's Unix socket lives inside it.
TEST_LOCAL_DIR = PROJECT_ROOT / ".local" / "test-dbt"


@pytest.fixture(scope="session")
def server_uri() -> Iterator[str]:
    """Start (or reuse) the embedded server of the dbt tests; leave it running for reuse."""
    previous = os.environ.get("DTI_LOCAL_DIR")
    os.environ["DTI_LOCAL_DIR"] = str(TEST_LOCAL_DIR)
    try:
        from include.warehouse import embedded

        yield embedded.start()
    finally:
        if previous is None:
            os.environ.pop("DTI_LOCAL_DIR", None)
        else:
            os.environ["DTI_LOCAL_DIR"] = previous


@pytest.fixture(scope="module")
def dbt_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dbt")

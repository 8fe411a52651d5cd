"""Fixtures for the extractor tests: a scripted local HTTP server and fast settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fake_http import Responder, ScriptedServer

from include.extract.http import ExtractSettings


@pytest.fixture
def scripted_server() -> Iterator[Callable[[Responder], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(responder: Responder) -> ScriptedServer:
        server = ScriptedServer(responder).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sleeps() -> list[float]:
    """Where the fast settings record the backoff sleeps instead of sleeping."""
    return []


@pytest.fixture
def fast_settings(sleeps: list[float]) -> ExtractSettings:
    return ExtractSettings(
        connect_timeout=1.0,
        read_timeout=1.0,
        max_attempts=6,
        sleep=sleeps.append,
    )


@pytest.fixture
def hmac_key() -> bytes:
    return b"test-hmac-key-0123456789abcdef0123"

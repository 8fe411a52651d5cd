"""Settings checked when a run starts: the personal-data key (long enough, masked in Airflow's
logs), the record tolerance, and the warehouse connection, which falls back to the embedded
PostgreSQL only when no ``dti_warehouse`` connection is configured at all."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from include.connections import HMAC_KEY_VARIABLE, ConfigurationError, get_pii_hmac_key
from include.paths import PROJECT_ROOT
from include.pipeline.steps import check_settings
from include.validate.settings import TOLERANCE_VARIABLE
from include.warehouse.connection import warehouse_dsn

KEY_ENV = f"AIRFLOW_VAR_{HMAC_KEY_VARIABLE.upper()}"
GOOD_KEY = "f3c1d5a9b8e7460c9d2a1b0e4f6a7c8d"  # 32 characters
TEST_SERVER_DIR = PROJECT_ROOT / ".local" / "test"


@pytest.fixture
def settings(monkeypatch, server_dsn) -> pytest.MonkeyPatch:
    """Good settings, and the tests' embedded server as the warehouse default."""
    monkeypatch.setenv(KEY_ENV, GOOD_KEY)
    monkeypatch.delenv(f"AIRFLOW_VAR_{TOLERANCE_VARIABLE.upper()}", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_DTI_WAREHOUSE", raising=False)
    monkeypatch.setenv("DTI_LOCAL_DIR", str(TEST_SERVER_DIR))
    # Airflow sets up its logging on the first lookup of a connection, replacing the root
    # logger's handlers: done here, before the test's log capture starts.
    warehouse_dsn()
    return monkeypatch


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("s3cret", "has 6 characters"),
        ("x" * 31, "has 31 characters"),
        ("change-me-at-least-32-characters", "placeholder of .env.example"),
    ],
)
def test_a_short_or_placeholder_key_stops_the_run_naming_the_setting(settings, key, said):
    settings.setenv(KEY_ENV, key)
    with pytest.raises(ConfigurationError, match=said) as raised:
        check_settings()
    assert HMAC_KEY_VARIABLE in str(raised.value) and key not in str(raised.value)


def test_a_bad_tolerance_stops_the_run_naming_the_setting(settings):
    settings.setenv(f"AIRFLOW_VAR_{TOLERANCE_VARIABLE.upper()}", "5%")
    with pytest.raises(ConfigurationError, match=TOLERANCE_VARIABLE):
        check_settings()


def test_good_settings_are_reported_without_the_secret(settings, caplog):
    with caplog.at_level(logging.WARNING, logger="include.warehouse.connection"):
        lines = check_settings()
    assert lines[0] == f"personal-data key: variable {HMAC_KEY_VARIABLE} is set"
    assert lines[1] == f"record tolerance: 1.00% of a load (variable {TOLERANCE_VARIABLE})"
    assert lines[2].startswith("warehouse: database dti on ")
    assert GOOD_KEY not in "\n".join(lines)
    # No connection configured: the embedded server, and the log says so.
    [warning] = caplog.records
    assert "no Airflow connection 'dti_warehouse' is configured" in warning.getMessage()


def test_the_key_is_masked_in_airflow_logs(settings):
    from airflow.sdk._shared.secrets_masker import redact

    get_pii_hmac_key()

    assert redact(f"hashing with {GOOD_KEY}") == "hashing with ***"


WAREHOUSE_IN_A_CHILD = """
import json
from include.connections import ConfigurationError
from include.warehouse.connection import warehouse_dsn
try:
    print(json.dumps({"dsn": warehouse_dsn()}))
except ConfigurationError as exc:
    print(json.dumps({"refused": str(exc)}))
"""


def warehouse_in_a_child(tmp_path: Path, backend: str | None) -> dict[str, str]:
    """``warehouse_dsn()`` in a fresh Airflow process (configuration is read at import)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AIRFLOW_CONN_", "AIRFLOW__SECRETS__"))
    }
    env |= {
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "DTI_LOCAL_DIR": str(TEST_SERVER_DIR),
        "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(Path(__file__).parent)]),
    }
    if backend:
        env["AIRFLOW__SECRETS__BACKEND"] = f"secrets_backends.{backend}"
    result = subprocess.run(
        [sys.executable, "-c", WAREHOUSE_IN_A_CHILD],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_the_warehouse_falls_back_only_when_no_connection_is_configured(tmp_path, server_dsn):
    # A secrets backend that is down: the connection may exist there; never guess it does not.
    refused = warehouse_in_a_child(tmp_path, "Unreachable")["refused"]
    assert "'dti_warehouse' could not be resolved" in refused
    assert "vault.example:8200 timed out" in refused
    # A backend that has it: used.
    assert warehouse_in_a_child(tmp_path, "Holding") == {
        "dsn": "postgresql://etl:s%40cret@db.example:6543/dti"
    }
    # None anywhere: the embedded default (here the tests' server).
    embedded = server_dsn.replace("/postgres?", "/dti?")
    assert warehouse_in_a_child(tmp_path, None) == {"dsn": embedded}


@pytest.mark.parametrize(
    ("value", "refusal"),
    [
        ('{"conn_type": "mysql", "host": "db"}', "of type 'mysql'"),
        ('{"conn_type": "postgres", "login": "etl"}', "has no host"),
    ],
)
def test_a_connection_that_cannot_be_used_is_refused(monkeypatch, value, refusal):
    monkeypatch.setenv("AIRFLOW_CONN_DTI_WAREHOUSE", value)
    with pytest.raises(ConfigurationError, match=refusal):
        warehouse_dsn()

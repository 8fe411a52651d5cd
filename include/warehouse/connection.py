"""Which PostgreSQL the pipeline writes to: the ``dti_warehouse`` connection, or the embedded one.

warehouse.md §2: the warehouse is the Airflow connection ``dti_warehouse`` (set through the UI,
the CLI or ``AIRFLOW_CONN_DTI_WAREHOUSE``). Only when no such connection is configured at all
is the embedded PostgreSQL from the ``pgserver`` wheel started (``include/warehouse/embedded.py``),
and the log says so. A connection that is configured but cannot be resolved or used (a secrets
backend that fails, an unreachable metadata database, a field missing) stops the caller with a
``ConfigurationError``: a production run must never load into a throw-away local database.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any
from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict

from include.connections import ConfigurationError

log = logging.getLogger(__name__)

WAREHOUSE_CONN_ID = "dti_warehouse"
_ENV = f"AIRFLOW_CONN_{WAREHOUSE_CONN_ID.upper()}"
_POSTGRES_TYPES = ("postgres", "postgresql")


def warehouse_dsn() -> str:
    """A libpq connection string for the warehouse (starting the embedded server if none is
    configured)."""
    value = os.environ.get(_ENV, "").strip()
    if value:
        return _dsn_from_env(value)
    from_airflow = _dsn_from_airflow()
    if from_airflow:
        return from_airflow
    from include.warehouse import embedded

    dsn = embedded.start()
    log.warning(
        "no Airflow connection '%s' is configured (neither %s nor Airflow has one): using the "
        "embedded PostgreSQL in %s, a warehouse local to this machine",
        WAREHOUSE_CONN_ID,
        _ENV,
        embedded.pgdata_dir(),
    )
    return dsn


def warehouse_description(dsn: str) -> str:
    """Where ``dsn`` points, without its password (for logs)."""
    parts = conninfo_to_dict(dsn)
    return (
        f"database {parts.get('dbname', '?')} on {parts.get('host') or 'localhost'}"
        f":{parts.get('port') or 5432} as {parts.get('user') or '(default user)'}"
    )


def _dsn_from_env(value: str) -> str:
    if value.startswith("{"):
        try:
            fields = json.loads(value)
        except json.JSONDecodeError:
            raise ConfigurationError(
                f"Airflow connection '{WAREHOUSE_CONN_ID}': {_ENV} is neither a URI nor JSON"
            ) from None
        return _dsn_from_fields(fields)
    scheme = value.split("://", 1)[0]
    if scheme not in _POSTGRES_TYPES:
        raise ConfigurationError(
            f"Airflow connection '{WAREHOUSE_CONN_ID}': {_ENV} must be a postgresql:// URI, "
            f"not {scheme}://"
        )
    return "postgresql://" + value.split("://", 1)[1]


def _dsn_from_fields(fields: dict) -> str:
    conn_type = str(fields.get("conn_type") or "postgres").lower()
    if conn_type not in _POSTGRES_TYPES:
        raise ConfigurationError(
            f"Airflow connection '{WAREHOUSE_CONN_ID}' is of type {conn_type!r}; the warehouse "
            "is PostgreSQL (connection type postgres)"
        )
    host = str(fields.get("host") or "")
    if not host:
        raise ConfigurationError(
            f"Airflow connection '{WAREHOUSE_CONN_ID}' has no host; set it, or delete the "
            "connection to use the embedded PostgreSQL"
        )
    login = quote(str(fields.get("login") or ""), safe="")
    password = quote(str(fields.get("password") or ""), safe="")
    auth = f"{login}:{password}@" if login else ""
    database = fields.get("schema") or "dti"
    if host.startswith("/"):  # a Unix-socket directory goes in the query, not the authority
        port = f"&port={fields['port']}" if fields.get("port") else ""
        return f"postgresql://{auth}/{database}?host={quote(host, safe='/')}{port}"
    port = f":{fields['port']}" if fields.get("port") else ""
    return f"postgresql://{auth}{host}{port}/{database}"


def _dsn_from_airflow() -> str | None:
    """The connection from Airflow's secrets backends (the metadata database through the
    execution API in a task, Vault and the like anywhere); None only when none of them has it."""
    # Without AIRFLOW_HOME or a running Airflow there is no Airflow installation of ours to ask
    # (and importing Airflow would create ~/airflow as a side effect).
    if "AIRFLOW_HOME" not in os.environ and "airflow.sdk" not in sys.modules:
        return None
    from airflow.sdk.execution_time.secrets.execution_api import ExecutionAPISecretsBackend
    from airflow.sdk.execution_time.supervisor import ensure_secrets_backend_loaded

    # Airflow's own lookup (BaseHook.get_connection) takes a backend that fails for one that
    # lacks the connection, and so would send a production run to the embedded database when
    # its secrets backend or the API server has a bad moment: ask each backend ourselves.
    failures = []
    for backend in ensure_secrets_backend_loaded():
        try:
            if isinstance(backend, ExecutionAPISecretsBackend):
                fields = _fields_from_execution_api()
            else:
                fields = _fields_of(backend.get_connection(conn_id=WAREHOUSE_CONN_ID))
        except Exception as exc:  # any failure: the connection may well exist there
            failures.append(f"{type(backend).__name__}: {type(exc).__name__}: {exc}")
            continue
        if fields is not None:
            return _dsn_from_fields(fields)
    if failures:
        raise ConfigurationError(
            f"Airflow connection '{WAREHOUSE_CONN_ID}' could not be resolved "
            f"({'; '.join(failures)}); not falling back to the embedded PostgreSQL. Fix the "
            f"secrets backend or Airflow's API server, or set {_ENV}."
        )
    return None


def _fields_from_execution_api() -> dict | None:
    """The connection as the task's supervisor serves it from Airflow's metadata database;
    None only when the API answers that it does not exist."""
    from airflow.sdk.exceptions import ErrorType
    from airflow.sdk.execution_time.comms import ErrorResponse, GetConnection
    from airflow.sdk.execution_time.task_runner import SUPERVISOR_COMMS

    answer = SUPERVISOR_COMMS.send(GetConnection(conn_id=WAREHOUSE_CONN_ID))
    if isinstance(answer, ErrorResponse):
        if answer.error == ErrorType.CONNECTION_NOT_FOUND:
            return None
        raise RuntimeError(f"the execution API answered {answer.error.value} {answer.detail}")
    return _fields_of(answer)


def _fields_of(conn: Any) -> dict | None:
    if not conn:
        return None
    return {
        "conn_type": conn.conn_type,
        "login": conn.login,
        "password": conn.password,
        "host": conn.host,
        "port": conn.port,
        # The execution API's answer (a pydantic model, whose ``schema`` is a method) calls the
        # field ``schema_``.
        "schema": conn.schema_ if hasattr(conn, "schema_") else conn.schema,
    }

"""Which PostgreSQL the pipeline writes to: the ``dti_warehouse`` connection, or the embedded one.

warehouse.md §2: the warehouse is the Airflow connection ``dti_warehouse`` (set through the UI,
the CLI or ``AIRFLOW_CONN_DTI_WAREHOUSE``). With none configured, the embedded PostgreSQL from
the ``pgserver`` wheel is started (``include/warehouse/embedded.py``).
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from include.connections import ConfigurationError

WAREHOUSE_CONN_ID = "dti_warehouse"
_ENV = f"AIRFLOW_CONN_{WAREHOUSE_CONN_ID.upper()}"


def warehouse_dsn() -> str:
    """A libpq connection string for the warehouse (starting the embedded server if needed)."""
    value = os.environ.get(_ENV, "").strip()
    if value:
        return _dsn_from_env(value)
    from_airflow = _dsn_from_airflow()
    if from_airflow:
        return from_airflow
    from include.warehouse import embedded

    return embedded.start()


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
    if scheme not in ("postgres", "postgresql"):
        raise ConfigurationError(
            f"Airflow connection '{WAREHOUSE_CONN_ID}': {_ENV} must be a postgresql:// URI, "
            f"not {scheme}://"
        )
    return "postgresql://" + value.split("://", 1)[1]


def _dsn_from_fields(fields: dict) -> str:
    login = quote(str(fields.get("login") or ""), safe="")
    password = quote(str(fields.get("password") or ""), safe="")
    auth = f"{login}:{password}@" if login else ""
    database = fields.get("schema") or "dti"
    host = str(fields.get("host") or "")
    if host.startswith("/"):  # a Unix-socket directory goes in the query, not the authority
        port = f"&port={fields['port']}" if fields.get("port") else ""
        return f"postgresql://{auth}/{database}?host={quote(host, safe='/')}{port}"
    port = f":{fields['port']}" if fields.get("port") else ""
    return f"postgresql://{auth}{host}{port}/{database}"


def _dsn_from_airflow() -> str | None:
    """The connection from Airflow's metadata DB or secrets backend, if Airflow has one."""
    # Without AIRFLOW_HOME there is no Airflow installation of ours to ask (and importing
    # Airflow would create ~/airflow as a side effect).
    if "AIRFLOW_HOME" not in os.environ:
        return None
    try:
        from airflow.sdk import BaseHook

        conn = BaseHook.get_connection(WAREHOUSE_CONN_ID)
    except Exception:  # not configured: fall back to the embedded default
        return None
    return _dsn_from_fields(
        {
            "login": conn.login,
            "password": conn.password,
            "host": conn.host,
            "port": conn.port,
            "schema": conn.schema,
        }
    )

"""Secrets backends for the warehouse-connection tests, configured through
``AIRFLOW__SECRETS__BACKEND`` in a child process: one that is down, one that has the
connection."""

from __future__ import annotations

from airflow.sdk import Connection
from airflow.secrets import BaseSecretsBackend


class Unreachable(BaseSecretsBackend):
    """A Vault that cannot be reached: it may hold ``dti_warehouse``, nobody can tell."""

    def get_connection(self, conn_id: str, team_name: str | None = None) -> Connection | None:
        raise ConnectionError("vault.example:8200 timed out")


class Holding(BaseSecretsBackend):
    """A backend that has the warehouse connection."""

    def get_connection(self, conn_id: str, team_name: str | None = None) -> Connection | None:
        if conn_id != "dti_warehouse":
            return None
        return Connection(
            conn_id=conn_id,
            conn_type="postgres",
            host="db.example",
            port=6543,
            login="etl",
            password="s@cret",
            schema="dti",
        )

"""Demo credentials the simulators accept by default, shaped like Airflow connections.

``login``/``password`` are what the Airflow connection of each source carries: for QLVB the
password is the API key, for the DVC portal the login is the OAuth client id and the password
the client secret. They are demo values for local runs, not secrets.
"""

from __future__ import annotations

DEMO_CREDENTIALS: dict[str, dict[str, str]] = {
    "onestop": {"login": "dti_reader", "password": "demo-onestop-password"},
    "qlvb": {"login": "", "password": "demo-qlvb-api-key"},
    "dvc_portal": {"login": "dti-platform", "password": "demo-dvc-client-secret"},
}

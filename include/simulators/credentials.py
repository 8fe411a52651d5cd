"""Demo credentials the simulators accept by default, shaped like Airflow connections.

``login``/``password`` are what the Airflow connection of each source carries: for QLVB the
password is the API key, for the DVC portal the login is the OAuth client id and the password
the client secret. They are demo values for local runs, not secrets.
"""

from __future__ import annotations

from include.sources import registry

#: Declared with each source in include/sources/registry.yaml (reading it imports no extractor).
DEMO_CREDENTIALS: dict[str, dict[str, str]] = {
    source.slug: source.demo_credentials for source in registry.SOURCES.values()
}

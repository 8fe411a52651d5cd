"""Where the extractors find the portals and the personal-data secret.

Both come from Airflow (warehouse.md §2): a connection per portal and the variable
``dti_pii_hmac_key``. They are read from the ``AIRFLOW_CONN_<ID>`` / ``AIRFLOW_VAR_<KEY>``
environment variables first, so extraction runs from plain Python (a shell, a test) without
importing Airflow; only when the environment has nothing do we ask Airflow, which also covers
connections stored in its metadata database or a secrets backend inside a DAG task.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from include.sources import registry

#: Airflow connection id of each source (warehouse.md §2), from the registry.
CONNECTION_IDS: dict[str, str] = {
    source.slug: source.connection_id for source in registry.SOURCES.values()
}

HMAC_KEY_VARIABLE = "dti_pii_hmac_key"
#: HMAC-SHA-256's block is 64 bytes; 32 random characters keep a guessed key out of reach.
HMAC_KEY_MIN_LENGTH = 32
#: ``.env.example`` ships ``change-me-at-least-32-characters``: long enough, and public.
_PLACEHOLDER_PREFIX = "change-me"

_HTTP_SCHEMES = ("http", "https")


class ConfigurationError(RuntimeError):
    """A connection or secret the pipeline needs is missing or unusable."""


@dataclass(frozen=True)
class SourceConnection:
    """The parts of an Airflow HTTP connection the extractors use."""

    conn_id: str
    host: str
    port: int | None
    scheme: str = "http"
    login: str = ""
    #: Never shown by ``repr`` so a logged connection cannot leak it.
    password: str = field(default="", repr=False)

    @property
    def base_url(self) -> str:
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{self.host}{port}"

    @classmethod
    def from_url(
        cls, conn_id: str, url: str, login: str = "", password: str = ""
    ) -> SourceConnection:
        """Build a connection from a base URL and credentials (tests, demo, other servers)."""
        parts = urlsplit(url)
        return cls._checked(
            conn_id,
            scheme=parts.scheme or "http",
            host=parts.hostname or "",
            port=parts.port,
            login=login,
            password=password,
        )

    @classmethod
    def _checked(
        cls, conn_id: str, *, scheme: str, host: str, port: int | None, login: str, password: str
    ) -> SourceConnection:
        if scheme not in _HTTP_SCHEMES:
            raise ConfigurationError(
                f"Airflow connection '{conn_id}': schema must be http or https, got {scheme!r}. "
                f"{_how_to_set(conn_id)}"
            )
        if not host:
            raise ConfigurationError(
                f"Airflow connection '{conn_id}' has no host. {_how_to_set(conn_id)}"
            )
        return cls(
            conn_id=conn_id, host=host, port=port, scheme=scheme, login=login, password=password
        )


def _how_to_set(conn_id: str) -> str:
    return (
        f"Set it with the environment variable AIRFLOW_CONN_{conn_id.upper()}="
        f"'http://<login>:<password>@<host>:<port>' (URL-encode special characters) or "
        f"`airflow connections add {conn_id} --conn-uri ...`."
    )


def _pick_scheme(conn_type: str | None, schema: str | None) -> str:
    """http or https, from the ``schema`` field (Airflow HTTP connections) or the type (URIs).

    Anything else is returned as is, for ``_checked`` to reject with instructions.
    """
    if schema:
        return schema.lower()
    if conn_type and conn_type.lower() not in ("generic",):
        return conn_type.lower()
    return "http"


def _from_uri(conn_id: str, uri: str) -> SourceConnection:
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(
            f"Airflow connection '{conn_id}' is not a valid URI ({exc}). {_how_to_set(conn_id)}"
        ) from None
    conn_type = parts.scheme.replace("-", "_")
    # Airflow puts the "schema" field in the URI path.
    schema = unquote(parts.path.lstrip("/")) or None
    return SourceConnection._checked(
        conn_id,
        scheme=_pick_scheme(conn_type, schema),
        host=unquote(parts.hostname or ""),
        port=port,
        login=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def _from_fields(conn_id: str, fields: dict[str, object]) -> SourceConnection:
    port = fields.get("port")
    try:
        port_number = int(port) if port not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"Airflow connection '{conn_id}' has an invalid port. {_how_to_set(conn_id)}"
        ) from None
    host = str(fields.get("host") or "")
    if "://" in host:  # some operators paste the whole URL into the host field
        parsed = urlsplit(host)
        host, port_number = parsed.hostname or "", parsed.port or port_number
        fields = {**fields, "schema": fields.get("schema") or parsed.scheme}
    return SourceConnection._checked(
        conn_id,
        scheme=_pick_scheme(
            _str_or_none(fields.get("conn_type")), _str_or_none(fields.get("schema"))
        ),
        host=host,
        port=port_number,
        login=str(fields.get("login") or ""),
        password=str(fields.get("password") or ""),
    )


def _str_or_none(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def get_connection(conn_id: str) -> SourceConnection:
    """Resolve an Airflow connection, from ``AIRFLOW_CONN_<ID>`` or else from Airflow itself."""
    env_value = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}", "").strip()
    if env_value:
        if env_value.startswith("{"):
            try:
                fields = json.loads(env_value)
            except json.JSONDecodeError:
                raise ConfigurationError(
                    f"Airflow connection '{conn_id}': AIRFLOW_CONN_{conn_id.upper()} is neither "
                    f"a URI nor valid JSON. {_how_to_set(conn_id)}"
                ) from None
            return _from_fields(conn_id, fields)
        return _from_uri(conn_id, env_value)
    return _from_airflow(conn_id)


def _from_airflow(conn_id: str) -> SourceConnection:
    # Imported here: Airflow takes seconds to import and is not needed when the environment
    # already holds the connection.
    from airflow.sdk import BaseHook

    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:  # Airflow raises several unrelated types for "not found"
        raise ConfigurationError(
            f"Airflow connection '{conn_id}' is not set ({type(exc).__name__}). "
            f"{_how_to_set(conn_id)}"
        ) from None
    return _from_fields(
        conn_id,
        {
            "conn_type": conn.conn_type,
            "schema": conn.schema,
            "host": conn.host,
            "port": conn.port,
            "login": conn.login,
            "password": conn.password,
        },
    )


def connection_for_source(source: str) -> SourceConnection:
    """The configured connection of source ``source`` (a slug of the registry)."""
    try:
        conn_id = CONNECTION_IDS[source]
    except KeyError:
        raise ValueError(
            f"unknown source {source!r}; expected one of {sorted(CONNECTION_IDS)}"
        ) from None
    return get_connection(conn_id)


def get_pii_hmac_key() -> bytes:
    """The secret key of the applicant-ID hash; extraction must not start without it.

    Refused unless it has at least ``HMAC_KEY_MIN_LENGTH`` characters and is not the
    placeholder of ``.env.example``. Masked in Airflow's logs as soon as it is read: the
    variable's name contains none of Airflow's sensitive words (``secret``, ``password``, ...),
    so Airflow would not hide it by itself (the deployment also lists it in
    ``AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES`` for the UI, docs/operations.md).
    """
    value = airflow_variable(HMAC_KEY_VARIABLE)
    if not value:
        raise ConfigurationError(
            f"No personal-data hash key: set the Airflow variable '{HMAC_KEY_VARIABLE}' "
            f"({_how_to_set_key()}). Extraction refuses to start without it."
        )
    _mask_in_airflow_logs(value)
    if len(value) < HMAC_KEY_MIN_LENGTH or value.startswith(_PLACEHOLDER_PREFIX):
        # The length is all that may be said of the key: never its value.
        problem = (
            "is the placeholder of .env.example"
            if value.startswith(_PLACEHOLDER_PREFIX)
            else f"has {len(value)} characters"
        )
        raise ConfigurationError(
            f"The Airflow variable '{HMAC_KEY_VARIABLE}' {problem}; the personal-data hash key "
            f"must be a random secret of at least {HMAC_KEY_MIN_LENGTH} characters "
            f"({_how_to_set_key()}). A short key lets anyone who sees a hash guess the ID number "
            "behind it."
        )
    return value.encode("utf-8")


def _how_to_set_key() -> str:
    return (
        f"environment AIRFLOW_VAR_{HMAC_KEY_VARIABLE.upper()}=<random secret of at least "
        f"{HMAC_KEY_MIN_LENGTH} characters>, or `airflow variables set {HMAC_KEY_VARIABLE} "
        "<secret>`; generate one with `python -c 'import secrets; print(secrets.token_hex(32))'`"
    )


def _mask_in_airflow_logs(secret: str) -> None:
    # Only an Airflow process has Airflow's logs to mask (and importing Airflow takes seconds).
    if "airflow.sdk" in sys.modules:
        from airflow.sdk.log import mask_secret

        mask_secret(secret)


def airflow_variable(key: str) -> str | None:
    """An Airflow variable: ``AIRFLOW_VAR_<KEY>`` first, then Airflow itself (metadata
    database, secrets backend) when this process belongs to an Airflow installation."""
    return os.environ.get(f"AIRFLOW_VAR_{key.upper()}") or _variable_from_airflow(key)


def _variable_from_airflow(key: str) -> str | None:
    # Without AIRFLOW_HOME or a running Airflow there is no Airflow of ours to ask (and
    # importing it would create ~/airflow as a side effect).
    if "AIRFLOW_HOME" not in os.environ and "airflow.sdk" not in sys.modules:
        return None
    from airflow.sdk import Variable

    try:
        found = Variable.get(key, default=None)
    except Exception:  # outside a task with no metadata DB Airflow raises assorted errors
        return None
    return str(found) if found else None

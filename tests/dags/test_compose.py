"""docker-compose.yml: no Docker engine runs here, so the file itself is checked.

Services, build/image, commands (the same as the local path), the variables each needs,
healthchecks and start order; secrets only from the environment (.env), never literal.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from include.paths import PROJECT_ROOT
from include.pipeline.dbt import DBT_PROJECT_DIR
from include.sources import registry

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
AIRFLOW_SERVICES = {
    "airflow-apiserver": ["airflow", "api-server"],
    "airflow-scheduler": ["airflow", "scheduler"],
    "airflow-dag-processor": ["airflow", "dag-processor"],
    "airflow-triggerer": ["airflow", "triggerer"],
}
#: Compose service -> source: one simulator per source of the registry.
SIMULATORS = {f"sim-{slug.replace('_', '-')}": slug for slug in registry.SLUGS}
SECRETS = (
    "POSTGRES_PASSWORD",
    "AIRFLOW_DB_PASSWORD",
    "DTI_WAREHOUSE_PASSWORD",
    "DTI_BI_PASSWORD",
    "AIRFLOW_ADMIN_PASSWORD",
    "AIRFLOW_FERNET_KEY",
    "AIRFLOW_JWT_SECRET",
    "DTI_PII_HMAC_KEY",
)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_every_service_is_there(compose) -> None:
    assert set(compose["services"]) == {
        "postgres",
        "airflow-init",
        *AIRFLOW_SERVICES,
        *SIMULATORS,
    }


def test_airflow_components_share_one_image_and_the_local_executor(compose) -> None:
    services = compose["services"]
    for name, command in AIRFLOW_SERVICES.items():
        service = services[name]
        assert service["command"] == command
        assert service["build"]["dockerfile"] == "docker/Dockerfile"
        assert service["image"] == "dti-platform:latest"
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/dti/dags"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow")
        assert "healthcheck" in service
        assert service["depends_on"]["airflow-init"]["condition"] == (
            "service_completed_successfully"
        )
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    scheduler = services["airflow-scheduler"]
    assert scheduler["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"


def test_metadata_and_warehouse_are_separate_databases(compose) -> None:
    init_sql = (PROJECT_ROOT / "docker" / "postgres-init.sh").read_text(encoding="utf-8")
    assert "CREATE DATABASE airflow OWNER airflow" in init_sql
    assert "CREATE DATABASE dti OWNER dti" in init_sql
    assert "REVOKE CONNECT ON DATABASE airflow FROM PUBLIC" in init_sql
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert (
        "./docker/postgres-init.sh:/docker-entrypoint-initdb.d/10-dti.sh:ro"
        in (postgres["volumes"])
    )
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    init_env = compose["services"]["airflow-init"]["environment"]
    assert init_env["DTI_WAREHOUSE_URI"].endswith("@postgres:5432/dti")


def test_init_sets_every_connection_the_variable_the_roles_and_the_manifest(compose) -> None:
    init = compose["services"]["airflow-init"]
    assert init["command"] == ["/opt/dti/docker/airflow-init.sh"]
    assert init["restart"] == "no"
    script = (PROJECT_ROOT / "docker" / "airflow-init.sh").read_text(encoding="utf-8")
    assert "airflow db migrate" in script
    assert 'set_connection dti_warehouse "$DTI_WAREHOUSE_URI"' in script
    assert "DTI_WAREHOUSE_URI" in init["environment"]
    # The sources' connections are created in a loop over the registry, each from its
    # <CONNECTION_ID>_URI, which compose must pass on.
    assert 'set_connection "$conn_id"' in script and "print(*connection_ids())" in script
    for conn_id in registry.connection_ids():
        assert f"{conn_id.upper()}_URI" in init["environment"]
    assert 'airflow variables set dti_pii_hmac_key "$DTI_PII_HMAC_KEY"' in script
    assert "python -m include.warehouse.roles" in script
    assert "ensure_manifest()" in script
    dockerfile = (PROJECT_ROOT / "docker" / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY docker/airflow-init.sh docker/airflow-init.sh" in dockerfile
    assert "requirements/dbt.txt" in dockerfile and ".venv-dbt" in dockerfile
    assert (DBT_PROJECT_DIR / "profiles.yml").exists()


def test_simulators_run_the_documented_command_only_in_the_demo_profile(compose) -> None:
    for name, source in SIMULATORS.items():
        service = compose["services"][name]
        assert service["profiles"] == ["demo"]
        command = service["command"]
        assert command[:4] == ["python", "-m", "include.simulators", source]
        port = command[command.index("--port") + 1]
        assert command[command.index("--host") + 1] == "0.0.0.0"
        assert service["healthcheck"]["test"][-1] == port
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    for port, name in enumerate(SIMULATORS, start=8081):
        assert f"@{name}:{port}" in example


def test_secrets_come_only_from_the_environment(compose) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert re.search(rf"\$\{{{secret}:\?", text), f"{secret} must be required from .env"
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert re.search(rf"^{secret}=change-me", example, re.MULTILINE), secret
    literal_setting = re.compile(r"^\s*\w*(PASSWORD|SECRET|KEY)\w*\s*[:=]\s*(?![\"']?[$/])\S", re.M)
    literal_sql_password = re.compile(r"PASSWORD\s+'")
    for path in [COMPOSE, *Path(PROJECT_ROOT / "docker").iterdir()]:
        content = path.read_text(encoding="utf-8")
        assert not literal_setting.search(content), path
        assert not literal_sql_password.search(content), path


def test_airflow_hides_the_personal_data_key_in_its_ui_and_logs(compose) -> None:
    # The variable's name has none of Airflow's sensitive words ("secret", "password", ...), so
    # Airflow shows its value unless the deployment names it (warehouse.md §2 fixes the name).
    for name in [*AIRFLOW_SERVICES, "airflow-init"]:
        names = compose["services"][name]["environment"].get(
            "AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES", ""
        )
        assert "dti_pii_hmac_key" in names.split(","), name

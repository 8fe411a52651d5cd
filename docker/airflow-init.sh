#!/usr/bin/env bash
# One-off initialisation, run by the compose service `airflow-init` before Airflow starts:
# the metadata database, the admin user, the connections and the variable the pipeline needs
# (from the environment, i.e. .env), the warehouse's read-only BI role, and the dbt manifest
# the DAG is rendered from. Idempotent: safe to run at every `docker compose up`.
set -euo pipefail

airflow db migrate

# Airflow 3's simple auth manager: the admin user and its password (from .env).
python - <<'PY'
import json, os
path = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
user = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"].split(":", 1)[0]
with open(path, "w", encoding="utf-8") as handle:
    json.dump({user: os.environ["AIRFLOW_ADMIN_PASSWORD"]}, handle)
os.chmod(path, 0o600)
PY

set_connection() {  # id, URI
    airflow connections delete "$1" >/dev/null 2>&1 || true
    airflow connections add "$1" --conn-uri "$2"
}
# One connection per source of include/sources/registry.yaml, from <CONNECTION_ID>_URI.
for conn_id in $(python -c "from include.sources.registry import connection_ids; print(*connection_ids())"); do
    uri_variable="${conn_id^^}_URI"
    set_connection "$conn_id" "${!uri_variable:?set $uri_variable in .env}"
done
set_connection dti_warehouse "$DTI_WAREHOUSE_URI"
airflow variables set dti_pii_hmac_key "$DTI_PII_HMAC_KEY" >/dev/null

AIRFLOW_CONN_DTI_WAREHOUSE="$DTI_WAREHOUSE_URI" python -m include.warehouse.roles
python -c "from include.pipeline.dbt import ensure_manifest; print(ensure_manifest())"

#!/usr/bin/env bash
# First start of the PostgreSQL container: Airflow's metadata and the warehouse as separate
# databases, each owned by its own role. Passwords come from the environment (.env), never
# from the repository. The read-only BI role is created later by the init service
# (python -m include.warehouse.roles), with the same code the local path uses.
set -euo pipefail
: "${AIRFLOW_DB_PASSWORD:?}" "${DTI_WAREHOUSE_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v airflow_pw="$AIRFLOW_DB_PASSWORD" -v dti_pw="$DTI_WAREHOUSE_PASSWORD" <<'SQL'
CREATE ROLE airflow LOGIN PASSWORD :'airflow_pw';
CREATE DATABASE airflow OWNER airflow;
REVOKE CONNECT ON DATABASE airflow FROM PUBLIC;
GRANT CONNECT ON DATABASE airflow TO airflow;
-- The pipeline's role: it owns the warehouse and every schema the pipeline creates in it.
CREATE ROLE dti LOGIN PASSWORD :'dti_pw';
CREATE DATABASE dti OWNER dti;
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname dti \
    -c "ALTER SCHEMA public OWNER TO dti;"

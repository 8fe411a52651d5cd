{#- One row per online payment transaction, its latest state; paid_on is the Vietnam date. Incremental: a run
    replaces the records that changed. -#}
{{ config(
    materialized='incremental',
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

select
    transaction_id::text as transaction_id,
    dossier_code::text as dossier_code,
    agency_code::text as agency_code,
    procedure_code::text as procedure_code,
    fee_kind::text as fee_kind,
    amount::numeric as amount,
    gateway::text as gateway,
    status::text as status,
    created_at::timestamptz as created_at,
    paid_at::timestamptz as paid_at,
    paid_on::date as paid_on,
    updated_at::timestamptz as updated_at,
    load_id::bigint as load_id
from {{ ref('stg_dvc_portal__payments') }}
{%- if is_incremental() %}
where {{ released_after('load_id', newest_release_in(this)) }}
{%- endif %}

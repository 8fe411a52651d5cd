{#- One row per satisfaction rating, its latest state; rated_on is the Vietnam date. Incremental: a run
    replaces the records that changed. -#}
{{ config(
    materialized='incremental',
    unique_key='rating_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

select
    rating_id::text as rating_id,
    dossier_code::text as dossier_code,
    agency_code::text as agency_code,
    channel::text as channel,
    satisfaction_level::text as satisfaction_level,
    is_withdrawn::boolean as is_withdrawn,
    rated_at::timestamptz as rated_at,
    rated_on::date as rated_on,
    updated_at::timestamptz as updated_at,
    load_id::bigint as load_id
from {{ ref('stg_dvc_portal__ratings') }}
{%- if is_incremental() %}
where {{ released_after('load_id', newest_release_in(this)) }}
{%- endif %}

{#- One row per dossier, its latest record's facts (indicators.md §3). No applicant data.
    Incremental: a run replaces the dossiers whose record changed. -#}
{{ config(
    materialized='incremental',
    unique_key='dossier_code',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

select
    dossier_code::text as dossier_code,
    procedure_code::text as procedure_code,
    agency_code::text as agency_code,
    handling_agency_code::text as handling_agency_code,
    status_code::text as status_code,
    channel::text as channel,
    is_received::boolean as is_received,
    received_on::date as received_on,
    due_on::date as due_on,
    ending::text as ending,
    ended_on::date as ended_on,
    is_digitised_at_intake::boolean as is_digitised_at_intake,
    is_result_digitised::boolean as is_result_digitised,
    has_reused_data::boolean as has_reused_data,
    has_fee::boolean as has_fee,
    is_paid_online::boolean as is_paid_online,
    is_offered_fully_online::boolean as is_offered_fully_online,
    is_countable::boolean as is_countable,
    updated_at::timestamptz as updated_at,
    load_id::bigint as load_id
from {{ ref('int_dossiers_classified') }}
{%- if is_incremental() %}
where {{ released_after('load_id', newest_release_in(this)) }}
{%- endif %}

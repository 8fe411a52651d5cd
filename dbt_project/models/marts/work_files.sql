{#- One row per work file (hồ sơ công việc), its latest export. No title (`Tiêu đề`).
    Incremental: a run replaces the work files re-exported since. -#}
{{ config(
    materialized='incremental',
    unique_key=['qlvb_unit_id', 'work_file_code'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

select
    work_files.work_file_code::text as work_file_code,
    units.agency_code::text as agency_code,
    work_files.unit_id::bigint as qlvb_unit_id,
    work_files.opened_on::date as opened_on,
    work_files.closed_on::date as closed_on,
    work_files.status::text as status,
    work_files.is_processed_online::boolean as is_processed_online,
    work_files.confidentiality::text as confidentiality,
    work_files.is_confidential::boolean as is_confidential,
    work_files.load_id::bigint as load_id
from {{ ref('stg_qlvb__work_files') }} as work_files
left join {{ ref('stg_qlvb__units') }} as units on units.unit_id = work_files.unit_id
{%- if is_incremental() %}
where {{ released_after('work_files.load_id', newest_release_in(this)) }}
{%- endif %}

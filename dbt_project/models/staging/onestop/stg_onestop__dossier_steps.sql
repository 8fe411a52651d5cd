{#- Processing steps; a step is identified by dossier, time, status and who acted (agency,
    department, the keyed hash of the official: the loader's record_key, so two departments
    acting in one second are two steps), the latest extraction of it wins. The free text NoiDungXuLy never reaches the
    raw tables. -#}
{{ config(
    materialized='incremental',
    unique_key='step_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with ranked as (
    select
        *,
        {{ latest_first('record_key', 'extracted_at desc, load_id desc') }} as recency
    from {{ source('onestop', 'tientrinh') }}
    {{ new_loads_only() }}
),

steps as (
    select
        record_key as step_key,
        {{ clean_text("record->>'MaHoSo'") }} as dossier_code,
        {{ clean_text("record->>'MaDonVi'") }} as agency_code,
        {{ onestop_timestamp("record->>'ThoiDiemXuLy'") }} as processed_at,
        {{ onestop_date("record->>'ThoiDiemXuLy'") }} as processed_on,
        {{ clean_text("record->>'TrangThai'") }} as status_code,
        {{ clean_text("record->>'PhongBanXuLy'") }} as department,
        {{ clean_text("record->>'ChucDanh'") }} as official_title,
        load_id,
        extracted_at
    from ranked
    where recency = 1 and record_key is not null
)

select steps.*
from steps
{{ replaces_kept_row('steps', 'step_key', ['extracted_at', 'load_id']) }}

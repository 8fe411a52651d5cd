{#- Work-file register rows (hồ sơ công việc), the latest export of each. `Tiêu đề` never
    reaches the raw tables. -#}
{{ config(
    materialized='incremental',
    unique_key=['unit_id', 'work_file_code'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with latest as (
    {{ qlvb_latest_rows(source('qlvb', 'hscv'), 'Mã hồ sơ') }}
),

rows_typed as (
    select
        row_key as work_file_code,
        row_unit_id as unit_id,
        {{ clean_text("record->>'Đơn vị'") }} as department,
        {{ qlvb_date("record->>'Ngày mở'") }} as opened_on,
        {{ qlvb_date("record->>'Ngày đóng'") }} as closed_on,
        {{ clean_text("record->>'Trạng thái'") }} as status,
        {{ yes_no("record->>'Xử lý trên môi trường mạng'") }} as is_processed_online,
        {{ clean_text("record->>'Độ mật'") }} as confidentiality,
        not coalesce(lower({{ clean_text("record->>'Độ mật'") }}) = 'thường', false) as is_confidential,
        load_id,
        extracted_at
    from latest
)

select rows_typed.*
from rows_typed
{{ replaces_kept_row('rows_typed', ['unit_id', 'work_file_code'], ['extracted_at', 'load_id']) }}

{#- Incoming-document register rows (sổ văn bản đến), the latest export of each. `Trích yếu`
    never reaches the raw tables. -#}
{{ config(
    materialized='incremental',
    unique_key=['unit_id', 'document_code'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with latest as (
    {{ qlvb_latest_rows(source('qlvb', 'den'), 'Mã văn bản') }}
),

rows_typed as (
    select
        row_key as document_code,
        row_unit_id as unit_id,
        {{ clean_text("record->>'Số đến'") }} as arrival_number,
        {{ qlvb_date("record->>'Ngày đến'") }} as arrived_on,
        {{ clean_text("record->>'Số, ký hiệu'") }} as reference_number,
        {{ qlvb_date("record->>'Ngày văn bản'") }} as document_date,
        {{ clean_text("record->>'Cơ quan ban hành'") }} as issuing_body,
        {{ clean_text("record->>'Loại văn bản'") }} as document_type,
        {{ clean_text("record->>'Độ mật'") }} as confidentiality,
        not coalesce(lower({{ clean_text("record->>'Độ mật'") }}) = 'thường', false) as is_confidential,
        {{ clean_text("record->>'Độ khẩn'") }} as urgency,
        {{ qlvb_form("record->>'Hình thức'") }} as form,
        {{ yes_no("record->>'Qua trục liên thông'") }} as is_via_national_axis,
        {{ yes_no("record->>'Ký số'") }} as is_signed,
        {{ clean_text("record->>'Đơn vị xử lý chính'") }} as lead_department,
        {{ qlvb_date("record->>'Hạn xử lý'") }} as due_on,
        {{ qlvb_date("record->>'Ngày hoàn thành'") }} as completed_on,
        {{ clean_text("record->>'Trạng thái xử lý'") }} as processing_status,
        load_id,
        extracted_at
    from latest
)

select rows_typed.*
from rows_typed
{{ replaces_kept_row('rows_typed', ['unit_id', 'document_code'], ['extracted_at', 'load_id']) }}

{#- Outgoing-document register rows (sổ văn bản đi), the latest export of each. `Trích yếu`
    never reaches the raw tables; the signer's name is public on official documents. -#}
{{ config(
    materialized='incremental',
    unique_key=['unit_id', 'document_code'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with latest as (
    {{ qlvb_latest_rows(source('qlvb', 'di'), 'Mã văn bản') }}
),

rows_typed as (
    select
        row_key as document_code,
        row_unit_id as unit_id,
        {{ clean_text("record->>'Số, ký hiệu'") }} as reference_number,
        {{ qlvb_date("record->>'Ngày ban hành'") }} as issued_on,
        {{ clean_text("record->>'Loại văn bản'") }} as document_type,
        {{ clean_text("record->>'Người ký'") }} as signer_name,
        {{ clean_text("record->>'Chức vụ'") }} as signer_title,
        {{ clean_text("record->>'Nơi nhận'") }} as recipients,
        {{ clean_text("record->>'Độ mật'") }} as confidentiality,
        not coalesce(lower({{ clean_text("record->>'Độ mật'") }}) = 'thường', false) as is_confidential,
        {{ clean_text("record->>'Độ khẩn'") }} as urgency,
        {{ qlvb_form("record->>'Hình thức phát hành'") }} as form,
        case lower({{ clean_text("record->>'Ký số'") }})
            when 'cá nhân' then 'personal'
            when 'cơ quan' then 'organisation'
            when 'cá nhân và cơ quan' then 'personal_and_organisation'
            when 'không' then 'none'
        end as signature,
        {{ yes_no("record->>'Gửi qua trục liên thông'") }} as is_sent_via_national_axis,
        (nullif(btrim(record->>'Số lượng bản'), ''))::numeric::integer as copies,
        load_id,
        extracted_at
    from latest
)

select rows_typed.*
from rows_typed
{{ replaces_kept_row('rows_typed', ['unit_id', 'document_code'], ['extracted_at', 'load_id']) }}

{#- The latest state of every payment transaction (latest updatedAt, ties broken by
    extraction time). Timestamps become Vietnam dates: 23:30 UTC is the next Vietnam day. -#}
{{ config(
    materialized='incremental',
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with ranked as (
    select
        *,
        {{ clean_text("record->>'transactionId'") }} as transaction_id,
        {{ latest_first(clean_text("record->>'transactionId'"),
            iso_timestamp("record->>'updatedAt'") ~ " desc nulls last, extracted_at desc, load_id desc") }}
            as recency
    from {{ source('dvc_portal', 'payments') }}
    {{ new_loads_only() }}
),

latest as (
    select
        transaction_id,
        {{ clean_text("record->>'dossierCode'") }} as dossier_code,
        {{ clean_text("record->>'agencyCode'") }} as agency_code,
        {{ clean_text("record->>'procedureCode'") }} as procedure_code,
        upper({{ clean_text("record->>'feeKind'") }}) as fee_kind,
        (nullif(btrim(record->>'amount'), ''))::numeric as amount,
        upper({{ clean_text("record->>'gateway'") }}) as gateway,
        upper({{ clean_text("record->>'status'") }}) as status,
        {{ iso_timestamp("record->>'createdAt'") }} as created_at,
        {{ iso_timestamp("record->>'paidAt'") }} as paid_at,
        {{ iso_timestamp("record->>'updatedAt'") }} as updated_at,
        {{ vietnam_date(iso_timestamp("record->>'paidAt'")) }} as paid_on,
        coalesce({{ iso_timestamp("record->>'updatedAt'") }}, '-infinity'::timestamptz) as recency_at,
        load_id,
        extracted_at
    from ranked
    where recency = 1 and transaction_id is not null
)

select latest.*
from latest
{{ replaces_kept_row('latest', 'transaction_id', ['recency_at', 'extracted_at', 'load_id']) }}

{#- The latest state of every rating (latest updatedAt, ties broken by extraction time). A
    withdrawn rating comes back with level null and withdrawn true. -#}
{{ config(
    materialized='incremental',
    unique_key='rating_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with ranked as (
    select
        *,
        {{ clean_text("record->>'ratingId'") }} as rating_id,
        {{ latest_first(clean_text("record->>'ratingId'"),
            iso_timestamp("record->>'updatedAt'") ~ " desc nulls last, extracted_at desc, load_id desc") }}
            as recency
    from {{ source('dvc_portal', 'ratings') }}
    {{ new_loads_only() }}
),

latest as (
    select
        rating_id,
        {{ clean_text("record->>'dossierCode'") }} as dossier_code,
        {{ clean_text("record->>'agencyCode'") }} as agency_code,
        upper({{ clean_text("record->>'channel'") }}) as channel,
        upper({{ clean_text("record->>'level'") }}) as satisfaction_level,
        coalesce((record->>'withdrawn')::boolean, false)
            or {{ clean_text("record->>'level'") }} is null as is_withdrawn,
        {{ iso_timestamp("record->>'ratedAt'") }} as rated_at,
        {{ iso_timestamp("record->>'updatedAt'") }} as updated_at,
        {{ vietnam_date(iso_timestamp("record->>'ratedAt'")) }} as rated_on,
        coalesce({{ iso_timestamp("record->>'updatedAt'") }}, '-infinity'::timestamptz) as recency_at,
        load_id,
        extracted_at
    from ranked
    where recency = 1 and rating_id is not null
)

select latest.*
from latest
{{ replaces_kept_row('latest', 'rating_id', ['recency_at', 'extracted_at', 'load_id']) }}

{#- The catalogue with its history: every offering ever published, from the latest extract. -#}
with latest as (
    {{ latest_extract_rows(source('dvc_portal', 'services')) }}
)

select distinct on (service_id)
    {{ clean_text("record->>'serviceId'") }} as service_id,
    {{ clean_text("record->>'procedureCode'") }} as procedure_code,
    {{ clean_text("record->>'procedureName'") }} as procedure_name,
    {{ clean_text("record->>'fieldCode'") }} as field_code,
    {{ clean_text("record->>'fieldName'") }} as field_name,
    lower({{ clean_text("record->>'agencyLevel'") }}) as agency_level,
    {{ clean_text("record->>'agencyCode'") }} as agency_code,
    upper({{ clean_text("record->>'onlineLevel'") }}) as online_level,
    coalesce((record->>'eligibleFullOnline')::boolean, false) as is_eligible_full_online,
    coalesce((record->>'hasFee')::boolean, false) as has_fee,
    coalesce((record->>'requiresPaperResult')::boolean, false) as requires_paper_result,
    upper({{ clean_text("record->>'status'") }}) as status,
    (nullif(btrim(record->>'publishedFrom'), ''))::date as published_from,
    (nullif(btrim(record->>'publishedTo'), ''))::date as published_to,
    {{ iso_timestamp("record->>'updatedAt'") }} as updated_at,
    load_id,
    extracted_at
from latest
where {{ clean_text("record->>'serviceId'") }} is not null
order by service_id, {{ iso_timestamp("record->>'updatedAt'") }} desc nulls last, load_id desc

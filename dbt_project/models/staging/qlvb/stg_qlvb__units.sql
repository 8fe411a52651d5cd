with latest as (
    {{ latest_extract_rows(source('qlvb', 'donvi')) }}
)

select distinct on (unit_id)
    (record->>'id')::bigint as unit_id,
    {{ clean_text("record->>'ten'") }} as unit_name,
    {{ clean_text("record->>'ma_dinh_danh'") }} as agency_code,
    load_id,
    extracted_at
from latest
where record->>'id' is not null
order by unit_id, load_id desc

with latest as (
    {{ latest_extract_rows(source('onestop', 'donvi')) }}
),

renamed as (
    select
        {{ clean_text("record->>'MaDonVi'") }} as agency_code,
        {{ clean_text("record->>'TenDonVi'") }} as agency_name,
        case {{ clean_text("record->>'CapDonVi'") }}
            when '1' then 'province'
            when '2' then 'district'
            when '3' then 'commune'
        end as agency_level,
        {{ clean_text("record->>'MaDonViCha'") }} as parent_agency_code,
        {{ clean_text("record->>'MaDVHC'") }} as admin_unit_code,
        load_id,
        extracted_at
    from latest
)

select distinct on (agency_code) *
from renamed
where agency_code is not null
order by agency_code, load_id desc

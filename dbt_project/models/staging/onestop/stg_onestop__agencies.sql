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
        -- reform2025.md §2: absent or "pre2025" is the three-level scheme (systems that predate
        -- the reform send no PhienBanDVHC at all).
        case {{ clean_text("record->>'PhienBanDVHC'") }}
            when '2025' then '2025'
            else 'pre2025'
        end as admin_unit_scheme,
        case when {{ clean_text("record->>'NgayNgungHoatDong'") }} ~ '^[0-9]{8}$'
            then to_date({{ clean_text("record->>'NgayNgungHoatDong'") }}, 'YYYYMMDD')
        end as closed_on,
        {{ clean_text("record->>'MaDonViTiepNhan'") }} as successor_agency_code,
        load_id,
        extracted_at
    from latest
)

select distinct on (agency_code) *
from renamed
where agency_code is not null
order by agency_code, load_id desc

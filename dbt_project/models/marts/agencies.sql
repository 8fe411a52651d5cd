{#- The agencies of the one-stop catalogue, with the administrative unit they serve and their
    unit in the document-management system. -#}
with qlvb_units as (
    select agency_code, min(unit_id) as qlvb_unit_id
    from {{ ref('stg_qlvb__units') }}
    group by agency_code
)

select
    agencies.agency_code::text as agency_code,
    agencies.agency_name::text as agency_name,
    agencies.agency_level::text as agency_level,
    agencies.parent_agency_code::text as parent_agency_code,
    'pre2025'::text as scheme,
    agencies.admin_unit_code::text as unit_code,
    qlvb_units.qlvb_unit_id::bigint as qlvb_unit_id
from {{ ref('stg_onestop__agencies') }} as agencies
left join qlvb_units on qlvb_units.agency_code = agencies.agency_code

{#- The agencies of the one-stop catalogue, with the administrative unit they serve (in the
    scheme their catalogue record names), the 2025 unit their records count in, when they
    closed and who took over their unfinished dossiers, and their unit in the
    document-management system. -#}
with in_2025 as (
    select agency_code, unit_code, is_approximate
    from {{ ref('int_agency_units_crosswalked') }}
    where scheme = '2025'
),

qlvb_units as (
    select agency_code, min(unit_id) as qlvb_unit_id
    from {{ ref('stg_qlvb__units') }}
    group by agency_code
)

select
    agencies.agency_code::text as agency_code,
    agencies.agency_name::text as agency_name,
    agencies.agency_level::text as agency_level,
    agencies.parent_agency_code::text as parent_agency_code,
    agencies.admin_unit_scheme::text as scheme,
    agencies.admin_unit_code::text as unit_code,
    in_2025.unit_code::text as unit_code_2025,
    coalesce(in_2025.is_approximate, false)::boolean as is_counted_approximately,
    agencies.closed_on::date as closed_on,
    agencies.successor_agency_code::text as successor_agency_code,
    qlvb_units.qlvb_unit_id::bigint as qlvb_unit_id
from {{ ref('stg_onestop__agencies') }} as agencies
left join in_2025 on in_2025.agency_code = agencies.agency_code
left join qlvb_units on qlvb_units.agency_code = agencies.agency_code

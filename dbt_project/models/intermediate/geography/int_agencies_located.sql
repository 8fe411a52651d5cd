{#- Every agency of the one-stop catalogue with the administrative unit it serves (its MaDVHC,
    a pre-2025 GSO code). -#}
select
    agencies.agency_code,
    agencies.agency_name,
    agencies.agency_level,
    agencies.parent_agency_code,
    units.scheme,
    units.unit_code,
    units.unit_level
from {{ ref('stg_onestop__agencies') }} as agencies
inner join {{ ref('admin_units_pre2025') }} as units
    on units.unit_code = agencies.admin_unit_code

{#- Every agency of the one-stop catalogue with the administrative unit it serves, in the code
    scheme its catalogue record names (PhienBanDVHC; pre2025 when absent). An agency whose code
    is unknown in its scheme is quarantined at extraction; one that still gets here matches no
    unit and counts nowhere (the not-located test below warns of it) — it is never joined to the
    other scheme's unit of the same code. -#}
select
    agencies.agency_code,
    agencies.agency_name,
    agencies.agency_level,
    agencies.parent_agency_code,
    agencies.closed_on,
    agencies.successor_agency_code,
    units.scheme,
    units.unit_code,
    units.unit_level
from {{ ref('stg_onestop__agencies') }} as agencies
inner join {{ ref('int_admin_units_unioned') }} as units
    on units.scheme = agencies.admin_unit_scheme
    and units.unit_code = agencies.admin_unit_code

{#- The old→new crosswalk (reform2025.md §3): every unit of the pre2025 scheme with the 2025
    unit(s) it lies in — an old commune its new commune(s), `whole` or `divided` with one
    default successor; an old district or province its new province. Generated from the pinned
    `vietnamadminunits` release (source_version) by dbt_project/scripts. -#}
select
    old_scheme::text as old_scheme,
    old_unit_code::text as old_unit_code,
    old_unit_level::text as old_unit_level,
    old_unit_name::text as old_unit_name,
    new_unit_code::text as new_unit_code,
    new_unit_level::text as new_unit_level,
    new_unit_name::text as new_unit_name,
    new_province_code::text as new_province_code,
    relation::text as relation,
    is_default::boolean as is_default,
    source_version::text as source_version
from {{ ref('admin_units_pre2025_to_2025') }}

{#- The reporting scopes of the dense grid, in both schemes: every unit an agency counts in and
    every unit above it, each with the handling levels its unit level reports (indicators.md §2;
    a 2025 province also reports `district`, the records of old district-level agencies). -#}
with grid_units as (
    select distinct scheme, ancestor_code as unit_code
    from {{ ref('int_unit_ancestors_expanded') }}
)

select
    units.scheme,
    units.unit_code,
    units.unit_name,
    units.unit_level,
    units.parent_code,
    levels.handling_level
from grid_units
inner join {{ ref('int_admin_units_unioned') }} as units
    on units.scheme = grid_units.scheme and units.unit_code = grid_units.unit_code
inner join {{ ref('handling_levels') }} as levels
    on levels.unit_level = units.unit_level

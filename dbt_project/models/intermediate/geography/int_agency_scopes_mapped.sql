{#- Which scopes an agency's records count in: in each scheme, every unit at or above the unit
    the agency counts in, at the agency's own level and at `all`, where that unit reports that
    handling level. `is_approximate`: the agency is a divided old commune's, counted whole at its
    default successor (reform2025.md §4). -#}
select
    agencies.agency_code,
    agencies.agency_level,
    agencies.is_approximate,
    scopes.scheme,
    scopes.unit_code,
    scopes.handling_level
from {{ ref('int_agency_units_crosswalked') }} as agencies
inner join {{ ref('int_unit_ancestors_expanded') }} as ancestry
    on ancestry.scheme = agencies.scheme and ancestry.unit_code = agencies.unit_code
inner join {{ ref('int_scopes_enumerated') }} as scopes
    on scopes.scheme = ancestry.scheme
    and scopes.unit_code = ancestry.ancestor_code
    and scopes.handling_level in (agencies.agency_level, 'all')

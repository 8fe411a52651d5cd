{#- Which scopes an agency's records count in: every unit at or above the agency's unit, at
    the agency's own level and at `all`, where that unit reports that handling level. -#}
select
    agencies.agency_code,
    agencies.agency_level,
    scopes.scheme,
    scopes.unit_code,
    scopes.handling_level
from {{ ref('int_agencies_located') }} as agencies
inner join {{ ref('int_unit_ancestors_expanded') }} as ancestry
    on ancestry.scheme = agencies.scheme and ancestry.unit_code = agencies.unit_code
inner join {{ ref('int_scopes_enumerated') }} as scopes
    on scopes.scheme = ancestry.scheme
    and scopes.unit_code = ancestry.ancestor_code
    and scopes.handling_level in (agencies.agency_level, 'all')

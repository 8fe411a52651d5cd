{#- The target in force per scope, indicator and year: a target row names one unit (unit_level
    empty), or every unit of a level at or below a unit (unit_level set), in the code scheme it
    names (codes are reused across schemes, so a plan's unit code means nothing without it;
    reform2025.md §1, §4). A unit's own target overrides its level's. -#}
with scopes as (
    select distinct
        scopes.scheme,
        scopes.unit_code,
        scopes.unit_level,
        scopes.handling_level,
        array_remove(array[scopes.unit_code, parents.unit_code, grandparents.unit_code], null)
            as enclosing_codes
    from {{ ref('int_scopes_enumerated') }} as scopes
    left join {{ ref('int_admin_units_unioned') }} as parents
        on parents.scheme = scopes.scheme and parents.unit_code = scopes.parent_code
    left join {{ ref('int_admin_units_unioned') }} as grandparents
        on grandparents.scheme = parents.scheme and grandparents.unit_code = parents.parent_code
),

candidates as (
    select
        scopes.scheme,
        scopes.unit_code,
        scopes.handling_level,
        targets.indicator_code,
        targets.target_year,
        targets.comparator,
        targets.target_value,
        targets.source_document,
        case when targets.unit_level is null then 1 else 2 end as precedence
    from scopes
    inner join {{ ref('indicator_targets') }} as targets
        on targets.scheme = scopes.scheme
        and targets.handling_level = scopes.handling_level
        and (
            (targets.unit_level is null and targets.unit_code = scopes.unit_code)
            or (
                targets.unit_level = scopes.unit_level
                and targets.unit_code = any(scopes.enclosing_codes)
            )
        )
)

select distinct on (scheme, unit_code, handling_level, indicator_code, target_year)
    scheme,
    unit_code,
    handling_level,
    indicator_code,
    target_year,
    comparator,
    target_value,
    source_document
from candidates
order by scheme, unit_code, handling_level, indicator_code, target_year, precedence

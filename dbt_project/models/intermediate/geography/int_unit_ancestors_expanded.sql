{#- For every unit an agency's records count in (in either scheme), the unit itself and every
    unit above it in the same scheme. -#}
with recursive ancestry as (
    select distinct
        scheme,
        unit_code,
        unit_code as ancestor_code
    from {{ ref('int_agency_units_crosswalked') }}
    union all
    select
        ancestry.scheme,
        ancestry.unit_code,
        parents.parent_code
    from ancestry
    inner join {{ ref('int_admin_units_unioned') }} as parents
        on parents.scheme = ancestry.scheme and parents.unit_code = ancestry.ancestor_code
    where parents.parent_code is not null
)

select scheme, unit_code, ancestor_code from ancestry

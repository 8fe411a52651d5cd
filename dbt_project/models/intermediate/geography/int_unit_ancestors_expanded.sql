{#- For every unit that has an agency, the unit itself and every unit above it. -#}
with recursive ancestry as (
    select distinct
        scheme,
        unit_code,
        unit_code as ancestor_code
    from {{ ref('int_agencies_located') }}
    union all
    select
        ancestry.scheme,
        ancestry.unit_code,
        parents.parent_code
    from ancestry
    inner join {{ ref('admin_units_pre2025') }} as parents
        on parents.scheme = ancestry.scheme and parents.unit_code = ancestry.ancestor_code
    where parents.parent_code is not null
)

select scheme, unit_code, ancestor_code from ancestry

-- Every unit is present, at each of its handling levels, in every period of its scheme with
-- every indicator: `2025` in every period, `pre2025` in the periods that start before the
-- reform (reform2025.md §4).
with schemes as (
    select '2025' as scheme
    union all
    select 'pre2025'
),

expected as (
    select
        schemes.scheme,
        (
            select count(*) from {{ ref('periods') }} as periods
            where schemes.scheme = '2025'
                or periods.period_start < '{{ var("reform_date") }}'::date
        ) * (select count(*) from {{ ref('indicator_catalog') }}) as figures_per_scope
    from schemes
),

scopes as (
    select scheme, unit_code, handling_level, count(*) as figures
    from {{ ref('indicator_value') }}
    group by scheme, unit_code, handling_level
)

select scopes.*, expected.figures_per_scope
from scopes
inner join expected on expected.scheme = scopes.scheme
where scopes.figures <> expected.figures_per_scope

-- Every unit is present, at each of its handling levels, in every period with every indicator.
with expected as (
    select
        (select count(*) from {{ ref('periods') }})
        * (select count(*) from {{ ref('indicator_catalog') }}) as figures_per_scope
),

scopes as (
    select scheme, unit_code, handling_level, count(*) as figures
    from {{ ref('indicator_value') }}
    group by scheme, unit_code, handling_level
)

select scopes.*, expected.figures_per_scope
from scopes
cross join expected
where scopes.figures <> expected.figures_per_scope

-- Every measure the indicator catalogue names is produced by a measures model (meta.measures,
-- macros/measures.sql): a misspelt or missing measure would otherwise give its indicator 0 on
-- every row without any error.
with produced as (
    {{ produced_measures() }}
),

named as (
    select indicator_code, 'numerator' as role, numerator_measure as measure
    from {{ ref('indicators') }}
    union all
    select indicator_code, 'denominator' as role, denominator_measure as measure
    from {{ ref('indicators') }}
    where denominator_measure is not null
)

select named.indicator_code, named.role, named.measure
from named
where named.measure is null
    or not exists (select 1 from produced where produced.measure = named.measure)

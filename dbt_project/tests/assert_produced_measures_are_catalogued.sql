{{ config(severity='warn') }}
-- Every measure a measures model produces is named by some catalogue indicator: one that is
-- not is computed for nothing, or its indicator's row names it misspelt. A warning, since a
-- measure may be added to a model before its indicator is added to the catalogue.
with produced as (
    {{ produced_measures() }}
)

select produced.measure, produced.model_name
from produced
where not exists (
    select 1
    from {{ ref('indicators') }} as catalogue
    where produced.measure in (catalogue.numerator_measure, catalogue.denominator_measure)
)

-- A measure is stated by one measures model only: int_scope_measures_rolled_up adds the rows of
-- every measures model up, so a measure two models produce would be counted twice.
with produced as (
    {{ produced_measures() }}
)

select measure, count(*) as models
from produced
group by measure
having count(*) > 1

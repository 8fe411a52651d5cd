-- Ratios lie within [0, 1] with numerator <= denominator; a ratio with denominator 0 has no
-- value; counts and amounts have no denominator and a value equal to their numerator.
select figures.*
from {{ ref('indicator_value') }} as figures
inner join {{ ref('indicator_catalog') }} as catalog
    on catalog.indicator_code = figures.indicator_code
where (
        catalog.unit = 'ratio'
        and (
            figures.denominator is null
            or figures.numerator > figures.denominator
            or (figures.denominator = 0 and figures.value is not null)
            or (figures.denominator > 0 and figures.value is distinct from figures.numerator / figures.denominator)
            or figures.value < 0
            or figures.value > 1
        )
    )
    or (
        catalog.unit <> 'ratio'
        and (figures.denominator is not null or figures.value is distinct from figures.numerator)
    )

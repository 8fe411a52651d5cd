-- For additive indicators (everything but the catalogue's distinct procedure counts), a
-- scope's `all` figure (numerator and denominator) equals the sum of its other handling levels.
with figures as (
    select figures.*
    from {{ ref('indicator_value') }} as figures
    inner join {{ ref('indicator_catalog') }} as catalog
        on catalog.indicator_code = figures.indicator_code
    where catalog.is_additive
),

parts as (
    select
        scheme, unit_code, period_type, period_key, indicator_code,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from figures
    where handling_level <> 'all'
    group by scheme, unit_code, period_type, period_key, indicator_code
)

select figures.*, parts.numerator as parts_numerator, parts.denominator as parts_denominator
from figures
inner join parts
    on parts.scheme = figures.scheme
    and parts.unit_code = figures.unit_code
    and parts.period_type = figures.period_type
    and parts.period_key = figures.period_key
    and parts.indicator_code = figures.indicator_code
where figures.handling_level = 'all'
    and (
        figures.numerator <> parts.numerator
        or figures.denominator is distinct from parts.denominator
    )

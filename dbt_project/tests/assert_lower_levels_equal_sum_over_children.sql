-- For additive indicators, a unit's figure at a lower handling level equals the sum over its
-- child units' figures at that level: a district's `commune` figures are the sum over its
-- communes, a province's `district` and `commune` figures the sum over its districts. A 2025
-- province has no districts: its `district` figures are the old district-level agencies'
-- records (reform2025.md §4), and its `commune` figures the sum over its communes.
with figures as (
    select figures.*
    from {{ ref('indicator_value') }} as figures
    inner join {{ ref('indicator_catalog') }} as catalog
        on catalog.indicator_code = figures.indicator_code
    where catalog.is_additive
),

children as (
    select
        scheme, parent_code as unit_code, handling_level, period_type, period_key, indicator_code,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from figures
    where handling_level <> 'all' and parent_code is not null
    group by scheme, parent_code, handling_level, period_type, period_key, indicator_code
)

select figures.*, children.numerator as children_numerator
from figures
left join children
    on children.scheme = figures.scheme
    and children.unit_code = figures.unit_code
    and children.handling_level = figures.handling_level
    and children.period_type = figures.period_type
    and children.period_key = figures.period_key
    and children.indicator_code = figures.indicator_code
where figures.handling_level not in ('all', figures.unit_level)
    and not (figures.scheme = '2025' and figures.handling_level = 'district')
    and (
        figures.numerator <> coalesce(children.numerator, 0)
        or figures.denominator is distinct from
            case when figures.denominator is not null then coalesce(children.denominator, 0) end
    )

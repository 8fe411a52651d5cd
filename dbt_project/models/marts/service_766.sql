{#- QĐ 766 service-quality points (indicators.md §6) for the items these sources can compute:
    points = max points × min(1, rate / the rate that earns full points). An item whose rate has
    no value has no points. The `total` row adds the points of the items that have them,
    against the maximum computable (the sum of the items' maximum points, 50). -#}
with items as (
    select
        values_.scheme, values_.unit_code, values_.unit_name, values_.unit_level,
        values_.handling_level, values_.period_type, values_.period_key,
        values_.period_start, values_.period_end,
        rules.item_code,
        rules.item_name,
        rules.indicator_code,
        values_.value,
        rules.max_points,
        rules.max_points * least(1, values_.value / rules.full_at) as points
    from {{ ref('indicator_value') }} as values_
    inner join {{ ref('service_766_items') }} as rules
        on rules.indicator_code = values_.indicator_code
),

totals as (
    select
        scheme, unit_code, unit_name, unit_level, handling_level, period_type, period_key,
        period_start, period_end,
        'total' as item_code,
        'Tổng điểm các mục tính được' as item_name,
        null as indicator_code,
        null::numeric as value,
        sum(max_points) as max_points,
        coalesce(sum(points), 0) as points
    from items
    group by
        scheme, unit_code, unit_name, unit_level, handling_level, period_type, period_key,
        period_start, period_end
),

all_rows as (
    select * from items
    union all
    select * from totals
)

select
    scheme::text as scheme,
    unit_code::text as unit_code,
    unit_name::text as unit_name,
    unit_level::text as unit_level,
    handling_level::text as handling_level,
    period_type::text as period_type,
    period_key::text as period_key,
    period_start::date as period_start,
    period_end::date as period_end,
    item_code::text as item_code,
    item_name::text as item_name,
    indicator_code::text as indicator_code,
    value::numeric as value,
    points::numeric as points,
    max_points::numeric as max_points,
    (points / max_points)::numeric as points_share
from all_rows

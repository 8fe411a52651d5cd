-- reform2025.md §4: one continuous series per new commune. For a period that ends before the
-- reform, a new commune's additive figure equals the sum of its predecessors' pre2025 figures
-- (the old communes whose default successor it is). A warning, not an error: a record of an
-- agency created by the reform dated before the reform would break it, and that is the
-- source's data, not the mapping.
{{ config(severity='warn') }}

with figures as (
    select figures.*
    from {{ ref('indicator_value') }} as figures
    inner join {{ ref('indicator_catalog') }} as catalog
        on catalog.indicator_code = figures.indicator_code
    where catalog.is_additive
        and figures.unit_level = 'commune'
        and figures.period_end < '{{ var("reform_date") }}'::date
),

successors as (
    select old_unit_code, new_unit_code
    from {{ ref('admin_unit_crosswalk') }}
    where is_default and old_unit_level = 'commune'
),

predecessors as (
    select
        successors.new_unit_code as unit_code,
        figures.handling_level,
        figures.period_type,
        figures.period_key,
        figures.indicator_code,
        sum(figures.numerator) as numerator,
        sum(figures.denominator) as denominator
    from figures
    inner join successors on successors.old_unit_code = figures.unit_code
    where figures.scheme = 'pre2025'
    group by 1, 2, 3, 4, 5
)

select figures.*, predecessors.numerator as predecessors_numerator
from figures
inner join predecessors
    on predecessors.unit_code = figures.unit_code
    and predecessors.handling_level = figures.handling_level
    and predecessors.period_type = figures.period_type
    and predecessors.period_key = figures.period_key
    and predecessors.indicator_code = figures.indicator_code
where figures.scheme = '2025'
    and (
        figures.numerator <> predecessors.numerator
        or figures.denominator is distinct from predecessors.denominator
    )

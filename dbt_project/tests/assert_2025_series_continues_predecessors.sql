-- reform2025.md §4: one continuous series per new commune. For a period that ends before the
-- reform, a new commune's additive figure equals the sum of its predecessors' pre2025 figures
-- (the old communes whose default successor it is). A warning, not an error: a record of an
-- agency created by the reform dated before the reform would break it, and that is the
-- source's data, not the mapping. One pass over the grid, grouped by the 2025 unit each row
-- speaks for (a join of the grid with itself takes minutes on a province).
{{ config(severity='warn') }}

with successors as (
    select old_unit_code, new_unit_code
    from {{ ref('admin_unit_crosswalk') }}
    where is_default and old_unit_level = 'commune'
),

figures as (
    select
        coalesce(successors.new_unit_code, figures.unit_code) as unit_code,
        figures.handling_level,
        figures.period_type,
        figures.period_key,
        figures.indicator_code,
        sum(figures.numerator) filter (where figures.scheme = '2025') as numerator,
        sum(figures.denominator) filter (where figures.scheme = '2025') as denominator,
        sum(figures.numerator) filter (where figures.scheme = 'pre2025') as predecessors_numerator,
        sum(figures.denominator) filter (where figures.scheme = 'pre2025')
            as predecessors_denominator,
        count(*) filter (where figures.scheme = '2025') as new_rows
    from {{ ref('indicator_value') }} as figures
    inner join {{ ref('indicator_catalog') }} as catalog
        on catalog.indicator_code = figures.indicator_code
    left join successors
        on figures.scheme = 'pre2025' and successors.old_unit_code = figures.unit_code
    where catalog.is_additive
        and figures.unit_level = 'commune'
        and figures.period_end < '{{ var("reform_date") }}'::date
        and (figures.scheme = '2025' or successors.new_unit_code is not null)
    group by 1, 2, 3, 4, 5
)

select *
from figures
where new_rows = 1
    and predecessors_numerator is not null
    and (
        numerator <> predecessors_numerator
        or denominator is distinct from predecessors_denominator
    )

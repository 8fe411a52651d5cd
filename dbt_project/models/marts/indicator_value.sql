{#- One row per figure (warehouse.md §1), on the dense grid: every scope × every period ×
    every indicator of the catalogue, in both code schemes (reform2025.md §4): `2025` over every
    period of the loaded dates, `pre2025` over the periods that start before the reform, never
    complete past its eve. -#}
with scopes as (
    select * from {{ ref('int_scopes_enumerated') }}
),

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

catalog as (
    select * from {{ ref('indicators') }}
),

-- Joined twice (numerator, denominator): left inline so that PostgreSQL hash-joins the
-- table itself on all six keys. Materialised (the default for a CTE used twice), the planner
-- merge-joined on three keys and filtered the rest: 17 minutes instead of 12 seconds for a
-- province over two years.
measures as not materialized (
    select * from {{ ref('int_scope_measures_rolled_up') }}
),

coverage as (
    select * from {{ ref('int_source_coverage_summarised') }}
),

figures as (
    select
        scopes.scheme,
        scopes.unit_code,
        scopes.unit_name,
        scopes.unit_level,
        scopes.parent_code,
        scopes.handling_level,
        periods.period_type,
        periods.period_key,
        periods.period_start,
        periods.period_end,
        periods.period_year,
        catalog.indicator_code,
        coalesce(numerators.amount, 0) as numerator,
        case when catalog.denominator_measure is not null then coalesce(denominators.amount, 0) end
            as denominator,
        catalog.denominator_measure is not null as is_ratio,
        coalesce(numerators.is_approximate, false)
            or coalesce(denominators.is_approximate, false) as is_approximate
    from scopes
    inner join periods
        on scopes.scheme = '2025' or periods.period_start < '{{ var("reform_date") }}'::date
    cross join catalog
    left join measures as numerators
        on numerators.scheme = scopes.scheme
        and numerators.unit_code = scopes.unit_code
        and numerators.handling_level = scopes.handling_level
        and numerators.period_type = periods.period_type
        and numerators.period_key = periods.period_key
        and numerators.measure = catalog.numerator_measure
    left join measures as denominators
        on denominators.scheme = scopes.scheme
        and denominators.unit_code = scopes.unit_code
        and denominators.handling_level = scopes.handling_level
        and denominators.period_type = periods.period_type
        and denominators.period_key = periods.period_key
        and denominators.measure = catalog.denominator_measure
),

valued as (
    select
        figures.*,
        case
            when not is_ratio then numerator
            when denominator > 0 then numerator / denominator
        end as value
    from figures
)

select
    valued.scheme::text as scheme,
    valued.unit_code::text as unit_code,
    valued.unit_name::text as unit_name,
    valued.unit_level::text as unit_level,
    valued.parent_code::text as parent_code,
    valued.handling_level::text as handling_level,
    valued.period_type::text as period_type,
    valued.period_key::text as period_key,
    valued.period_start::date as period_start,
    valued.period_end::date as period_end,
    valued.indicator_code::text as indicator_code,
    valued.numerator::numeric as numerator,
    valued.denominator::numeric as denominator,
    valued.value::numeric as value,
    targets.target_value::numeric as target,
    (case
        when targets.target_value is null then null
        when valued.value is null then 'no_basis'
        when targets.comparator = '>=' and valued.value >= targets.target_value then 'achieved'
        when targets.comparator = '<=' and valued.value <= targets.target_value then 'achieved'
        else 'not_achieved'
    end)::text as target_status,
    (
        coverage.all_sources_loaded
        and valued.period_start >= coverage.complete_from
        and valued.period_end <= coverage.complete_through
        and (valued.scheme <> 'pre2025' or valued.period_end < '{{ var("reform_date") }}'::date)
    )::boolean as is_complete,
    valued.is_approximate::boolean as is_approximate
from valued
cross join coverage
left join {{ ref('int_scope_targets_resolved') }} as targets
    on targets.scheme = valued.scheme
    and targets.unit_code = valued.unit_code
    and targets.handling_level = valued.handling_level
    and targets.indicator_code = valued.indicator_code
    and targets.target_year = valued.period_year

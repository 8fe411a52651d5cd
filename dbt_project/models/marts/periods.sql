{#- Every reporting period of the grid, with whether it is complete. -#}
select
    periods.period_type::text as period_type,
    periods.period_key::text as period_key,
    periods.period_start::date as period_start,
    periods.period_end::date as period_end,
    periods.period_year::integer as period_year,
    (
        coverage.all_sources_loaded
        and periods.period_start >= coverage.complete_from
        and periods.period_end <= coverage.complete_through
    )::boolean as is_complete
from {{ ref('int_periods_enumerated') }} as periods
cross join {{ ref('int_source_coverage_summarised') }} as coverage

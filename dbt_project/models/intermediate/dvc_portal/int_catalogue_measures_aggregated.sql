{#- The catalogue measures per scope and period, on the period's last day. They are distinct
    counts of procedures, not additive over agencies: computed per scope. An offering applies
    to an agency when its agencyLevel is the agency's level and its agencyCode is null (every
    agency of that level) or that agency; a procedure counts at its highest level. -#}
with scope_agencies as (
    select
        mapped.scheme,
        mapped.unit_code,
        mapped.handling_level,
        mapped.agency_code,
        mapped.agency_level,
        mapped.is_approximate
    from {{ ref('int_agency_scopes_mapped') }} as mapped
),

scope_levels as (
    select distinct scheme, unit_code, handling_level, agency_level
    from scope_agencies
),

periods as (
    select period_type, period_key, period_end from {{ ref('int_periods_enumerated') }}
),

offerings as (
    select * from {{ ref('int_offerings_published') }}
),

applicable as (
    select
        scope_levels.scheme,
        scope_levels.unit_code,
        scope_levels.handling_level,
        periods.period_type,
        periods.period_key,
        offerings.procedure_code,
        offerings.online_rank,
        offerings.is_eligible_full_online,
        false as is_approximate
    from scope_levels
    inner join offerings
        on offerings.agency_level = scope_levels.agency_level and offerings.agency_code is null
    inner join periods
        on periods.period_end between offerings.published_from and offerings.published_until
    union all
    select
        scope_agencies.scheme,
        scope_agencies.unit_code,
        scope_agencies.handling_level,
        periods.period_type,
        periods.period_key,
        offerings.procedure_code,
        offerings.online_rank,
        offerings.is_eligible_full_online,
        scope_agencies.is_approximate
    from scope_agencies
    inner join offerings
        on offerings.agency_level = scope_agencies.agency_level
        and offerings.agency_code = scope_agencies.agency_code
    inner join periods
        on periods.period_end between offerings.published_from and offerings.published_until
),

procedures as (
    select
        scheme,
        unit_code,
        handling_level,
        period_type,
        period_key,
        procedure_code,
        max(online_rank) as online_rank,
        bool_or(is_eligible_full_online) as is_eligible_full_online,
        -- approximate only when no exact offering (level-wide or another agency's) has it too
        bool_and(is_approximate) as is_approximate
    from applicable
    group by scheme, unit_code, handling_level, period_type, period_key, procedure_code
),

counted as (
    select
        scheme,
        unit_code,
        handling_level,
        period_type,
        period_key,
        count(*) as procedures,
        count(*) filter (where online_rank = 3) as procedures_full,
        count(*) filter (where online_rank = 2) as procedures_partial,
        count(*) filter (where online_rank >= 2) as procedures_online,
        count(*) filter (where is_eligible_full_online or online_rank = 3) as procedures_eligible,
        bool_or(is_approximate) as is_approximate
    from procedures
    group by scheme, unit_code, handling_level, period_type, period_key
)

select
    counted.scheme,
    counted.unit_code,
    counted.handling_level,
    counted.period_type,
    counted.period_key,
    measures.measure,
    measures.amount::numeric as amount,
    counted.is_approximate
from counted
cross join lateral (
    {{ measure_values(config.meta_require('measures')) }}
) as measures (measure, amount)

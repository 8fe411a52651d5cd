-- indicators.md §3: in_scope = resolved + withdrawn + stopped + pending, for every unit, period
-- and handling level; and received + carried_over = in_scope. Returns the scopes that break it.
with figures as (
    select
        scheme, unit_code, handling_level, period_type, period_key,
        sum(numerator) filter (where indicator_code = 'tthc.in_scope') as in_scope,
        sum(numerator) filter (where indicator_code = 'tthc.received') as received,
        sum(numerator) filter (where indicator_code = 'tthc.carried_over') as carried_over,
        sum(numerator) filter (where indicator_code = 'tthc.resolved') as resolved,
        sum(numerator) filter (where indicator_code = 'tthc.withdrawn') as withdrawn,
        sum(numerator) filter (where indicator_code = 'tthc.stopped') as stopped,
        sum(numerator) filter (where indicator_code = 'tthc.pending') as pending,
        sum(numerator) filter (where indicator_code = 'tthc.resolved_early') as early,
        sum(numerator) filter (where indicator_code = 'tthc.resolved_on_time') as on_time,
        sum(numerator) filter (where indicator_code = 'tthc.resolved_late') as late,
        sum(numerator) filter (where indicator_code = 'tthc.pending_overdue') as overdue,
        sum(numerator) filter (where indicator_code = 'tthc.pending_not_due') as not_due
    from {{ ref('indicator_value') }}
    group by scheme, unit_code, handling_level, period_type, period_key
)

select *
from figures
where in_scope <> resolved + withdrawn + stopped + pending
    or in_scope <> received + carried_over
    or resolved <> early + on_time + late
    or pending <> overdue + not_due

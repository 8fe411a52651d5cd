{#- The additive one-stop measures per agency and period (indicators.md §3): a dossier is in
    a period's scope when it was received by the period's end and had not ended before its
    start.

    Incremental by period: a run recomputes the periods that end on or after the earliest
    receipt date among the dossiers reclassified since the last run (a dossier counts in no
    period that ends before its receipt), and periods not yet computed; older periods are kept.
    Each recomputed period gets a marker row (no agency, in_scope 0) so that a period which
    lost all its dossiers is still replaced. -#}
{{ config(
    materialized='incremental',
    unique_key=['period_type', 'period_key'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with periods as (
    select periods.*
    from {{ ref('int_periods_enumerated') }} as periods
    {%- if is_incremental() %}
    where periods.period_end >= (
            select min(dossiers.received_on)
            from {{ ref('int_dossiers_classified') }} as dossiers
            where {{ released_after('dossiers.load_id', '(select coalesce(max(through_release_seq), 0) from ' ~ this ~ ')') }}
        )
        or not exists (
            select 1 from {{ this }} as computed
            where computed.period_type = periods.period_type
                and computed.period_key = periods.period_key
        )
    {%- endif %}
),

in_scope as (
    select
        dossiers.agency_code,
        periods.period_type,
        periods.period_key,
        dossiers.received_on >= periods.period_start as is_received_in_period,
        dossiers.ending = 'resolved' and dossiers.ended_on <= periods.period_end as is_resolved,
        dossiers.ending = 'withdrawn' and dossiers.ended_on <= periods.period_end as is_withdrawn,
        dossiers.ending = 'stopped' and dossiers.ended_on <= periods.period_end as is_stopped,
        dossiers.ended_on is null or dossiers.ended_on > periods.period_end as is_pending,
        coalesce(dossiers.due_on < periods.period_end, false) as is_past_due_at_end,
        dossiers.ended_on,
        dossiers.due_on,
        dossiers.channel,
        dossiers.is_digitised_at_intake,
        dossiers.is_result_digitised,
        dossiers.has_reused_data,
        dossiers.has_fee,
        dossiers.is_paid_online,
        dossiers.is_offered_fully_online
    from {{ ref('int_dossiers_classified') }} as dossiers
    inner join periods
        on dossiers.received_on <= periods.period_end
        and (dossiers.ended_on is null or dossiers.ended_on >= periods.period_start)
    where dossiers.is_countable
),

counted as (
    select
        agency_code,
        period_type,
        period_key,
        count(*) filter (where is_received_in_period) as received,
        count(*) filter (where is_received_in_period and channel = 'online') as received_online,
        count(*) filter (where is_received_in_period and channel = 'in_person') as received_in_person,
        count(*) filter (where is_received_in_period and channel = 'postal') as received_postal,
        count(*) filter (where not is_received_in_period) as carried_over,
        count(*) as in_scope,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where is_resolved and ended_on < due_on) as resolved_early,
        count(*) filter (where is_resolved and (due_on is null or ended_on = due_on)) as resolved_on_time,
        count(*) filter (where is_resolved and ended_on > due_on) as resolved_late,
        count(*) filter (where is_withdrawn) as withdrawn,
        count(*) filter (where is_stopped) as stopped,
        count(*) filter (where is_pending) as pending,
        count(*) filter (where is_pending and is_past_due_at_end) as pending_overdue,
        count(*) filter (where is_pending and not is_past_due_at_end) as pending_not_due,
        count(*) filter (where is_received_in_period and is_digitised_at_intake) as received_digitized,
        count(*) filter (where is_resolved and is_result_digitised) as resolved_result_digitized,
        count(*) filter (where is_received_in_period and has_reused_data) as received_reused,
        count(*) filter (where is_received_in_period and has_fee) as received_with_fee,
        count(*) filter (where is_received_in_period and has_fee and is_paid_online) as received_fee_paid_online,
        count(*) filter (where is_received_in_period and is_offered_fully_online) as received_full_offer,
        count(*) filter (
            where is_received_in_period and is_offered_fully_online and channel = 'online'
        ) as received_online_full_offer
    from in_scope
    group by agency_code, period_type, period_key
),

derived as (
    select
        counted.*,
        resolved_early + resolved_on_time as resolved_early_or_on_time,
        resolved_early + resolved_on_time + pending_not_due as progress_766
    from counted
),

watermark as (
    select {{ newest_release_in(ref('int_dossiers_classified')) }} as through_release_seq
)

select
    derived.agency_code,
    derived.period_type,
    derived.period_key,
    measures.measure,
    measures.amount::numeric as amount,
    watermark.through_release_seq
from derived
cross join watermark
cross join lateral (
    {{ measure_values(config.meta_require('measures')) }}
) as measures (measure, amount)
union all
select
    null as agency_code,
    periods.period_type,
    periods.period_key,
    'in_scope' as measure,
    0::numeric as amount,
    watermark.through_release_seq
from periods
cross join watermark

{#- The additive QLVB measures per agency and period: registers by their registration date
    (den: Ngày đến, di: Ngày ban hành), work files by Ngày đóng. A QLVB unit is the agency
    whose code is its ma_dinh_danh. -#}
with units as (
    select unit_id, agency_code from {{ ref('stg_qlvb__units') }}
),

rows_dated as (
    select
        units.agency_code,
        'den' as register,
        incoming.arrived_on as counted_on,
        incoming.is_confidential,
        incoming.form,
        incoming.is_signed,
        null::boolean as is_sent_via_national_axis,
        null::boolean as is_processed_online
    from {{ ref('stg_qlvb__incoming_documents') }} as incoming
    inner join units on units.unit_id = incoming.unit_id
    union all
    select
        units.agency_code,
        'di',
        outgoing.issued_on,
        outgoing.is_confidential,
        outgoing.form,
        outgoing.signature <> 'none',
        outgoing.is_sent_via_national_axis,
        null
    from {{ ref('stg_qlvb__outgoing_documents') }} as outgoing
    inner join units on units.unit_id = outgoing.unit_id
    union all
    select
        units.agency_code,
        'hscv',
        work_files.closed_on,
        work_files.is_confidential,
        null,
        null,
        null,
        work_files.is_processed_online
    from {{ ref('stg_qlvb__work_files') }} as work_files
    inner join units on units.unit_id = work_files.unit_id
),

counted as (
    select
        rows_dated.agency_code,
        periods.period_type,
        periods.period_key,
        count(*) filter (where register = 'den') as incoming,
        count(*) filter (where register = 'di') as outgoing,
        count(*) filter (where register in ('den', 'di') and not is_confidential)
            as documents_non_confidential,
        count(*) filter (
            where register in ('den', 'di') and not is_confidential
            and form in ('electronic', 'electronic_and_paper')
        ) as documents_electronic,
        count(*) filter (
            where register in ('den', 'di') and not is_confidential and form = 'electronic'
        ) as documents_fully_electronic,
        count(*) filter (
            where register = 'di' and not is_confidential
            and form in ('electronic', 'electronic_and_paper')
        ) as outgoing_electronic,
        count(*) filter (
            where register = 'di' and not is_confidential
            and form in ('electronic', 'electronic_and_paper') and is_signed
        ) as outgoing_electronic_signed,
        count(*) filter (
            where register = 'di' and not is_confidential
            and form in ('electronic', 'electronic_and_paper') and is_sent_via_national_axis
        ) as outgoing_electronic_interlinked,
        count(*) filter (
            where register = 'den' and not is_confidential
            and form in ('electronic', 'electronic_and_paper')
        ) as incoming_electronic,
        count(*) filter (
            where register = 'den' and not is_confidential
            and form in ('electronic', 'electronic_and_paper') and is_signed
        ) as incoming_electronic_signed,
        count(*) filter (where register = 'hscv' and not is_confidential) as work_files_closed,
        count(*) filter (
            where register = 'hscv' and not is_confidential and is_processed_online
        ) as work_files_closed_online
    from rows_dated
    inner join {{ ref('int_periods_enumerated') }} as periods
        on rows_dated.counted_on between periods.period_start and periods.period_end
    group by rows_dated.agency_code, periods.period_type, periods.period_key
)

select
    counted.agency_code,
    counted.period_type,
    counted.period_key,
    measures.measure,
    measures.amount::numeric as amount
from counted
cross join lateral (
    {{ measure_values(config.meta_require('measures')) }}
) as measures (measure, amount)

{#- The additive portal measures per agency and period: successful payments by the Vietnam
    date they were paid on (in total and per feeKind), ratings not withdrawn by the Vietnam
    date they were given on. -#}
with payments as (
    select agency_code, paid_on, fee_kind, amount
    from {{ ref('stg_dvc_portal__payments') }}
    where status = 'SUCCESS' and paid_on is not null
),

payment_measures as (
    select
        payments.agency_code,
        periods.period_type,
        periods.period_key,
        measures.measure,
        sum(measures.amount) as amount
    from payments
    inner join {{ ref('int_periods_enumerated') }} as periods
        on payments.paid_on between periods.period_start and periods.period_end
    cross join lateral (
        values
            ('payments', 1::numeric),
            ('payment_amount', payments.amount),
            ('payments.' || payments.fee_kind, 1::numeric),
            ('payment_amount.' || payments.fee_kind, payments.amount)
    ) as measures (measure, amount)
    group by payments.agency_code, periods.period_type, periods.period_key, measures.measure
),

rating_measures as (
    select
        ratings.agency_code,
        periods.period_type,
        periods.period_key,
        measures.measure,
        sum(measures.amount) as amount
    from {{ ref('stg_dvc_portal__ratings') }} as ratings
    inner join {{ ref('int_periods_enumerated') }} as periods
        on ratings.rated_on between periods.period_start and periods.period_end
    cross join lateral (
        values
            ('ratings', 1::numeric),
            ('ratings_satisfied', case when ratings.satisfaction_level = 'KHONG_HAI_LONG' then 0 else 1 end::numeric)
    ) as measures (measure, amount)
    where not ratings.is_withdrawn
    group by ratings.agency_code, periods.period_type, periods.period_key, measures.measure
),

activity_measures as (
    select * from payment_measures
    union all
    select * from rating_measures
)

-- Only the stated measures (meta.measures): a feeKind outside them counts in the totals alone.
select * from activity_measures
where measure in {{ measure_names(config.meta_require('measures')) }}

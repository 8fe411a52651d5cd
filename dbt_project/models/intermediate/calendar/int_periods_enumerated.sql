{#- Every period of the eight types of indicators.md §1 that overlaps the loaded dates: from
    the earliest record date to the day the sources are loaded through. `report_*` periods are
    the NĐ 09/2019 statistical periods, cut on the 14th. -#}
with record_dates as (
    select min(received_on) as first_on from {{ ref('int_dossiers_classified') }}
    union all
    select min(arrived_on) from {{ ref('stg_qlvb__incoming_documents') }}
    union all
    select min(issued_on) from {{ ref('stg_qlvb__outgoing_documents') }}
    union all
    select min(least(opened_on, closed_on)) from {{ ref('stg_qlvb__work_files') }}
    union all
    select min(paid_on) from {{ ref('stg_dvc_portal__payments') }}
    union all
    select min(rated_on) from {{ ref('stg_dvc_portal__ratings') }}
),

bounds as (
    select
        (select min(first_on) from record_dates) as first_on,
        (select loaded_through from {{ ref('int_source_coverage_summarised') }}) as last_on
),

months as (
    select month_start::date as month_start
    from bounds,
        generate_series(
            date_trunc('year', first_on) - interval '1 year',
            date_trunc('year', last_on) + interval '1 year',
            interval '1 month'
        ) as month_start
    where first_on is not null and last_on is not null
),

candidates as (
    select
        'month' as period_type,
        to_char(month_start, 'YYYY-MM') as period_key,
        month_start as period_start,
        (month_start + interval '1 month' - interval '1 day')::date as period_end
    from months
    union all
    select
        'quarter',
        to_char(month_start, 'YYYY-"Q"Q'),
        month_start,
        (month_start + interval '3 months' - interval '1 day')::date
    from months where extract(month from month_start) in (1, 4, 7, 10)
    union all
    select
        'half',
        to_char(month_start, 'YYYY') || case when extract(month from month_start) = 1 then '-H1' else '-H2' end,
        month_start,
        (month_start + interval '6 months' - interval '1 day')::date
    from months where extract(month from month_start) in (1, 7)
    union all
    select
        'year',
        to_char(month_start, 'YYYY'),
        month_start,
        (month_start + interval '1 year' - interval '1 day')::date
    from months where extract(month from month_start) = 1
    union all
    select
        'report_month',
        'R' || to_char(month_start, 'YYYY-MM'),
        (month_start - interval '1 month' + interval '14 days')::date,
        (month_start + interval '13 days')::date
    from months
    union all
    select
        'report_quarter',
        'R' || to_char(month_start, 'YYYY-"Q"Q'),
        (month_start - interval '1 month' + interval '14 days')::date,
        (month_start + interval '2 months' + interval '13 days')::date
    from months where extract(month from month_start) in (1, 4, 7, 10)
    union all
    select
        'report_half',
        'R' || to_char(month_start, 'YYYY') || case when extract(month from month_start) = 1 then '-H1' else '-H2' end,
        (month_start - interval '1 month' + interval '14 days')::date,
        (month_start + interval '5 months' + interval '13 days')::date
    from months where extract(month from month_start) in (1, 7)
    union all
    select
        'report_year',
        'R' || to_char(month_start, 'YYYY'),
        (month_start - interval '1 month' + interval '14 days')::date,
        (month_start + interval '11 months' + interval '13 days')::date
    from months where extract(month from month_start) = 1
)

select
    candidates.period_type,
    candidates.period_key,
    candidates.period_start,
    candidates.period_end,
    extract(year from candidates.period_end)::integer as period_year
from candidates
cross join bounds
where candidates.period_start <= bounds.last_on
    and candidates.period_end >= bounds.first_on

{#- Every catalogue offering with the dates on which it is published: its publication
    interval, cut short on the Vietnam date of its last update if it is now SUSPENDED (the
    record carries only its current status). An offering with no day left is dropped. -#}
with offerings as (
    select
        *,
        case
            when status = 'SUSPENDED'
                then least(
                    coalesce(published_to, 'infinity'::date),
                    ({{ vietnam_date('updated_at') }} - 1)
                )
            else coalesce(published_to, 'infinity'::date)
        end as published_until
    from {{ ref('stg_dvc_portal__services') }}
)

select
    service_id,
    procedure_code,
    agency_level,
    agency_code,
    online_level,
    case online_level when 'FULL' then 3 when 'PARTIAL' then 2 else 1 end as online_rank,
    is_eligible_full_online,
    has_fee,
    published_from,
    published_until
from offerings
where published_from is not null and published_from <= published_until

{#- Every online-service offering the portal ever published, with the dates it counts as
    published on. -#}
select
    services.service_id::text as service_id,
    services.procedure_code::text as procedure_code,
    services.agency_level::text as agency_level,
    services.agency_code::text as agency_code,
    services.online_level::text as online_level,
    services.is_eligible_full_online::boolean as is_eligible_full_online,
    services.has_fee::boolean as has_fee,
    services.requires_paper_result::boolean as requires_paper_result,
    services.status::text as status,
    services.published_from::date as published_from,
    services.published_to::date as published_to,
    (case when published.published_until <> 'infinity'::date then published.published_until end)::date
        as counted_until,
    services.updated_at::timestamptz as updated_at
from {{ ref('stg_dvc_portal__services') }} as services
left join {{ ref('int_offerings_published') }} as published
    on published.service_id = services.service_id

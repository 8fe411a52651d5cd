{#- The dossier facts of indicators.md §3, from each dossier's latest record. A dossier that
    ended without an end date (and, when resolved, without a hand-over date) breaks the source
    spec: it is kept here with is_countable false and counts nowhere. Incremental: a run
    reclassifies only the dossiers whose staged record changed (the catalogue and the agency
    catalogue are read as they are now; after a correction of their history, run with
    --full-refresh). -#}
{{ config(
    materialized='incremental',
    unique_key='dossier_code',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with dossiers as (
    select
        dossiers.*,
        statuses.is_received as status_is_received,
        statuses.ending,
        agencies.agency_level
    from {{ ref('stg_onestop__dossiers') }} as dossiers
    left join {{ ref('onestop_dossier_statuses') }} as statuses
        on statuses.status_code = dossiers.status_code
    left join {{ ref('int_agencies_located') }} as agencies
        on agencies.agency_code = dossiers.agency_code
    {%- if is_incremental() %}
    where {{ released_after('dossiers.load_id', newest_release_in(this)) }}
    {%- endif %}
),

facts as (
    select
        dossier_code,
        procedure_code,
        agency_code,
        handling_agency_code,
        agency_level,
        status_code,
        channel,
        coalesce(status_is_received, false) and received_on is not null as is_received,
        case when coalesce(status_is_received, false) then received_on end as received_on,
        ending,
        case ending
            when 'resolved' then coalesce(processing_ended_on, returned_on)
            when 'withdrawn' then processing_ended_on
            when 'stopped' then processing_ended_on
        end as ended_on,
        due_on,
        has_digitised_component or exists (
            select 1 from jsonb_array_elements(submitted_components) as component
            where btrim(component->>'DuocSoHoa') = '1'
                and coalesce(btrim(component->>'IsDeleted'), '0') <> '1'
        ) as is_digitised_at_intake,
        exists (
            select 1 from jsonb_array_elements(results) as result
            where btrim(coalesce(result->>'DuongDanTepTinKetQua', '')) <> ''
        ) as is_result_digitised,
        exists (
            select 1 from jsonb_array_elements(submitted_components) as component
            where (
                btrim(component->>'DuocTaiSuDung') = '1'
                or btrim(component->>'DuocLayTuKhoDMQG') = '1'
            )
                and coalesce(btrim(component->>'IsDeleted'), '0') <> '1'
        ) as has_reused_data,
        exists (
            select 1 from jsonb_array_elements(fees) as fee
            where (nullif(btrim(fee->>'Gia'), ''))::numeric > 0
        ) as has_fee,
        online_payment_code in ('1', '2') as is_paid_online,
        updated_at,
        load_id
    from dossiers
)

select
    facts.*,
    facts.is_received
        and facts.agency_level is not null
        and (facts.ending is null or facts.ended_on is not null) as is_countable,
    facts.is_received and exists (
        select 1
        from {{ ref('int_offerings_published') }} as offerings
        where offerings.procedure_code = facts.procedure_code
            and offerings.online_level = 'FULL'
            and offerings.agency_level = facts.agency_level
            and (offerings.agency_code is null or offerings.agency_code = facts.agency_code)
            and facts.received_on between offerings.published_from and offerings.published_until
    ) as is_offered_fully_online
from facts

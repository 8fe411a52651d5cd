{#- One row per registered document, incoming (`den`) and outgoing (`di`), its latest export.
    No summary (`Trích yếu`).
    Incremental: a run replaces the documents re-exported since. -#}
{{ config(
    materialized='incremental',
    unique_key=['register', 'qlvb_unit_id', 'document_code'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with units as (
    select unit_id, agency_code from {{ ref('stg_qlvb__units') }}
)

select
    'den'::text as register,
    incoming.document_code::text as document_code,
    units.agency_code::text as agency_code,
    incoming.unit_id::bigint as qlvb_unit_id,
    incoming.arrived_on::date as registered_on,
    incoming.document_type::text as document_type,
    incoming.confidentiality::text as confidentiality,
    incoming.is_confidential::boolean as is_confidential,
    incoming.urgency::text as urgency,
    incoming.form::text as form,
    incoming.is_signed::boolean as is_signed,
    null::text as signature,
    incoming.is_via_national_axis::boolean as is_via_national_axis,
    incoming.processing_status::text as processing_status,
    incoming.load_id::bigint as load_id
from {{ ref('stg_qlvb__incoming_documents') }} as incoming
left join units on units.unit_id = incoming.unit_id
{%- if is_incremental() %}
where {{ released_after('incoming.load_id', newest_release_in(this, "register = 'den'")) }}
{%- endif %}
union all
select
    'di',
    outgoing.document_code,
    units.agency_code,
    outgoing.unit_id,
    outgoing.issued_on,
    outgoing.document_type,
    outgoing.confidentiality,
    outgoing.is_confidential,
    outgoing.urgency,
    outgoing.form,
    outgoing.signature <> 'none',
    outgoing.signature,
    outgoing.is_sent_via_national_axis,
    null,
    outgoing.load_id
from {{ ref('stg_qlvb__outgoing_documents') }} as outgoing
left join units on units.unit_id = outgoing.unit_id
{%- if is_incremental() %}
where {{ released_after('outgoing.load_id', newest_release_in(this, "register = 'di'")) }}
{%- endif %}

{#- Every measure per scope (unit × handling level, in both schemes) and period: the additive
    agency measures summed over the scope's agencies, plus the catalogue measures computed per
    scope. `is_approximate`: some of the amount comes from a divided old commune's agency
    counted whole at its default successor (reform2025.md §4). -#}
with agency_measures as (
    select agency_code, period_type, period_key, measure, amount
    from {{ ref('int_dossier_measures_aggregated') }}
    union all
    select agency_code, period_type, period_key, measure, amount
    from {{ ref('int_document_measures_aggregated') }}
    union all
    select agency_code, period_type, period_key, measure, amount
    from {{ ref('int_portal_activity_measures_aggregated') }}
)

select
    mapped.scheme,
    mapped.unit_code,
    mapped.handling_level,
    agency_measures.period_type,
    agency_measures.period_key,
    agency_measures.measure,
    sum(agency_measures.amount) as amount,
    coalesce(bool_or(mapped.is_approximate and agency_measures.amount <> 0), false)
        as is_approximate
from agency_measures
inner join {{ ref('int_agency_scopes_mapped') }} as mapped
    on mapped.agency_code = agency_measures.agency_code
group by
    mapped.scheme,
    mapped.unit_code,
    mapped.handling_level,
    agency_measures.period_type,
    agency_measures.period_key,
    agency_measures.measure
union all
select
    scheme,
    unit_code,
    handling_level,
    period_type,
    period_key,
    measure,
    amount,
    is_approximate
from {{ ref('int_catalogue_measures_aggregated') }}

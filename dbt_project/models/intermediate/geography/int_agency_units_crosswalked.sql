{#- The unit each agency's records count in, per reporting scheme (reform2025.md §4):
    - in its own scheme, the unit it serves;
    - a `pre2025` agency also in `2025`, at the unit its old unit maps to: an old commune's
      agency at its new commune (a divided old commune at its default successor, which makes
      the figures approximate), an old district's or province's agency at the new province.
    The agency keeps its own level, so an old district-level agency's records count at the new
    province at handling level `district`. `2025` agencies count in no `pre2025` unit. Only the
    schemes of the `report_schemes` var are computed. -#}
{%- set schemes = var('report_schemes') %}
with agencies as (
    select * from {{ ref('int_agencies_located') }}
),

successors as (
    select old_unit_code, old_unit_level, new_unit_code, relation
    from {{ ref('admin_units_pre2025_to_2025') }}
    where is_default
)

select
    agency_code,
    agency_level,
    scheme,
    unit_code,
    false as is_approximate
from agencies
where scheme in ('{{ schemes | join("', '") }}')
{%- if '2025' in schemes %}
union all
select
    agencies.agency_code,
    agencies.agency_level,
    '2025' as scheme,
    successors.new_unit_code as unit_code,
    successors.relation = 'divided' as is_approximate
from agencies
inner join successors
    on successors.old_unit_code = agencies.unit_code
    and successors.old_unit_level = agencies.unit_level
where agencies.scheme = 'pre2025'
{%- endif %}

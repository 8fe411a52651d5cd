select
    scheme::text as scheme,
    indicator_code::text as indicator_code,
    target_year::integer as target_year,
    handling_level::text as handling_level,
    unit_code::text as unit_code,
    unit_level::text as unit_level,
    coalesce(unit_level, 'unit')::text as unit_scope,
    comparator::text as comparator,
    target_value::numeric as target_value,
    source_document::text as source_document
from {{ ref('indicator_targets') }}

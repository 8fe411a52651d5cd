select
    indicator_code::text as indicator_code,
    name_vi::text as name_vi,
    name_en::text as name_en,
    group_code::text as group_code,
    unit::text as unit,
    direction::text as direction,
    formula::text as formula,
    source_system::text as source_system,
    numerator_measure::text as numerator_measure,
    denominator_measure::text as denominator_measure,
    is_additive::boolean as is_additive,
    weight::numeric as weight,
    full_score_level::numeric as full_score_level
from {{ ref('indicators') }}

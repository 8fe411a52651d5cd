{#- The DTI-style digital-government index (indicators.md §6) per scope and period: each
    indicator of a group scores min(1, value / full-score level), the full-score level being
    the target in force, else the catalogue's; a group's score is the weighted mean of its
    scored indicators; the index (`all`) the mean of the groups that have a score. Units are
    ranked among their siblings (same parent, level, period, handling level), ties sharing. -#}
with figures as (
    select
        values_.*,
        catalog.group_code,
        catalog.weight,
        case
            when values_.value is not null
                then least(1, values_.value / coalesce(nullif(values_.target, 0), catalog.full_score_level))
        end as indicator_score
    from {{ ref('indicator_value') }} as values_
    inner join {{ ref('indicator_catalog') }} as catalog
        on catalog.indicator_code = values_.indicator_code
    where catalog.group_code is not null
),

groups as (
    select
        scheme, unit_code, unit_name, unit_level, parent_code, handling_level,
        period_type, period_key, period_start, period_end, group_code,
        sum(weight * indicator_score) filter (where indicator_score is not null)
            / nullif(sum(weight) filter (where indicator_score is not null), 0) as score,
        count(indicator_score) as indicators_scored,
        count(*) as indicators_defined
    from figures
    group by
        scheme, unit_code, unit_name, unit_level, parent_code, handling_level,
        period_type, period_key, period_start, period_end, group_code
),

overall as (
    select
        scheme, unit_code, unit_name, unit_level, parent_code, handling_level,
        period_type, period_key, period_start, period_end, 'all' as group_code,
        avg(score) as score,
        sum(indicators_scored) as indicators_scored,
        sum(indicators_defined) as indicators_defined
    from groups
    group by
        scheme, unit_code, unit_name, unit_level, parent_code, handling_level,
        period_type, period_key, period_start, period_end
),

scores as (
    select * from groups
    union all
    select * from overall
)

select
    scheme::text as scheme,
    unit_code::text as unit_code,
    unit_name::text as unit_name,
    unit_level::text as unit_level,
    parent_code::text as parent_code,
    handling_level::text as handling_level,
    period_type::text as period_type,
    period_key::text as period_key,
    period_start::date as period_start,
    period_end::date as period_end,
    group_code::text as group_code,
    score::numeric as score,
    indicators_scored::integer as indicators_scored,
    indicators_defined::integer as indicators_defined,
    (case
        when score is not null then rank() over (
            partition by scheme, parent_code, unit_level, handling_level, period_type, period_key,
                group_code, score is null
            order by score desc
        )
    end)::integer as rank_among_siblings,
    (count(*) over (
        partition by scheme, parent_code, unit_level, handling_level, period_type, period_key, group_code
    ))::integer as siblings
from scores

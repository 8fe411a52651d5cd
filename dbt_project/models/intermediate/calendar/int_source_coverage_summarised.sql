{#- How far each source is loaded, and overall. A windowed entity (dossiers, registers,
    payments, ratings: the seed source_entities' coverage entities, from the source registry)
    is loaded from the earliest window start to the latest window end of its loads (windows
    are Vietnam dates, inclusive); a load without a window covers the Vietnam date it was
    extracted on. A source is loaded from the latest start and through the earliest end among
    its windowed entities; the warehouse through the earliest end among all sources, and only
    when every source of the registry has been loaded. -#}
with loads as (
    select * from {{ ref('stg_ops__loads') }}
),

coverage_entities as (
    select source_system, entity from {{ ref('source_entities') }} where is_coverage
),

entities as (
    select
        loads.source_system,
        loads.entity,
        min(coalesce(loads.window_start, {{ vietnam_date('loads.extracted_at') }})) as loaded_from,
        max(coalesce(loads.window_end, {{ vietnam_date('loads.extracted_at') }})) as loaded_through
    from loads
    inner join coverage_entities
        on loads.source_system = coverage_entities.source_system
        and loads.entity = coverage_entities.entity
    group by loads.source_system, loads.entity
),

sources as (
    select
        source_system,
        max(loaded_from) as loaded_from,
        min(loaded_through) as loaded_through
    from entities
    group by source_system
)

select
    count(*) = (select count(distinct source_system) from coverage_entities) as all_sources_loaded,
    max(loaded_from) as complete_from,
    min(loaded_through) as complete_through,
    max(loaded_through) as loaded_through
from sources

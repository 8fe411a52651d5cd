{#- How far each source is loaded, and overall. A windowed entity (dossiers, registers,
    payments, ratings) is loaded from the earliest window start to the latest window end of its
    loads (windows are Vietnam dates, inclusive); a load without a window covers the Vietnam
    date it was extracted on. A source is loaded from the latest start and through the earliest
    end among its windowed entities; the warehouse through the earliest end among all three
    sources, and only when all three have been loaded. -#}
with loads as (
    select * from {{ ref('stg_ops__loads') }}
),

entities as (
    select
        source_system,
        entity,
        min(coalesce(window_start, {{ vietnam_date('extracted_at') }})) as loaded_from,
        max(coalesce(window_end, {{ vietnam_date('extracted_at') }})) as loaded_through
    from loads
    where entity in ('hoso', 'den', 'di', 'hscv', 'payments', 'ratings')
    group by source_system, entity
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
    count(*) = 3 as all_sources_loaded,
    max(loaded_from) as complete_from,
    min(loaded_through) as complete_through,
    max(loaded_through) as loaded_through
from sources

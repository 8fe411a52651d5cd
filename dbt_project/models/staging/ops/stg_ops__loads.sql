{#- One row per load (landed file) of any source entity, from the loader's ledger. -#}
select
    source as source_system,
    entity,
    load_id,
    extract_id,
    extracted_at,
    window_start,
    window_end
from {{ source('ops', 'load_ledger') }}

{#- One row per released load (landed file) of any source entity, from the loader's ledger: a
    load that failed validation, or was never validated, does not count as loaded. -#}
select
    source as source_system,
    entity,
    load_id,
    extract_id,
    extracted_at,
    window_start,
    window_end
from {{ source('ops', 'load_ledger') }}
where load_id in (select load_id from ({{ released_loads() }}) as released)

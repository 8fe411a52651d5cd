{#- One row per load of a QLVB entity: what was extracted when, for which window.
    Incremental: a run appends the loads it has not seen. -#}
{{ config(materialized='incremental', unique_key=['entity', 'load_id'], incremental_strategy='delete+insert') }}

{% for entity in ['donvi', 'den', 'di', 'hscv'] %}
select distinct
    'qlvb' as source_system,
    '{{ entity }}' as entity,
    load_id,
    extract_id,
    extracted_at,
    window_start,
    window_end
from {{ source('qlvb', entity) }}
{%- if is_incremental() %}
where load_id > (select coalesce(max(load_id), 0) from {{ this }} where entity = '{{ entity }}')
{%- endif %}
{% if not loop.last %}union all{% endif %}
{% endfor %}

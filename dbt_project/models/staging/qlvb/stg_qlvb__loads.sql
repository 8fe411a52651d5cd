{#- One row per load of a QLVB entity: what was extracted when, for which window. -#}
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
{% if not loop.last %}union all{% endif %}
{% endfor %}

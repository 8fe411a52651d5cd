{#- One row per load of a one-stop entity: what was extracted when, for which window. -#}
{% for entity in ['donvi', 'hoso', 'tientrinh'] %}
select distinct
    'onestop' as source_system,
    '{{ entity }}' as entity,
    load_id,
    extract_id,
    extracted_at,
    window_start,
    window_end
from {{ source('onestop', entity) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}

{#- One row per load of a portal entity: what was extracted when, for which window. -#}
{% for entity in ['services', 'payments', 'ratings'] %}
select distinct
    'dvc_portal' as source_system,
    '{{ entity }}' as entity,
    load_id,
    extract_id,
    extracted_at,
    window_start,
    window_end
from {{ source('dvc_portal', entity) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}

{#- The administrative units of both GSO code schemes (reform2025.md §1): `pre2025` (province,
    district, commune; valid until 30/06/2025) and `2025` (province, commune). A unit is always
    (scheme, unit_code): the 2025 codes reuse old ones. -#}
{% for seed in ['admin_units_pre2025', 'admin_units_2025'] %}
select
    scheme,
    unit_code,
    unit_name,
    unit_level,
    nullif(parent_code, '') as parent_code
from {{ ref(seed) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}

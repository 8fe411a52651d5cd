{#- Administrative units of every scheme the warehouse knows (today: pre2025, see
    docs/warehouse.md on the 2025 scheme). -#}
select
    scheme::text as scheme,
    unit_code::text as unit_code,
    unit_name::text as unit_name,
    unit_level::text as unit_level,
    parent_code::text as parent_code
from {{ ref('admin_units_pre2025') }}

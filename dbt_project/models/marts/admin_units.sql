{#- Administrative units of both GSO code schemes: pre2025 (three levels, valid until
    30/06/2025) and 2025 (provinces and communes from 01/07/2025). -#}
select
    scheme::text as scheme,
    unit_code::text as unit_code,
    unit_name::text as unit_name,
    unit_level::text as unit_level,
    parent_code::text as parent_code
from {{ ref('int_admin_units_unioned') }}

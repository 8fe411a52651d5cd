{#- Every procedure seen in the portal catalogue or in a dossier, named from the catalogue's
    latest offering, else from its latest dossier. -#}
with from_catalogue as (
    select distinct on (procedure_code)
        procedure_code, procedure_name, field_code, field_name
    from {{ ref('stg_dvc_portal__services') }}
    where procedure_code is not null
    order by procedure_code, published_from desc, updated_at desc nulls last
),

from_dossiers as (
    select distinct on (procedure_code)
        procedure_code, procedure_name, field_code, field_name
    from {{ ref('stg_onestop__dossiers') }}
    where procedure_code is not null
    order by procedure_code, updated_at desc nulls last
),

codes as (
    select procedure_code from from_catalogue
    union
    select procedure_code from from_dossiers
)

select
    codes.procedure_code::text as procedure_code,
    coalesce(from_catalogue.procedure_name, from_dossiers.procedure_name)::text as procedure_name,
    coalesce(from_catalogue.field_code, from_dossiers.field_code)::text as field_code,
    coalesce(from_catalogue.field_name, from_dossiers.field_name)::text as field_name,
    (from_catalogue.procedure_code is not null)::boolean as is_in_catalogue
from codes
left join from_catalogue on from_catalogue.procedure_code = codes.procedure_code
left join from_dossiers on from_dossiers.procedure_code = codes.procedure_code

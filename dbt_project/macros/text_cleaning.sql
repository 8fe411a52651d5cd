{#- Text as the sources send it: possibly Unicode NFD, with stray spaces, "" meaning none. -#}
{% macro clean_text(expr) -%}
    nullif(btrim(normalize(({{ expr }})::text, NFC)), '')
{%- endmacro %}

{#- A yes/no cell (`Có` / `Không`) in any letter case and with stray spaces, as a boolean;
    null when empty. -#}
{% macro yes_no(expr) -%}
    case lower({{ clean_text(expr) }})
        when 'có' then true
        when 'không' then false
    end
{%- endmacro %}

{#- The one-stop system's `yyyyMMddHHmmss` Vietnam-time string ("" or null = none) as the
    Vietnam calendar date. -#}
{% macro onestop_date(expr) -%}
    to_date(left(nullif(btrim({{ expr }}), ''), 8), 'YYYYMMDD')
{%- endmacro %}

{#- The same string as a timestamptz (it is Vietnam local time). -#}
{% macro onestop_timestamp(expr) -%}
    ((left(nullif(btrim({{ expr }}), ''), 8) || 'T' || substr(btrim({{ expr }}), 9, 6))::timestamp
        at time zone '{{ var("reporting_time_zone") }}')
{%- endmacro %}

{#- An ISO 8601 timestamp with an offset (`Z` or `+07:00`) as a timestamptz. -#}
{% macro iso_timestamp(expr) -%}
    (nullif(btrim({{ expr }}), ''))::timestamptz
{%- endmacro %}

{#- A timestamptz as the Vietnam calendar date (23:30 UTC is already the next Vietnam day). -#}
{% macro vietnam_date(expr) -%}
    (({{ expr }}) at time zone '{{ var("reporting_time_zone") }}')::date
{%- endmacro %}

{#- A QLVB date: ISO `YYYY-MM-DD` text in the landed record (or null). -#}
{% macro qlvb_date(expr) -%}
    (nullif(btrim({{ expr }}), ''))::date
{%- endmacro %}

{#- The latest-record rule: rank the rows of one key, newest first. -#}
{% macro latest_first(partition_by, order_by) -%}
    row_number() over (partition by {{ partition_by }} order by {{ order_by }})
{%- endmacro %}

{#- The rows of a snapshot entity's latest extract (the whole set, re-extracted each run). -#}
{% macro latest_extract_rows(relation) -%}
    select *
    from {{ relation }}
    where extract_id = (
        select extract_id from {{ relation }} order by extracted_at desc, load_id desc limit 1
    )
{%- endmacro %}

{#- A QLVB form cell (`Hình thức`, `Hình thức phát hành`) as a code. -#}
{% macro qlvb_form(expr) -%}
    case lower({{ clean_text(expr) }})
        when 'điện tử' then 'electronic'
        when 'giấy' then 'paper'
        when 'điện tử và giấy' then 'electronic_and_paper'
    end
{%- endmacro %}

{#- The latest extracted row per key of a QLVB register. -#}
{% macro qlvb_latest_rows(relation, key_column) -%}
    select *
    from (
        select
            *,
            {{ clean_text("record->>'" ~ key_column ~ "'") }} as row_key,
            row_number() over (
                partition by {{ clean_text("record->>'" ~ key_column ~ "'") }}
                order by extracted_at desc, load_id desc
            ) as recency
        from {{ relation }}
        {{ new_loads_only() }}
    ) as ranked
    where recency = 1 and row_key is not null
{%- endmacro %}

{#- Incremental staging of a "latest record per key" entity: on an incremental run, only the
    loads newer than the newest load kept so far are read ... -#}
{% macro new_loads_only() -%}
    {%- if is_incremental() %}
    where load_id > (select coalesce(max(load_id), 0) from {{ this }})
    {%- endif %}
{%- endmacro %}

{#- ... and a key's new candidate replaces the kept row only if it is newer by the entity's
    recency order (a tuple of columns, compared the way the full build ranks them). -#}
{% macro replaces_kept_row(relation_alias, key, recency_columns) -%}
    {%- if is_incremental() %}
    left join {{ this }} as kept on kept.{{ key }} = {{ relation_alias }}.{{ key }}
    where kept.{{ key }} is null
        or ({% for c in recency_columns %}{{ relation_alias }}.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %})
            > ({% for c in recency_columns %}kept.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif %}
{%- endmacro %}

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

{#- The loads released to the marts (include/validate/verdicts.py): validation passed them, or an
    operator accepted them with a recorded reason. A load that failed validation, or was never
    validated, is read by no model, on this run or any later one. -#}
{% macro released_loads() -%}
    select load_id, release_seq
    from {{ source('ops', 'load_verdict') }}
    where release_seq is not null
{%- endmacro %}

{#- The rows of a snapshot entity's latest released extract (the whole set, re-extracted each
    run). -#}
{% macro latest_extract_rows(relation) -%}
    select *
    from {{ relation }}
    where extract_id = (
        select extract_id from {{ relation }}
        where load_id in (select load_id from ({{ released_loads() }}) as released)
        order by extracted_at desc, load_id desc limit 1
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

{#- The latest extracted row per key of a QLVB register. A code is unique within its unit only
    (sources/qlvb.md), so the key is the unit and the code, as the extractor's. -#}
{% macro qlvb_latest_rows(relation, key_column) -%}
    select *
    from (
        select
            *,
            {{ clean_text("record->>'" ~ key_column ~ "'") }} as row_key,
            (record->>'don_vi_id')::bigint as row_unit_id,
            row_number() over (
                partition by
                    (record->>'don_vi_id')::bigint,
                    {{ clean_text("record->>'" ~ key_column ~ "'") }}
                order by extracted_at desc, load_id desc
            ) as recency
        from {{ relation }}
        {{ new_loads_only() }}
    ) as ranked
    where recency = 1 and row_key is not null and row_unit_id is not null
{%- endmacro %}

{#- The release number of the newest load whose rows `relation` holds (0: none), optionally
    among its rows matching `where`. Releases are numbered in the order they were given
    (include/validate/verdicts.py), so every earlier release was read by the build that read
    that one: an incremental model needs the releases after it only — and a load accepted after
    later loads were built is still among them. -#}
{% macro newest_release_in(relation, where=none) -%}
    (
        select coalesce(max(kept.release_seq), 0)
        from ({{ released_loads() }}) as kept
        where kept.load_id in (
            select distinct load_id from {{ relation }}{% if where %} where {{ where }}{% endif %}
        )
    )
{%- endmacro %}

{#- `load_id_column` is a load released after release number `release`. An incremental model
    downstream of staging reads its new rows with
    `where {{ released_after('x.load_id', newest_release_in(this)) }}`, not by comparing load
    ids: load ids follow the loading order, releases the order of validation and acceptance. -#}
{% macro released_after(load_id_column, release) -%}
    {{ load_id_column }} in (
        select released.load_id from ({{ released_loads() }}) as released
        where released.release_seq > {{ release }}
    )
{%- endmacro %}

{#- Staging of a "latest record per key" entity reads released loads only; on an incremental run,
    only the releases after the newest one whose rows the model holds ... -#}
{% macro new_loads_only() -%}
    {%- if is_incremental() %}
    where {{ released_after('load_id', newest_release_in(this)) }}
    {%- else %}
    where {{ released_after('load_id', 0) }}
    {%- endif %}
{%- endmacro %}

{#- ... and a key's new candidate replaces the kept row only if it is newer by the entity's
    recency order (a tuple of columns, compared the way the full build ranks them). The key is
    a column, or a list of columns (a QLVB row: unit and code). -#}
{% macro replaces_kept_row(relation_alias, key, recency_columns) -%}
    {%- if is_incremental() %}
    {%- set keys = [key] if key is string else key %}
    left join {{ this }} as kept on
        {%- for k in keys %} kept.{{ k }} = {{ relation_alias }}.{{ k }}{% if not loop.last %} and{% endif %}{% endfor %}
    where kept.{{ keys[0] }} is null
        or ({% for c in recency_columns %}{{ relation_alias }}.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %})
            > ({% for c in recency_columns %}kept.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif %}
{%- endmacro %}

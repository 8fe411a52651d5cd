{#- A seed whose file and column types have not changed since it was loaded is kept as it is.

    dbt reloads every seed on every `dbt build` (truncate, then batched inserts rendered by
    Jinja): 10–25 s a night for the administrative-unit lists, the same rows every time. Here
    the loaded table carries, as its comment, the checksum dbt computes of the seed's file and
    its `column_types`; while they match, the truncate and the inserts are skipped (`dbt build
    --full-refresh` still drops and reloads). These override dbt's own `reset_csv_table` and
    `load_csv_rows` for PostgreSQL (a root-project macro wins dbt's dispatch) and fall back to
    dbt's defaults for the actual work. -#}

{% macro seed_state(model) -%}
    {{- return('dbt seed ' ~ local_md5(model['checksum']['checksum'] ~ tojson(model['config'].get('column_types', {})))) -}}
{%- endmacro %}

{% macro seed_is_loaded(relation, model) -%}
    {#- auto_begin: the materialization commits at its end, so a transaction must be open
        even when nothing else runs. -#}
    {%- call statement('seed_state', fetch_result=True, auto_begin=True) -%}
        select obj_description(to_regclass('{{ relation.render() }}'), 'pg_class')
    {%- endcall -%}
    {{- return(load_result('seed_state')['data'][0][0] == seed_state(model)) -}}
{%- endmacro %}

{% macro postgres__reset_csv_table(model, full_refresh, old_relation, agate_table) %}
    {%- if not full_refresh and seed_is_loaded(old_relation, model) %}
        {{- return('-- unchanged since it was loaded: kept') -}}
    {%- endif %}
    {{- return(dbt.default__reset_csv_table(model, full_refresh, old_relation, agate_table)) -}}
{% endmacro %}

{% macro postgres__load_csv_rows(model, agate_table) %}
    {%- if seed_is_loaded(this, model) %}
        {{- log(this.render() ~ ": unchanged since it was loaded, kept", info=True) -}}
        {{- return('-- unchanged since it was loaded: kept') -}}
    {%- endif %}
    {%- set sql = dbt.default__load_csv_rows(model, agate_table) %}
    {%- do run_query("comment on table " ~ this.render() ~ " is '" ~ seed_state(model) ~ "'") %}
    {{- return(sql) -}}
{% endmacro %}

{#- warehouse.md §1: the read-only role `dti_bi` may use schema marts and select from it, and
    nothing else. Run at the end of every dbt invocation that builds the published schema
    directly (dbt by hand, the dbt tests); a no-op while the role or the schema does not exist.
    When the pipeline builds a candidate schema (var marts_schema = marts_build), BI must not
    see it: include/publish grants access when it swaps the validated candidate in. -#}
{% macro grant_marts_to_bi() -%}
{%- if var("marts_schema", "marts") == "marts" -%}
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'dti_bi')
        and exists (select 1 from pg_namespace where nspname = 'marts')
    then
        grant usage on schema marts to dti_bi;
        grant select on all tables in schema marts to dti_bi;
    end if;
end
$$
{%- else -%}
select 1
{%- endif %}
{%- endmacro %}

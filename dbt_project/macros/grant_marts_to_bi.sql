{#- warehouse.md §1: the read-only role `dti_bi` may use schema marts and select from it, and
    nothing else. Run at the end of every dbt invocation; a no-op while the role or the schema
    does not exist (the role is created by whoever provisions the database). -#}
{% macro grant_marts_to_bi() -%}
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'dti_bi')
        and exists (select 1 from pg_namespace where nspname = '{{ var("marts_schema") }}')
    then
        execute format('grant usage on schema %I to dti_bi', '{{ var("marts_schema") }}');
        execute format('grant select on all tables in schema %I to dti_bi', '{{ var("marts_schema") }}');
    end if;
end
$$
{%- endmacro %}

{#- A folder's custom schema (staging, intermediate, marts, seeds) is used as-is, not prefixed
    with the target schema: BI and the read-only role rely on the literal name `marts`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

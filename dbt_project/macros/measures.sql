{#- A measures model states the measures it produces once, as `meta.measures` in its folder's
    yml: the model produces exactly those, and the tests assert_catalogue_measures_are_produced
    and assert_produced_measures_are_catalogued hold the indicator catalogue against them, so a
    misspelt measure in the catalogue fails the build instead of publishing 0 on every row. -#}

{#- The `values` rows of a model whose every measure is a column of the same name. -#}
{% macro measure_values(measures) -%}
    values
    {%- for measure in measures %}
        ('{{ measure }}', {{ measure }}){{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The measures as a SQL list: `('payments', 'ratings')`. -#}
{% macro measure_names(measures) -%}
    ({%- for measure in measures -%}
        '{{ measure }}'{{ ", " if not loop.last }}
    {%- endfor -%})
{%- endmacro %}

{#- Every measure some model states, with the model: a `select` of (measure, model_name). -#}
{% macro produced_measures() -%}
    {%- set produced = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
            {%- for measure in node.config.meta.get('measures', []) -%}
                {%- do produced.append((measure, node.name)) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if not produced -%}
            {{ exceptions.raise_compiler_error("No model states its measures in meta.measures") }}
        {%- endif -%}
    {%- endif -%}
    select produced.measure, produced.model_name
    from (
        values
        {%- for measure, model_name in produced %}
            ('{{ measure }}', '{{ model_name }}'){{ "," if not loop.last }}
        {%- endfor %}
    ) as produced (measure, model_name)
{%- endmacro %}

{#- Use the configured schema as is (`star`, not `main_star`): the schemas are the warehouse's
    public layer names, read by the gate, the publisher and analysts. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{- (custom_schema_name or target.schema) | trim -}}
{%- endmacro %}

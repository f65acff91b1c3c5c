"""``{% table_rows table %}``: the rows of a list's page, rendered by fuyang_portal.tables in Python."""

from django import template

from fuyang_portal.tables import table_rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    return table_rows_html(table, context)

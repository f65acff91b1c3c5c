"""``{% list_table table %}``, the list's table as ``{% render_table %}`` writes it, and ``{% table_head table %}``,
``{% table_rows table %}`` and ``{% table_pager table %}``, its header, rows and pager: rendered by
fuyang_portal.tables in Python."""

from django import template

from fuyang_portal.tables import (
    table_head_html,
    table_html,
    table_pager_html,
    table_rows_html,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def list_table(context, table):
    return table_html(table, context)


@register.simple_tag(takes_context=True)
def table_head(context, table):
    return table_head_html(table, context)


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    return table_rows_html(table, context)


@register.simple_tag(takes_context=True)
def table_pager(context, table):
    return table_pager_html(table, context)

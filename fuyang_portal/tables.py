"""The core's tables, and what every list shares: the page's rows fetched keys first (KeysFirstPaginator); the table
written in Python (table_html: its head, rows and pager, as the list template writes them), not by a template loop
per cell; the filter form's selects rendered in Python too (quick_selects)."""

import copy
import html
import inspect
import re
from datetime import datetime
from collections.abc import Hashable
from functools import cache, lru_cache, partialmethod

import django_tables2 as tables
from django import forms
from django.conf import settings
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import ModelChoiceIterator
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.template.defaultfilters import date as date_filter
from django.utils import formats
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.functional import Promise, cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as ModelChoiceFilterField
from django_tables2.columns.base import Column
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.columns.templatecolumn import TemplateColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.templatetags.django_tables2 import table_page_range
from django_tables2.utils import A, AttributeDict, Accessor, signature

from fuyang_portal import reference
from fuyang_portal.links import same_addresses
from fuyang_portal.models import Agency, AuditEvent, Township, Transition
from fuyang_portal.renderers import DASHES


class TownshipTable(tables.Table):
    name = tables.Column(linkify=True)
    villages = tables.Column(verbose_name=_("Villages"), accessor="village_count", orderable=True)
    communities = tables.Column(verbose_name=_("Communities"), accessor="community_count", orderable=True)
    agencies = tables.Column(verbose_name=_("Paired agencies"), accessor="agency_count", orderable=True)

    class Meta:
        model = Township
        fields = ("code", "name", "kind")


class AgencyTable(tables.Table):
    paired_township = tables.Column(linkify=True)
    groups = tables.Column(verbose_name=_("Community groups"), accessor="group_count", orderable=True)

    class Meta:
        model = Agency
        fields = ("code", "name", "paired_township")


class AuditEventTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta:
        model = AuditEvent
        fields = ("at", "kind", "username", "ip_address", "target", "detail")


class TransitionTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    content_type = tables.Column(verbose_name=_("record type"), accessor="content_type__model")
    actor = tables.Column(verbose_name=_("by"), accessor="actor__username")

    class Meta:
        model = Transition
        fields = ("at", "content_type", "object_id", "action", "from_state", "to_state", "actor", "comment")


# --- django-tables2's per-table set-up, made cheaper -------------------------------------------------------


def copy_column(column, memo):
    """A column's copy for a new table: its own dictionaries and lists (attributes, yes/no texts), everything
    else shared. django-tables2 deep-copies every column of the class for every table made, lazy names and
    links included, which nothing changes per table."""
    clone = copy.copy(column)
    for name, value in vars(column).items():
        if isinstance(value, (dict, list)):
            clone.__dict__[name] = copy.deepcopy(value, memo)
    return clone


_get_field = Accessor.get_field  # the library's own


@lru_cache(maxsize=4096)
def _field_of(accessor, model):
    return _get_field(Accessor(accessor), model)


def field_of(accessor, model):
    """Accessor.get_field, read once per accessor and model: a header, a yes/no column and a choice column each
    walk the model's fields for every page. Models do not change while the process runs."""
    if not hasattr(model, "_meta"):
        return None
    return _field_of(str(accessor), model)


def install_shortcuts():
    """Called once, when the application is ready."""
    Column.__deepcopy__ = copy_column
    Accessor.get_field = field_of


# --- pages of a list: keys first, then rows -----------------------------------------------------------

# A page never holds more rows than this, whatever ``per_page`` a link asks for.
MAX_PER_PAGE = 100
# A list counts at most this many rows: beyond it the title shows "10000+" and the pager stops there (the filter
# narrows the list). Counting every award or visit of the district costs a scan of them all on every page.
COUNT_CAP = 10_000


class KeysFirstPaginator(Paginator):
    """Pages a table's queryset in one statement that finds the page's keys first: the inner select sorts and
    skips only the keys (often straight from an index, without the joins the page shows), the outer one
    reads the joined rows of those 25 keys. A deep page then costs about what the first costs, whatever the
    column sorted on, and the page runs as many queries as a plain slice. The order ends with the key, so
    rows that tie on the sorted column keep their page. Anything but a plain queryset is sliced as usual."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        # ``per_page`` comes from the link: between 1 (0 would divide by zero) and MAX_PER_PAGE.
        super().__init__(object_list, max(1, min(int(per_page), MAX_PER_PAGE)), *args, **kwargs)

    def _queryset(self):
        """The table's queryset when the keys-first way applies to it, else None."""
        rows = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", None)
        return queryset if isinstance(rows, BoundRows) and _keys_first_applies(queryset) else None

    @cached_property
    def count(self):
        """The rows of the list, counted up to COUNT_CAP (``capped`` tells when there are more)."""
        queryset = self._queryset()
        if queryset is None:
            self.capped = False
            return super().count
        counted = capped_count(queryset, COUNT_CAP)
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)

    @property
    def count_label(self):
        """The count as the list's title shows it: "10000+" when capped."""
        count = self.count
        return f"{count}+" if self.capped else count

    def page(self, number):
        number = self.validate_number(number)
        rows = self.object_list
        queryset = self._queryset()
        if queryset is None:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        records = list(rows_of_page(queryset, bottom, top)) if top > bottom else []
        return self._get_page(BoundRows(records, table=rows.table, pinned_data=rows.pinned_data), number, self)


def capped_count(queryset, cap):
    """The rows of ``queryset``, counted up to ``cap + 1``: the first keys (the key alone, no annotation) counted in
    one plain statement. ``count()`` of the same slice writes the same statement, through an aggregation query it
    builds and compiles again on every page."""
    keys = queryset.order_by().values_list("pk")[: cap + 1]
    try:
        sql, params = keys.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)
        return cursor.fetchone()[0]


def _keys_first_applies(queryset):
    if not isinstance(queryset, QuerySet):
        return False
    query = queryset.query
    return not (query.distinct or query.combinator or query.is_sliced or query.values_select)


def with_key_last(queryset):
    """``queryset`` ordered as it is (its own order or its model's), then by key, unless the order's own columns
    are unique already (an index on them then serves the order as it is)."""
    query = queryset.query
    ordering = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    if not ordering or (ordering[-1] not in ("pk", "-pk", "id", "-id") and not _unique_order(queryset.model, ordering)):
        ordering.append("pk")
    return queryset.order_by(*ordering)


def _unique_order(model, ordering):
    """Whether the columns ordered on include a unique set of the model's own non-null columns: no two rows tie."""
    fields = set()
    for name in ordering:
        if not isinstance(name, str) or LOOKUP_SEP in name:
            continue
        try:
            field = model._meta.get_field(name.lstrip("-"))
        except FieldDoesNotExist:
            continue
        # A relation named by its field orders by the related model's order, not by its key: only "work_list_id".
        if getattr(field, "column", None) and not field.null and (not field.is_relation or name.lstrip("-") == field.attname):
            fields.add(field)
    if any(field.unique for field in fields):
        return True
    return any(
        {model._meta.get_field(name) for name in constraint.fields} <= fields
        for constraint in model._meta.total_unique_constraints
    )


def rows_of_page(queryset, bottom, top):
    """Rows ``bottom`` to ``top`` of ``queryset`` (ordered, key last), in one statement: the keys of the page in a
    subquery, the rows of those keys outside it."""
    ordered = with_key_last(queryset)
    return ordered.filter(pk__in=ordered.values("pk")[bottom:top])


# --- the rows of a table, rendered in Python ------------------------------------------------------------


# The template of django-tables2's DateColumn and DateTimeColumn: ``{{ value|date:"<format>"|default:default }}``.
DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"([^"]*)"\|default:default \}\}')


# Django's date format letters that are numbers only (the same in every language), as their fields and widths.
NUMERIC_DATE_PARTS = {
    "Y": ("year", "04d"), "m": ("month", "02d"), "n": ("month", "d"), "d": ("day", "02d"), "j": ("day", "d"),
    "H": ("hour", "02d"), "G": ("hour", "d"), "i": ("minute", "02d"), "s": ("second", "02d"),
}
TIME_LETTERS = {"H", "G", "i", "s"}
# Every letter Django's date formats read (django.utils.dateformat); any other character is written as it is.
DATE_FORMAT_LETTERS = set("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")


def numeric_date_formatter(format_string):
    """A function writing a date or time as ``format_string`` (Django's ``date`` filter letters) does, when the format
    uses only the numeric letters above and punctuation; None otherwise. The ``date`` filter goes through the
    locale's format machinery for every cell; a list's "Y-m-d H:i" needs none of it."""
    if not format_string or "\\" in format_string:
        return None
    parts = []
    for char in format_string:
        if char in NUMERIC_DATE_PARTS:
            parts.append(NUMERIC_DATE_PARTS[char])
        elif char in DATE_FORMAT_LETTERS:  # a word or a zone: the date filter's job
            return None
        else:
            parts.append(char)
    needs_time = any(char in TIME_LETTERS for char in format_string)

    def write(value):
        if needs_time and not hasattr(value, "hour"):
            return None  # a date asked for its hours: the date filter's own answer
        return "".join(part if isinstance(part, str) else format(getattr(value, part[0]), part[1]) for part in parts)

    return write


@lru_cache(maxsize=1024)
def _signature_of(function, bound):
    parameters = list(inspect.signature(function).parameters.values())
    if bound and parameters and parameters[0].kind in (parameters[0].POSITIONAL_ONLY, parameters[0].POSITIONAL_OR_KEYWORD):
        parameters = parameters[1:]  # the instance the method is bound to
    arguments = tuple(p.name for p in parameters if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL))
    return arguments, next((p.name for p in parameters if p.kind == p.VAR_KEYWORD), None)


def cached_signature(fn):
    """django-tables2's ``signature`` (argument names without ``self``, the ``**`` name), read once per function:
    it inspects the function anew for every call, and a page asks for each column's."""
    function = getattr(fn, "__func__", None)
    if function is None:
        return signature(fn)
    return _signature_of(function, True)


def header_and_attrs(bound_column):
    """The column's header (escaped) and its th / td attributes outside any row, worked out once per table for
    both the head and the rows (django-tables2 computes them anew on every read)."""
    parts = getattr(bound_column, "_header_and_attrs", None)
    if parts is None:
        bound_column.current_record = bound_column.current_value = None
        parts = bound_column._header_and_attrs = (conditional_escape(bound_column.header), bound_column.attrs)
    return parts


def _has_callable(attrs):
    return any(callable(value) or (isinstance(value, dict) and _has_callable(value)) for value in attrs.values())


class CellRenderer:
    """One column's cells: ``<td attrs data-label="header">content</td>``, as the list template wrote them, with
    what does not change from row to row (the header, the attributes, the render method's arguments) worked out
    once per page instead of once per cell. The content comes from django-tables2's own accessor, ``render_*``
    and link logic, so every table renders as before."""

    def __init__(self, bound_column, context):
        self.column = bound_column
        self.context = context
        self.header, attrs = header_and_attrs(bound_column)
        self.render = bound_column.render
        self.args, self.catch_all = cached_signature(self.render)
        self.localize = bound_column.localize
        self.accessor = A(bound_column.accessor)
        self.labels = {}  # model class: (attname, {value: label}) or None
        # django-tables2's date and time columns compile a template of one ``date`` filter for every cell.
        plain = isinstance(bound_column.column, TemplateColumn) and getattr(self.render, "__func__", None) is TemplateColumn.render
        match = DATE_TEMPLATE.fullmatch(bound_column.column.template_code or "") if plain else None
        self.date_format = match.group(1) if match else None
        # A named format (SHORT_DATE_FORMAT) is the language's, as the date filter reads it.
        self.write_date = numeric_date_formatter(formats.get_format(self.date_format)) if self.date_format else None
        # What the template's date filter would convert to, looked up once per page (a context-local read per cell).
        use_tz = settings.USE_TZ if context.use_tz is None else context.use_tz
        self.zone = timezone.get_current_timezone() if use_tz else None
        # The column's default as text, once per page (a lazy translation is otherwise translated for every empty cell).
        default = bound_column.column.default
        self.default = None if callable(default) and not isinstance(default, Promise) else bound_column.default
        if isinstance(self.default, Promise):
            self.default = str(self.default)
        # django-tables2's BooleanColumn: its two spans, written once (the column looks the field up for every cell).
        self.booleans = self.boolean_spans(bound_column) if getattr(self.render, "__func__", None) is tables.BooleanColumn.render else None
        self.varies = _has_callable({**bound_column._table.attrs, **bound_column.column.attrs})
        self.td = None if self.varies else attrs["td"].as_html()
        # A one-name accessor on a model instance is an attribute (a model is not subscriptable).
        self.name = self.accessor if len(self.accessor.bits) == 1 else None
        # Column.render returns the value as it is: no call needed.
        self.identity = getattr(self.render, "__func__", None) is tables.Column.render
        # A link whose address is a function of the row, or the row's (or its field's) own page: worked out here
        # as LinkTransform does, without inspecting the function's signature for every cell.
        link = bound_column.link
        self.link_plain = link is not None and not link.attrs and not link.reverse_args
        if self.link_plain and callable(link.url):
            self.url_args, self.url_catch_all = cached_signature(link.url)
        self.link_target = A(link.accessor if link is not None and link.accessor is not None else bound_column.name)

    @staticmethod
    def boolean_spans(bound_column):
        column = bound_column.column
        try:
            field = bound_column.accessor.get_field(bound_column._table.data.model)
        except (AttributeError, FieldDoesNotExist):
            field = None
        if field is not None and getattr(field, "choices", None):
            return None  # values mapped back through the field's choices: as the column does it
        spans = {}
        for value in (True, False):
            attrs = {"class": str(value).lower(), **column.attrs.get("span", {})}
            spans[value] = format_html("<span {}>{}</span>", AttributeDict(attrs).as_html(), escape(column.yesno[int(not value)]))
        return spans

    def content(self, row):
        """The cell's content as BoundRow.get_cell gives it, with a choice field's labels read from a dictionary
        made once per page (``get_FOO_display`` rebuilds and translates every label for every cell)."""
        column, record = self.column, row.record
        value = None
        if self.name is not None and isinstance(record, models.Model):
            penultimate, remainder = record, self.name
        else:
            penultimate, remainder = self.accessor.penultimate(record)
        if isinstance(penultimate, models.Model):
            labels = self.choice_labels(record, penultimate, remainder)
            if labels is not None:
                raw = getattr(penultimate, labels[0])
                value = labels[1].get(raw, raw) if isinstance(raw, Hashable) else getattr(penultimate, f"get_{remainder}_display")()
                remainder = None
        if remainder:
            try:
                value = self.resolve(record)
            except Exception:
                # a column without a field of its own (django-tables2's rule for link columns)
                if isinstance(column.column, BaseLinkColumn) and column.column.text is not None:
                    return self.call(row, column)
        if value in column.column.empty_values or (isinstance(column.column, ManyToManyColumn) and not value.exists()):
            return column.default if self.default is None else self.default
        return self.call(row, column, value)

    def choice_labels(self, record, penultimate, remainder):
        """(attname, {value: label}) when the accessor ends on a choice field with Django's own display method."""
        model = type(penultimate)
        if model not in self.labels:
            self.labels[model] = None
            name = f"get_{remainder}_display"
            try:
                field = self.accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            if field is not None and getattr(field, "choices", ()) and isinstance(inspect.getattr_static(model, name, None), partialmethod):
                self.labels[model] = (field.attname, {key: str(label) for key, label in field.flatchoices if isinstance(key, Hashable)})
        return self.labels[model]

    def resolve(self, record):
        """Accessor.resolve, with a one-name accessor on a model read as the attribute it is."""
        if self.name is None or not isinstance(record, models.Model):
            return self.accessor.resolve(record)
        try:
            value = getattr(record, self.name)
        except (TypeError, AttributeError):
            return self.accessor.resolve(record)  # its error, as before
        if callable(value):
            if getattr(value, "alters_data", False):
                return self.accessor.resolve(record)  # refused there, as before
            if not getattr(value, "do_not_call_in_templates", False):
                value = value(*self.accessor.callable_args, **self.accessor.callable_kwargs)
        return value

    def call(self, row, bound_column, value=None):
        arguments = row._optional_cell_arguments(bound_column, value)
        if self.date_format is not None:  # what the column's template gives, without compiling it
            local = self.localtime(value)
            shown = self.write_date(local) if self.write_date is not None and local not in ("", None) else None
            if shown is None:
                shown = date_filter(local, self.date_format)
            content = conditional_escape(shown or (bound_column.default if self.default is None else self.default))
        elif self.booleans is not None:
            content = self.booleans[bool(value)]
        elif self.identity and "value" in arguments:
            content = value
        elif self.catch_all:
            content = self.render(**arguments)
        elif all(name in arguments for name in self.args):
            content = self.render(**{name: arguments[name] for name in self.args})
        else:
            content = None
        if not bound_column.link:
            return content
        if not self.link_plain:
            return bound_column.link(content, **arguments)
        href = self.href(arguments)
        return content if href is None else SafeString(f'<a href="{escaped(href)}">{escaped(content)}</a>')

    def localtime(self, value):
        """django.utils.timezone.template_localtime, with the zone read once per page."""
        if self.zone is None or not isinstance(value, datetime) or value.utcoffset() is None or not getattr(value, "convert_to_local_time", True):
            return value
        return value.astimezone(self.zone)

    def href(self, arguments):
        """LinkTransform.compose_url for a link without attributes of its own."""
        url, record = self.column.link.url, arguments["record"]
        if url and callable(url):
            if self.url_catch_all:
                return url(**arguments)
            if any(name not in arguments for name in self.url_args):
                return None
            return url(**{name: arguments[name] for name in self.url_args})
        target = self.link_target.resolve(record)
        if not hasattr(target, "get_absolute_url"):
            if not hasattr(record, "get_absolute_url"):
                raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
            target = record
        return target.get_absolute_url()

    def html(self, row):
        content = self.content(row)
        td = self.td
        if td is None:  # attributes computed from the row: as BoundRow.items() lets them
            self.column.current_value, self.column.current_record = content, row.record
            td = self.column.attrs["td"].as_html()
        if self.localize is None and isinstance(content, str):  # text as is: what the template's {{ cell }} gives
            shown = escaped(content)
        elif self.localize is None and type(content) is int and not settings.USE_THOUSAND_SEPARATOR:
            shown = str(content)  # what localizing a whole number gives without thousand separators
        elif self.localize is None:
            shown = render_value_in_context(content, self.context)
        else:
            shown = conditional_escape(str(formats.localize(content, use_l10n=self.localize)))
        return f'<td {td} data-label="{self.header}">{shown}</td>'


def escaped(value):
    """conditional_escape without its check for lazy arguments (keep_lazy), which costs more than the escaping in a
    loop over every cell: the same text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def table_rows_html(table, context):
    """The ``<tr>`` of the table's current page (or its empty text), for the list template's ``<tbody>``."""
    cells = [CellRenderer(bound_column, context) for bound_column in table.columns]
    # Without row attributes of its own a row's are its even / odd class (BoundRow.attrs).
    plain_rows = not table.row_attrs
    parts = []
    with same_addresses():  # the rows' links: the URL configuration read once, not once per row
        for row in table.paginated_rows:
            if plain_rows and type(row) is BoundRow:
                parts.append(f'<tr class="{row.get_even_odd_css_class()}">')
            else:
                parts.append(f"<tr {row.attrs.as_html()}>")
            parts.extend(cell.html(row) for cell in cells)
            parts.append("</tr>")
    if not parts and table.empty_text:
        parts.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(cells), table.empty_text))
    return mark_safe("\n".join(parts))


def table_html(table, context):
    """What ``{% render_table table %}`` writes with the portal's list template (settings.DJANGO_TABLES2_TEMPLATE):
    the wrapper, the table with its head and rows, and the pager, written in Python, without that template's two
    levels of blocks and a second run of the context processors. A table with a template of its own or a footer
    is rendered by its template, as the tag does."""
    request = context.get("request")
    table.context = context  # as the tag does: TemplateColumn renders in the page's context
    try:
        table.before_render(request)
        if table.template_name != settings.DJANGO_TABLES2_TEMPLATE or table.has_footer():
            return get_template(table.template_name).render({"table": table}, request)
        attrs = AttributeDict({"class": "table"})
        attrs.update(table.attrs)
        return mark_safe(
            f'<div class="table-container table-responsive table-cards" tabindex="0" role="region" aria-label="{escape(gettext("Table"))}">\n'
            f"<table {attrs.as_html()}>\n{table_head_html(table, context)}\n"
            f"<tbody {table.attrs['tbody'].as_html()}>\n{table_rows_html(table, context)}\n</tbody>\n</table>\n</div>\n"
            f"{table_pager_html(table, context)}"
        )
    finally:
        del table.context


def _query_replacing(request, key, value):
    """django-tables2's ``{% querystring_replace key=value %}``: the page's query string with ``key`` set."""
    params = dict(request.GET)
    if key not in ("", None):
        params[key] = value
    return escape("?" + urlencode(params, doseq=True))


def table_head_html(table, context):
    """The table's ``<thead>`` as django-tables2's bootstrap5 template writes it: each header a sort link when
    its column sorts."""
    if not table.show_header:
        return ""
    params, key = dict(context["request"].GET), table.prefixed_order_by_field
    cells = []
    for column in table.columns:
        header, attrs = header_and_attrs(column)
        if column.orderable:
            href = escape("?" + urlencode({**params, key: column.order_by_alias.next}, doseq=True)) if key else escape("?" + urlencode(params, doseq=True))
            header = f'<a href="{href}">{header}</a>'
        cells.append(f'<th {attrs["th"].as_html()} scope="col">{header}</th>')
    return mark_safe(f'<thead {table.attrs["thead"].as_html()}>\n<tr>\n' + "\n".join(cells) + "\n</tr>\n</thead>")


def table_pager_html(table, context):
    """The pager under the table (previous, the range of pages, next), as the list template wrote it with
    django-tables2's bootstrap5 blocks, its label translated; nothing for a single page."""
    page = getattr(table, "page", None)
    if not page or table.paginator.num_pages <= 1:
        return ""
    request, field = context["request"], table.prefixed_page_field
    parts = [format_html('<nav aria-label="{}">\n<ul class="pagination justify-content-center">', _("Table navigation"))]
    if page.has_previous():
        href = _query_replacing(request, field, page.previous_page_number())
        parts.append(format_html('<li class="previous page-item">\n<a href="{}" class="page-link">\n'
                                 '<span aria-hidden="true">&laquo;</span>\n{}\n</a>\n</li>', href, pgettext_tables("previous")))
    if page.has_previous() or page.has_next():
        for number in table_page_range(page, table.paginator):
            active = " active" if page.number == number else ""
            href = "" if number == "..." else f'href="{_query_replacing(request, field, number)}"'
            parts.append(f'<li class="page-item{active}">\n<a class="page-link" {href}>\n{conditional_escape(number)}\n</a>\n</li>')
    if page.has_next():
        href = _query_replacing(request, field, page.next_page_number())
        parts.append(format_html('<li class="next page-item">\n<a href="{}" class="page-link">\n{}\n'
                                 '<span aria-hidden="true">&raquo;</span>\n</a>\n</li>', href, pgettext_tables("next")))
    parts.append("</ul>\n</nav>")
    if getattr(table.paginator, "capped", False):
        parts.append(format_html(
            '<p class="small text-muted text-center">{}</p>',
            gettext("More than %(count)s rows: the pages stop there. Use the filter to narrow the list.")
            % {"count": table.paginator.count},
        ))
    return mark_safe("\n".join(parts))


def pgettext_tables(word):
    """``{% trans 'previous' %}`` / ``{% trans 'next' %}`` of django-tables2's template: its own msgids."""
    return gettext(word)


# --- the selects of a list's filter form ------------------------------------------------------------------


def _attrs_html(attrs):
    """Django's widgets/attrs.html in Python: `` name="value"``, a bare name for True, nothing for False."""
    return mark_safe("".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    ))


class PythonRenderedSelect:
    """A select written in Python with the markup of Django's select templates, the portal's placeholder
    included (fuyang_portal.renderers): the templates include one template per option, and a filter form's
    townships, agencies and categories cost more to render than the rows of the page. Mixed into the widget's
    own class, so its values, choices and name (which the form's styling reads) stay as they were."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.plain_options():
            widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
            if self.allow_multiple_selected:
                widget["attrs"]["multiple"] = True
            groups = self.plain_optgroups(widget["value"])
        else:
            widget = self.get_context(name, value, attrs)["widget"]
            groups = ((group, [(option["value"], option["label"], option["attrs"]) for option in options]) for group, options, _index in widget["optgroups"])
        # f-strings with ``escaped``: format_html's lazy-text checks cost more than the escaping, option by option.
        parts = [f'<select name="{escaped(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options in groups:
            if group_name:
                parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
            for option_value, label, option_attrs in options:
                if option_value in ("", None) and label == DASHES:
                    label = settings.FILTERS_EMPTY_CHOICE_LABEL
                parts.append(f'\n  <option value="{escaped(str(option_value))}"{_attrs_html(option_attrs)}>{escaped(label)}</option>')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))

    def plain_options(self):
        """A select whose options are Django's own: no attributes of their own but ``selected``."""
        kind = type(self)
        return (not self.option_inherits_attrs and kind.get_context is forms.Select.get_context
                and kind.optgroups is forms.Select.optgroups and kind.create_option is forms.Select.create_option)

    def plain_optgroups(self, value):
        """ChoiceWidget.optgroups as (group, [(value, label, attrs)]), without a dictionary of ten keys per option."""
        groups, has_selected = [], False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, choices = option_value, option_label
            else:
                group_name, choices = None, [(option_value, option_label)]
            options = []
            for subvalue, sublabel in choices:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in value
                has_selected |= selected
                options.append((subvalue, sublabel, self.checked_attribute if selected else {}))
            groups.append((group_name, options))
        return groups


SELECT_TEMPLATES = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")

# Django's templates of one ``<input>``: each includes input.html (ending in a new line) and ends in a new line.
INPUT_TEMPLATES = {f"django/forms/widgets/{kind}.html" for kind in ("text", "number", "date", "email", "search", "url", "tel")}
# django-filter's pair of boxes (a range): each box, then a dash after the first.
RANGE_TEMPLATE = "django_filters/widgets/multiwidget.html"


def _input_html(widget):
    """Django's widgets/input.html in Python."""
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attrs_html(widget["attrs"]))


class PythonRenderedInput:
    """A text, number or date box (or django-filter's range of two) written in Python with the markup of Django's
    input template: a filter form's boxes otherwise cost two or three template includes each."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if "subwidgets" not in widget:
            return mark_safe(_input_html(widget))
        parts = [_input_html(sub) + "\n\n" + ("-" if index == 0 else "") for index, sub in enumerate(widget["subwidgets"])]
        return mark_safe("".join(parts).strip())


def _renders_as_inputs(widget):
    if isinstance(widget, forms.widgets.MultiWidget):
        return widget.template_name == RANGE_TEMPLATE and all(_renders_as_inputs(sub) for sub in widget.widgets)
    return isinstance(widget, forms.widgets.Input) and widget.template_name in INPUT_TEMPLATES


@cache
def _rendered_in_python(widget_class, rendering=PythonRenderedSelect):
    return type(widget_class.__name__, (rendering, widget_class), {"__module__": widget_class.__module__})


class RowsReadOnce(ModelChoiceIterator):
    """A model select's options from the rows its field has read (read_rows_once), not from a statement of its own."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:  # django-filter's "none" choice
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (getattr(self.field, "null_label", None) is not None)
        return len(self.field.rows()) + extra

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


def read_rows_once(field):
    """Make a model select read its reference list (townships, agencies, tags) once per form: Django's field
    looks the chosen value up with a ``get`` and reads the rows again for the options. Here both come from one
    read of the same queryset, so the chosen value is accepted exactly when it is one of the options."""
    rows = None

    def read():
        nonlocal rows
        if rows is None:
            rows = reference.rows(field.queryset)  # townships, agencies, tags: the process's copy
        return rows

    def to_python(value):
        if value in field.empty_values:
            return None
        if getattr(field, "null_label", None) is not None and value == field.null_value:
            return value  # django-filter's "none" choice, as its field takes it
        field.validate_no_null_characters(value)
        model = field.queryset.model
        key = model._meta.pk if not field.to_field_name else model._meta.get_field(field.to_field_name)
        try:
            wanted = getattr(value, key.attname) if isinstance(value, model) else key.to_python(value)
            return next(row for row in read() if getattr(row, key.attname) == wanted)
        except (ValueError, TypeError, ValidationError, StopIteration):
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})

    field.rows, field.to_python = read, to_python
    field.iterator = RowsReadOnce
    field.widget.choices = RowsReadOnce(field)


def rendered_form_key(form):
    """(key, lists) naming everything ``form``'s fields show when rendered: the language, each field's kind, label,
    widget attributes and options, and the value asked for. ``lists`` are the reference lists whose identity the
    key holds (their rows are the options). None for a form whose markup may differ with more than that: one with
    errors (a check may read the clock), or with a select whose options are not a kept reference list or a plain
    list of choices (they may differ by user)."""
    if form.is_bound and form.errors:
        return None
    parts, lists = [get_language(), form.prefix, form.is_bound, form.auto_id], []
    for name, field in form.fields.items():
        widget = field.widget
        parts += [name, type(field), type(widget), str(field.label), field.required, field.disabled, tuple(widget.attrs.items())]
        if form.is_bound:
            value = widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            parts.append(tuple(value) if isinstance(value, list) else value)
        else:
            parts.append(form.get_initial_for_field(field, name))
        if isinstance(field, forms.ModelChoiceField):
            if not (hasattr(field, "rows") and reference.is_kept(field.queryset)) or "label_from_instance" in vars(field):
                return None
            rows = field.rows()
            lists.append(rows)
            parts += [id(rows), str(field.empty_label), str(getattr(field, "null_label", None))]
        elif hasattr(widget, "choices"):
            choices = []
            for value, label in widget.choices:
                if isinstance(label, (list, tuple)):  # groups of options
                    return None
                choices.append((value, str(label)))
            parts.append(tuple(choices))
    return tuple(parts), lists


class FieldsOfOneForm(dict):
    """A filter form's fields, made by its filter set's filters for this one form: the deep copy every form makes
    of its class's fields (shared by all the forms of a class declared once) is not needed the first time."""

    taken = False

    def __deepcopy__(self, memo):
        if self.taken:  # a second form of the same class gets copies, as usual
            return copy.deepcopy(dict(self), memo)
        self.taken = True
        return dict(self)


@cache
def with_own_fields(filterset_class):
    """``filterset_class`` whose form takes the fields the filter set's own filters made (FieldsOfOneForm)."""

    def get_form_class(self):
        form_class = super(subclass, self).get_form_class()
        if not self.__dict__.get("fields_given"):  # the filters' fields go to one form only
            self.fields_given = True
            form_class.base_fields = FieldsOfOneForm(form_class.base_fields)
        return form_class

    subclass = type(filterset_class.__name__, (filterset_class,), {"get_form_class": get_form_class, "__module__": filterset_class.__module__})
    return subclass


def quick_selects(form):
    """Render ``form``'s selects and boxes that use Django's own templates in Python (PythonRenderedSelect,
    PythonRenderedInput), a model select's rows read once (read_rows_once); the widgets and fields are the form's
    own copies."""
    for field in form.fields.values():
        if type(field) in (forms.ModelChoiceField, ModelChoiceFilterField) and field.queryset is not None and not hasattr(field, "rows"):
            read_rows_once(field)
        widget = field.widget
        if isinstance(widget, forms.Select) and not isinstance(widget, PythonRenderedSelect) and (
            (widget.template_name, widget.option_template_name) == SELECT_TEMPLATES
        ):
            widget.__class__ = _rendered_in_python(type(widget))
        elif not isinstance(widget, (PythonRenderedSelect, PythonRenderedInput)) and _renders_as_inputs(widget):
            widget.__class__ = _rendered_in_python(type(widget), PythonRenderedInput)
    return form

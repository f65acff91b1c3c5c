"""What every list page shares (fuyang_portal.tables): pages fetched keys first, in the list's order with the key
as the last tie-breaker, deep pages answering like the first; a bad page number gives the first or the last page,
never an error; a page never holds more than 100 rows; the rows and the filter's selects rendered in Python give
the markup django-tables2's and Django's templates give."""

import itertools
import re

import django_tables2 as tables
import pytest
from django.db import connection
from django.http import QueryDict
from django.template import Context, RequestContext, Template
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise
from enterprises.tables import EnterpriseTable
from fuyang_portal import clock
from fuyang_portal.tables import (
    MAX_PER_PAGE,
    quick_selects,
    rows_of_page,
    table_rows_html,
    with_key_last,
)
from fuyang_portal.templatetags.portal import bs
from specialists.models import Problem
from specialists.tables import ProblemTable
from tests.enterprises.factories import ApprovedRequestFactory
from tests.factories import EnterpriseFactory, TownshipFactory, district_user
from tests.specialists.factories import raised_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def township():
    township = TownshipFactory()
    # Names that tie: the pages must still cut the list once, in one order.
    for number in range(60):
        EnterpriseFactory(township=township, name=f"富阳{number % 7}号厂")
    return township


def shown(response):
    return [row.record.pk for row in response.context["table"].paginated_rows]


def test_every_page_of_a_sorted_list_holds_the_next_rows_once(client, township):
    client.force_login(district_user())
    url = reverse("enterprises:list")
    pages = [shown(client.get(url, {"township": township.pk, "sort": "name", "page": page})) for page in (1, 2, 3)]
    seen = [pk for page in pages for pk in page]
    expected = list(Enterprise.objects.filter(township=township).order_by("name", "pk").values_list("pk", flat=True))
    assert seen == expected
    descending = [shown(client.get(url, {"township": township.pk, "sort": "-name", "page": page})) for page in (1, 2, 3)]
    seen = [pk for page in descending for pk in page]
    names = dict(Enterprise.objects.filter(township=township).values_list("pk", "name"))
    assert sorted(seen) == sorted(expected) and [names[pk] for pk in seen] == sorted(names.values(), reverse=True)


def test_the_rows_of_a_page_are_those_of_the_same_slice():
    firms = Enterprise.objects.order_by("-registered_headcount")
    township = TownshipFactory()
    for number in range(30):
        EnterpriseFactory(township=township, registered_headcount=number % 4)
    plain = list(firms.order_by("-registered_headcount", "pk").values_list("pk", flat=True))
    assert [firm.pk for firm in rows_of_page(firms, 10, 20)] == plain[10:20]
    assert [firm.pk for firm in rows_of_page(firms, 25, 40)] == plain[25:40]


def test_the_key_ends_an_order_unless_its_columns_are_unique_already():
    from programmes.models import WorkItem

    # (work list, number) is unique: the index on it serves the order as it is.
    assert with_key_last(WorkItem.objects.order_by("work_list_id", "number")).query.order_by == ("work_list_id", "number")
    assert with_key_last(Enterprise.objects.order_by("-credit_code")).query.order_by == ("-credit_code",)
    # Not unique, or a relation named by its field (ordered by the related model's order): the key is added.
    assert with_key_last(Enterprise.objects.order_by("name")).query.order_by == ("name", "pk")
    assert with_key_last(WorkItem.objects.order_by("number")).query.order_by == ("number", "pk")
    assert with_key_last(WorkItem.objects.order_by("work_list", "number")).query.order_by == ("work_list", "number", "pk")


def test_a_deep_page_runs_the_queries_of_the_first(client, township):
    client.force_login(district_user())
    url = reverse("enterprises:list")
    client.get(url)  # warm up: the process's reference lists (fuyang_portal.reference) are read once
    counts = []
    for page in (1, 3):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"township": township.pk, "sort": "name", "page": page}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("page, expected", [("abc", 1), ("0", 3), ("-2", 3), ("99999", 3), ("", 1)])
def test_a_bad_page_number_answers_the_first_or_the_last_page(client, township, page, expected):
    # django-tables2's rule: not a number → the first page; out of range → the last.
    client.force_login(district_user())
    response = client.get(reverse("enterprises:list"), {"township": township.pk, "page": page})
    assert response.status_code == 200
    assert response.context["table"].page.number == expected


def test_a_long_list_counts_up_to_the_cap_and_says_there_are_more(client, township, monkeypatch):
    monkeypatch.setattr("fuyang_portal.tables.COUNT_CAP", 50)
    client.force_login(district_user())
    url = reverse("enterprises:list")
    response = client.get(url, {"township": township.pk, "sort": "name", "page": 99})
    paginator = response.context["table"].paginator
    assert paginator.capped and paginator.count == 50 and paginator.num_pages == 2
    assert response.context["table"].page.number == 2  # the last page within the cap
    html = response.content.decode()
    assert '<span class="badge text-bg-secondary fs-6">50+</span>' in html
    assert "超过 50 条：分页只到这里，请用筛选缩小范围。" in html
    # The rows of the capped pages are those of the list, in its order.
    expected = list(Enterprise.objects.filter(township=township).order_by("name", "pk").values_list("pk", flat=True))
    assert shown(client.get(url, {"township": township.pk, "sort": "name", "page": 2})) == expected[25:50]


def test_a_list_within_the_cap_shows_its_exact_count(client, township, monkeypatch):
    monkeypatch.setattr("fuyang_portal.tables.COUNT_CAP", 60)
    client.force_login(district_user())
    response = client.get(reverse("enterprises:list"), {"township": township.pk, "page": 3})
    paginator = response.context["table"].paginator
    assert not paginator.capped and paginator.count == 60 and paginator.num_pages == 3
    html = response.content.decode()
    assert '<span class="badge text-bg-secondary fs-6">60</span>' in html and "分页只到这里" not in html


def test_a_page_holds_at_most_a_hundred_rows_whatever_the_link_asks(client):
    township = TownshipFactory()
    Enterprise.objects.bulk_create(
        [Enterprise(name=f"厂{number}", credit_code=f"X{number:017d}", township=township, scale="sme") for number in range(120)]
    )
    client.force_login(district_user())
    response = client.get(reverse("enterprises:list"), {"township": township.pk, "per_page": 100000})
    assert response.status_code == 200
    assert len(shown(response)) == MAX_PER_PAGE == 100
    # 0 means the list's own size (django-tables2), a negative size one row: a page either way, not an error.
    for nonsense, rows in ((0, 25), (-5, 1)):
        response = client.get(reverse("enterprises:list"), {"township": township.pk, "per_page": nonsense})
        assert response.status_code == 200 and len(shown(response)) == rows


# The cell loop the list template ran before its rows were rendered in Python.
LIBRARY_ROWS = Template(
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}"
    '<td {{ column.attrs.td.as_html }} data-label="{{ column.header }}">{% if column.localize == None %}{{ cell }}'
    "{% else %}{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>"
    "{% endfor %}</tr>{% endfor %}"
)


def same_markup(table):
    context = Context({"table": table})
    table._counter = itertools.count()
    before = LIBRARY_ROWS.render(context)
    table._counter = itertools.count()
    after = str(table_rows_html(table, context))
    squeeze = lambda html: re.sub(r">\s+<", "><", html.replace("\n", "")).strip()
    return squeeze(before), squeeze(after)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_rendered_in_python_are_the_rows_of_the_library(language):
    township = TownshipFactory()
    firms = [EnterpriseFactory(township=township, name=f"<富阳>&{number}") for number in range(3)]
    ApprovedRequestFactory(enterprise=firms[0])
    for number in range(3):
        raised_problem()
    with translation.override(language):
        firm_table = EnterpriseTable(Enterprise.objects.filter(township=township).with_resumed(clock.now()))
        problem_table = ProblemTable(Problem.objects.select_related("enterprise", "agency"))
        for table in (firm_table, problem_table):
            before, after = same_markup(table)
            assert before == after and "<td" in after


def test_an_empty_page_says_so():
    table = EnterpriseTable(Enterprise.objects.none(), empty_text="没有记录")
    html = str(table_rows_html(table, Context({})))
    assert html == f'<tr><td colspan="{len(table.columns)}">没有记录</td></tr>'


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_filter_selects_rendered_in_python_are_djangos(language):
    TownshipFactory()
    query = QueryDict("scale=sme&resumed=yes")
    with translation.override(language):
        plain = EnterpriseFilter(query, queryset=Enterprise.objects.all()).form
        quick = quick_selects(EnterpriseFilter(query, queryset=Enterprise.objects.all()).form)
        squeeze = lambda html: re.sub(r">\s+<", "><", str(html)).strip()
        for name in plain.fields:
            assert squeeze(bs(quick[name])) == squeeze(bs(plain[name])), name
        assert 'selected>' in squeeze(bs(quick["scale"]))


# The list template before its header and pager were written in Python: the parent's blocks, its label translated.
TEMPLATE_BLOCKS = Template(
    """{% extends 'django_tables2/bootstrap5.html' %}{% load i18n l10n portal_tables %}
{% block table-wrapper %}
<div class="table-container table-responsive table-cards" tabindex="0" role="region" aria-label="{% translate "Table" %}">
    {% block table %}{{ block.super }}{% endblock table %}
</div>
{% block pagination %}{% if table.page and table.paginator.num_pages > 1 %}
<nav aria-label="{% translate "Table navigation" %}">
    <ul class="pagination justify-content-center">
    {% if table.page.has_previous %}{% block pagination.previous %}{{ block.super }}{% endblock pagination.previous %}{% endif %}
    {% if table.page.has_previous or table.page.has_next %}{% block pagination.range %}{{ block.super }}{% endblock pagination.range %}{% endif %}
    {% if table.page.has_next %}{% block pagination.next %}{{ block.super }}{% endblock pagination.next %}{% endif %}
    </ul>
</nav>
{% endif %}{% endblock pagination %}
{% endblock table-wrapper %}
{% block table.tbody %}<tbody {{ table.attrs.tbody.as_html }}>{% table_rows table %}</tbody>{% endblock table.tbody %}"""
)


def squeezed(html):
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("query", ["", "page=2", "page=3&sort=-name", "page=5&township=1&q=%3C%26%3E", "sort=name&page=4&per_page=2"])
def test_the_header_and_pager_rendered_in_python_are_the_templates(rf, language, query):
    from django.template.loader import get_template

    township = TownshipFactory()
    for number in range(30):
        EnterpriseFactory(township=township, name=f"<富阳>&{number}")
    request = rf.get("/enterprises/?" + query)
    with translation.override(language):
        tables = []
        for _attempt in range(2):
            table = EnterpriseTable(Enterprise.objects.filter(township=township).with_resumed(clock.now()), empty_text="—")
            table.order_by = request.GET.get("sort")
            table.paginate(page=int(request.GET.get("page", 1)), per_page=int(request.GET.get("per_page", 5)))
            table._counter = itertools.count()
            tables.append(table)
        before = TEMPLATE_BLOCKS.render(Context({"table": tables[0], "request": request}))
        after = get_template("django_tables2/bootstrap5-responsive.html").render({"table": tables[1], "request": request})
    assert squeezed(before) == squeezed(after)
    assert "<thead" in after and "scope=\"col\"" in after and "pagination" in after
    if "page=3" in query:  # both neighbours and the page's own number, the query kept
        assert "previous page-item" in after and "next page-item" in after and "page-item active" in after
        assert "sort=-name" in after


def unread_badge(response):
    match = re.search(r'badge text-bg-danger">(\d+)<', response.content.decode())
    return int(match.group(1)) if match else 0


def test_the_unread_count_is_cached_and_dropped_when_a_notice_arrives_or_is_read(client, settings):
    from django.core.cache import cache

    from fuyang_portal.models import Notification
    from fuyang_portal.tasks import deliver_notifications

    settings.UNREAD_COUNT_SECONDS = 30
    cache.clear()
    user = district_user()
    client.force_login(user)
    url = reverse("enterprises:list")

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counted = sum("fuyang_portal_notification" in query["sql"] and "COUNT(" in query["sql"] for query in captured.captured_queries)
        return unread_badge(response), counted

    assert page() == (0, 1)
    assert page() == (0, 0)  # from the cache
    deliver_notifications([user.pk], {"title": "一条新消息"}, send_sms_now=False)
    assert page() == (1, 1)  # the new notice dropped the entry
    assert page() == (1, 0)
    notice = Notification.objects.get(recipient=user)
    assert client.post(reverse("mark-read", args=[notice.pk])).status_code == 302
    assert page() == (0, 1)
    # Another account never reads this one's entry, even under the same key.
    cache.set(f"unread-count:{user.pk}", (0.0, 7), 30)
    assert page() == (0, 1)


def test_without_the_setting_every_page_counts(client, settings):
    settings.UNREAD_COUNT_SECONDS = 0
    client.force_login(district_user())
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("enterprises:list"))
        assert sum("fuyang_portal_notification" in query["sql"] for query in captured.captured_queries) == 1


def test_a_chosen_reference_is_read_once_with_the_options(client, township):
    # The township chosen in the filter is checked against the same rows the select's options show: one statement.
    client.force_login(district_user())
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("enterprises:list"), {"township": township.pk})
    reads = [query["sql"] for query in captured.captured_queries if 'FROM "fuyang_portal_township"' in query["sql"]]
    assert response.status_code == 200 and len(reads) == 1
    assert f'<option value="{township.pk}" selected>' in response.content.decode()
    assert len(shown(response)) == 25


def test_a_reference_outside_the_options_is_refused_as_before(client, township):
    client.force_login(district_user())
    response = client.get(reverse("enterprises:list"), {"township": 999999})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["township"]
    response = client.get(reverse("enterprises:list"), {"township": "abc"})
    assert response.context["filter"].form.errors["township"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("filter_path, query", [
    ("specialists.filters.ProblemFilter", "status=escalated&overdue=true&enterprise=%3C%E5%8E%82%3E%22&township=1"),
    ("subsidies.filters.ClaimFilter", "invoice_number=a%22b%26c&departure_date_after=2026-01-02&enterprise__name=x"),
    ("enterprises.filters.ResumptionRequestFilter", "q=%E5%AF%8C&planned_min=2026-02-01&planned_before=bad"),
])
def test_every_field_rendered_in_python_is_djangos(rf, language, filter_path, query):
    from django.utils.module_loading import import_string

    TownshipFactory()
    filterset_class = import_string(filter_path)
    request = rf.get("/")
    request.user = district_user()
    queryset = filterset_class._meta.model.objects.all()
    with translation.override(language):
        plain = filterset_class(QueryDict(query), queryset=queryset, request=request).form
        quick = quick_selects(filterset_class(QueryDict(query), queryset=queryset, request=request).form)
        plain.is_valid(), quick.is_valid()
        assert plain.errors == quick.errors
        between_tags = lambda html: re.sub(r">\s+<", "><", str(html)).strip()  # a range's "-" between its boxes stays
        for name in plain.fields:
            assert between_tags(bs(quick[name])) == between_tags(bs(plain[name])), name
        assert any(type(quick[name].field.widget).__mro__[1].__name__ == "PythonRenderedInput" for name in quick.fields)


# The list template's filter loop before it was written in Python (fuyang_portal.templatetags.portal.filter_fields).
FILTER_LOOP = Template(
    """{% load portal %}{% for field in form.visible_fields %}
      <div class="col-12 col-sm-6 col-lg-3">
        <label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}</label>
        {{ field|bs }}
        {% for error in field.errors %}<div class="invalid-feedback d-block" role="alert">{{ error }}</div>{% endfor %}
      </div>
    {% endfor %}"""
)


@pytest.mark.parametrize("query", ["", "scale=sme&registered_headcount_min=abc&township=%3Cb%3E"])
def test_the_filter_fields_written_in_python_are_the_template_loops(query):
    from fuyang_portal.templatetags.portal import filter_fields

    TownshipFactory()
    squeeze = lambda html: re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            form = quick_selects(EnterpriseFilter(QueryDict(query), queryset=Enterprise.objects.all()).form)
            assert squeeze(filter_fields(form)) == squeeze(FILTER_LOOP.render(Context({"form": form})))
    if query:
        assert "invalid-feedback" in filter_fields(form)


def test_each_table_has_its_own_copy_of_the_columns_attributes():
    from labour.tables import VacancyTable

    first, second = EnterpriseTable(Enterprise.objects.none()), VacancyTable([])
    other = EnterpriseTable(Enterprise.objects.none())
    first.columns["name"].column.attrs["td"] = {"class": "changed"}
    second.columns["housing"].column.yesno[0] = "changed"
    assert "changed" not in str(other.columns["name"].column.attrs)
    assert "changed" not in str(EnterpriseTable.base_columns["name"].attrs)
    assert VacancyTable([]).columns["housing"].column.yesno[0] != "changed"
    # What no table changes is shared, not copied for every table: the column's link.
    assert first.columns["name"].column.link is EnterpriseTable.base_columns["name"].link


def test_a_columns_field_is_looked_up_once_per_accessor_and_model():
    from django_tables2.utils import Accessor

    from fuyang_portal.models import Township
    from fuyang_portal.tables import _field_of

    assert Accessor("township__name").get_field(Enterprise) is Township._meta.get_field("name")
    assert Accessor("no_such_field").get_field(Enterprise) is None
    assert Accessor("name").get_field(object) is None  # not a model: no field, as before
    hits = _field_of.cache_info().hits
    Accessor("township__name").get_field(Enterprise)
    assert _field_of.cache_info().hits == hits + 1


@pytest.mark.parametrize("grouped", [False, True])
def test_whole_numbers_in_cells_are_localized_as_the_template_did(settings, grouped):
    settings.USE_THOUSAND_SEPARATOR = grouped
    township = TownshipFactory()
    EnterpriseFactory(township=township, registered_headcount=12345)
    with translation.override("en"):
        before, after = same_markup(EnterpriseTable(Enterprise.objects.filter(township=township).with_resumed(clock.now())))
    assert before == after
    assert ("12,345" in after) is grouped and ("12345" in after) is not grouped


def test_a_pages_links_read_the_url_configuration_once(monkeypatch):
    from fuyang_portal import links

    township = TownshipFactory()
    addresses = [EnterpriseFactory(township=township).get_absolute_url() for _ in range(3)]
    reads = []
    real = links.get_script_prefix
    monkeypatch.setattr(links, "get_script_prefix", lambda: reads.append(1) or real())
    html = str(table_rows_html(EnterpriseTable(Enterprise.objects.filter(township=township).with_resumed(clock.now())), Context({})))
    assert all(f'href="{address}"' in html for address in addresses)
    assert len(reads) == 1


def test_a_link_follows_the_script_prefix_outside_a_page():
    from django.urls import set_script_prefix

    from fuyang_portal.links import same_addresses

    firm = EnterpriseFactory()
    with same_addresses():
        plain = firm.get_absolute_url()
    set_script_prefix("/portal/")
    try:
        assert firm.get_absolute_url() == "/portal" + plain
    finally:
        set_script_prefix("/")


LIBRARY_TABLE = Template("{% load django_tables2 %}{% render_table table %}")
PYTHON_TABLE = Template("{% load portal_tables %}{% list_table table %}")


def paged_table(request, township, table_class=EnterpriseTable, **kwargs):
    table = table_class(Enterprise.objects.filter(township=township).with_resumed(clock.now()), empty_text="—", **kwargs)
    table.order_by = request.GET.get("sort")
    table.paginate(page=int(request.GET.get("page", 1)), per_page=5)
    table._counter = itertools.count()
    return table


class FootedTable(EnterpriseTable):
    registered_headcount = tables.Column(footer="合计")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("query", ["", "page=3&sort=-name", "page=5&q=%3C%26%3E"])
@pytest.mark.parametrize("kind", ["list", "footer", "own template"])
def test_the_table_written_in_python_is_the_one_render_table_writes(rf, language, query, kind):
    township = TownshipFactory()
    for number in range(30):
        EnterpriseFactory(township=township, name=f"<富阳>&{number}")
    request = rf.get("/enterprises/?" + query)
    request.user = district_user()
    table_class, kwargs = {"list": (EnterpriseTable, {}), "footer": (FootedTable, {}),
                           "own template": (EnterpriseTable, {"template_name": "django_tables2/bootstrap5.html"})}[kind]
    with translation.override(language):
        before = LIBRARY_TABLE.render(RequestContext(request, {"table": paged_table(request, township, table_class, **kwargs)}))
        after = PYTHON_TABLE.render(RequestContext(request, {"table": paged_table(request, township, table_class, **kwargs)}))
    assert squeezed(before) == squeezed(after)
    assert "<tbody" in after and ("合计" in after) is (kind == "footer")
    assert ("table-cards" in after) is (kind != "own template")


def test_a_filter_s_markup_is_kept_by_what_it_shows_and_written_again_when_that_changes(township):
    from fuyang_portal.templatetags import portal

    portal.RENDERED_FILTERS.clear()

    def render(query, language="zh-hans"):
        with translation.override(language):
            form = quick_selects(EnterpriseFilter(QueryDict(query), queryset=Enterprise.objects.all()).form)
            form.is_valid()
            return str(portal.filter_fields(form)), str(portal.filter_fields_html(form))

    with override_settings(REFERENCE_LIST_SECONDS=300):
        kept, fresh = render(f"township={township.pk}")
        assert kept == fresh and len(portal.RENDERED_FILTERS) == 1
        assert render(f"township={township.pk}") == (kept, fresh) and len(portal.RENDERED_FILTERS) == 1  # kept
        assert f'<option value="{township.pk}" selected>' in kept
        other, _fresh = render("")
        assert other != kept and f'<option value="{township.pk}" selected>' not in other
        assert render(f"township={township.pk}", "en")[0] != kept  # another language
        township.name = "改名街道"
        township.save()  # the reference list moves on: so does the markup
        renamed, fresh = render(f"township={township.pk}")
        assert renamed == fresh and "改名街道" in renamed
        entries = len(portal.RENDERED_FILTERS)
        assert "invalid-feedback" in render("scale=bogus")[0]  # a form with errors is written every time, never kept
        assert len(portal.RENDERED_FILTERS) == entries
    with override_settings(REFERENCE_LIST_SECONDS=0):  # the townships read for this page only: not kept
        render(f"township={township.pk}")
        assert len(portal.RENDERED_FILTERS) == entries


def test_a_list_s_filter_form_takes_its_filters_fields_once_and_copies_them_after():
    from fuyang_portal.tables import with_own_fields

    filterset = with_own_fields(EnterpriseFilter)(QueryDict("scale=sme"), queryset=Enterprise.objects.all())
    assert isinstance(filterset, EnterpriseFilter) and type(filterset).__name__ == "EnterpriseFilter"
    form_class = filterset.get_form_class()
    first, second = form_class(), form_class()
    assert first.fields["scale"] is filterset.filters["scale"].field  # made for this form: not copied
    assert second.fields["scale"] is not first.fields["scale"]  # a second form of the class: its own copies
    first.fields["scale"].widget.attrs["class"] = "changed"
    assert "class" not in second.fields["scale"].widget.attrs
    third = filterset.get_form_class()()  # another form class of the same filter set: copies too
    assert third.fields["scale"] is not first.fields["scale"]
    assert filterset.is_valid() and list(filterset.qs) == list(EnterpriseFilter(QueryDict("scale=sme"), queryset=Enterprise.objects.all()).qs)


def test_firms_tag_names_come_in_the_tags_order_from_one_statement_per_batch(monkeypatch, settings):
    from enterprises.models import EnterpriseTag, WithTagNames
    from fuyang_portal.batches import rows_for
    from tests.factories import EnterpriseFactory

    export, listed = EnterpriseTag.objects.create(code="a-export", name="外贸"), EnterpriseTag.objects.create(code="b-listed", name="上市")
    both, none, one = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    both.tags.set([listed, export])
    one.tags.set([listed])
    monkeypatch.setattr(WithTagNames, "batch", 2)  # two batches for three firms
    settings.REFERENCE_LIST_SECONDS = 300  # the tags' list read once, as in production
    with CaptureQueriesContext(connection) as captured:
        firms = list(Enterprise.objects.filter(pk__in=[both.pk, none.pk, one.pk]).order_by("pk").with_tag_names())
    assert [firm.tag_names for firm in firms] == [["外贸", "上市"], [], ["上市"]]
    assert len(captured.captured_queries) == 4  # the firms, the tags' list, then one statement per batch
    assert rows_for(Enterprise.tags.through, ("enterprise", "enterprisetag"), "enterprise", []) == []
    assert sorted(rows_for(Enterprise.tags.through, ("enterprise",), "enterprise", [both.pk, one.pk], counted=True)) == [(both.pk, 2), (one.pk, 1)]

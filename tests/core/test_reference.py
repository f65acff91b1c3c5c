"""The reference lists a process keeps (fuyang_portal.reference): read once, read again after any change, on any node."""

from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fuyang_portal import reference
from fuyang_portal.models import Agency, Township
from fuyang_portal.tables import cached_signature, numeric_date_formatter
from tests.factories import TownshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.REFERENCE_LIST_SECONDS = 300  # as in production (the suite counts the uncached path)


def read_townships():
    with CaptureQueriesContext(connection) as captured:
        names = [t.name for t in reference.rows(Township.objects.all())]
    return names, len(captured.captured_queries)


def test_a_plain_listing_is_read_once_and_again_after_a_change():
    first = TownshipFactory()
    assert read_townships() == ([first.name], 1)
    assert read_townships() == ([first.name], 0)
    second = TownshipFactory()  # a save: read again, the new row included
    names, queries = read_townships()
    assert queries == 1 and set(names) == {first.name, second.name}
    first.name = "改名镇"
    first.save()
    assert "改名镇" in read_townships()[0]
    second.delete()
    assert read_townships() == (["改名镇"], 1)


def test_another_node_s_change_is_seen_through_the_shared_version():
    TownshipFactory()
    read_townships()
    Township.objects.update(name="另一节点改的名")  # no signal here, as if another node had saved it...
    assert read_townships()[1] == 0
    cache.set(reference._version_key("fuyang_portal.Township"), 99, None)  # ...and its save moved the version
    assert read_townships() == (["另一节点改的名"], 1)


def test_a_listing_with_conditions_or_another_model_is_not_kept():
    township = TownshipFactory()
    for _ in range(2):  # read every time
        with CaptureQueriesContext(connection) as captured:
            reference.rows(Township.objects.filter(pk=township.pk))
            reference.rows(Township.objects.filter(name=township.name))
        assert len(captured.captured_queries) == 2
    assert "fuyang_portal.User" not in reference.REFERENCE_MODELS


def test_a_listing_is_read_again_once_its_age_passes(settings, monkeypatch):
    TownshipFactory()
    read_townships()
    now = reference.time.monotonic()
    monkeypatch.setattr(reference.time, "monotonic", lambda: now + 301)
    assert read_townships()[1] == 1
    settings.REFERENCE_LIST_SECONDS = 0  # turned off: read on every page
    assert read_townships()[1] == 1 and read_townships()[1] == 1


def test_each_ordering_is_its_own_entry():
    TownshipFactory(name="甲", sort_order=2)
    TownshipFactory(name="乙", sort_order=1)
    by_order = [t.name for t in reference.rows(Township.objects.order_by("sort_order"))]
    by_name_desc = [t.name for t in reference.rows(Township.objects.order_by("-sort_order"))]
    assert by_order == list(reversed(by_name_desc))
    assert Agency.objects.count() == 0 and reference.rows(Agency.objects.all()) == []


def test_numeric_date_formats_write_what_the_date_filter_writes():
    from django.template.defaultfilters import date as date_filter

    moment = timezone.localtime(timezone.make_aware(datetime(2020, 2, 4, 8, 5, 9)))
    for fmt in ("Y-m-d", "Y-m-d H:i", "Y-m-d H:i:s", "d/m/Y", "H:i", "Y/n/j", "n/j/Y G:i", "Y年n月j日"):
        assert numeric_date_formatter(fmt)(moment) == date_filter(moment, fmt)
    assert numeric_date_formatter("Y-m-d")(date(2020, 2, 4)) == "2020-02-04"
    assert numeric_date_formatter("Y-m-d H:i")(date(2020, 2, 4)) is None  # the date filter's own answer then
    assert numeric_date_formatter("j F Y") is None and numeric_date_formatter("N j, Y") is None  # words: the filter
    assert numeric_date_formatter("Y\\m") is None and numeric_date_formatter("") is None


def test_a_column_signature_is_the_libraries():
    from django_tables2.utils import signature

    class Table:
        def render_x(self, value, record, **rest):
            return value

        def render_y(self, *args, record=None):
            return record

    table = Table()
    for method in (table.render_x, table.render_y, lambda record, value: None):
        assert cached_signature(method) == signature(method)


# -- relations to reference rows set from the copy (with_references) ---------------------------------------------


def listed_firms():
    from enterprises.models import Enterprise

    with CaptureQueriesContext(connection) as captured:
        firms = list(Enterprise.objects.order_by("pk").with_references("township", "village", "community"))
        places = [(firm.township.name, firm.village.name if firm.village else None, firm.community) for firm in firms]
    return firms, places, len(captured.captured_queries)


def test_a_list_takes_its_townships_and_villages_from_the_copy_not_from_a_join():
    from tests.factories import EnterpriseFactory, VillageFactory

    township = TownshipFactory(name="富春街道")
    village = VillageFactory(township=township, name="春江村")
    EnterpriseFactory(township=township, village=village)
    EnterpriseFactory(township=township)
    listed_firms()  # the copies read once
    firms, places, queries = listed_firms()
    assert places == [("富春街道", "春江村", None), ("富春街道", None, None)]
    assert queries == 1  # the firms alone: no join, and no read of a township or village per firm
    assert firms[0].township is reference.by_key(Township)[township.pk]


def test_a_place_the_copy_does_not_hold_yet_is_read_when_used():
    from tests.factories import EnterpriseFactory

    EnterpriseFactory()
    listed_firms()
    Township.objects.bulk_create([Township(code="zz", name="新设镇", name_en="Xinshe", kind=Township.Kind.choices[0][0], sort_order=99)])  # no signal: no new version
    EnterpriseFactory(township=Township.objects.get(code="zz"))
    _firms, places, queries = listed_firms()
    assert places[-1][0] == "新设镇" and queries == 2  # the firms, then the one township the copy lacks


def test_without_copies_the_relations_are_joined(settings):
    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    settings.REFERENCE_LIST_SECONDS = 0
    EnterpriseFactory(township=TownshipFactory(name="银湖街道"))
    rows = Enterprise.objects.with_references("township")
    assert "fuyang_portal_township" in str(rows.query)
    assert listed_firms()[1:] == ([("银湖街道", None, None)], 1)


def test_a_relation_through_a_joined_row_comes_from_the_copy_too():
    from labour.models import Vacancy
    from tests.labour.factories import VacancyFactory

    VacancyFactory(enterprise__township=TownshipFactory(name="东洲街道"))
    list(Vacancy.objects.with_references("enterprise__township"))
    with CaptureQueriesContext(connection) as captured:
        vacancies = list(Vacancy.objects.with_references("enterprise__township"))
        assert [vacancy.enterprise.township.name for vacancy in vacancies] == ["东洲街道"]
    assert len(captured.captured_queries) == 1 and "fuyang_portal_township" not in captured.captured_queries[0]["sql"]

"""An industry is shown by its GB/T 4754-2017 section name, never by its letter: the firm list, its filter, its
export, the detail page and the API (which keeps the letter and adds the name); an import takes either."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from enterprises.imports import industry_code
from enterprises.models import Enterprise, Industry
from enterprises.tables import EnterpriseTable
from fuyang_portal import clock
from tests.factories import EnterpriseFactory, district_user

pytestmark = pytest.mark.django_db

LETTER_CELL = re.compile(r'data-label="行业">\s*[A-T]\s*<')


def test_the_firm_list_shows_section_names_not_letters(client):
    EnterpriseFactory(industry=Industry.H)
    EnterpriseFactory(industry=Industry.O)
    client.force_login(district_user())
    html = client.get(reverse("enterprises:list")).content.decode()
    assert "住宿和餐饮业" in html and "居民服务、修理和其他服务业" in html
    assert not LETTER_CELL.search(html)
    # The filter offers the names too.
    assert re.search(r'<option value="H"[^>]*>住宿和餐饮业</option>', html)


def test_the_firm_page_shows_the_section_name(client):
    firm = EnterpriseFactory(industry=Industry.F)
    client.force_login(district_user())
    html = client.get(firm.get_absolute_url()).content.decode()
    assert "批发和零售业" in html
    assert not re.search(r"<dd[^>]*>\s*F\s*</dd>", html)


def test_english_pages_show_the_english_names(client):
    EnterpriseFactory(industry=Industry.H)
    client.force_login(district_user())
    html = client.get(reverse("enterprises:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accommodation and catering" in html


def test_the_table_export_names_the_section():
    EnterpriseFactory(industry=Industry.C)
    with translation.override("zh-hans"):
        table = EnterpriseTable(Enterprise.objects.with_resumed(clock.now()))
        rows = list(table.as_values())
    assert rows[1][rows[0].index(str(table.columns["industry"].header))] == "制造业"


def test_the_api_keeps_the_letter_and_adds_the_name(client):
    EnterpriseFactory(industry=Industry.C)
    client.force_login(district_user())
    row = client.get("/api/v1/enterprises/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert row["industry"] == "C" and row["industry_display"] == "制造业"


@pytest.mark.parametrize("value", ["C", "c", "C 制造业", "制造业", "Manufacturing", " 制造业 "])
def test_an_import_takes_the_letter_or_the_name(value):
    assert industry_code(value) == "C"


def test_an_import_without_an_industry_means_manufacturing_and_an_unknown_name_is_refused():
    assert industry_code("") == "C"
    assert industry_code("养殖业") not in Industry.values

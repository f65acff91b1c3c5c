"""Names, not codes, on Chinese pages: every select's blank option reads 请选择, third-party labels are in the
catalogue, and the demo's codes, mobiles and names look like real ones (valid check characters)."""

import random
import re

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from stdnum.cn import uscc

from enterprises.filters import EnterpriseFilter
from enterprises.forms import EnterpriseForm
from enterprises.models import Enterprise
from enterprises.tables import EnterpriseTable
from fuyang_portal.demo import (
    MOBILE_PREFIXES,
    SURNAMES,
    make_credit_code,
    make_invoice_number,
    make_mobile,
    make_person_name,
    org_code_check,
)
from fuyang_portal.validators import validate_credit_code, validate_mobile
from subsidies.models import validate_invoice_number
from tests.factories import EnterpriseFactory, TownshipFactory, district_user

pytestmark = pytest.mark.django_db

BLANK_OPTION = re.compile(r'<option value=""[^>]*>([^<]*)</option>')


def blank_options(html):
    return BLANK_OPTION.findall(html)


def test_filter_selects_offer_a_chinese_placeholder():
    TownshipFactory()
    with translation.override("zh-hans"):
        html = EnterpriseFilter(queryset=Enterprise.objects.none()).form.as_div()
    labels = blank_options(html)
    assert len(labels) == 5  # township, scale, industry, tag, resumed
    assert set(labels) == {"请选择"} and "---------" not in html


def test_form_selects_offer_a_chinese_placeholder():
    TownshipFactory()
    with translation.override("zh-hans"):
        html = EnterpriseForm().as_div()
    labels = blank_options(html)
    assert labels and set(labels) == {"请选择"} and "---------" not in html


def test_the_placeholder_is_english_on_english_pages():
    with translation.override("en"):
        html = EnterpriseFilter(queryset=Enterprise.objects.none()).form.as_div()
    assert set(blank_options(html)) == {"Please choose"}


def test_the_pager_and_the_lockout_app_are_named_in_chinese():
    EnterpriseFactory.create_batch(3)
    request = RequestFactory().get("/enterprises/")
    request.user = district_user()
    table = EnterpriseTable(Enterprise.objects.all())
    table.paginate(per_page=1)
    with translation.override("zh-hans"):
        html = render_to_string("django_tables2/bootstrap5-responsive.html", {"table": table, "request": request})
        assert 'aria-label="表格翻页"' in html and "Table navigation" not in html
        assert str(apps.get_app_config("axes").verbose_name) == "登录防护"
        from axes.models import AccessAttempt

        assert str(AccessAttempt._meta.verbose_name_plural) == "登录尝试"


# --- the demo's generators -------------------------------------------------------------------------------------


def test_organisation_code_check_character_follows_gb_11714():
    # The standard's example, and the organisation part of a published code (91110000600037341L).
    assert org_code_check("D2143569") == "X"
    assert org_code_check("60003734") == "1"


def test_demo_credit_codes_are_valid_and_plausible():
    codes = [make_credit_code(serial) for serial in range(1, 3001)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        validate_credit_code(code)
        assert uscc.is_valid(code)
        assert code[:8] == "91330111"  # market regulation, company; 富阳区
        org = code[8:17]
        assert org[:8].isdigit() or org.startswith("MA2")
        assert org[8] == org_code_check(org[:8])
    assert sum(code[8:10] == "MA" for code in codes) > len(codes) / 2 > sum(code[8].isdigit() for code in codes) > 0
    individual = make_credit_code(7, entity="2")
    assert individual.startswith("92330111") and uscc.is_valid(individual)


def test_demo_mobiles_vary_over_real_prefixes():
    rng = random.Random(1)
    numbers = [make_mobile(rng) for _ in range(500)]
    for number in numbers:
        validate_mobile(number)
        assert number[:3] in MOBILE_PREFIXES
    assert len({number[:3] for number in numbers}) > 25
    again = random.Random(1)
    assert numbers[:10] == [make_mobile(again) for _ in range(10)]  # deterministic from its seed


def test_demo_names_are_a_surname_and_a_given_name():
    rng = random.Random(2)
    names = [make_person_name(rng) for _ in range(500)]
    assert all(2 <= len(name) <= 3 and name[0] in SURNAMES for name in names)
    assert len(set(names)) > 400
    assert not any("法人" in name for name in names)
    again = random.Random(2)
    assert names[:10] == [make_person_name(again) for _ in range(10)]


def test_demo_invoice_numbers_are_vat_invoice_numbers():
    numbers = [make_invoice_number(serial) for serial in range(1, 200)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        validate_invoice_number(number)
        assert re.fullmatch(r"\d{8}", number)


def test_every_workflow_step_has_a_name_in_the_history():
    """A history row shows its step by name: every step of every declared workflow has a label."""
    from fuyang_portal.policy import declared_models
    from fuyang_portal.templatetags.portal import ACTION_LABELS

    steps = {step.action for declaration in declared_models().values() if declaration.workflow for step in declaration.workflow.steps}
    assert len(steps) > 40
    assert sorted(steps - set(ACTION_LABELS)) == []

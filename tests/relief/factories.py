"""Relief policies for tests, made through the services (as the district office would)."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from enterprises.models import EnterpriseTag
from relief import services
from relief.models import Area, Mode
from tests.factories import district_user

_serial = iter(range(1, 10**6))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SME_RULE = {"all": [{"fact": "scale", "op": "in", "value": ["sme", "individual"]}]}
PER_HEAD = {"base": "registered_headcount", "rate": "300", "cap": "20000"}


def make_policy(*, actor=None, mode=Mode.AUTO, rule=None, benefit=None, budget="1000000.00", publish=True, documents=None, **fields):
    actor = actor or district_user()
    n = next(_serial)
    item = services.create_policy(
        actor,
        code=fields.pop("code", f"p{n}"),
        title=fields.pop("title", f"测试政策{n}"),
        issuer=fields.pop("issuer", "富阳区人民政府"),
        issued_on=fields.pop("issued_on", date(2020, 2, 8)),
        area=fields.pop("area", Area.SOCIAL_INSURANCE),
        mode=mode,
        summary=fields.pop("summary", "按参保人数补助"),
        rule=SME_RULE if rule is None else rule,
        benefit=benefit or PER_HEAD,
        period=fields.pop("period", "2020-02"),
        valid_from=fields.pop("valid_from", date(2020, 2, 1)),
        valid_until=fields.pop("valid_until", date(2020, 12, 31)),
        budget=Decimal(budget),
        documents=documents if documents is not None else (["营业执照", "租赁合同"] if mode == Mode.APPLY else []),
        **fields,
    )
    if publish:
        with TestCase.captureOnCommitCallbacks(execute=True):  # matching runs after commit (Celery, eager here)
            services.publish_policy(item, actor)
        item.refresh_from_db()
    return item


def tag(code, name=None):
    return EnterpriseTag.objects.get_or_create(code=code, defaults={"name": name or code})[0]


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")

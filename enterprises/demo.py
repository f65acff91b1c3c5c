"""Demo firms and the demo enterprise account."""

from django.db import transaction

from enterprises.models import Enterprise, EnterpriseTag, Scale
from fuyang_portal.demo import demo_user, make_credit_code
from fuyang_portal.models import Township
from fuyang_portal.roles import Role

TAGS = [
    ("phoenix", "凤凰计划"),
    ("key-talent", "重点人才企业"),
    ("exporter", "外贸企业"),
]


@transaction.atomic
def load():
    for code, name in TAGS:
        EnterpriseTag.objects.update_or_create(code=code, defaults={"name": name})
    lushan = Township.objects.get(name="鹿山街道")
    dongzhou = Township.objects.get(name="东洲街道")
    runde, _ = Enterprise.objects.get_or_create(
        name="杭州润德车轮制造有限公司",
        defaults={
            "credit_code": make_credit_code(1001),
            "township": lushan,
            "village": lushan.villages.order_by("code").first(),
            "scale": Scale.ABOVE_SCALE,
            "industry": "C",
            "legal_representative": "润德法人",
            "contact_mobile": "13905710018",
            "registered_headcount": 320,
            "address": "杭州市富阳区鹿山街道",
        },
    )
    debao, _ = Enterprise.objects.get_or_create(
        name="浙江德宝通讯科技股份有限公司",
        defaults={
            "credit_code": make_credit_code(1002),
            "township": dongzhou,
            "village": dongzhou.villages.order_by("code").first(),
            "scale": Scale.ABOVE_SCALE,
            "industry": "C",
            "legal_representative": "德宝法人",
            "contact_mobile": "13905710028",
            "registered_headcount": 460,
            "address": "杭州市富阳区东洲街道",
        },
    )
    debao.tags.add(EnterpriseTag.objects.get(code="phoenix"))
    demo_user("runde", Role.ENTERPRISE, "润德 人事经理", enterprise=runde)
    demo_user("debao", Role.ENTERPRISE, "德宝 行政主管", enterprise=debao)

"""Demo firms and the demo enterprise accounts.

The registry: the two named firms the other apps rely on (杭州润德车轮制造有限公司, 浙江德宝通讯科技股份有限公司 with
the accounts ``runde`` and ``debao``), plus about 4,000 generated firms across the 24 townships: exactly 558
above-scale industrial firms in all, about 2,800 SMEs and 700 individual businesses. Every generated firm is
derived from its serial number with a seeded random generator, so a second run finds every row by its credit
code and creates nothing.
"""

import random

from django.db import transaction

from enterprises.models import Enterprise, EnterpriseTag, Industry, Scale
from fuyang_portal.demo import demo_user, make_credit_code
from fuyang_portal.models import Township
from fuyang_portal.roles import Role

TAGS = [
    ("phoenix", "凤凰计划"),
    ("key-talent", "重点人才企业"),
    ("exporter", "外贸企业"),
]

ABOVE_SCALE_TOTAL = 558  # from the report: all 558 above-scale industrial firms resumed
SME_COUNT = 2800
INDIVIDUAL_COUNT = 700
KEY_TALENT_COUNT = 76
PHOENIX_COUNT = 24
EXPORTER_SHARE = 0.12
SERIAL_BASE = 20000  # generated firms use serials SERIAL_BASE + i; the named firms use 1001 and 1002

# Township weights: the subdistricts and the big towns host more firms.
TOWNSHIP_WEIGHT = {
    "富春街道": 14, "春江街道": 10, "东洲街道": 14, "鹿山街道": 9, "银湖街道": 12,
    "新登镇": 9, "胥口镇": 4, "场口镇": 6, "常安镇": 3, "万市镇": 3, "洞桥镇": 3, "渌渚镇": 3,
    "灵桥镇": 5, "大源镇": 5, "常绿镇": 2, "里山镇": 3, "永昌镇": 4, "龙门镇": 2,
    "新桐乡": 2, "上官乡": 2, "环山乡": 2, "湖源乡": 1, "春建乡": 1, "渔山乡": 1,
}

BRAND_CHARS = (
    "富春江华新恒达鑫盛泰宏远丰和通顺隆瑞祥金银永昌明光辉腾飞创佳美宝德润安康立信诚博正邦凯亿"
    "利汇源天元中兴海洋东方星月云峰林森青山绿水天成嘉禾万家百川卓越精工力邦捷"
)
ABOVE_SCALE_TRADES = [
    "造纸", "纸业", "包装", "印刷", "机械制造", "汽车零部件", "电器", "电缆", "光纤通信", "五金工具",
    "新材料", "化纤", "纺织", "服饰", "塑料制品", "金属制品", "铜业", "环保科技", "精密机械", "电子科技",
    "轴承", "铸造", "家具", "建材", "食品", "医疗器械", "光电科技",
]
SME_TRADES = {
    "C": ["机械", "五金", "纸制品", "包装材料", "服装", "塑胶", "工艺品", "电子", "模具", "家具"],
    "E": ["建筑工程", "装饰工程", "市政工程", "园林工程"],
    "F": ["贸易", "商贸", "电子商务", "物资", "农产品"],
    "G": ["物流", "运输", "快递"],
    "H": ["餐饮管理", "酒店管理", "农家乐"],
    "I": ["网络科技", "信息技术", "软件"],
    "L": ["企业管理咨询", "人力资源", "广告"],
    "M": ["检测技术", "工程设计", "生物科技"],
    "A": ["农业开发", "茶业", "竹木", "生态农业"],
    "O": ["家政服务", "汽车维修", "物业管理"],
}
SME_INDUSTRY_WEIGHTS = {"C": 40, "E": 8, "F": 18, "G": 6, "H": 5, "I": 5, "L": 5, "M": 4, "A": 6, "O": 3}
INDIVIDUAL_TRADES = {
    "F": ["超市", "便利店", "五金店", "建材经营部", "日用品商店", "水果店"],
    "H": ["面馆", "小吃店", "饭店", "快餐店"],
    "O": ["理发店", "汽车修理部", "家电维修部", "洗衣店"],
    "C": ["竹制品加工厂", "纸品加工坊", "茶叶加工厂"],
}
INDIVIDUAL_INDUSTRY_WEIGHTS = {"F": 45, "H": 25, "O": 20, "C": 10}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁於蒋章孔"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英华建国文斌红梅志鹏海燕晓东"


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _brand(rng):
    return rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)


def _mobile(rng):
    return rng.choice(("139", "138", "137", "136", "135", "158", "159", "188", "187", "150", "151")) + f"{rng.randrange(10**8):08d}"


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _township_plan(rng, townships, count):
    """Spread ``count`` firms over the townships by weight."""
    names = [t.name for t in townships]
    return rng.choices(townships, weights=[TOWNSHIP_WEIGHT.get(n, 2) for n in names], k=count)


def generated_firms(townships):
    """The generated firms as unsaved Enterprise objects (deterministic), with their tag codes."""
    rng = random.Random(2020_02_03)
    localities = {
        t.pk: (list(t.villages.order_by("code")), list(t.communities.order_by("code"))) for t in townships
    }
    plan = (
        [Scale.ABOVE_SCALE] * (ABOVE_SCALE_TOTAL - 2)  # the two named firms are above-scale too
        + [Scale.SME] * SME_COUNT
        + [Scale.INDIVIDUAL] * INDIVIDUAL_COUNT
    )
    places = _township_plan(rng, townships, len(plan))
    used_names = set()
    firms = []
    for i, (scale, township) in enumerate(zip(plan, places)):
        short = township.name[:2]
        for _attempt in range(50):
            brand = _brand(rng)
            if scale == Scale.ABOVE_SCALE:
                industry = Industry.C
                trade = rng.choice(ABOVE_SCALE_TRADES)
                form = rng.choice(("有限公司", "有限公司", "有限公司", "股份有限公司"))
                name = f"{rng.choice(('杭州', '杭州富阳', '浙江'))}{brand}{trade}{form}"
                headcount = int(rng.triangular(60, 1500, 180))
            elif scale == Scale.SME:
                industry = _weighted(rng, SME_INDUSTRY_WEIGHTS)
                name = f"杭州{brand}{rng.choice(SME_TRADES[industry])}有限公司"
                headcount = int(rng.triangular(3, 200, 8))
            else:
                industry = _weighted(rng, INDIVIDUAL_INDUSTRY_WEIGHTS)
                name = f"富阳区{short}{brand}{rng.choice(INDIVIDUAL_TRADES[industry])}"
                headcount = rng.randint(1, 8)
            if name not in used_names:
                break
        used_names.add(name)
        villages, communities = localities[township.pk]
        village = community = None
        if communities and (not villages or rng.random() < 0.35):
            community = rng.choice(communities)
            place = community.name
        else:
            village = rng.choice(villages)
            place = village.name
        firms.append(
            Enterprise(
                name=name,
                credit_code=make_credit_code(SERIAL_BASE + i),
                township=township,
                village=village,
                community=community,
                address=f"杭州市富阳区{township.name}{place}{rng.randint(1, 399)}号",
                industry=industry,
                scale=scale,
                legal_representative=_person(rng),
                contact_mobile=_mobile(rng),
                registered_headcount=headcount,
            )
        )
    # Tags: key-talent firms among the larger above-scale firms and the tech SMEs; phoenix (listing
    # pipeline) among above-scale firms; exporters among manufacturers.
    tag_rng = random.Random(2020_02_14)
    above = [f for f in firms if f.scale == Scale.ABOVE_SCALE]
    above_by_size = sorted(above, key=lambda f: -f.registered_headcount)
    key_talent = above_by_size[: KEY_TALENT_COUNT - 10] + tag_rng.sample(
        [f for f in firms if f.scale == Scale.SME and f.industry in ("I", "M")], 10
    )
    phoenix = tag_rng.sample(above_by_size[:200], PHOENIX_COUNT)
    exporters = [f for f in firms if f.industry == Industry.C and f.scale != Scale.INDIVIDUAL and tag_rng.random() < EXPORTER_SHARE * 2]
    tags = {"key-talent": key_talent, "phoenix": phoenix, "exporter": exporters}
    return firms, tags


def load_named_firms():
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
    runde.tags.add(EnterpriseTag.objects.get(code="key-talent"))
    demo_user("runde", Role.ENTERPRISE, "润德 人事经理", enterprise=runde)
    demo_user("debao", Role.ENTERPRISE, "德宝 行政主管", enterprise=debao)
    return runde, debao


def load_registry():
    """The generated firms and their tags; creates only what is missing."""
    townships = list(Township.objects.order_by("sort_order"))
    firms, tags = generated_firms(townships)
    existing = set(Enterprise.objects.filter(credit_code__in=[f.credit_code for f in firms]).values_list("credit_code", flat=True))
    Enterprise.objects.bulk_create([f for f in firms if f.credit_code not in existing], batch_size=500)
    ids = dict(Enterprise.objects.filter(credit_code__in=[f.credit_code for f in firms]).values_list("credit_code", "pk"))
    tag_ids = dict(EnterpriseTag.objects.values_list("code", "pk"))
    Through = Enterprise.tags.through
    rows = [
        Through(enterprise_id=ids[f.credit_code], enterprisetag_id=tag_ids[code]) for code, members in tags.items() for f in members
    ]
    Through.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


@transaction.atomic
def load():
    for code, name in TAGS:
        EnterpriseTag.objects.update_or_create(code=code, defaults={"name": name})
    load_named_firms()
    load_registry()

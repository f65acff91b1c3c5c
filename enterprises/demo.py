"""Demo firms and the demo enterprise accounts.

The registry: the two named firms the other apps rely on (杭州润德车轮制造有限公司, 浙江德宝通讯科技股份有限公司 with
the accounts ``runde`` and ``debao``), plus about 4,000 generated firms across the 24 townships: exactly 558
above-scale industrial firms in all, about 2,800 SMEs and 700 individual businesses. Every generated firm is
derived from its serial number with a seeded random generator, so a second run finds every row by its credit
code and creates nothing.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enterprises.models import (
    DailyReport,
    Enterprise,
    EnterpriseTag,
    HealthCode,
    Industry,
    Pass,
    PassKind,
    PassStatus,
    ResumptionRequest,
    ResumptionStatus,
    Scale,
    VehicleType,
)
from fuyang_portal.demo import demo_user, make_credit_code, make_resident_id
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import Township, Transition, User
from fuyang_portal.roles import Role
from fuyang_portal.uploads import private_storage

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


# --- activity: resumption, reports, passes ----------------------------------------------------------------

BJ = ZoneInfo("Asia/Shanghai")
CONTEST_START = datetime.date(2020, 2, 3)
CONTEST_END = datetime.date(2020, 3, 8)
RESUMED_SHARE = {Scale.ABOVE_SCALE: 1.0, Scale.SME: 0.85, Scale.INDIVIDUAL: 0.70}
VEHICLE_PASS_TARGET = 320
EMPLOYEE_PASS_TARGET = 3560
PLAN_FILES = {
    "resumption_plan": ("demo/resumption-plan.pdf", "复工复产方案（示例）"),
    "prevention_plan": ("demo/prevention-plan.pdf", "疫情防控方案（示例）"),
}
RETURN_REASONS = [
    "疫情防控方案未明确隔离观察室位置，请补充。",
    "员工返岗名单缺少省外人员健康码信息。",
    "食堂未落实分餐错峰安排，请修改后重新提交。",
]
ORIGINS = [("341200", "安徽省阜阳市"), ("411500", "河南省信阳市"), ("360700", "江西省赣州市"), ("522400", "贵州省毕节市"),
           ("511300", "四川省南充市"), ("330183", "浙江省杭州市富阳区"), ("330127", "浙江省杭州市淳安县"), ("431000", "湖南省郴州市")]


def _demo_pdf(title):
    body = f"%PDF-1.4\n% {title}\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
    return ContentFile(body.encode("utf-8"))


def _plan_names():
    names = {}
    for field, (name, title) in PLAN_FILES.items():
        if not private_storage.exists(name):
            name = private_storage.save(name, _demo_pdf(title))
        names[field] = name
    return names


def _moment(rng, start, end, first_hour=8, last_hour=20):
    """A random Beijing-time moment between two dates, in working hours."""
    day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
    return datetime.datetime.combine(day, datetime.time(rng.randint(first_hour, last_hour - 1), rng.randint(0, 59)), tzinfo=BJ)


def _log(rows, obj_ct, pk, action, from_state, to_state, at, actor=None, comment=""):
    rows.append(
        Transition(content_type=obj_ct, object_id=str(pk), action=action, from_state=from_state, to_state=to_state, at=at, actor=actor, comment=comment)
    )


def load_resumption(firms, reviewers):
    """Approved requests for all above-scale firms and most others, plus requests in every other state."""
    if ResumptionRequest.objects.filter(enterprise__in=[f.pk for f in firms]).exists():
        return
    rng = random.Random(2020_02_10)
    plans = _plan_names()
    requests = []
    for firm in firms:
        staff = max(firm.registered_headcount, 1)
        outside = int(staff * rng.uniform(0.1, 0.45))
        common = dict(
            enterprise_id=firm.pk, staff_local=staff - outside, staff_outside=outside, masks=staff * rng.randint(6, 20),
            thermometers=max(1, staff // 40), disinfectant_litres=max(5, staff // 5), has_canteen=staff > 30,
            has_dormitory=staff > 80 and rng.random() < 0.6,
            site_arrangements="错峰就餐、分区作业、进厂测温登记" if staff > 30 else "进店测温、佩戴口罩、每日消毒",
            **plans,
        )
        if rng.random() < RESUMED_SHARE[firm.scale]:
            # Above-scale firms resumed early (the first two weeks), the others spread over the whole period.
            last = CONTEST_START + datetime.timedelta(days=20 if firm.scale == Scale.ABOVE_SCALE else 34)
            approved = _moment(rng, CONTEST_START, min(last, CONTEST_END))
            submitted = approved - datetime.timedelta(hours=rng.randint(3, 60))
            requests.append(ResumptionRequest(
                status=ResumptionStatus.APPROVED, planned_date=approved.date(), submitted_at=submitted, approved_at=approved,
                created_at=submitted - datetime.timedelta(hours=2), reviewed_by=reviewers.get(firm.township_id), **common,
            ))
            continue
        state = rng.choice([None, ResumptionStatus.DRAFT, ResumptionStatus.SUBMITTED, ResumptionStatus.RETURNED, ResumptionStatus.RESUBMITTED])
        if state is None:
            continue
        submitted = _moment(rng, CONTEST_END - datetime.timedelta(days=10), CONTEST_END)
        requests.append(ResumptionRequest(
            status=state, planned_date=submitted.date() + datetime.timedelta(days=rng.randint(2, 10)),
            submitted_at=None if state == ResumptionStatus.DRAFT else submitted,
            return_reason=rng.choice(RETURN_REASONS) if state in (ResumptionStatus.RETURNED, ResumptionStatus.RESUBMITTED) else "",
            created_at=submitted - datetime.timedelta(hours=5), **common,
        ))
    ResumptionRequest.objects.bulk_create(requests, batch_size=500)
    # The transition log, so every request's page shows its timeline.
    ct = ContentType.objects.get_for_model(ResumptionRequest)
    logs = []
    saved = ResumptionRequest.objects.filter(enterprise__in=[f.pk for f in firms]).values_list(
        "pk", "status", "created_at", "submitted_at", "approved_at", "return_reason", "enterprise__township_id"
    )
    for pk, status, created, submitted, approved, reason, township_id in saved:
        reviewer = reviewers.get(township_id)
        _log(logs, ct, pk, "create", "", ResumptionStatus.DRAFT, created)
        if status == ResumptionStatus.DRAFT:
            continue
        _log(logs, ct, pk, "submit", ResumptionStatus.DRAFT, ResumptionStatus.SUBMITTED, submitted)
        if status == ResumptionStatus.APPROVED:
            _log(logs, ct, pk, "approve", ResumptionStatus.SUBMITTED, ResumptionStatus.APPROVED, approved, reviewer)
        elif status in (ResumptionStatus.RETURNED, ResumptionStatus.RESUBMITTED):
            _log(logs, ct, pk, "return", ResumptionStatus.SUBMITTED, ResumptionStatus.RETURNED, submitted + datetime.timedelta(hours=20), reviewer, reason)
            if status == ResumptionStatus.RESUBMITTED:
                _log(logs, ct, pk, "resubmit", ResumptionStatus.RETURNED, ResumptionStatus.RESUBMITTED, submitted + datetime.timedelta(hours=30))
    Transition.objects.bulk_create(logs, batch_size=1000)


def load_reports(firms):
    """Daily reports over the contest for a sample of resumed firms, and the last two days for some of them."""
    if DailyReport.objects.filter(enterprise__in=[f.pk for f in firms]).exists():
        return
    rng = random.Random(2020_03_01)
    approved = dict(
        ResumptionRequest.objects.filter(status=ResumptionStatus.APPROVED, enterprise__in=[f.pk for f in firms]).values_list("enterprise_id", "approved_at")
    )
    resumed = [f for f in firms if f.pk in approved]
    sample = [f for f in resumed if f.scale == Scale.ABOVE_SCALE] + rng.sample([f for f in resumed if f.scale != Scale.ABOVE_SCALE], 150)
    today = timezone.localdate()
    reports = []
    for firm in sample:
        start = max(timezone.localtime(approved[firm.pk]).date() + datetime.timedelta(days=1), CONTEST_START)
        days = [start + datetime.timedelta(days=n) for n in range((CONTEST_END - start).days + 1)]
        if rng.random() < 0.6:
            days += [today - datetime.timedelta(days=1), today]
        for day in days:
            progress = min(1.0, 0.45 + 0.02 * (day - start).days) if day <= CONTEST_END else 0.97
            on_site = int(firm.registered_headcount * progress * rng.uniform(0.9, 1.0))
            reports.append(DailyReport(
                enterprise_id=firm.pk, date=day, staff_on_site=on_site, staff_away=firm.registered_headcount - on_site,
                capacity_percent=min(100, int(progress * 100 * rng.uniform(0.85, 1.05))),
            ))
    DailyReport.objects.bulk_create(reports, batch_size=1000)


def _plate(rng, used):
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    while True:
        if rng.random() < 0.15:
            plate = f"浙A{rng.choice('DF')}{rng.randint(10000, 99999)}"  # new-energy
        else:
            plate = f"浙A{rng.choice(letters)}{rng.randint(1000, 9999)}"
        if plate not in used:
            used.add(plate)
            return plate


def load_passes(key_talent, live_firm, reviewers):
    """300+ vehicle and 3,500+ employee passes for the key-talent firms, issued during the contest, and a few
    live passes (pending and issued, valid now) for the demo firm."""
    if Pass.objects.filter(enterprise__in=[f.pk for f in key_talent]).exists():
        return
    rng = random.Random(2020_02_20)
    used_plates, used_ids = set(Pass.objects.values_list("plate", flat=True)), set()
    passes = []
    vehicle_quota = _spread(VEHICLE_PASS_TARGET, len(key_talent))
    employee_quota = _spread(EMPLOYEE_PASS_TARGET, len(key_talent))
    serial = 0
    for firm, vehicles, employees in zip(key_talent, vehicle_quota, employee_quota):
        for _ in range(vehicles):
            applied = _moment(rng, CONTEST_START, CONTEST_END - datetime.timedelta(days=2))
            passes.append(_vehicle(rng, firm, _plate(rng, used_plates), applied, reviewers))
        for _ in range(employees):
            serial += 1
            applied = _moment(rng, CONTEST_START, CONTEST_END - datetime.timedelta(days=2))
            passes.append(_employee(rng, firm, serial, used_ids, applied, reviewers))
    # Live passes for the demo firm: issued and valid now, and some awaiting approval.
    now = timezone.now()
    for n in range(3):
        live = _vehicle(rng, live_firm, _plate(rng, used_plates), now - datetime.timedelta(hours=30 + n), reviewers, live=True)
        if n == 2:
            live.status, live.number, live.issued_at, live.issued_by = PassStatus.PENDING, None, None, None
        passes.append(live)
    for n in range(4):
        serial += 1
        live = _employee(rng, live_firm, serial, used_ids, now - datetime.timedelta(hours=6 + n), reviewers, live=True)
        if n >= 2:
            live.status, live.number, live.issued_at, live.issued_by = PassStatus.PENDING, None, None, None
        passes.append(live)
    Pass.objects.bulk_create(passes, batch_size=500)
    # Numbers derive from the row id, as the service gives them.
    ct = ContentType.objects.get_for_model(Pass)
    logs, numbered = [], []
    today = timezone.localdate()
    for p in Pass.objects.filter(enterprise__in=[f.pk for f in key_talent] + [live_firm.pk], status=PassStatus.ISSUED, number__startswith="TMP"):
        prefix = "V" if p.kind == PassKind.VEHICLE else "E"
        p.number = f"FY{prefix}{timezone.localtime(p.issued_at):%y%m%d}{p.pk:07d}"
        numbered.append(p)
        _log(logs, ct, p.pk, "issue", PassStatus.PENDING, PassStatus.ISSUED, p.issued_at, p.issued_by)
        if p.valid_until < today:
            # The 2020 passes have run out: expired the day after their validity, as the nightly sweep does.
            p.status = PassStatus.EXPIRED
            ended = datetime.datetime.combine(p.valid_until + datetime.timedelta(days=1), datetime.time(2, 0), tzinfo=BJ)
            _log(logs, ct, p.pk, "expire", PassStatus.ISSUED, PassStatus.EXPIRED, ended)
    Pass.objects.bulk_update(numbered, ["number", "status"], batch_size=500)
    Transition.objects.bulk_create(logs, batch_size=1000)


def _spread(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def _issued_fields(rng, firm, applied, reviewers, live):
    issued = applied + datetime.timedelta(hours=rng.uniform(1.5, 40))
    start = timezone.localtime(issued).date()
    return dict(
        enterprise_id=firm.pk, status=PassStatus.ISSUED, number=f"TMP{rng.getrandbits(60):x}"[:20], applied_at=applied, issued_at=issued,
        issued_by=reviewers.get(firm.township_id), valid_from=start,
        valid_until=start + datetime.timedelta(days=30 if live else rng.choice((30, 45, 60))),
    )


def _vehicle(rng, firm, plate, applied, reviewers, live=False):
    return Pass(
        kind=PassKind.VEHICLE, plate=plate, vehicle_type=rng.choice(VehicleType.values), driver_name=_person(rng),
        mobile=_mobile(rng), route=rng.choice(["富阳—杭州主城", "富阳—萧山机场", "富阳—桐庐", "厂区—东洲码头", "富阳—义乌"]),
        **_issued_fields(rng, firm, applied, reviewers, live),
    )


def _employee(rng, firm, serial, used_ids, applied, reviewers, live=False):
    while True:
        region, origin = rng.choice(ORIGINS)
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 37))
        number = make_resident_id(rng.randint(0, 999), region=region, birth=f"{birth:%Y%m%d}")
        if number not in used_ids:
            used_ids.add(number)
            break
    p = Pass(
        kind=PassKind.EMPLOYEE, holder_name=_person(rng), mobile=_mobile(rng), origin=origin, health_code=HealthCode.GREEN,
        **_issued_fields(rng, firm, applied, reviewers, live),
    )
    p.id_number = number
    p.id_number_hash = lookup_hash(number)
    return p


@transaction.atomic
def load():
    for code, name in TAGS:
        EnterpriseTag.objects.update_or_create(code=code, defaults={"name": name})
    runde, debao = load_named_firms()
    load_registry()
    firms = list(Enterprise.objects.only("pk", "scale", "township_id", "registered_headcount").order_by("pk"))
    reviewers = dict(
        User.objects.filter(role=Role.TOWNSHIP, username__in=("lushan", "fuchun")).values_list("township_id", "pk")
    )
    reviewers = {township: User(pk=pk) for township, pk in reviewers.items()}
    load_resumption(firms, reviewers)
    load_reports(firms)
    key_talent = list(Enterprise.objects.filter(tags__code="key-talent").order_by("pk"))
    load_passes(key_talent, runde, reviewers)

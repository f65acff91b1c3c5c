"""Demo firms, their accounts, and their resumption, daily reports and passes, as of Monday 24 February 2020
at 10:00 Beijing time.

The registry: the two named firms the other apps rely on (杭州润德车轮制造有限公司, 浙江德宝通讯科技股份有限公司 with
the accounts ``runde`` and ``debao``), plus about 4,000 generated firms across the 24 townships: exactly 558
above-scale industrial firms in all, about 2,800 SMEs and 700 individual businesses. Every generated firm is
derived from its serial number with a seeded random generator, so a second run finds every row by its credit
code and creates nothing.

Every row is written through enterprises.services by the story's people, at the story's time (``clock.at``):
the district office registers the firms on 3 February; each firm's own account (its user name is its credit
code) files and submits its request; the township's reviewer approves or returns it; firms report their
headcount; key-talent firms apply for passes and their township issues them. Zhejiang let firms resume from
24:00 on 9 February, and no firm here is flagged as an essential supplier, so no approval comes before
10 February. Notices of the story's past are not sent (``announce=False``).
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from enterprises import services
from enterprises.accounts import create_firm_accounts, ensure_firm_account
from enterprises.models import (
    DailyReport,
    Enterprise,
    EnterpriseTag,
    FirmAccount,
    HealthCode,
    Industry,
    Pass,
    PassKind,
    ResumptionRequest,
    ResumptionStatus,
    Scale,
    VehicleType,
)
from fuyang_portal import clock
from fuyang_portal.accounts import ensure_account
from fuyang_portal.demo import DEMO_PASSWORD, make_credit_code, make_mobile, make_person_name, make_resident_id
from fuyang_portal.models import Township, User
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


def _brand(rng):
    return rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _township_plan(rng, townships, count):
    """Spread ``count`` firms over the townships by weight."""
    names = [t.name for t in townships]
    return rng.choices(townships, weights=[TOWNSHIP_WEIGHT.get(n, 2) for n in names], k=count)


def generated_firms(townships):
    """The generated firms as field dicts (deterministic), with their tag codes (credit code lists)."""
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
            dict(
                name=name,
                credit_code=make_credit_code(SERIAL_BASE + i, entity="2" if scale == Scale.INDIVIDUAL else "1"),
                township=township,
                village=village,
                community=community,
                address=f"杭州市富阳区{township.name}{place}{rng.randint(1, 399)}号",
                industry=industry,
                scale=scale,
                legal_representative=make_person_name(rng),
                contact_mobile=make_mobile(rng),
                registered_headcount=headcount,
            )
        )
    # Tags: key-talent firms among the larger above-scale firms and the tech SMEs; phoenix (listing
    # pipeline) among above-scale firms; exporters among manufacturers.
    tag_rng = random.Random(2020_02_14)
    above = [f for f in firms if f["scale"] == Scale.ABOVE_SCALE]
    above_by_size = sorted(above, key=lambda f: -f["registered_headcount"])
    key_talent = above_by_size[: KEY_TALENT_COUNT - 10] + tag_rng.sample(
        [f for f in firms if f["scale"] == Scale.SME and f["industry"] in ("I", "M")], 10
    )
    phoenix = tag_rng.sample(above_by_size[:200], PHOENIX_COUNT)
    exporters = [
        f for f in firms if f["industry"] == Industry.C and f["scale"] != Scale.INDIVIDUAL and tag_rng.random() < EXPORTER_SHARE * 2
    ]
    tags = {"key-talent": key_talent, "phoenix": phoenix, "exporter": exporters}
    return firms, {code: [f["credit_code"] for f in members] for code, members in tags.items()}


BJ = ZoneInfo("Asia/Shanghai")
REGISTERED_AT = datetime.datetime(2020, 2, 3, 8, 30, tzinfo=BJ)  # the district office loads the registry
RESUMPTION_OPENS = datetime.datetime(2020, 2, 10, 0, 0, tzinfo=BJ)  # Zhejiang: from 24:00 on 9 February
STORY_NOW = datetime.datetime(2020, 2, 24, 10, 0, tzinfo=BJ)  # nothing in the demo happens after this
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


def _district_office():
    return User.objects.get(username="district")


def load_named_firms():
    lushan = Township.objects.get(name="鹿山街道")
    dongzhou = Township.objects.get(name="东洲街道")
    named = [
        dict(
            name="杭州润德车轮制造有限公司", credit_code=make_credit_code(1001), township=lushan,
            village=lushan.villages.order_by("code").first(), scale=Scale.ABOVE_SCALE, industry="C",
            legal_representative="蒋国华", contact_mobile="13905710018", registered_headcount=320,
            address="杭州市富阳区鹿山街道", tags=[EnterpriseTag.objects.get(code="key-talent")],
        ),
        dict(
            name="浙江德宝通讯科技股份有限公司", credit_code=make_credit_code(1002), township=dongzhou,
            village=dongzhou.villages.order_by("code").first(), scale=Scale.ABOVE_SCALE, industry="C",
            legal_representative="俞建平", contact_mobile="13905710028", registered_headcount=460,
            address="杭州市富阳区东洲街道", tags=[EnterpriseTag.objects.get(code="phoenix")],
        ),
    ]
    firms = []
    for data in named:
        firm = Enterprise.objects.filter(credit_code=data["credit_code"]).first()
        if firm is None:
            with clock.at(REGISTERED_AT):
                firm = services.register_firm(_district_office(), **data)
        firms.append(firm)
    runde, debao = firms
    with clock.at(REGISTERED_AT):
        ensure_firm_account("runde", runde, password=DEMO_PASSWORD, actor=_reviewer(lushan), full_name="润德 人事经理")
        ensure_firm_account("debao", debao, password=DEMO_PASSWORD, actor=_reviewer(dongzhou), full_name="德宝 行政主管")
    return runde, debao


def load_registry():
    """The generated firms and their tags, registered by the district office through the registry service;
    only the missing ones."""
    townships = list(Township.objects.order_by("sort_order"))
    firms, tags = generated_firms(townships)
    existing = set(Enterprise.objects.filter(credit_code__in=[f["credit_code"] for f in firms]).values_list("credit_code", flat=True))
    tag_ids = dict(EnterpriseTag.objects.values_list("code", "pk"))
    tagged = {}
    for code, members in tags.items():
        for credit_code in members:
            tagged.setdefault(credit_code, []).append(tag_ids[code])
    rows = [{**f, "tags": tagged.get(f["credit_code"], [])} for f in firms if f["credit_code"] not in existing]
    if rows:
        with clock.at(REGISTERED_AT):
            services.register_firms(_district_office(), rows)


# --- the story's people ---------------------------------------------------------------------------------------

_reviewers = {}


def _reviewer(township):
    """The township's reviewer: its staff account in the core demo, or its 复工专班 account."""
    if township.pk not in _reviewers:
        account = User.objects.filter(role=Role.TOWNSHIP, township=township, is_active=True).order_by("pk").first()
        if account is None:
            with clock.at(REGISTERED_AT):
                account = ensure_account(
                    f"review-{township.code}", Role.TOWNSHIP, actor=User.objects.filter(username="admin").first(),
                    full_name=f"{township.name} 复工专班", township=township,
                )
        _reviewers[township.pk] = account
    return _reviewers[township.pk]


def _firm_accounts(firms):
    """Each firm's account: the one it has, or one opened by its township when the firm first acts (at the
    clock's present moment; its user name is the firm's credit code)."""
    found = {}
    for link in FirmAccount.objects.filter(enterprise__in=[f.pk for f in firms]).select_related("user").order_by("pk"):
        found.setdefault(link.enterprise_id, link)
    missing = [firm for firm in firms if firm.pk not in found]
    by_township = {}
    for firm in missing:
        by_township.setdefault(firm.township_id, []).append(firm)
    opened = {}
    for group in by_township.values():
        rows = [(firm.credit_code, firm, f"{firm.name[:40]} 经办人") for firm in group]
        for firm, user in zip(group, create_firm_accounts(rows, actor=_reviewer(group[0].township))):
            opened[firm.pk] = user
    accounts = {}
    for firm in firms:
        link = found.get(firm.pk)
        if link is None:
            account = opened[firm.pk]
        else:
            account = link.user
            account.firm_account = link
        account.firm_account.enterprise = firm  # the services read the account's firm: no query per row
        accounts[firm.pk] = account
    return accounts


def _batches(items, key):
    """``items`` grouped by ``key(item)`` → (moment, ...) in time order: each group is one call to a service,
    at that moment."""
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return sorted(groups.items(), key=lambda pair: pair[0])


def _hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def _sittings(items, when, township):
    """``items`` grouped by township and day: the reviewer works through the day's queue, and the sitting's
    moment is that of its last item (so nothing is reviewed before it was filed)."""
    for (_day, _township), group in _batches(items, lambda item: (when(item).date(), township(item))):
        yield max(when(item) for item in group), group


# --- activity: resumption, reports, passes ----------------------------------------------------------------


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


def _story(moment):
    """Run as of ``moment``, never later than the story's present."""
    return clock.at(min(moment, STORY_NOW - datetime.timedelta(minutes=1)))


def _plan(firm, rng):
    """When each firm's request is filed, submitted, approved or returned: (state, times) or None."""
    if rng.random() < RESUMED_SHARE[firm.scale]:
        # Above-scale firms were approved in the first two weeks after the opening, the others until now.
        last = datetime.date(2020, 2, 21 if firm.scale == Scale.ABOVE_SCALE else 23)
        approved = _moment(rng, RESUMPTION_OPENS.date(), last)
        submitted = approved - datetime.timedelta(hours=rng.randint(3, 60))
        return ResumptionStatus.APPROVED, {"created": submitted - datetime.timedelta(hours=2), "submitted": submitted, "approved": approved}
    state = rng.choice([None, ResumptionStatus.DRAFT, ResumptionStatus.SUBMITTED, ResumptionStatus.RETURNED, ResumptionStatus.RESUBMITTED])
    if state is None:
        return None
    submitted = _moment(rng, datetime.date(2020, 2, 14), datetime.date(2020, 2, 22))
    return state, {
        "created": submitted - datetime.timedelta(hours=5),
        "submitted": submitted,
        "returned": submitted + datetime.timedelta(hours=20),
        "resubmitted": submitted + datetime.timedelta(hours=30),
    }


def load_resumption(firms):
    """Approved requests for all above-scale firms and most others, plus requests in every other state: each
    firm's account files and submits, its township's reviewer approves or returns, hour by hour."""
    if ResumptionRequest.objects.filter(enterprise__in=[f.pk for f in firms]).exists():
        return
    rng = random.Random(2020_02_10)
    plans = _plan_names()
    stories = []
    for firm in firms:
        staff = max(firm.registered_headcount, 1)
        outside = int(staff * rng.uniform(0.1, 0.45))
        figures = dict(
            staff_local=staff - outside, staff_outside=outside, masks=staff * rng.randint(6, 20),
            thermometers=max(1, staff // 40), disinfectant_litres=max(5, staff // 5), has_canteen=staff > 30,
            has_dormitory=staff > 80 and rng.random() < 0.6,
            site_arrangements="错峰就餐、分区作业、进厂测温登记" if staff > 30 else "进店测温、佩戴口罩、每日消毒",
            **plans,
        )
        planned = _plan(firm, rng)
        if planned is None:
            continue
        state, at = planned
        figures["planned_date"] = (at.get("approved") or at["submitted"] + datetime.timedelta(days=rng.randint(2, 10))).date()
        stories.append({"firm": firm, "state": state, "at": at, "figures": figures, "reason": rng.choice(RETURN_REASONS)})
    # The firms file their requests (opening their accounts as they first come), hour by hour.
    accounts = {}
    for moment, group in _batches(stories, lambda story: _hour(story["at"]["created"])):
        with _story(moment):
            accounts.update(_firm_accounts([story["firm"] for story in group]))
            filed = services.file_requests([(accounts[s["firm"].pk], s["firm"], s["figures"]) for s in group])
        for story, request in zip(group, filed):
            story["request"] = request
    submitted = [story for story in stories if story["state"] != ResumptionStatus.DRAFT]
    for moment, group in _batches(submitted, lambda story: _hour(story["at"]["submitted"])):
        with _story(moment):
            services.submit_resumptions([(story["request"], accounts[story["firm"].pk]) for story in group])
    # Each township's reviewer goes through the queue: approvals, and returns with a reason.
    approved = [story for story in submitted if story["state"] == ResumptionStatus.APPROVED]
    for moment, group in _sittings(approved, lambda story: story["at"]["approved"], lambda story: story["firm"].township_id):
        with _story(moment):
            services.approve_resumptions([story["request"] for story in group], _reviewer(group[0]["firm"].township))
    returned = [story for story in submitted if story["state"] in (ResumptionStatus.RETURNED, ResumptionStatus.RESUBMITTED)]
    for moment, group in _sittings(returned, lambda story: story["at"]["returned"], lambda story: story["firm"].township_id):
        with _story(moment):
            for reason, same in _batches(group, lambda story: story["reason"]):
                services.return_resumptions([story["request"] for story in same], _reviewer(group[0]["firm"].township), reason)
    resubmitted = [story for story in returned if story["state"] == ResumptionStatus.RESUBMITTED]
    for moment, group in _batches(resubmitted, lambda story: _hour(story["at"]["resubmitted"])):
        with _story(moment):
            requests = ResumptionRequest.objects.in_bulk([story["request"].pk for story in group])
            services.submit_resumptions([(requests[story["request"].pk], accounts[story["firm"].pk]) for story in group])


def load_reports(firms):
    """Daily reports from the day after approval to yesterday for a sample of resumed firms, and this
    morning's for most of them, each filed by the firm's account: the day's reports at the end of the day."""
    if DailyReport.objects.filter(enterprise__in=[f.pk for f in firms]).exists():
        return
    rng = random.Random(2020_03_01)
    approved = dict(
        ResumptionRequest.objects.filter(status=ResumptionStatus.APPROVED, enterprise__in=[f.pk for f in firms]).values_list("enterprise_id", "approved_at")
    )
    resumed = [f for f in firms if f.pk in approved]
    sample = [f for f in resumed if f.scale == Scale.ABOVE_SCALE] + rng.sample([f for f in resumed if f.scale != Scale.ABOVE_SCALE], 150)
    with _story(STORY_NOW):
        accounts = _firm_accounts(sample)
    today = STORY_NOW.date()
    reports = []
    for firm in sample:
        start = approved[firm.pk].astimezone(BJ).date() + datetime.timedelta(days=1)
        days = [start + datetime.timedelta(days=n) for n in range((today - start).days)]
        if rng.random() < 0.6:
            days.append(today)
        for day in days:
            progress = min(1.0, 0.45 + 0.04 * (day - start).days)
            on_site = int(firm.registered_headcount * progress * rng.uniform(0.9, 1.0))
            fields = dict(
                staff_on_site=on_site, staff_away=firm.registered_headcount - on_site,
                capacity_percent=min(100, int(progress * 100 * rng.uniform(0.85, 1.05))),
            )
            reports.append((day, firm, fields))
    for day, group in _batches(reports, lambda report: report[0]):
        # Yesterday's and earlier reports come in by the evening; this morning's by 09:00.
        moment = datetime.datetime.combine(day, datetime.time(9 if day == today else 18, 0), tzinfo=BJ)
        with _story(moment):
            services.file_reports([(accounts[firm.pk], firm, fields) for _day, firm, fields in group])


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


def _spread(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def _vehicle(rng, used_plates):
    return PassKind.VEHICLE, dict(
        plate=_plate(rng, used_plates), vehicle_type=rng.choice(VehicleType.values), driver_name=make_person_name(rng), mobile=make_mobile(rng),
        route=rng.choice(["富阳—杭州主城", "富阳—萧山机场", "富阳—桐庐", "厂区—东洲码头", "富阳—义乌"]),
    )


def _employee(rng, used_ids):
    while True:
        region, origin = rng.choice(ORIGINS)
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 37))
        number = make_resident_id(rng.randint(0, 999), region=region, birth=f"{birth:%Y%m%d}")
        if number not in used_ids:
            used_ids.add(number)
            break
    return PassKind.EMPLOYEE, dict(holder_name=make_person_name(rng), id_number=number, mobile=make_mobile(rng), origin=origin, health_code=HealthCode.GREEN)


def load_passes(key_talent, live_firm):
    """300+ vehicle and 3,500+ employee passes for the key-talent firms, applied for and issued since the
    opening, and a few live ones for the demo firm (issued this morning, and some awaiting approval). Firms
    apply hour by hour; each township's reviewer issues its queue."""
    if Pass.objects.filter(enterprise__in=[f.pk for f in key_talent]).exists():
        return
    rng = random.Random(2020_02_20)
    used_plates, used_ids = set(Pass.objects.values_list("plate", flat=True)), set()
    others = [f for f in key_talent if f.pk != live_firm.pk]
    with _story(RESUMPTION_OPENS.replace(hour=8)):
        accounts = _firm_accounts(key_talent)
    filings = []  # (applied, issued or None, firm, kind, fields, days)
    for firm, vehicles, employees in zip(others, _spread(VEHICLE_PASS_TARGET, len(others)), _spread(EMPLOYEE_PASS_TARGET, len(others))):
        for kind, fields in [_vehicle(rng, used_plates) for _ in range(vehicles)] + [_employee(rng, used_ids) for _ in range(employees)]:
            applied = _moment(rng, RESUMPTION_OPENS.date(), datetime.date(2020, 2, 21))
            issued = applied + datetime.timedelta(hours=rng.uniform(1.5, 40))
            filings.append((applied, issued, firm, kind, fields, rng.choice((30, 45, 60))))
    # The demo firm: two vehicles and two employees issued this morning, one vehicle and two employees pending.
    morning = STORY_NOW.replace(hour=7, minute=0)
    for n in range(3):
        kind, fields = _vehicle(rng, used_plates)
        filings.append((morning - datetime.timedelta(hours=20 + n), morning + datetime.timedelta(hours=1) if n < 2 else None, live_firm, kind, fields, 30))
    for n in range(4):
        kind, fields = _employee(rng, used_ids)
        filings.append((morning, morning + datetime.timedelta(hours=2) if n < 2 else None, live_firm, kind, fields, 30))
    passes = {}
    for moment, group in _batches(filings, lambda filing: _hour(filing[0])):
        with _story(moment):
            start = clock.today()
            items = [
                (accounts[firm.pk], firm, kind, {**fields, "valid_from": start, "valid_until": start + datetime.timedelta(days=days)})
                for _applied, _issued, firm, kind, fields, days in group
            ]
            for filing, pass_ in zip(group, services.apply_for_passes(items)):
                passes[id(filing)] = pass_
    issued = [filing for filing in filings if filing[1] is not None]
    for moment, group in _sittings(issued, lambda filing: filing[1], lambda filing: filing[2].township_id):
        with _story(moment):
            services.issue_passes([passes[id(filing)] for filing in group], _reviewer(group[0][2].township))


@transaction.atomic
def load():
    with clock.at(REGISTERED_AT):
        for code, name in TAGS:
            EnterpriseTag.objects.update_or_create(code=code, defaults={"name": name})
    _reviewers.clear()
    runde, debao = load_named_firms()
    load_registry()
    firms = list(Enterprise.objects.select_related("township").order_by("pk"))
    load_resumption(firms)
    load_reports(firms)
    key_talent = list(Enterprise.objects.filter(tags__code="key-talent").select_related("township").order_by("pk"))
    load_passes(key_talent, runde)

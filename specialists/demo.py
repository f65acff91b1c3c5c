"""Demo data for the specialists app, after the enterprises demo.

910 specialists (14 from each of the 65 agencies, each serving the township its agency is bound to) plus the
core demo account ``specialist``; every above-scale firm and most others assigned; visits to 3,169 distinct
firms; 421 tracked projects; problems in every state with 507 solved (resolved or confirmed), some overdue.
Timestamps fall between 2020-01-27 and 2020-03-15 (Beijing time). Built with bulk_create; idempotent
(a second run finds the specialists and stops).
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise, Scale
from fuyang_portal.demo import DEMO_PASSWORD
from fuyang_portal.models import Agency, Transition, User
from fuyang_portal.roles import Role
from specialists.models import (
    Assignment,
    Category,
    DeadlineRule,
    Problem,
    ServiceDomain,
    Specialist,
    TrackedProject,
    Visit,
)
from specialists.workdays import add_working_days

BJ = ZoneInfo("Asia/Shanghai")
START, END = date(2020, 1, 27), date(2020, 3, 15)
PER_AGENCY = 14
FIRMS_VISITED = 3169
PROJECTS = 421
# Problems by final state; resolved + confirmed = 507 solved.
STATES = {
    "raised": 38,
    "resolved": 64,
    "escalated": 22,
    "assigned": 24,
    "accepted": 31,
    "answered": 19,
    "confirmed_by_specialist": 301,
    "confirmed_by_agency": 142,
}
OTHER_COVERAGE = 0.9  # share of firms that are not above-scale with a specialist
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许邓冯韩曹曾彭蔡潘田董袁蒋章孔方俞"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚英华建国文斌红梅志鹏海燕晓东颖慧俊峰"
CATEGORY_AGENCY = {
    "funds": ["区金投集团", "区财政局", "区发改局"],
    "legal": ["区司法局", "区人民法院"],
    "labour": ["区人力社保局", "区总工会"],
    "supplies": ["区经信局", "区商务局", "区卫健局"],
    "logistics": ["区交通运输局", "区公安分局", "区交通集团"],
    "approvals": ["区行政审批局", "区规划资源分局", "区住建局"],
    "energy": ["富阳供电分公司", "区水务集团", "区经信局"],
    "other": ["区经信局", "区市场监管局", "区税务局"],
}
PROBLEM_TEXT = {
    "funds": ["复工后流动资金紧张，申请应急转贷", "希望协调银行续贷，避免抽贷", "申请防疫专项贴息贷款"],
    "legal": ["疫情导致订单无法按期交付，需合同违约法律咨询", "与外地供应商合同纠纷，需法律援助"],
    "labour": ["外地员工返岗困难，需协调包车", "招工缺口约 40 人，需对接招聘渠道", "员工社保缓缴政策咨询"],
    "supplies": ["口罩储备不足 3 天用量", "缺少测温枪和消毒液", "原材料供应商未复工，需协调调货"],
    "logistics": ["货车通行证办理", "物流车辆进出杭州受阻", "原料运输车辆需要绿色通道"],
    "approvals": ["技改项目环评审批进度慢", "新厂房施工许可办理", "复工备案材料审核"],
    "energy": ["生产线增容用电申请", "天然气供应压力不足", "厂区用水管网维修"],
    "other": ["防疫检查标准咨询", "希望协调园区食堂复开", "出口退税办理进度"],
}
NOTES = [
    "复工复产方案和防疫方案齐全，体温检测落实到位。",
    "员工返岗率约七成，防疫物资可维持一周。",
    "生产线已全部恢复，订单饱满。",
    "门岗登记、食堂错峰就餐已落实。",
    "外地员工隔离观察安排妥当。",
    "电话回访，企业反映运行正常。",
]
PROJECT_NAMES = ["智能化技改项目", "新厂房建设项目", "年产 {n} 万套生产线扩建", "研发中心建设", "数字化车间改造", "仓储物流中心"]
NEXT_STEPS = ["办理施工许可", "设备进场安装", "环评批复", "竣工验收", "试生产", "签订供电协议"]


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _moment(day, rng):
    return datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=BJ)


def _later(moment, rng, low, high):
    """A moment ``low``..``high`` days after ``moment``, never after the demo's last day."""
    candidate = moment + timedelta(days=rng.randint(low, high), hours=rng.randint(0, 4))
    last = datetime.combine(END, time(18, 0), tzinfo=BJ)
    return min(max(candidate, moment), last)


def load():
    if Specialist.objects.filter(user__username="zy0001").exists():
        return
    with transaction.atomic():
        _load(random.Random(2020_01_27))


def _load(rng):
    agencies = list(Agency.objects.select_related("paired_township").order_by("code"))
    by_name = {agency.name: agency for agency in agencies}
    domains = list(ServiceDomain.objects.order_by("sort_order"))
    district = User.objects.filter(role=Role.DISTRICT, username="district").first()
    password = make_password(DEMO_PASSWORD)

    # --- specialists: 14 per agency, serving the township their agency is bound to --------------------
    users = []
    serial = 0
    for agency in agencies:
        for _ in range(PER_AGENCY):
            serial += 1
            users.append(User(
                username=f"zy{serial:04d}", password=password, role=Role.SPECIALIST, agency=agency,
                full_name=_person(rng), mobile=f"13857{serial:06d}",
            ))
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.filter(username__startswith="zy", role=Role.SPECIALIST).order_by("username"))
    Specialist.objects.bulk_create(
        [Specialist(user=user, agency_id=user.agency_id, published_mobile=user.mobile, created_at=_moment(START, rng)) for user in users],
        batch_size=500,
    )
    demo_user = User.objects.filter(username="specialist").first()
    if demo_user is not None and not Specialist.objects.filter(user=demo_user).exists():
        Specialist.objects.create(user=demo_user, agency_id=demo_user.agency_id, published_mobile=demo_user.mobile or "13805710001")
    everyone = list(Specialist.objects.select_related("user", "agency__paired_township").order_by("pk"))
    # The demo account gets its own hand-picked firms below, not a share of the pool.
    specialists = [s for s in everyone if demo_user is None or s.user_id != demo_user.pk]
    township_ids = sorted({agency.paired_township_id for agency in agencies})
    Townships = Specialist.townships.through
    Domains = Specialist.domains.through
    township_rows, domain_rows = [], []
    pool = defaultdict(list)
    for specialist in everyone:
        served = {specialist.agency.paired_township_id}
        if rng.random() < 0.12:
            served.add(rng.choice(township_ids))
        for township_id in served:
            township_rows.append(Townships(specialist_id=specialist.pk, township_id=township_id))
            if specialist in specialists:
                pool[township_id].append(specialist)
        for domain in rng.sample(domains, rng.choice((2, 2, 3, 4))):
            domain_rows.append(Domains(specialist_id=specialist.pk, servicedomain_id=domain.pk))
    Townships.objects.bulk_create(township_rows, batch_size=1000, ignore_conflicts=True)
    Domains.objects.bulk_create(domain_rows, batch_size=1000, ignore_conflicts=True)

    # --- assignments: every above-scale firm, most others ---------------------------------------------
    firms = list(Enterprise.objects.only("pk", "scale", "township_id", "name").order_by("pk"))
    load_count = defaultdict(int)
    assignments = []
    firm_specialist = {}
    for firm in firms:
        if firm.scale != Scale.ABOVE_SCALE and rng.random() > OTHER_COVERAGE:
            continue
        candidates = pool.get(firm.township_id) or specialists
        specialist = min(rng.sample(candidates, min(3, len(candidates))), key=lambda s: load_count[s.pk])
        load_count[specialist.pk] += 1
        firm_specialist[firm.pk] = specialist
        starts = START + timedelta(days=rng.choice((0, 0, 0, 1, 2, 3)))
        assignments.append(Assignment(specialist=specialist, enterprise_id=firm.pk, starts_on=starts, created_by=district,
                                      created_at=_moment(starts, rng)))
    # The demo specialist serves the two named demo firms and a dozen firms of their agency's township.
    mine = next((s for s in everyone if demo_user is not None and s.user_id == demo_user.pk), None)
    if mine is not None:
        named = list(Enterprise.objects.filter(accounts__username__in=("runde", "debao")).distinct())
        local = [f for f in firms if f.township_id == mine.agency.paired_township_id][:12]
        for firm in {f.pk: f for f in named + local}.values():
            assignments.append(Assignment(specialist=mine, enterprise_id=firm.pk, starts_on=START, created_by=district,
                                          created_at=_moment(START, rng)))
            firm_specialist[firm.pk] = mine
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    starts_on = {a.enterprise_id: a.starts_on for a in assignments}

    # --- visits: 3,169 distinct firms, every above-scale one among them -------------------------------
    covered = [f for f in firms if f.pk in firm_specialist]
    above = [f for f in covered if f.scale == Scale.ABOVE_SCALE]
    others = [f for f in covered if f.scale != Scale.ABOVE_SCALE]
    named_pks = {f.pk for f in covered if mine is not None and firm_specialist[f.pk] is mine}
    must = above + [f for f in others if f.pk in named_pks]
    rest = [f for f in others if f.pk not in named_pks]
    visited = must + rng.sample(rest, FIRMS_VISITED - len(must))
    visits = []
    span = (END - START).days
    for firm in visited:
        first_day = starts_on[firm.pk]
        for _ in range(rng.choices((1, 2, 3), weights=(55, 30, 15))[0]):
            day = first_day + timedelta(days=rng.randint(0, (END - first_day).days))
            checks = rng.random()
            visits.append(Visit(
                specialist=firm_specialist[firm.pk], enterprise_id=firm.pk, visited_on=day,
                mode=rng.choices(("on_site", "phone", "wechat"), weights=(60, 25, 15))[0],
                checked_dual_plan=checks < 0.8, checked_supplies=checks < 0.7, checked_staff=checks < 0.6,
                checked_production=checks < 0.5, notes=rng.choice(NOTES), created_at=_moment(day, rng),
            ))
    assert span > 0
    Visit.objects.bulk_create(visits, batch_size=1000)
    visits = list(Visit.objects.filter(visited_on__range=(START, END)).only("pk", "enterprise_id", "specialist_id", "visited_on"))
    visits_by_firm = defaultdict(list)
    for visit in visits:
        visits_by_firm[visit.enterprise_id].append(visit)

    # --- tracked projects: 421 of the above-scale firms, with a visit each ----------------------------
    project_firms = rng.sample([f for f in above if visits_by_firm.get(f.pk)], PROJECTS)
    projects = [
        TrackedProject(
            specialist=firm_specialist[firm.pk], enterprise_id=firm.pk,
            name=rng.choice(PROJECT_NAMES).format(n=rng.choice((5, 10, 20, 50))),
            stage=rng.choice(TrackedProject.Stage.values), next_step=rng.choice(NEXT_STEPS),
            due_on=END + timedelta(days=rng.randint(-20, 60)), created_at=_moment(starts_on[firm.pk], rng),
        )
        for firm in project_firms
    ]
    TrackedProject.objects.bulk_create(projects, batch_size=500)
    linked = []
    for project in TrackedProject.objects.filter(enterprise_id__in=[f.pk for f in project_firms]).only("pk", "enterprise_id"):
        visit = visits_by_firm[project.enterprise_id][0]
        visit.project_id = project.pk
        linked.append(visit)
    Visit.objects.bulk_update(linked, ["project"], batch_size=500)

    _load_problems(rng, visits_by_firm, firm_specialist, by_name, district, mine)


def _load_problems(rng, visits_by_firm, firm_specialist, by_name, district, mine):
    rules = dict(DeadlineRule.objects.values_list("category", "working_days"))
    agency_clerks = {u.agency_id: u for u in User.objects.filter(role=Role.AGENCY).order_by("pk")}
    firm_accounts = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE).order_by("pk")}
    today = timezone.localdate()
    # The demo specialist's firms come first so the demo accounts have a problem in each state.
    firm_ids = sorted(
        (pk for pk in visits_by_firm if mine is not None and firm_specialist[pk] is mine), key=lambda pk: (pk not in firm_accounts, pk)
    )
    others = [pk for pk in visits_by_firm if pk not in set(firm_ids)]
    rng.shuffle(others)
    plan = [state for state, count in STATES.items() for _ in range(count)]
    rng.shuffle(plan)
    # Put one of each state first, for the demo specialist's firms (the two with demo accounts first).
    showcase = ["resolved", "answered", "raised", "escalated", "assigned", "accepted", "confirmed_by_specialist",
                "confirmed_by_agency"]
    named = [pk for pk in firm_ids if pk in firm_accounts] or firm_ids
    for index, state in enumerate(showcase):
        plan.remove(state)
        plan.insert(index, state)
    problems, logs = [], []
    near_deadlines = 0
    for index, final in enumerate(plan):
        if index < len(showcase) and named:
            firm_id = named[index % len(named)]
        elif index < 2 * len(showcase) and firm_ids:
            firm_id = firm_ids[index % len(firm_ids)]
        else:
            firm_id = others[index % len(others)]
        visit = rng.choice(visits_by_firm[firm_id])
        specialist = firm_specialist[firm_id]
        category = rng.choice(Category.values)
        raised = _moment(visit.visited_on, rng)
        p = Problem(
            enterprise_id=firm_id, specialist=specialist, visit_id=visit.pk, raised_by_id=specialist.user_id, raised_at=raised,
            category=category, description=rng.choice(PROBLEM_TEXT[category]),
            deadline=add_working_days(raised.astimezone(BJ).date(), rules.get(category, 5)),
        )
        steps = [("raise", "", "raised", raised, specialist.user_id, "")]
        firm_user = firm_accounts.get(firm_id)
        if final in ("resolved", "confirmed_by_specialist"):
            p.resolved_at = _later(raised, rng, 0, 4)
            p.resolution = "专员协调解决：" + rng.choice(("已对接供应商", "已联系银行", "已协助办理", "已现场指导"))
            p.on_time = p.resolved_at.astimezone(BJ).date() <= p.deadline
            p.status = "resolved"
            steps.append(("resolve", "raised", "resolved", p.resolved_at, specialist.user_id, p.resolution))
            if final == "confirmed_by_specialist":
                _confirm(p, rng, p.resolved_at, steps, "resolved", firm_user)
        elif final != "raised":
            p.escalated_at = _later(raised, rng, 0, 2)
            p.escalation_note = "超出专员协调能力，提请区服务企业办交办"
            p.status = "escalated"
            steps.append(("escalate", "raised", "escalated", p.escalated_at, specialist.user_id, p.escalation_note))
            if final == "escalated" and rng.random() < 0.3:
                p.return_reason = "该事项不属于本单位职责"
                steps.append(("assign", "escalated", "assigned", p.escalated_at, district.pk if district else None, ""))
                steps.append(("return", "assigned", "escalated", _later(p.escalated_at, rng, 0, 1), None, p.return_reason))
            if final != "escalated":
                names = [n for n in CATEGORY_AGENCY[category] if n in by_name] or list(by_name)
                agency = by_name[rng.choice(names)]
                p.agency = agency
                p.assigned_at = _later(p.escalated_at, rng, 0, 2)
                p.deadline = add_working_days(p.assigned_at.astimezone(BJ).date(), rules.get(category, 5))
                p.status = "assigned"
                steps.append(("assign", "escalated", "assigned", p.assigned_at, district.pk if district else None, agency.name))
                clerk = agency_clerks.get(agency.pk)
                if final != "assigned":
                    p.accepted_at = _later(p.assigned_at, rng, 0, 1)
                    p.status = "accepted"
                    steps.append(("accept", "assigned", "accepted", p.accepted_at, clerk.pk if clerk else None, ""))
                if final in ("answered", "confirmed_by_agency"):
                    p.answered_at = _later(p.accepted_at, rng, 1, 7)
                    p.answer = rng.choice(("已协调办结", "已出具书面答复", "已联合现场解决"))
                    p.answered_by = clerk
                    p.on_time = p.answered_at.astimezone(BJ).date() <= p.deadline
                    p.status = "answered"
                    steps.append(("answer", "accepted", "answered", p.answered_at, clerk.pk if clerk else None, p.answer))
                    if final == "confirmed_by_agency":
                        _confirm(p, rng, p.answered_at, steps, "answered", firm_user)
                if p.status in ("assigned", "accepted"):
                    if near_deadlines < 12:
                        # A few recent ones still running, due within days of the present: the deadline-risk list.
                        p.deadline = add_working_days(today, near_deadlines % 4)
                        p.extension, p.extension_days, p.extension_reason = "granted", 3, "需跨部门会商"
                        near_deadlines += 1
                    else:
                        p.overdue = True
        problems.append((p, steps))
    Problem.objects.bulk_create([p for p, _ in problems], batch_size=500)
    content_type = ContentType.objects.get_for_model(Problem)
    for p, steps in problems:
        for action, before, after, at, actor_id, comment in steps:
            logs.append(Transition(content_type=content_type, object_id=str(p.pk), action=action, from_state=before,
                                   to_state=after, at=at, actor_id=actor_id, comment=comment))
    Transition.objects.bulk_create(logs, batch_size=1000)


def _confirm(problem, rng, after, steps, before, firm_user):
    problem.closed_at = _later(after, rng, 0, 3)
    problem.rating = rng.choices((5, 4, 3, 2, 1), weights=(62, 24, 9, 3, 2))[0]
    problem.feedback = rng.choice(("", "服务及时", "很满意", "解决得很快"))
    problem.status = "confirmed"
    steps.append(("confirm", before, "confirmed", problem.closed_at, firm_user.pk if firm_user else None, problem.feedback))

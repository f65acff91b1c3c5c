"""Demo data for the specialists app, after the enterprises demo: the story of the service specialists up to
Monday 24 February 2020, 10:00 (Beijing time), built by calling the services as the story's people.

The district office appoints 911 specialists from the 65 agencies (14 each, plus the demo account
``specialist``) on 27 January and assigns them every above-scale firm and most others; the specialists visit
3,169 distinct firms, track 421 projects and raise the problems they find; they resolve some and escalate the
rest; the district office assigns (交办) those to agencies, whose staff accept and answer them (one agency
returns a few, some ask for more time); the firms' accounts confirm with a rating — 507 problems solved by the
story's moment, some assignments overdue. Every record is written inside ``clock.at(<story time>)`` by its
actor. Idempotent: a second run finds the specialists and stops.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from enterprises.accounts import create_firm_account, firm_users
from enterprises.models import Enterprise, Scale
from fuyang_portal import clock
from fuyang_portal.accounts import ensure_account
from fuyang_portal.demo import DEMO_PASSWORD, make_mobile, make_person_name
from fuyang_portal.models import Agency, User
from fuyang_portal.roles import Role
from specialists import services
from specialists.models import Category, Problem, ServiceDomain, Specialist, TrackedProject

BJ = ZoneInfo("Asia/Shanghai")
START = date(2020, 1, 27)
# The story stands at Monday 24 February 2020, 10:00: nothing is written after it.
NOW = datetime(2020, 2, 24, 10, 0, tzinfo=BJ)
LAST_VISIT_DAY = date(2020, 2, 23)
PER_AGENCY = 14
FIRMS_VISITED = 3169
PROJECTS = 421
# Problems by where they stand at the story's moment; resolved + confirmed = 507 solved.
STATES = {
    "raised": 38,
    "resolved": 64,
    "escalated": 22,
    "assigned": 24,
    "accepted": 31,
    "answered": 19,
    "confirmed_by_specialist": 301,
    "confirmed_by_agency": 142,
    # The loop (issue 18): with the township, returned and waiting for review, not accepted, merged duplicates.
    "township": 9,
    "returned": 5,
    "declined": 6,
    "merged": 4,
}
# How each agency works (the scorecard shows them apart): minutes to sign for, working days to answer.
PACE = {
    "prompt": {"sign": (15, 90), "answer": (1, 3), "co_share": 0.2},
    "steady": {"sign": (60, 300), "answer": (2, 5), "co_share": 0.2},
    "slow": {"sign": (900, 2900), "answer": (4, 9), "co_share": 0.2},
}
# Problems handled but not yet closed at the story's moment were handled in its last days (older ones the firm
# confirmed, the district office called back, or the sweep closed as 默认满意).
RECENT = timedelta(days=5)
OTHER_COVERAGE = 0.9  # share of firms that are not above-scale with a specialist
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


def _published_mobile(rng, used):
    """A specialist's published mobile: a real carrier prefix, one number per specialist."""
    number = make_mobile(rng)
    while number in used:
        number = make_mobile(rng)
    used.add(number)
    return number


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=BJ)


def _moment(day, rng, first=8, last=18):
    return min(_at(day, rng.randint(first, last), rng.randint(0, 59)), NOW - timedelta(minutes=30))


def _later(moment, rng, low, high):
    """A working-hours moment ``low``..``high`` days after ``moment``, never after the story's moment."""
    candidate = moment + timedelta(days=rng.randint(low, high), hours=rng.randint(1, 5))
    if candidate.astimezone(BJ).hour >= 20:
        candidate += timedelta(hours=13)
    return min(max(candidate, moment + timedelta(minutes=10)), NOW - timedelta(minutes=1))


def load():
    if Specialist.objects.filter(user__username="zy0001").exists():
        return
    with transaction.atomic():
        _load(random.Random(2020_01_27))


def _load(rng):
    district = User.objects.get(username="district")
    accounts = []  # demo accounts opened here: they get the demo password at the end
    specialists, mine = _appoint(rng, district, accounts)
    firm_specialist, starts_on = _assign(rng, district, specialists, mine)
    plan = _plan_problems(rng, firm_specialist, mine)
    problems = _visit(rng, firm_specialist, starts_on, mine, plan)
    _handle_problems(rng, district, problems, accounts)
    # The nightly sweep, every morning of the story: flags, reminders, 催办 and 督办 notices, 默认满意.
    day = START
    while day <= NOW.date():
        with clock.at(_at(day, 7, 0)):
            services.sweep_overdue()
        day += timedelta(days=1)
    # Demo accounts share one known password: hashed once, not once per account.
    User.objects.filter(pk__in=[user.pk for user in accounts]).update(password=make_password(DEMO_PASSWORD))


def _appoint(rng, district, accounts):
    """The district office appoints 14 specialists from each agency, serving the township the agency is bound
    to (some a second one too), and the demo account ``specialist``."""
    agencies = list(Agency.objects.select_related("paired_township").order_by("code"))
    domains = list(ServiceDomain.objects.order_by("sort_order"))
    township_ids = sorted({agency.paired_township_id for agency in agencies})

    def row(agency, **fields):
        served = {agency.paired_township_id}
        if rng.random() < 0.12:
            served.add(rng.choice(township_ids))
        return dict(agency=agency, domains=rng.sample(domains, rng.choice((2, 2, 3, 4))), townships=sorted(served), **fields)

    rows = []
    serial = 0
    mobiles = {"13805710001"}  # the demo account's
    for agency in agencies:
        for _ in range(PER_AGENCY):
            serial += 1
            rows.append(row(agency, username=f"zy{serial:04d}", full_name=make_person_name(rng), published_mobile=_published_mobile(rng, mobiles)))
    demo_user = User.objects.filter(username="specialist", role=Role.SPECIALIST).first()
    if demo_user is not None and not Specialist.objects.filter(user=demo_user).exists():
        rows.append(row(demo_user.agency, account=demo_user, published_mobile=demo_user.mobile or "13805710001"))
    with clock.at(_at(START, 9, 0)):
        appointed = services.appoint_specialists(district, rows, issue_passwords=False)
    accounts.extend(specialist.user for specialist, _password in appointed if specialist.user != demo_user)
    everyone = Specialist.objects.filter(pk__in=[s.pk for s, _p in appointed]).select_related("user", "agency").order_by("pk")
    specialists = [s for s in everyone if demo_user is None or s.user_id != demo_user.pk]
    mine = next((s for s in everyone if demo_user is not None and s.user_id == demo_user.pk), None)
    return specialists, mine


def _assign(rng, district, specialists, mine):
    """The district office assigns every above-scale firm and most others, each specialist's firms on one of
    the first days; the demo specialist gets the two demo firms and a dozen of their agency's township."""
    pool = defaultdict(list)
    for specialist in specialists:
        for township_id in specialist.townships.values_list("pk", flat=True):
            pool[township_id].append(specialist)
    firms = list(Enterprise.objects.only("pk", "name", "scale", "township_id").order_by("pk"))
    load_count = defaultdict(int)
    firm_specialist = {}
    for firm in firms:
        if firm.scale != Scale.ABOVE_SCALE and rng.random() > OTHER_COVERAGE:
            continue
        candidates = pool.get(firm.township_id) or specialists
        specialist = min(rng.sample(candidates, min(3, len(candidates))), key=lambda s: load_count[s.pk])
        load_count[specialist.pk] += 1
        firm_specialist[firm.pk] = specialist
    if mine is not None:
        named = [f for f in Enterprise.objects.filter(accounts__user__username__in=("runde", "debao")).distinct()]
        local = [f for f in firms if f.township_id == mine.agency.paired_township_id][:12]
        for firm in named + local:
            firm_specialist[firm.pk] = mine
    by_specialist = defaultdict(list)
    by_pk = {firm.pk: firm for firm in firms}
    for firm_id, specialist in firm_specialist.items():
        by_specialist[specialist.pk].append(by_pk[firm_id])
    everyone = {s.pk: s for s in specialists + ([mine] if mine else [])}
    starts_on = {}
    for specialist_id, its_firms in sorted(by_specialist.items()):
        day = START if everyone[specialist_id] is mine else START + timedelta(days=rng.choice((0, 0, 0, 1, 2, 3)))
        with clock.at(_moment(day, rng, 9, 11)):
            services.bulk_assign(district, everyone[specialist_id], its_firms, starts_on=day)
        starts_on.update({firm.pk: day for firm in its_firms})
    return firm_specialist, starts_on


def _plan_problems(rng, firm_specialist, mine):
    """Which firm each problem is found at, and where it stands at the story's moment. The demo specialist's
    firms (the two demo firms first) get one problem in each state."""
    firm_ids = sorted(pk for pk, s in firm_specialist.items() if mine is not None and s is mine)
    with_account = set(Enterprise.objects.filter(pk__in=firm_ids, accounts__isnull=False).values_list("pk", flat=True))
    firm_ids.sort(key=lambda pk: (pk not in with_account, pk))
    others = sorted(pk for pk in firm_specialist if pk not in set(firm_ids))
    rng.shuffle(others)
    plan = [state for state, count in STATES.items() for _ in range(count)]
    rng.shuffle(plan)
    showcase = ["resolved", "answered", "raised", "escalated", "assigned", "accepted", "confirmed_by_specialist",
                "confirmed_by_agency"]
    for index, state in enumerate(showcase):
        plan.remove(state)
        plan.insert(index, state)
    named = [pk for pk in firm_ids if pk in with_account] or firm_ids
    planned = []
    for index, final in enumerate(plan):
        if index < len(showcase) and named:
            firm_id = named[index % len(named)]
        elif index < 2 * len(showcase) and firm_ids:
            firm_id = firm_ids[index % len(firm_ids)]
        else:
            firm_id = others[index % len(others)]
        category = rng.choice(Category.values)
        planned.append({"firm": firm_id, "final": final, "category": category, "description": rng.choice(PROBLEM_TEXT[category])})
    # A duplicate is raised again at the firm of a problem still open (raised, with the specialist), same category.
    open_items = [item for item in planned if item["final"] == "raised"]
    for index, item in enumerate(i for i in planned if i["final"] == "merged"):
        original = open_items[index % len(open_items)]
        item.update(firm=original["firm"], category=original["category"], description=original["description"] + "（重复反映）")
    return planned


def _visit(rng, firm_specialist, starts_on, mine, plan):
    """The specialists visit 3,169 distinct firms (every above-scale one among them), open a tracked project at
    421 above-scale firms, and log their visits: a visit where problems were found that evening, with the
    problems; the others in the week's visit log on Sunday evening. Returns the problems raised, with their plan."""
    firms = {f.pk: f for f in Enterprise.objects.filter(pk__in=list(firm_specialist)).only("pk", "name", "scale", "township_id")}
    covered = sorted(firms)
    above = [pk for pk in covered if firms[pk].scale == Scale.ABOVE_SCALE]
    planned_firms = {item["firm"] for item in plan}
    must = sorted(set(above) | planned_firms | {pk for pk in covered if firm_specialist[pk] is mine})
    rest = [pk for pk in covered if pk not in set(must)]
    visited = must + rng.sample(rest, FIRMS_VISITED - len(must))
    project_firms = set(rng.sample(above, PROJECTS))
    # The problems of a firm are found at its first visit, so that their story has time to unfold.
    found_at_first_visit = defaultdict(list)
    for item in plan:
        found_at_first_visit[item["firm"]].append(item)
    raised = []
    rounds = defaultdict(list)
    for firm_id in visited:
        firm, specialist = firms[firm_id], firm_specialist[firm_id]
        first_day = starts_on[firm_id]
        count = rng.choices((1, 2, 3), weights=(55, 30, 15))[0]
        span = (LAST_VISIT_DAY - first_day).days
        days = sorted(first_day + timedelta(days=rng.randint(0, span // (2 if found_at_first_visit[firm_id] else 1)))
                      for _ in range(count))
        project = None
        if firm_id in project_firms:
            with clock.at(_moment(days[0], rng, 8, 9)):
                project = services.save_project(specialist.user, TrackedProject(
                    enterprise=firm, name=rng.choice(PROJECT_NAMES).format(n=rng.choice((5, 10, 20, 50))),
                    stage=rng.choice(TrackedProject.Stage.values), next_step=rng.choice(NEXT_STEPS),
                    due_on=NOW.date() + timedelta(days=rng.randint(-10, 60)),
                ))
        for number, day in enumerate(days):
            checks = rng.random()
            entry = dict(
                enterprise=firm, visited_on=day, mode=rng.choices(("on_site", "phone", "wechat"), weights=(60, 25, 15))[0],
                checks=[name for name, share in zip(services.CHECKS, (0.8, 0.7, 0.6, 0.5)) if checks < share],
                notes=rng.choice(NOTES), project=project if number == 0 else None,
            )
            items = found_at_first_visit[firm_id] if number == 0 else []
            if items:
                # Problems found: logged that evening, the problems raised with the visit.
                with clock.at(_moment(day, rng, 17, 20)):
                    _visit_row, problems = services.log_visit(
                        specialist.user, problems=[{"category": i["category"], "description": i["description"]} for i in items],
                        **entry,
                    )
                raised.extend(zip(problems, items))
            else:
                # The rest of the week's round goes into the specialist's visit log on Sunday evening.
                sunday = min(day + timedelta(days=6 - day.weekday()), LAST_VISIT_DAY)
                rounds[(specialist.pk, sunday)].append(entry)
    users = {specialist.pk: specialist.user for specialist in firm_specialist.values()}
    for (specialist_id, sunday), entries in sorted(rounds.items()):
        with clock.at(_at(sunday, 20, rng.randint(0, 59))):
            services.log_visits(users[specialist_id], entries)
    return raised


def _clerks(district, accounts):
    """One member of staff per agency answers its assignments (the demo's own accounts where they exist)."""
    clerks = {}
    for user in User.objects.filter(role=Role.AGENCY, is_active=True).order_by("pk"):
        clerks.setdefault(user.agency_id, user)
    names = {name for names in CATEGORY_AGENCY.values() for name in names}
    with clock.at(_at(START, 9, 30)):
        for agency in Agency.objects.filter(name__in=names).order_by("code"):
            if agency.pk not in clerks:
                clerks[agency.pk] = ensure_account(
                    f"ag{agency.code.lower()}", Role.AGENCY, actor=district, agency=agency, full_name=f"{agency.name} 联络员"
                )
                accounts.append(clerks[agency.pk])
    return clerks


def _firm_account(firm, district, accounts, moment):
    """The firm's account that confirms: its own, or one the district office opens for it."""
    user = firm_users(firm).order_by("pk").first()
    if user is None:
        with clock.at(moment):
            user = create_firm_account(username=firm.credit_code.lower(), enterprise=firm, actor=district,
                                       full_name=f"{firm.name} 联络员")
        accounts.append(user)
    return user


def _paces(rng, agencies):
    names = sorted({n for names in CATEGORY_AGENCY.values() for n in names if n in agencies})
    # Deterministic spread: a third prompt, a third steady, a third slow.
    order = rng.sample(names, len(names))
    kinds = ("prompt", "steady", "slow")
    return {agencies[name].pk: PACE[kinds[index % 3]] for index, name in enumerate(order)}


def _minutes_later(moment, low, high, rng):
    return min(moment + timedelta(minutes=rng.randint(low, high)), NOW - timedelta(minutes=2))


def _handle_problems(rng, district, raised, accounts):
    """Each problem's story from its raising to where it stands at the story's moment, step by step, each step
    by its actor at its time. Agencies work at their own pace (PACE), some problems are co-handled, a few
    returned (reviewed by the district office), some called back (回访), a few left to the sweep's 默认满意."""
    clerks = _clerks(district, accounts)
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    pace = _paces(rng, agencies)
    townships = _township_staff(district, accounts)
    extensions = 0
    merges = []
    for problem, item in raised:
        final = item["final"]
        specialist = problem.specialist.user
        moment = problem.raised_at
        if final == "raised":
            continue
        if final == "merged":
            merges.append(problem)
            continue
        if final == "township":
            with clock.at(_later(moment, rng, 0, 1)):
                services.refer_to_township(problem, specialist, "请镇街先行协调")
            continue
        if final in ("resolved", "confirmed_by_specialist"):
            moment = _later(moment, rng, 0, 4)
            if final == "resolved":
                moment = max(moment, NOW - RECENT + timedelta(hours=rng.randint(0, 90)))
                moment = min(moment, NOW - timedelta(minutes=5))
            township = townships.get(problem.enterprise.township_id)
            if township is not None and rng.random() < 0.15:
                # First handling at the township: it solves it there.
                with clock.at(max(problem.raised_at + timedelta(minutes=5), moment - timedelta(hours=3))):
                    services.refer_to_township(problem, specialist, "请镇街协调")
                with clock.at(moment):
                    services.township_resolve(problem, township, "镇街协调解决：" + rng.choice(("已对接供应商", "已现场指导")))
            else:
                with clock.at(moment):
                    services.resolve(problem, specialist, "专员协调解决：" + rng.choice(("已对接供应商", "已联系银行", "已协助办理", "已现场指导")))
            if final == "confirmed_by_specialist":
                _close(rng, problem, district, accounts, moment)
            continue
        moment = _later(moment, rng, 0, 2)
        with clock.at(moment):
            services.escalate(problem, specialist, "超出专员协调能力，提请区服务企业办交办")
        names = [n for n in CATEGORY_AGENCY[problem.category] if n in agencies]
        if final == "declined":
            with clock.at(_later(moment, rng, 0, 1)):
                services.decline(problem, district, "属于企业内部经营或司法程序事项，不予受理，已告知企业相关渠道")
            continue
        if final == "returned":
            # Assigned to an agency that returns it: not theirs; it waits for the district office's review.
            agency = agencies[rng.choice(names)]
            moment = _later(moment, rng, 0, 1)
            with clock.at(moment):
                services.assign(problem, district, agency)
            with clock.at(_minutes_later(moment, 30, 600, rng)):
                services.return_to_district(problem, clerks[agency.pk], "该事项不属于本单位职责")
            continue
        if final == "escalated":
            continue  # waiting for the district office's triage
        agency = agencies[rng.choice(names)]
        speed = pace[agency.pk]
        clerk = clerks[agency.pk]
        others = [agencies[n] for n in names if agencies[n] != agency]
        co = [rng.choice(others)] if others and rng.random() < speed["co_share"] else []
        moment = _later(moment, rng, 0, 2)
        with clock.at(moment):
            services.assign(problem, district, agency, co_agencies=co)
        if final == "assigned":
            continue
        if rng.random() < 0.06:
            # Returned, and the district office overrules it: back to the same agency, the clock running on.
            moment = _minutes_later(moment, 20, 240, rng)
            with clock.at(moment):
                services.return_to_district(problem, clerk, "建议由其他部门牵头")
            moment = _minutes_later(moment, 30, 300, rng)
            with clock.at(moment):
                services.review_return(problem, district, False, comment="经核实属于贵单位职责，请按时办理")
        moment = _minutes_later(moment, *speed["sign"], rng)
        with clock.at(moment):
            services.accept(problem, clerk)
        parts = list(problem.parts.select_related("agency"))
        if final == "accepted":
            if extensions < 12:
                # A few ask for more time: the district office grants most, one waits for its decision.
                extensions += 1
                moment = _later(moment, rng, 0, 1)
                with clock.at(moment):
                    services.request_extension(problem, clerk, 3, "需跨部门会商")
                if extensions % 4:
                    with clock.at(_later(moment, rng, 0, 1)):
                        services.decide_extension(problem, district, True, "同意延期")
            continue
        answer_at = _later(moment, rng, *speed["answer"])
        if final == "answered":
            answer_at = min(max(answer_at, NOW - RECENT + timedelta(hours=rng.randint(0, 90))), NOW - timedelta(minutes=5))
        for part in parts:
            part_clerk = clerks.get(part.agency_id)
            if part_clerk is None:
                continue
            with clock.at(_minutes_later(moment, 10, 240, rng)):
                services.accept_part(part, part_clerk)
            with clock.at(max(moment + timedelta(minutes=250), answer_at - timedelta(hours=2))):
                services.answer_part(part, part_clerk, "协办部分已落实")
        with clock.at(answer_at):
            services.answer(problem, clerk, rng.choice(("已协调办结", "已出具书面答复", "已联合现场解决")))
        if final == "confirmed_by_agency":
            _close(rng, problem, district, accounts, answer_at, clerk=clerk)
    for problem in merges:
        original = (
            Problem.objects.filter(enterprise_id=problem.enterprise_id, status=Problem.Status.RAISED)
            .exclude(pk=problem.pk).order_by("raised_at").first()
        )
        if original is not None:
            with clock.at(_later(problem.raised_at, rng, 0, 1)):
                services.merge(problem, problem.specialist.user, original, "同一事项重复反映")


def _township_staff(district, accounts):
    """One member of staff per township handles what specialists refer to it (the demo's own accounts first)."""
    staff = {}
    for user in User.objects.filter(role=Role.TOWNSHIP, is_active=True).order_by("pk"):
        staff.setdefault(user.township_id, user)
    return staff


def _close(rng, problem, district, accounts, after, clerk=None):
    """How a handled problem closed: mostly the firm confirms and rates it; some the district office calls back
    (one in six of those dissatisfied: back to the agency, answered again, then confirmed); some, handled long
    enough ago, the firm never answered and the sweep closes as 默认满意."""
    roll = rng.random()
    old_enough = after < NOW - timedelta(days=12)
    if roll < 0.12 and old_enough:
        return  # silent firm: closed by the morning sweep (默认满意)
    if roll < 0.35:
        moment = _later(after, rng, 1, 3)
        if clerk is not None and rng.random() < 0.15 and moment < NOW - timedelta(days=3):
            with clock.at(moment):
                services.record_callback(problem, district, True, "dissatisfied", "企业反映问题仍未彻底解决")
            moment = _later(moment, rng, 1, 2)
            with clock.at(moment):
                services.answer(problem, clerk, "已再次协调，问题解决")
            moment = _later(moment, rng, 0, 1)
        with clock.at(moment):
            if rng.random() < 0.1:
                services.record_callback(problem, district, False, comment="电话无人接听")
            services.record_callback(problem, district, True, rng.choice(("satisfied", "satisfied", "basic")), "")
        return
    _confirm(rng, problem, district, accounts, after)


def _confirm(rng, problem, district, accounts, after):
    moment = _later(after, rng, 0, 3)
    firm_user = _firm_account(problem.enterprise, district, accounts, after)
    with clock.at(moment):
        # Ratings of 1 or 2 reopen the problem (issue 18): the firms that closed their problems rated 3 to 5.
        services.confirm(problem, firm_user, rng.choices((5, 4, 3), weights=(62, 24, 14))[0],
                         rng.choice(("", "服务及时", "很满意", "解决得很快")))

"""Demo of the townships' programmes as they stand on Monday 24 February 2020, 10:00, from the report:

- 新登镇 turned the 10 indicators into a 23-item work list (checkpoints, information reporting, inspection and
  supervision, service innovation), each item with a responsible unit and person; 党员代购 and 服务驿站. The
  district office inspected the items each week: most passed, some had problems to rectify.
- 春江街道 opened a 24-hour guidance hotline (every hour of every day since 3 February, with its calls), arranged
  1,159 temporary lodgings (occupied by registered returning workers), ran 23 car runs for 86 people (20+ for
  80+) and gave 600 free health-check vouchers to returning workers, redeemed at the two clinics it named.

Every row is written through ``programmes.services`` (and the subsidies and specialists apps' services) by the
people of the story at the time of the story. Running the demo twice changes nothing.
"""

import random
import struct
import zlib
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise
from fuyang_portal import clock, policy
from fuyang_portal.accounts import ensure_account
from fuyang_portal.demo import DEMO_PASSWORD, make_mobile, make_person_name, make_resident_id, township_account
from fuyang_portal.models import Township, User
from fuyang_portal.roles import Role
from programmes import services
from programmes.models import Category, Finding, HealthVoucher, HotlineCall, Lodging, Topic, WorkList

XINDENG, CHUNJIANG = "新登镇", "春江街道"
WORK_LIST_TITLE = "新登镇疫情防控和复工复产23条工作清单"
LODGINGS, VOUCHERS = 1159, 600
FIRST_DAY = date(2020, 2, 3)  # the contest's first week; the hotline opened that morning
MONDAY = date(2020, 2, 24)

C, R, I, N = Category.CHECKPOINT, Category.REPORTING, Category.INSPECTION, Category.INNOVATION
# The 23 items: (category, indicator, task, responsible unit, responsible person's account, deadline)
ITEMS = [
    (C, "epidemic-prevention", "320国道新登入口卡点24小时值守，体温检测、信息登记全覆盖", "镇综合执法队", "xd-zf", date(2020, 2, 7)),
    (C, "epidemic-prevention", "高速新登出口卡点与交警联勤，外地车辆逐车登记", "镇派出所", "xd-pcs", date(2020, 2, 7)),
    (C, "epidemic-prevention", "26个行政村村口卡点设置与轮班表", "镇农办", "xd-nb", date(2020, 2, 10)),
    (C, "pass-issue-hours", "企业员工通行证、车辆通行证当日审核发放", "镇经济发展办", "xd-jf", date(2020, 2, 12)),
    (C, "staff-return", "返岗员工卡点核验健康码、分流至企业或临时住所", "镇社会事务办", "xd-sw", date(2020, 2, 14)),
    (C, "epidemic-prevention", "农贸市场、超市出入口测温扫码", "镇市场监管所", "xd-sj", date(2020, 2, 14)),
    (R, "resumption", "规上工业企业复工申请每日汇总上报", "镇经济发展办", "xd-jf", date(2020, 2, 10)),
    (R, "staff-return", "企业到岗人数、外地返岗人员每日报表", "镇社会事务办", "xd-sw", date(2020, 2, 12)),
    (R, "epidemic-prevention", "居家观察人员名单每日更新并上报区指挥部", "镇卫生院", "xd-wsy", date(2020, 2, 10)),
    (R, "above-scale-resumption", "规上企业复工率、产能恢复率周报", "镇经济发展办", "xd-jf", date(2020, 2, 21)),
    (R, "problems-closed", "企业诉求台账每日更新，办结情况周报", "镇党政办", "xd-dz", date(2020, 2, 21)),
    (I, "epidemic-prevention", "复工企业防疫方案现场核查（每企必查）", "镇安监站", "xd-aj", date(2020, 2, 17)),
    (I, "epidemic-prevention", "企业食堂、宿舍防疫措施督查", "镇市场监管所", "xd-sj", date(2020, 2, 19)),
    (I, "epidemic-prevention", "村（社区）卡点值守情况夜间抽查", "镇纪委", "xd-jw", date(2020, 2, 21)),
    (I, "visits-per-firm", "服务专员走访企业情况周督查", "镇党政办", "xd-dz", date(2020, 2, 21)),
    (I, "on-time-closure", "诉求办理超期预警与督办", "镇纪委", "xd-jw", date(2020, 2, 26)),
    (I, "satisfaction", "企业满意度电话回访", "镇党政办", "xd-dz", date(2020, 2, 28)),
    (N, "satisfaction", "党员代购：为居家观察户和企业代购生活、防疫物资", "镇组织办", "xd-zz", date(2020, 2, 14)),
    (N, "resumption", "服务驿站：在工业功能区设立3个服务驿站", "镇经济发展办", "xd-jf", date(2020, 2, 17)),
    (N, "staff-return", "与用工企业对接，组织返岗员工集中接送", "镇社会事务办", "xd-sw", date(2020, 2, 21)),
    (N, "pass-issue-hours", "通行证网上申领、驿站代办", "镇经济发展办", "xd-jf", date(2020, 2, 26)),
    (N, "problems-closed", "“企业服务码”诉求一键直达服务专员", "镇党政办", "xd-dz", date(2020, 2, 28)),
    (N, "visits-per-firm", "联企干部“一企一策”帮扶清单", "镇组织办", "xd-zz", date(2020, 3, 6)),
]
# The units' responsible people (新登镇's cadres): account → name.
PEOPLE = {
    "xd-zf": "执法队 张建国", "xd-pcs": "派出所 吴伟", "xd-nb": "农办 许海东", "xd-jf": "经发办 章丽", "xd-sw": "社会事务办 俞芳",
    "xd-sj": "市场监管所 钱斌", "xd-wsy": "卫生院 沈敏", "xd-dz": "党政办 方志强", "xd-aj": "安监站 叶涛", "xd-jw": "纪委 金勇",
    "xd-zz": "组织办 姚婷",
}
# The district office's inspections: (item no., day, points, days to rectify, rectified after (days) or None, text)
INSPECTIONS = [
    (1, date(2020, 2, 8), 0, None, None, ""),
    (2, date(2020, 2, 8), 0, None, None, ""),
    (3, date(2020, 2, 11), 2, 3, 2, "部分村口卡点夜间无人值守"),
    (6, date(2020, 2, 15), 0, None, None, ""),
    (7, date(2020, 2, 11), 0, None, None, ""),
    (9, date(2020, 2, 12), 3, 2, 4, "居家观察名单与卫健系统数据不一致"),
    (4, date(2020, 2, 14), 0, None, None, ""),
    (12, date(2020, 2, 18), 2, 4, 3, "两家企业防疫方案未落实到车间"),
    (13, date(2020, 2, 20), 3, 3, None, "一家企业宿舍超员，未设隔离观察间"),
    (18, date(2020, 2, 18), 0, None, None, ""),
    (19, date(2020, 2, 20), 0, None, None, ""),
    (14, date(2020, 2, 22), 1, 5, None, "个别卡点登记表填写不全"),
    (5, date(2020, 2, 21), 0, None, None, ""),
]
# Which items are done (and when, days after the list was made) and which are in progress on Monday.
DONE = {1: 4, 2: 4, 3: 9, 4: 8, 5: 10, 6: 10, 7: 6, 8: 8, 9: 9, 10: 17, 12: 14, 18: 10, 19: 13}
IN_PROGRESS = {11, 13, 14, 15, 16, 20, 21}


def small_png(width=48, height=32, colour=(64, 128, 96)):
    """A real (decodable) PNG of one colour: the demo's stand-in for a photo from the checkpoint."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = small_png()

STATIONS = [
    ("新登工业功能区服务驿站", "新登镇工业功能区管委会一楼", "07:30-20:00", "通行证代办、防疫物资领取、企业诉求受理"),
    ("新登镇区服务驿站", "新登镇便民服务中心", "08:00-18:00", "党员代购接单、居家观察户物资配送"),
    ("松溪村服务驿站", "松溪村文化礼堂", "08:00-17:00", "村民代购、返岗人员登记"),
]
TOPICS = [Topic.RESUMPTION, Topic.PASSES, Topic.PREVENTION, Topic.WORKERS, Topic.LABOUR, Topic.POLICY, Topic.OTHER]
QUESTIONS = {
    Topic.RESUMPTION: ("复工申请提交后多久审核？需要哪些材料？", "两方案齐全即可网上提交，镇里当天审核。"),
    Topic.PASSES: ("外地员工的通行证怎么办理？", "企业在平台上申请员工通行证，审核后打印或出示二维码。"),
    Topic.PREVENTION: ("车间需要配备哪些防疫物资？", "按防疫方案配备测温枪、口罩、消毒液，设隔离观察间。"),
    Topic.WORKERS: ("返岗员工暂时没有住处怎么办？", "街道协调临时住所，登记后安排入住，满14天观察期。"),
    Topic.LABOUR: ("企业缺工，能否帮忙招人？", "已登记用工需求，对接劳务协作地区。"),
    Topic.POLICY: ("包车接员工的费用补助怎么申请？", "行程结束后在平台提交发票，补助包车费用的50%。"),
    Topic.OTHER: ("口罩哪里能买到？", "可到服务驿站预约登记。"),
}
# Every unit the contest ranks keeps a standing list of its front-line duties, which the district office's inspectors
# check each Thursday (新登镇 is inspected on its own 23 items above). (category, indicator, task, responsible unit)
STANDING_ITEMS = {
    "township": [
        (C, "epidemic-prevention", "主要道口卡点24小时值守，体温检测、信息登记全覆盖", "综合执法队"),
        (R, "resumption", "企业复工申请、到岗人数每日汇总上报", "经济发展办"),
        (I, "epidemic-prevention", "复工企业防疫方案现场核查", "安监站"),
    ],
    "community": [(C, "epidemic-prevention", "小区出入口管控，返岗人员登记和居家观察", "社区居委会")],
    "village": [(C, "epidemic-prevention", "村口卡点值守，外来和返岗人员登记", "村委会")],
}
STANDING_TITLE = "疫情防控和复工复产工作清单"
ROUND_WEEKS = [date(2020, 2, 3), date(2020, 2, 10), date(2020, 2, 17)]
PROBLEMS_FOUND = ["卡点夜间值守人员不足", "登记信息不全", "测温记录缺失", "防疫物资储备不足", "返岗人员健康码未逐一核验"]
CLINICS = [("春江街道社区卫生服务中心", "春江街道江滨大道", "0571-63320000"), ("富阳区第二人民医院体检中心", "春江街道", "0571-63321111")]


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load():
    if WorkList.objects.filter(title=WORK_LIST_TITLE).exists():
        return
    with transaction.atomic():
        _load()


def _load():
    district = User.objects.filter(username="district").first() or ensure_account(
        "district", Role.DISTRICT, password=DEMO_PASSWORD, full_name="区服务企业办 王主任")
    xindeng, chunjiang = Township.objects.get(name=XINDENG), Township.objects.get(name=CHUNJIANG)
    admin = User.objects.filter(username="admin").first()
    with clock.at(at(FIRST_DAY - timedelta(days=1), 9)):
        cadre_xd = ensure_account("xindeng", Role.TOWNSHIP, password=DEMO_PASSWORD, actor=admin, full_name="新登镇 何副镇长", township=xindeng)
        # The units' people sign in with a password they set themselves (a reset); the demo signs in as "xindeng".
        people = {
            username: ensure_account(username, Role.TOWNSHIP, actor=admin, full_name=name, township=xindeng)
            for username, name in PEOPLE.items()
        }
        cadre_cj = ensure_account("chunjiang", Role.TOWNSHIP, password=DEMO_PASSWORD, actor=admin, full_name="春江街道 楼科长", township=chunjiang)
    _xindeng(district, cadre_xd, people)
    _chunjiang(district, cadre_cj, chunjiang)
    _inspection_rounds(district, xindeng)


# --- 新登镇 ----------------------------------------------------------------------------------------------------


def _xindeng(district, cadre, people):
    made = FIRST_DAY
    with clock.at(at(made, 9)):
        work_list = services.create_work_list(cadre, title=WORK_LIST_TITLE)
        items = services.add_items(cadre, work_list, [
            dict(number=n, category=category, indicator_code=code, title=title, responsible_unit=unit,
                 responsible_person=people[person], deadline=deadline)
            for n, (category, code, title, unit, person, deadline) in enumerate(ITEMS, start=1)
        ])
    by_number = {item.number: item for item in items}
    # Progress reports, with a photo from the checkpoint, in the order they happened.
    events = []
    for number, days in DONE.items():
        events.append((made + timedelta(days=max(1, days - 2)), 10, number, False))
        events.append((made + timedelta(days=days), 16, number, True))
    for number in IN_PROGRESS:
        events.append((made + timedelta(days=5 + number % 9), 11, number, False))
    for day, hour, number, done in sorted(events):
        item = by_number[number]
        with clock.at(at(day, hour)):
            photo = ContentFile(PNG, name=f"xd-{number}-{day:%m%d}.png")
            note = "已完成，现场照片见附件。" if done else "按计划推进，已落实人员和物资。"
            services.report_progress(item, item.responsible_person, note=note, photo=photo, done=done)
    # The district office's inspections and re-inspections.
    for number, day, points, days, rectified_after, text in INSPECTIONS:
        problems = points > 0
        with clock.at(at(day, 15)):
            finding = services.inspect_item(
                by_number[number], district, outcome=Finding.Outcome.PROBLEMS if problems else Finding.Outcome.PASSED, points=points,
                description=text, rectify_by=day + timedelta(days=days) if problems else None,
            )
        if rectified_after is not None:
            with clock.at(at(day + timedelta(days=rectified_after), 16)):
                services.rectify_finding(finding, district, "复查：已整改到位。")
    # 服务驿站 and 党员代购.
    with clock.at(at(date(2020, 2, 6), 9)):
        stations = [services.open_station(cadre, name=n, place=p, hours=h, services=s) for n, p, h, s in STATIONS]
    firms = list(Enterprise.objects.filter(township=cadre.township).order_by("credit_code")[:6])
    runners = ["党员 孙国平", "党员 蒋丽华", "党员 何建新", "党员 周晓燕"]
    goods = ["口罩200只、消毒液10瓶", "大米、食用油、蔬菜", "测温枪2把、酒精5瓶", "药品（降压药）", "婴儿奶粉2罐"]
    for n in range(18):
        day = date(2020, 2, 7) + timedelta(days=n % 17)
        firm = firms[n % len(firms)] if n % 3 == 0 and firms else None
        with clock.at(at(day, 14)):
            services.log_shopping_run(
                cadre, run_date=day, station=stations[n % len(stations)], for_enterprise=firm,
                for_household="" if firm else f"居家观察户 {'松溪紫溪双江塔山'[n % 4 * 2:n % 4 * 2 + 2]}村{n + 3}号",
                items=goods[n % len(goods)], runner=runners[n % len(runners)],
            )


# --- 春江街道 --------------------------------------------------------------------------------------------------


def _chunjiang(district, cadre, township):
    _hotline(cadre, township)
    workers = _workers(township, VOUCHERS)
    _lodgings(cadre, workers)
    _vouchers(cadre, township, workers)
    _car_runs(cadre)


def _hotline(cadre, township):
    """24 hours a day since 3 February; 62 calls, most answered on the call, some followed up, three became
    problems raised by the firm's service specialist."""
    day = FIRST_DAY
    while day < MONDAY:
        with clock.at(at(day + timedelta(days=1), 8, 30)):
            services.set_coverage(cadre, day=day, hours=24, staff=3 if day.weekday() < 5 else 2, note="三班轮值")
        day += timedelta(days=1)
    rng = random.Random("chunjiang-hotline")
    firms = list(Enterprise.objects.filter(township=township).order_by("credit_code")[:120])
    calls = []
    for n in range(62):
        received = at(FIRST_DAY + timedelta(days=n * 20 // 62), (7 + n * 5) % 24, (n * 13) % 60)
        topic = TOPICS[n % len(TOPICS)]
        question, answer = QUESTIONS[topic]
        firm = firms[n % len(firms)] if firms and n % 4 else None
        follow = n % 9 == 4
        with clock.at(received + timedelta(minutes=5)):
            call = services.log_call(
                cadre, received_at=received, caller_enterprise=firm, caller_name=make_person_name(rng), caller_mobile=make_mobile(rng),
                topic=topic, question=question, answer="" if follow else answer, follow_up="需协调相关部门后回复" if follow else "",
            )
        calls.append(call)
        if follow and n % 2 == 0:
            with clock.at(received + timedelta(hours=3 + n % 30)):
                services.close_follow_up(call, cadre, answer)
    # Three follow-ups of firms become problems, raised by the firm's specialist.
    from specialists.models import Problem, Specialist

    raised = 0
    for call in calls:
        if raised >= 3 or call.status != HotlineCall.Status.FOLLOW_UP or call.caller_enterprise_id is None:
            continue
        with clock.at(call.received_at + timedelta(hours=2)):
            specialist = next(
                (s.user for s in Specialist.objects.filter(active=True, assignments__enterprise=call.caller_enterprise).select_related("user")
                 if policy.can(s.user, "create", Problem(enterprise=call.caller_enterprise))), None)
            if specialist is None:
                continue
            services.raise_problem_from_call(call, specialist, category=_problem_category(), description="")
            raised += 1


def _problem_category():
    from specialists.models import Category as ProblemCategory

    return ProblemCategory.LOGISTICS


def _workers(township, count):
    """The returning workers of 春江's firms registered for their return (来富工作一点通): those already registered
    by the charter programme and more on the public form, to ``count``."""
    from subsidies import regions, services as subsidies
    from subsidies.models import HealthCode, TravelMode, WorkerRegistration

    have = list(WorkerRegistration.objects.filter(enterprise__township=township).order_by("return_date", "pk"))
    firms = list(Enterprise.objects.filter(township=township).order_by("credit_code")[:80])
    counties = ["520322", "511623", "411625", "341221", "361128", "430524", "500236", "620523"]
    modes = [TravelMode.TRAIN, TravelMode.SELF_DRIVE, TravelMode.COACH]
    for n in range(count - len(have)):
        rng = random.Random(f"chunjiang-worker-{n}")
        county = counties[n % len(counties)]
        returned = date(2020, 2, 10) + timedelta(days=n % 13)
        with clock.at(at(returned - timedelta(days=2), 8 + n % 12, n % 60)):
            have.append(subsidies.register_worker(
                enterprise=firms[n % len(firms)], actor=None, name=make_person_name(rng),
                id_number=make_resident_id(7000 + n, region=county, birth=f"{1960 + n % 12}{n % 12 + 1:02d}{n % 27 + 1:02d}"),
                mobile=make_mobile(rng), origin_province=regions.province_of(county), origin_county=county, return_date=returned,
                travel_mode=modes[n % len(modes)], health_code=HealthCode.GREEN,
            ))
    return have[:count]


def _lodgings(cadre, workers):
    """1,159 lodgings: hotel rooms, factory dormitory rooms and requisitioned flats; workers without a home in
    Fuyang stay there for their 14-day observation."""
    rows = []
    for n in range(LODGINGS):
        if n < 320:
            rows.append(dict(name=f"春江宾馆 {2 + n // 40}{n % 40 + 1:02d}室", kind=Lodging.Kind.HOTEL, capacity=2, address="春江街道江滨路"))
        elif n < 900:
            k = n - 320
            rows.append(dict(name=f"春江工业区集体宿舍 {k // 58 + 1}号楼{k % 58 + 101}室", kind=Lodging.Kind.DORMITORY, capacity=4,
                             address="春江街道工业功能区"))
        else:
            k = n - 900
            rows.append(dict(name=f"征用安置房 {k // 30 + 1}幢{k % 30 + 1}号", kind=Lodging.Kind.REQUISITIONED, capacity=3,
                             address="春江街道安置小区"))
    with clock.at(at(date(2020, 2, 8), 10)):
        lodgings = services.add_lodgings(cadre, rows)
    # Two workers to a hotel room on the day they came back; those back before 10 February have left.
    staying = [w for w in workers if date(2020, 2, 10) <= w.return_date < MONDAY][:240]
    for index in range(0, len(staying), 2):
        pair = staying[index:index + 2]
        day = max(w.return_date for w in pair)
        with clock.at(at(day, 18)):
            stays = services.check_in_many(cadre, lodgings[index // 2], pair, day)
        if day + timedelta(days=14) <= date(2020, 2, 23):
            for stay in stays:
                with clock.at(at(stay.observation_end, 10)):
                    services.check_out(stay, cadre, stay.observation_end)


def _vouchers(cadre, township, workers):
    """600 free health-check vouchers for the returning workers (新春江人), a third redeemed at the two clinics."""
    with clock.at(at(date(2020, 2, 9), 9)):
        clinics = [services.add_clinic(cadre, name=n, address=a, phone=p) for n, a, p in CLINICS]
        accounts = [
            services.ensure_clinic_account(f"clinic{i + 1}" if i else "clinic", clinic, actor=cadre, password=DEMO_PASSWORD,
                                           full_name=f"{clinic.name} 体检科")
            for i, clinic in enumerate(clinics)
        ]
    batches = {}
    for worker in workers:
        # On the day the worker is back (those expected after the weekend got theirs on Sunday).
        batches.setdefault(min(max(worker.return_date, date(2020, 2, 10)), MONDAY - timedelta(days=1)), []).append(worker)
    vouchers = []
    for day in sorted(batches):
        with clock.at(at(day, 17)):
            vouchers += services.issue_vouchers(cadre, batches[day], expires_on=date(2020, 4, 30))
    for n, voucher in enumerate(vouchers[::3]):
        day = timezone.localtime(voucher.issued_at).date() + timedelta(days=1 + n % 4)
        if day >= MONDAY:
            continue
        with clock.at(at(day, 9 + n % 8, n % 60)):
            services.redeem_voucher(HealthVoucher.objects.get(pk=voucher.pk), accounts[n % len(accounts)])


def _car_runs(cadre):
    """23 runs of the street's car for 86 people: from the railway and coach stations to the firms and lodgings."""
    places = [("杭州东站", "春江工业功能区"), ("富阳客运中心", "春江宾馆"), ("杭州南站", "春江工业区集体宿舍"), ("萧山机场", "春江街道安置小区")]
    people = [3, 4, 5, 3, 4, 2, 6, 4, 3, 5, 4, 3, 4, 2, 5, 4, 3, 4, 5, 3, 4, 3, 3]
    drivers = ["楼师傅", "章师傅", "何师傅"]
    for n, count in enumerate(people):
        day = date(2020, 2, 10) + timedelta(days=n * 13 // len(people))
        origin, destination = places[n % len(places)]
        with clock.at(at(day, 20)):
            services.log_car_run(cadre, run_date=day, origin=origin, destination=destination, people=count, driver=drivers[n % 3],
                                 plate=f"浙A{31250 + n * 7}", note="接返岗员工")


# --- the district office's weekly inspection round (督查) -------------------------------------------------------


def _standing_lists(district, skip_township):
    """Each township's, community group's and village's standing list, made by the township before the first week."""
    items = []
    with clock.at(at(FIRST_DAY - timedelta(days=1), 10)):
        for township in Township.objects.order_by("sort_order"):
            cadre = township_account(township, district)
            units = [("community", {"community": c}) for c in township.communities.filter(group__isnull=False).order_by("pk")]
            units += [("village", {"village": v}) for v in township.villages.order_by("code")]
            if township != skip_township:
                units.insert(0, ("township", {}))
            for kind, place in units:
                work_list = services.create_work_list(cadre, title=STANDING_TITLE, **place)
                items += services.add_items(cadre, work_list, [
                    dict(category=category, indicator_code=code, title=title, responsible_unit=unit, responsible_person=cadre,
                         deadline=FIRST_DAY + timedelta(days=4))
                    for category, code, title, unit in STANDING_ITEMS[kind]
                ])
    return items


def _finding_for(item, week_number):
    """Deterministic per item and week: most pass, fewer problems each week, a lagging sixth keep having them."""
    rng = random.Random(f"inspection:{item.pk}:{week_number}")
    lagging = random.Random(f"lagging:{item.work_list_id}").random() < 0.16
    if rng.random() >= (0.6 if lagging else 0.3 - 0.1 * week_number):
        return 0, None
    points = min(10, rng.randint(1, 3) + (3 if lagging else 0))
    # Rectified within the three days allowed, late (day 5), or, for a lagging unit, not yet.
    rectified_after = rng.choice([2, 2, 5, None] if lagging else [1, 2, 2, 5])
    return points, rectified_after


def _standing_progress(items):
    """The units report their standing items done: most on time (by the 7th), some a week late, a lagging few not yet."""
    for item in items:
        rng = random.Random(f"progress:{item.pk}")
        lagging = random.Random(f"lagging:{item.work_list_id}").random() < 0.16
        draw = rng.random()
        if lagging and draw < 0.5:
            continue
        day = item.deadline - timedelta(days=rng.randint(0, 2)) if draw < 0.8 else item.deadline + timedelta(days=rng.randint(3, 8))
        with clock.at(at(day, 17)):
            services.report_progress(item, item.responsible_person, note="已落实，值守表和登记台账已建立。", done=True)


def _inspection_rounds(district, skip_township):
    items = _standing_lists(district, skip_township)
    _standing_progress(items)
    rectifications = []
    for week_number, monday in enumerate(ROUND_WEEKS):
        day = monday + timedelta(days=3)
        with clock.at(at(day, 15)):
            for item in items:
                points, rectified_after = _finding_for(item, week_number)
                finding = services.inspect_item(
                    item, district, outcome=Finding.Outcome.PROBLEMS if points else Finding.Outcome.PASSED, points=points,
                    description=PROBLEMS_FOUND[item.pk % len(PROBLEMS_FOUND)] if points else "",
                    rectify_by=day + timedelta(days=3) if points else None,
                )
                if points and rectified_after is not None and day + timedelta(days=rectified_after) < MONDAY:
                    rectifications.append((day + timedelta(days=rectified_after), finding))
    for day, finding in sorted(rectifications, key=lambda pair: (pair[0], pair[1].pk)):
        with clock.at(at(day, 16)):
            services.rectify_finding(finding, district, "复查：已整改到位。")

"""Demo of labour matching, after the enterprises, specialists and subsidies demos: 场口镇 facing the 用工荒 in
February 2020, as the report tells it. Its specialists collected each firm's hiring needs point to point
(点对点了解企业用工信息) on Saturday 15 February; the township published them that afternoon (第一时间发布);
the labour offices of the paired counties 锦屏 (Guizhou, East–West cooperation) and 缙云 (Lishui, mountain–sea
cooperation) referred workers from Sunday on. By Monday 24 February 10:00 the firms have accepted most, declined
a few, 缙云's workers came by coach or car and most are hired, 锦屏's first group came by train, and its
second group is on a charter bus that left 锦屏 that morning (a trip planned through the subsidies app, which
will feed the 50% charter subsidy once it arrives). One more need, posted on Sunday 23rd, awaits publication.

Every row is written by the services as the story's people at the story's times: the specialists (or the
firms' HR when no specialist serves them), 场口镇's reviewer, the counties' labour offices, the firms' HR.
Running the demo twice changes nothing.
"""

import random
from datetime import date, datetime, time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from enterprises.accounts import ensure_firm_account, firm_users
from enterprises.models import Enterprise, Scale
from fuyang_portal import clock
from fuyang_portal.demo import DEMO_PASSWORD, make_mobile, make_person_name, make_resident_id, township_account
from fuyang_portal.models import Township, User
from fuyang_portal.roles import Role
from labour import services
from labour.models import Candidate, PartnerCounty, Trade, Vacancy
from subsidies.models import HealthCode, TravelMode

TOWNSHIP = "场口镇"
COUNTIES = [
    # (name, GB/T 2260 code, pairing, the labour office's demo account, its name)
    ("锦屏县", "522628", "东西部扶贫协作（贵州黔东南）", "jinping", "锦屏县人社局 劳务办 龙主任"),
    ("缙云县", "331122", "山海协作（丽水）", "jinyun", "缙云县人社局 就业科 李科长"),
]

# The needs the specialists collected on 15 February: (firm index, position, trade, headcount, wage range,
# housing, meals, start day in February, skills).
NEEDS = [
    (0, "普工", Trade.GENERAL, 30, (4500, 6000), True, True, 17, "身体健康，能适应两班倒"),
    (0, "叉车工", Trade.FORKLIFT, 4, (5500, 7000), True, True, 17, "持叉车证"),
    (1, "缝纫工", Trade.SEWING, 25, (4800, 7500), True, True, 18, "会平车，计件工资"),
    (2, "操作工", Trade.OPERATOR, 20, (5000, 6500), True, True, 18, "初中以上文化"),
    (3, "电焊工", Trade.WELDER, 6, (6500, 8500), True, False, 19, "持焊工证，二保焊"),
    (4, "质检员", Trade.INSPECTOR, 5, (4500, 5500), False, True, 20, "高中以上，会看图纸"),
]
# Posted on Sunday 23 February, awaiting 场口镇's review on Monday morning.
LATE_NEED = (5, "仓管员", Trade.WAREHOUSE, 3, (4200, 5000), True, True, 24, "会用电脑，熟悉进销存")

# The counties' lists: (county index, need index, referred on (day, hour), how many, travel mode,
# earliest travel day, what became of them: a list of outcomes in order).
#   outcomes: "hired" / "arrived" (arrived, not yet signed) / "train" (came by train, arrived) / "bus" (on the
#   charter bus of 24 February) / "accepted" (travelling later) / "declined" / "no_show" / "waiting" (still referred)
LISTS = [
    (1, 0, (16, 10), 10, TravelMode.COACH, 17, ["hired"] * 8 + ["arrived", "no_show"]),
    (1, 2, (16, 15), 8, TravelMode.SELF_DRIVE, 18, ["hired"] * 6 + ["declined", "arrived"]),
    (1, 3, (17, 9), 7, TravelMode.COACH, 18, ["hired"] * 5 + ["arrived", "waiting"]),
    (0, 0, (17, 11), 16, TravelMode.CHARTER, 20, ["train"] * 4 + ["bus"] * 10 + ["declined", "waiting"]),
    (0, 2, (18, 10), 12, TravelMode.CHARTER, 20, ["train"] * 3 + ["bus"] * 7 + ["declined", "waiting"]),
    (0, 3, (18, 16), 8, TravelMode.CHARTER, 21, ["bus"] * 6 + ["waiting"] * 2),
    (0, 4, (19, 10), 3, TravelMode.TRAIN, 21, ["train", "accepted", "declined"]),
    (1, 5, (20, 9), 4, TravelMode.SELF_DRIVE, 21, ["hired", "hired", "arrived", "waiting"]),
]
DECLINE_REASONS = ["试岗后不适应两班倒", "无相关工作经验", "无焊工证"]
NO_SHOW_REASON = "出发前电话联系不上，本人放弃"
# The charter bus from 锦屏 leaves on the morning of the story's Monday; planned the afternoon before.
BUS_PLANNED = (23, 15)
BUS_LEAVES = date(2020, 2, 24)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(date(2020, 2, day), time(hour, minute)))


def _firms(township):
    """场口镇's manufacturers that told the specialists of a need: above-scale ones first."""
    firms = Enterprise.objects.filter(township=township, industry="C").order_by("-scale", "credit_code")
    chosen = list(firms.filter(scale=Scale.ABOVE_SCALE)[:6])
    if len(chosen) < 6:
        chosen += list(firms.exclude(pk__in=[f.pk for f in chosen])[: 6 - len(chosen)])
    return chosen


def _specialist(firm, day):
    """A specialist serving the firm on ``day``, who collects its need (None: the firm posts it itself)."""
    users = User.objects.filter(role=Role.SPECIALIST, is_active=True, pk__in=Enterprise.objects.filter(
        pk=firm.pk, specialist_assignments__starts_on__lte=day).values("specialist_assignments__specialist__user_id"))
    return users.order_by("pk").first()


def load():
    if PartnerCounty.objects.filter(region_code=COUNTIES[0][1]).exists() and Vacancy.objects.exists():
        return
    with transaction.atomic():
        _load(random.Random(2020_02_15))


def _load(rng):
    district = User.objects.get(username="district")
    township = Township.objects.get(name=TOWNSHIP)
    opened = []
    # The district office keeps the partner list and opens the labour offices' accounts before the story.
    with clock.at(at(14, 16)):
        counties, offices = [], []
        for name, code, pairing, username, full_name in COUNTIES:
            county = services.ensure_partner_county(name, code, actor=district, pairing=pairing)
            counties.append(county)
            offices.append(services.ensure_county_account(username, county, actor=district, full_name=full_name))
        opened += offices
        reviewer = township_account(township, district, password=None)
        opened.append(reviewer)
        firms = _firms(township)
        hr = {}
        for n, firm in enumerate(firms):
            hr[firm.pk] = firm_users(firm).order_by("pk").first() or ensure_firm_account(
                f"labour{n + 1:02d}", firm, actor=district, full_name=f"{firm.name[:30]} 人事"
            )
            opened.append(hr[firm.pk])
    vacancies = []
    for index, (firm_index, position, trade, count, (low, high), housing, meals, start, skills) in enumerate(NEEDS):
        firm = firms[firm_index]
        moment = at(15, 9 + index // 3, 10 * (index % 3))
        poster = _specialist(firm, moment.date()) or hr[firm.pk]
        with clock.at(moment):
            vacancy = services.post_vacancy(
                actor=poster, enterprise=firm, submit=True, position=position, trade=trade, headcount=count, skills=skills, wage_min=low,
                wage_max=high, housing=housing, meals=meals, start_date=date(2020, 2, start), contact_name=make_person_name(rng)[:1] + "经理",
                contact_mobile=make_mobile(rng),
            )
        with clock.at(at(15, 14, index)):
            services.publish_vacancy(vacancy, actor=reviewer, comment="已在短信、微信群、镇公众号发布")
        vacancies.append(vacancy)
    firm_index, position, trade, count, (low, high), housing, meals, start, skills = LATE_NEED
    with clock.at(at(23, 17)):
        firm = firms[firm_index]
        services.post_vacancy(
            actor=_specialist(firm, date(2020, 2, 23)) or hr[firm.pk], enterprise=firm, submit=True, position=position, trade=trade,
            headcount=count, skills=skills, wage_min=low, wage_max=high, housing=housing, meals=meals, start_date=date(2020, 2, start),
            contact_name=make_person_name(rng)[:1] + "主管", contact_mobile=make_mobile(rng),
        )
    serial = 0
    bus, declines = [], 0
    for county_index, need, (day, hour), count, mode, travel_day, outcomes in LISTS:
        county, office, vacancy = counties[county_index], offices[county_index], vacancies[need]
        rows = []
        for k in range(count):
            serial += 1
            person = random.Random(f"labour-{serial}")
            rows.append({
                "name": make_person_name(person),
                "id_number": make_resident_id(serial, region=county.region_code, birth=f"{1975 + serial % 25}{serial % 12 + 1:02d}{serial % 28 + 1:02d}"),
                "mobile": make_mobile(person), "skills": vacancy.skills.split("，")[0] if k % 3 == 0 else "",
                "earliest_travel_date": date(2020, 2, travel_day), "travel_mode": mode,
                "health_code": HealthCode.GREEN,
            })
        if county_index == 0 and need == 2:
            # One worker already accepted for 普工 is referred again: the warning names the other referral.
            rows[-1] = {**rows[-1], "id_number": _accepted_elsewhere(vacancies[0])}
        with clock.at(at(day, hour)):
            referred = services.refer_candidates(vacancy, actor=office, rows=rows)
        owner = hr[vacancy.enterprise_id]
        for k, (candidate, outcome) in enumerate(zip(referred, outcomes)):
            decided = at(day + 1, 9, k)
            if outcome == "waiting":
                continue
            if outcome == "declined":
                with clock.at(decided):
                    services.decline_candidate(candidate, actor=owner, reason=DECLINE_REASONS[declines % len(DECLINE_REASONS)])
                declines += 1
                continue
            with clock.at(decided):
                candidate = services.accept_candidate(candidate, actor=owner)
            if outcome == "bus":
                bus.append(candidate)
                continue
            if outcome == "accepted":  # a train ticket for later in the week
                continue
            if outcome == "no_show":
                with clock.at(at(travel_day, 18)):
                    services.no_show(candidate, actor=owner, reason=NO_SHOW_REASON)
                continue
            came = travel_day + (2 if outcome == "train" else 1)
            with clock.at(at(travel_day, 8, k)):
                services.depart_candidate(candidate, actor=office, comment="火车" if outcome == "train" else candidate.get_travel_mode_display())
            with clock.at(at(came, 16, k)):
                services.confirm_arrival(candidate, actor=owner, arrived_on=date(2020, 2, came))
            if outcome in ("hired", "train") and came + 1 <= 23:
                with clock.at(at(came + 1, 10, k)):
                    services.hire_candidate(candidate, actor=owner)
    # The charter bus from 锦屏 for the firm with the most workers on it (the others come on its next run).
    by_firm = {}
    for candidate in bus:
        by_firm.setdefault(candidate.vacancy.enterprise_id, []).append(candidate)
    for firm_id, riders in sorted(by_firm.items(), key=lambda item: -len(item[1])):
        riders = list(Candidate.objects.filter(pk__in=[c.pk for c in riders]).select_related("vacancy__enterprise", "county", "registration"))
        with clock.at(at(*BUS_PLANNED)):
            services.put_on_trip(riders, actor=hr[firm_id], departure_date=BUS_LEAVES, seats=max(45, len(riders)))
    # Demo accounts share one known password: hashed once, not once per account.
    User.objects.filter(pk__in=[user.pk for user in opened if not user.has_usable_password()]).update(password=make_password(DEMO_PASSWORD))


def _accepted_elsewhere(vacancy):
    from labour.models import CandidateStatus

    return Candidate.objects.filter(vacancy=vacancy, status=CandidateStatus.ACCEPTED).order_by("pk").first().id_number

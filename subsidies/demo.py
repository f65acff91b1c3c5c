"""Demo of the charter programme, after the enterprises demo, as it stands on Monday 24 February 2020 at 10:00:
workers registered from several provinces, 26 charter trips since 14 February carrying 445 workers (the first,
on 18 February, bringing 11 workers from Guizhou to 杭州润德车轮制造有限公司 in 鹿山街道), one more trip whose
claim was rejected, claims in every state, one payout batch paid and one awaiting the transfer.

Every row is written by the services as the people of the story at the time of the story: workers on the
public form, the firms' HR accounts (their registrations, trips, arrivals and claims), the township
reviewers and the district office, each inside ``clock.at(...)``. Running the demo twice changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enterprises.accounts import ensure_firm_account, firm_users
from enterprises.models import Enterprise, Scale
from fuyang_portal import clock
from fuyang_portal.accounts import ensure_account
from fuyang_portal.demo import DEMO_PASSWORD, make_invoice_number, make_mobile, make_person_name, make_resident_id, township_account
from fuyang_portal.roles import Role
from subsidies import regions, services
from subsidies.models import DEFAULT_POLICY, HealthCode, PayoutBatch, SubsidyPolicy, TravelMode

RUNDE = "杭州润德车轮制造有限公司"
PAID_TRANSFER = "ICBC-FY-20200224-0001"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 32

# Townships of the other firms that chartered buses (the first trip is Runde's, in 鹿山街道).
TOWNSHIPS = ["东洲街道", "富春街道", "银湖街道", "新登镇", "场口镇", "春江街道", "灵桥镇", "大源镇", "万市镇", "渌渚镇", "鹿山街道", "胥口镇"]

# (departure, firm index (0 = Runde), origin county, workers who travelled, invoice yuan, where the claim stands
# on Monday morning). The bus arrives the next day; the firm files that afternoon, the township checks the
# next morning and the district office decides that afternoon. The 26 paid or pending trips, then one whose
# claim the district office rejected.
TRIPS = [
    (date(2020, 2, 18), 0, "520322", 11, "16800.00", "paid"),  # 贵州 遵义 桐梓 → Runde: the first cross-province charter
    (date(2020, 2, 18), 1, "511623", 18, "17600.00", "paid"),  # 四川 广安 邻水
    (date(2020, 2, 19), 2, "411625", 21, "9800.00", "paid"),  # 河南 周口 郸城
    (date(2020, 2, 19), 3, "520526", 16, "19800.00", "paid"),  # 贵州 毕节 威宁
    (date(2020, 2, 19), 4, "341221", 19, "5600.00", "paid"),  # 安徽 阜阳 临泉
    (date(2020, 2, 20), 0, "520330", 22, "17200.00", "paid"),  # 贵州 遵义 习水 → Runde again
    (date(2020, 2, 20), 5, "361128", 15, "4800.00", "paid"),  # 江西 上饶 鄱阳
    (date(2020, 2, 20), 6, "530627", 20, "45000.00", "paid"),  # 云南 昭通 镇雄: above the per-trip cap
    (date(2020, 2, 20), 7, "430524", 17, "8600.00", "paid"),  # 湖南 邵阳 隆回
    (date(2020, 2, 21), 8, "511725", 14, "18200.00", "paid"),  # 四川 达州 渠县
    (date(2020, 2, 21), 9, "520627", 19, "18900.00", "paid"),  # 贵州 铜仁 沿河
    (date(2020, 2, 21), 10, "411524", 16, "9200.00", "paid"),  # 河南 信阳 商城
    (date(2020, 2, 21), 11, "500236", 24, "15800.00", "paid"),  # 重庆 奉节
    (date(2020, 2, 21), 1, "511322", 18, "17900.00", "paid"),  # 四川 南充 营山
    (date(2020, 2, 21), 2, "520524", 17, "18600.00", "batched"),  # 贵州 毕节 织金
    (date(2020, 2, 21), 3, "341522", 13, "5200.00", "batched"),  # 安徽 六安 霍邱
    (date(2020, 2, 21), 4, "620523", 19, "24800.00", "approved"),  # 甘肃 天水 甘谷
    (date(2020, 2, 22), 5, "522632", 15, "17400.00", "township_ok"),  # 贵州 黔东南 榕江
    (date(2020, 2, 22), 6, "411627", 18, "9600.00", "township_ok"),  # 河南 周口 太康
    (date(2020, 2, 22), 7, "530628", 16, "26400.00", "township_ok"),  # 云南 昭通 彝良
    (date(2020, 2, 22), 2, "520221", 17, "18100.00", "submitted"),  # 贵州 六盘水 水城 (now 520204), for 富春街道 to check
    (date(2020, 2, 22), 11, "361127", 14, "4600.00", "submitted"),  # 江西 上饶 余干, for 鹿山街道 to check
    (date(2020, 2, 22), 10, "511923", 19, "18800.00", "returned"),  # 四川 巴中 平昌
    (date(2020, 2, 22), 11, "430525", 15, "8400.00", "returned"),  # 湖南 邵阳 洞口
    (date(2020, 2, 22), 0, "520328", 21, "17800.00", "draft"),  # 贵州 遵义 湄潭 → Runde
    (date(2020, 2, 23), 1, "341226", 11, "5400.00", None),  # 安徽 阜阳 颍上: arrived Monday at dawn, claim not yet filed
    (date(2020, 2, 21), 2, "411426", 12, "9100.00", "rejected"),  # 河南 商丘 夏邑: the same bus as 重庆 奉节's, same days
]
SAME_BUS_AS = 12
REASONS = {
    "returned": "发票金额与包车合同不一致，请补充合同。",
    "rejected": "同一车辆同日已由他企申报，重复申报，不予补助。",
}
# Workers registered for later returns: some still need a bus (the demand page), others come by train or car.
LATER = [("520324", TravelMode.CHARTER, 9), ("511724", TravelMode.CHARTER, 6), ("411623", TravelMode.TRAIN, 8),
         ("340826", TravelMode.SELF_DRIVE, 5), ("361123", TravelMode.COACH, 4), ("520627", TravelMode.CHARTER, 7)]


def at(day, hour, minute=0):
    """A moment of the story, Beijing time."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _firms():
    runde = Enterprise.objects.get(name=RUNDE)
    firms = [runde]
    for name in TOWNSHIPS:
        candidates = Enterprise.objects.filter(township__name=name).exclude(pk__in=[f.pk for f in firms]).order_by("credit_code")
        # Above-scale manufacturers chartered the buses; any firm of the township if the registry has none.
        firm = candidates.filter(scale=Scale.ABOVE_SCALE, industry="C").first() or candidates.first()
        firms.append(firm or runde)
    return firms


def _firm_account(firm, n, district):
    """The firm's HR account: its existing account, or charterNN opened by the district office."""
    return firm_users(firm).order_by("pk").first() or ensure_firm_account(
        f"charter{n:02d}", firm, password=DEMO_PASSWORD, actor=district, full_name=f"{firm.name[:30]} 人事"
    )


def _plate(index):
    return f"{'贵川豫皖赣云湘渝甘'[index % 9]}{'ABCDE'[index % 5]}{52000 + index * 37}"


def _county(code):
    """The demo's counties are in the shipped code list; one trip names a county code superseded in 2020."""
    return code if regions.is_county(code) else "520204"


def _register(serial, firm, account, county, return_date, mode, registered_at):
    """One worker's registration: every third on the public form, the others by the employer's HR."""
    person = random.Random(f"worker-{serial}")  # the same worker on every run
    with clock.at(registered_at):
        return services.register_worker(
            enterprise=firm,
            actor=account if serial % 3 else None,
            name=make_person_name(person),
            id_number=make_resident_id(serial, region=county, birth=f"{1972 + serial % 28}{serial % 12 + 1:02d}{serial % 27 + 1:02d}"),
            mobile=make_mobile(person),
            origin_province=regions.province_of(county),
            origin_county=county,
            return_date=return_date,
            travel_mode=mode,
            health_code=HealthCode.YELLOW if serial % 97 == 0 else HealthCode.GREEN,
        )


def load():
    if PayoutBatch.objects.filter(transfer_reference=PAID_TRANSFER).exists():
        return
    with transaction.atomic():
        _load()


def _load():
    district = ensure_account("district", Role.DISTRICT, password=DEMO_PASSWORD, full_name="区服务企业办 王主任")
    if not SubsidyPolicy.objects.exists():
        with clock.at(at(date(2020, 2, 14), 9)):
            services.revise_policy(actor=district, note="区复工复产领导小组 2020-02-14：包车费用补助50%", **DEFAULT_POLICY)
    firms = _firms()
    with clock.at(at(date(2020, 2, 14), 10)):
        accounts = {firm.pk: _firm_account(firm, n, district) for n, firm in enumerate(firms)}
    reviewers = {}
    serial = 0
    claims = {"paid": [], "batched": []}
    for index, (day, firm_index, county, workers, amount, state) in enumerate(TRIPS):
        firm, county = firms[firm_index], _county(county)
        hr = accounts[firm.pk]
        arrival = day + timedelta(days=1)
        # The workers registered over the days before the bus; one no-show on every fifth trip.
        riders = []
        for k in range(workers + (1 if index % 5 == 4 else 0)):
            serial += 1
            registered = at(day - timedelta(days=4 - k % 3), 8 + serial % 12, serial % 60)
            riders.append(_register(serial, firm, hr, county, day, TravelMode.CHARTER, registered))
        # The firm or the district office books the bus the afternoon before.
        with clock.at(at(day - timedelta(days=1), 15)):
            trip = services.plan_trip(
                actor=hr if index % 2 else district, enterprise=firm, origin_province=regions.province_of(county),
                origin_county=county, departure_date=day, seats=max(45, len(riders)), registrations=riders,
            )
        with clock.at(at(arrival, 8)):
            travelled = list(trip.passengers.order_by("pk").values_list("pk", flat=True)[:workers])
            services.complete_trip(trip, actor=hr, travelled=travelled, arrival_date=arrival)
        if state is None:
            continue
        with clock.at(at(arrival, 15)):
            claim = services.start_claim(
                trip,
                actor=hr,
                bus_company=f"{regions.name(regions.city_of(county))}长途客运有限公司",
                # The rejected claim's bus is the one another firm had already claimed for the same days.
                plate=_plate(SAME_BUS_AS if state == "rejected" else index),
                invoice_number=make_invoice_number(index + 1),
                invoice_amount=Decimal(amount),
                invoice_image=ContentFile(PNG, name=f"invoice-{index}.png"),
                payee_bank="中国工商银行杭州富阳支行",
                payee_account=f"12020{firm.pk:06d}{index:08d}",
            )
        if state == "draft":
            continue
        with clock.at(at(arrival, 15, 30)):
            services.submit_claim(claim, actor=hr)
        with clock.at(at(arrival, 15, 35)):
            services.precheck(claim.pk)  # the pre-check task runs right after filing
        if state == "submitted":
            continue
        if firm.township_id not in reviewers:
            reviewers[firm.township_id] = township_account(firm.township, district)
        with clock.at(at(arrival + timedelta(days=1), 9)):
            if state == "returned":
                services.township_return(claim, actor=reviewers[firm.township_id], reason=REASONS["returned"])
                continue
            services.township_approve(claim, actor=reviewers[firm.township_id], comment="核实乘客名单与登记一致。")
        if state == "township_ok":
            continue
        with clock.at(at(arrival + timedelta(days=1), 14)):
            if state == "rejected":
                services.district_reject(claim, actor=district, reason=REASONS["rejected"])
                continue
            services.district_approve(claim, actor=district)
        if state in claims:
            claims[state].append(claim)
    # Workers registered over the weekend for returns after Monday.
    for n, (county, mode, count) in enumerate(LATER):
        for k in range(count):
            serial += 1
            firm = firms[(n * 3 + k) % len(firms)]
            _register(serial, firm, accounts[firm.pk], county, date(2020, 2, 26) + timedelta(days=k % 9), mode,
                      at(date(2020, 2, 21) + timedelta(days=k % 3), 9 + serial % 11, serial % 60))
    # Sunday afternoon the district office batches the approved claims; the bank confirms Monday morning.
    with clock.at(at(date(2020, 2, 23), 16)):
        paid = services.create_payout_batch(actor=district, claims=claims["paid"])
    with clock.at(at(date(2020, 2, 24), 9)):
        services.create_payout_batch(actor=district, claims=claims["batched"])
    with clock.at(at(date(2020, 2, 24), 9, 30)):
        services.mark_batch_paid(paid, actor=district, transfer_reference=PAID_TRANSFER)

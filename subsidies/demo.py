"""Demo of the charter programme, after the enterprises demo: registrations from several provinces, 26 paid
or pending charter trips since 14 February 2020 carrying 445 workers (the first, on 18 February, bringing 11
workers from Guizhou to 杭州润德车轮制造有限公司 in 鹿山街道), one more trip whose claim was rejected, claims in
every state, and one paid payout batch.

Trips, arrivals, claims, reviews and the payout all go through ``subsidies.services``, so the figures on the
statistics page are counted from these rows. Running the demo twice changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from enterprises.models import Enterprise, Scale
from fuyang_portal.demo import demo_user, make_resident_id
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import User
from fuyang_portal.roles import Role
from subsidies import regions, services
from subsidies.models import HealthCode, TravelMode, WorkerRegistration

RUNDE = "杭州润德车轮制造有限公司"
MARKER = "LFDM"  # demo registrations' reference prefix
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 32

# Townships of the other firms that chartered buses (the first trip is Runde's, in 鹿山街道).
TOWNSHIPS = ["东洲街道", "富春街道", "银湖街道", "新登镇", "场口镇", "春江街道", "灵桥镇", "大源镇", "万市镇", "渌渚镇", "鹿山街道", "胥口镇"]

# (departure, firm index (0 = Runde), origin county, workers who travelled, invoice yuan, claim state)
# The 26 paid or pending trips, then one whose claim the district office rejected.
TRIPS = [
    (date(2020, 2, 18), 0, "520322", 11, "16800.00", "paid"),  # 贵州 遵义 桐梓 → Runde: the first cross-province charter
    (date(2020, 2, 19), 1, "511623", 18, "17600.00", "paid"),  # 四川 广安 邻水
    (date(2020, 2, 20), 2, "411625", 21, "9800.00", "paid"),  # 河南 周口 郸城
    (date(2020, 2, 20), 3, "520526", 16, "19800.00", "paid"),  # 贵州 毕节 威宁
    (date(2020, 2, 21), 4, "341221", 19, "5600.00", "paid"),  # 安徽 阜阳 临泉
    (date(2020, 2, 22), 0, "520330", 22, "17200.00", "paid"),  # 贵州 遵义 习水 → Runde again
    (date(2020, 2, 22), 5, "361128", 15, "4800.00", "paid"),  # 江西 上饶 鄱阳
    (date(2020, 2, 23), 6, "530627", 20, "45000.00", "paid"),  # 云南 昭通 镇雄: above the per-trip cap
    (date(2020, 2, 24), 7, "430524", 17, "8600.00", "paid"),  # 湖南 邵阳 隆回
    (date(2020, 2, 24), 8, "511725", 14, "18200.00", "paid"),  # 四川 达州 渠县
    (date(2020, 2, 25), 9, "520627", 19, "18900.00", "paid"),  # 贵州 铜仁 沿河
    (date(2020, 2, 26), 10, "411524", 16, "9200.00", "paid"),  # 河南 信阳 商城
    (date(2020, 2, 26), 11, "500236", 24, "15800.00", "paid"),  # 重庆 奉节
    (date(2020, 2, 27), 1, "511322", 18, "17900.00", "paid"),  # 四川 南充 营山
    (date(2020, 2, 28), 2, "520524", 17, "18600.00", "approved"),  # 贵州 毕节 织金
    (date(2020, 2, 29), 3, "341522", 13, "5200.00", "approved"),  # 安徽 六安 霍邱
    (date(2020, 3, 1), 4, "620523", 19, "24800.00", "approved"),  # 甘肃 天水 甘谷
    (date(2020, 3, 2), 5, "522632", 15, "17400.00", "township_ok"),  # 贵州 黔东南 榕江
    (date(2020, 3, 3), 6, "411627", 18, "9600.00", "township_ok"),  # 河南 周口 太康
    (date(2020, 3, 4), 7, "530628", 16, "26400.00", "township_ok"),  # 云南 昭通 彝良
    (date(2020, 3, 5), 2, "520221", 17, "18100.00", "submitted"),  # 贵州 六盘水 水城 (now 520204), for 富春街道 to check
    (date(2020, 3, 6), 11, "361127", 14, "4600.00", "submitted"),  # 江西 上饶 余干, for 鹿山街道 to check
    (date(2020, 3, 7), 10, "511923", 19, "18800.00", "returned"),  # 四川 巴中 平昌
    (date(2020, 3, 8), 11, "430525", 15, "8400.00", "returned"),  # 湖南 邵阳 洞口
    (date(2020, 3, 9), 0, "520328", 21, "17800.00", "draft"),  # 贵州 遵义 湄潭 → Runde
    (date(2020, 3, 10), 1, "341226", 11, "5400.00", None),  # 安徽 阜阳 颍上: arrived, claim not yet filed
    (date(2020, 3, 6), 2, "411426", 12, "9100.00", "rejected"),  # 河南 商丘 夏邑: the same bus as trip 22, same day
]
SAME_BUS_AS = 21
REASONS = {
    "returned": "发票金额与包车合同不一致，请补充合同。",
    "rejected": "同一车辆同日已由他企申报，重复申报，不予补助。",
}


def _firms():
    runde = Enterprise.objects.get(name=RUNDE)
    firms = [runde]
    for name in TOWNSHIPS:
        candidates = Enterprise.objects.filter(township__name=name).exclude(pk__in=[f.pk for f in firms]).order_by("credit_code")
        # Above-scale manufacturers chartered the buses; any firm of the township if the registry has none.
        firm = candidates.filter(scale=Scale.ABOVE_SCALE, industry="C").first() or candidates.first()
        firms.append(firm or runde)
    return firms


def _firm_account(firm, n):
    account = User.objects.filter(role=Role.ENTERPRISE, enterprise=firm, is_active=True).order_by("pk").first()
    return account or demo_user(f"charter{n:02d}", Role.ENTERPRISE, f"{firm.name[:30]} 人事", enterprise=firm)


def _township_account(township):
    account = User.objects.filter(role=Role.TOWNSHIP, township=township, is_active=True).order_by("pk").first()
    return account or demo_user(f"review-{township.code}", Role.TOWNSHIP, f"{township.name} 复工专班", township=township)


def _plate(index):
    return f"{'贵川豫皖赣云湘渝甘'[index % 9]}{'ABCDE'[index % 5]}{52000 + index * 37}"


def _county(code):
    """The demo's counties are in the shipped code list; one trip names a county code superseded in 2020."""
    return code if regions.is_county(code) else "520204"


def _registrations(firms):
    """Every traveller's registration, one no-show on every fifth trip, and workers still to come."""
    rows, serial = [], 0
    plan = []
    for index, (day, firm_index, county, workers, _amount, _state) in enumerate(TRIPS):
        county = _county(county)
        seated = workers + (1 if index % 5 == 4 else 0)
        plan.append(seated)
        for _ in range(seated):
            serial += 1
            rows.append(_row(serial, firms[firm_index], county, day - timedelta(days=serial % 3), TravelMode.CHARTER))
    # Workers registered for later: some still need a bus (the demand page), others come by train or car.
    later = [("520324", TravelMode.CHARTER, 9), ("511724", TravelMode.CHARTER, 6), ("411623", TravelMode.TRAIN, 8),
             ("340826", TravelMode.SELF_DRIVE, 5), ("361123", TravelMode.COACH, 4), ("520627", TravelMode.CHARTER, 7)]
    for n, (county, mode, count) in enumerate(later):
        for k in range(count):
            serial += 1
            rows.append(_row(serial, firms[(n * 3 + k) % len(firms)], county, date(2020, 3, 14) + timedelta(days=k % 9), mode))
    WorkerRegistration.objects.bulk_create(rows)
    return plan


def _row(serial, firm, county, return_date, mode):
    id_number = make_resident_id(serial, region=county, birth=f"{1972 + serial % 28}{serial % 12 + 1:02d}{serial % 27 + 1:02d}")
    surname = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"[serial % 20]
    given = "国建明华平志勇军强伟芳娟秀英桂兰红梅小云"[serial * 7 % 20]
    return WorkerRegistration(
        reference=f"{MARKER}{serial:06d}",
        enterprise=firm,
        name=f"{surname}{given}{'贵川豫皖赣滇湘渝陇'[serial % 9]}",
        id_number=id_number,
        id_number_hash=lookup_hash(id_number),
        mobile=f"13{serial % 7 + 2}{serial:08d}",
        origin_province=regions.province_of(county),
        origin_city=regions.city_of(county),
        origin_county=county,
        return_date=return_date,
        travel_mode=mode,
        health_code=HealthCode.YELLOW if serial % 97 == 0 else HealthCode.GREEN,
        source=WorkerRegistration.Source.ENTERPRISE if serial % 3 else WorkerRegistration.Source.PUBLIC,
    )


def load():
    if WorkerRegistration.objects.filter(reference__startswith=MARKER).exists():
        return
    with transaction.atomic():
        _load()


def _load():
    district = demo_user("district", Role.DISTRICT, "区服务企业办 王主任")
    services.current_policy()
    firms = _firms()
    accounts = {firm.pk: _firm_account(firm, n) for n, firm in enumerate(firms)}
    seated = _registrations(firms)
    registrations = list(WorkerRegistration.objects.filter(reference__startswith=MARKER).order_by("reference"))
    cursor = 0
    paid = []
    for index, (day, firm_index, county, workers, amount, state) in enumerate(TRIPS):
        firm = firms[firm_index]
        riders = registrations[cursor : cursor + seated[index]]
        cursor += seated[index]
        county = _county(county)
        trip = services.plan_trip(
            actor=district, enterprise=firm, origin_province=regions.province_of(county), origin_county=county,
            departure_date=day, seats=max(45, len(riders)), registrations=riders,
        )
        travelled = list(trip.passengers.order_by("pk").values_list("pk", flat=True)[:workers])
        services.complete_trip(trip, actor=accounts[firm.pk], travelled=travelled, arrival_date=day + timedelta(days=1))
        if state is None:
            continue
        # The rejected claim's bus is the one another firm had already claimed for the same day.
        plate = _plate(SAME_BUS_AS if state == "rejected" else index)
        claim = services.start_claim(
            trip,
            actor=accounts[firm.pk],
            bus_company=f"{regions.name(regions.city_of(county))}长途客运有限公司",
            plate=plate,
            invoice_number=f"{3300200218 + index * 7919:010d}{index:010d}",
            invoice_amount=Decimal(amount),
            invoice_image=ContentFile(PNG, name=f"invoice-{index}.png"),
            payee_bank="中国工商银行杭州富阳支行",
            payee_account=f"12020{firm.pk:06d}{index:08d}",
        )
        if state == "draft":
            continue
        services.submit_claim(claim, actor=accounts[firm.pk], today=day + timedelta(days=4))
        township = _township_account(firm.township)
        if state == "submitted":
            continue
        if state == "returned":
            services.township_return(claim, actor=township, reason=REASONS["returned"])
            continue
        services.township_approve(claim, actor=township, comment="核实乘客名单与登记一致。")
        if state == "township_ok":
            continue
        if state == "rejected":
            services.district_reject(claim, actor=district, reason=REASONS["rejected"])
            continue
        services.district_approve(claim, actor=district)
        if state == "paid":
            paid.append(claim)
    batch = services.create_payout_batch(actor=district, claims=paid)
    services.mark_batch_paid(batch, actor=district, transfer_reference="ICBC-FY-20200320-0001")


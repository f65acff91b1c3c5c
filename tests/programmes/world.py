"""Township programme records for one side of the access matrix's world (tests/security/world.py), built through
the programmes' services by the side's township cadre; the district office inspects the side's work item."""

from datetime import timedelta

from django.utils import timezone

from fuyang_portal import clock
from programmes import services
from programmes.models import Category, Finding, Lodging
from tests.factories import township_user
from tests.programmes.factories import clinic_user, indicator_code, photo


def programme_objects(township, registration, district, label):
    cadre = township_user(township)
    today = clock.today()
    work_list = services.create_work_list(cadre, title=f"{label}镇复工清单")
    item = services.add_item(cadre, work_list, category=Category.CHECKPOINT, indicator_code=indicator_code(), title="卡点值守",
                             responsible_unit="镇综合执法队", responsible_person=cadre, deadline=today + timedelta(days=3))
    update = services.report_progress(item, cadre, note="卡点已设", photo=photo())
    finding = services.inspect_item(item, district, outcome=Finding.Outcome.PROBLEMS, points=2, description="台账不全",
                                    rectify_by=today + timedelta(days=2))
    call = services.log_call(cadre, received_at=timezone.now() - timedelta(hours=1), caller_name="王先生", topic="resumption",
                             question="复工需要哪些材料？", follow_up="待回电")
    coverage = services.set_coverage(cadre, day=today, hours=12)
    lodging = services.add_lodging(cadre, name=f"{label}镇集中居住点", kind=Lodging._meta.get_field("kind").choices[0][0], capacity=10)
    stay = services.check_in(cadre, lodging, registration)
    voucher = services.issue_voucher(cadre, registration)
    run = services.log_car_run(cadre, run_date=today, origin="富阳汽车站", destination=f"{label}镇", people=3, driver="李师傅")
    station = services.open_station(cadre, name=f"{label}镇代购点", place="镇政府", hours="8:00-17:00", services="代购")
    shopping = services.log_shopping_run(cadre, run_date=today, items="口罩", runner="张三", for_household="三户", station=station)
    clinic_account, clinic = clinic_user(township, cadre)
    return {
        "work_list": work_list, "work_item": item, "finding": finding, "call": call, "coverage": coverage, "lodging": lodging,
        "stay": stay, "voucher": voucher, "car_run": run, "station": station, "shopping_run": shopping, "clinic": clinic,
        "clinic_user": clinic_account, "update": update,
    }

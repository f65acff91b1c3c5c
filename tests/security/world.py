"""One small world for the outside-in tests: two townships, and in each a firm with every kind of record.

"Ours" is the scope of the users the tests sign in as (township A, the agency paired with it, the specialist
serving firm A, firm A's owner); "theirs" is the same set of records in township B, out of their scope.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises.models import EnterpriseExport, ResumptionStatus
from fuyang_portal.models import Notification
from leaderboard import appeals
from leaderboard import services as contest
from leaderboard.models import LevelSetting, Score, UnitResult
from specialists import services as problems
from specialists.models import Assignment, DeadlineRule, ProblemAttachment
from subsidies import services as claims
from subsidies.models import SubsidyClaim, SubsidyPolicy
from tests.enterprises.factories import PDF_BYTES, DailyReportFactory, EmployeePassFactory, ResumptionRequestFactory
from tests.factories import (
    AgencyFactory, CommunityFactory, CommunityGroupFactory, EnterpriseFactory, TownshipFactory, VillageFactory, administrator, agency_user, district_user,
    enterprise_user, township_user,
)
from fuyang_portal import export_approvals
from fuyang_portal.roles import Role
from tests.labour.world import labour_objects
from tests.leaderboard.factories import MONDAY, set_list_size, use_test_indicators
from tests.programmes.world import programme_objects
from tests.relief.world import relief_objects
from tests.specialists.factories import AssignmentFactory, SpecialistFactory, TrackedProjectFactory, VisitFactory
from tests.subsidies.factories import ClaimFactory, RegistrationFactory, TripFactory, submit

ROLES = ("anonymous", "district", "township", "agency", "specialist", "enterprise", "county", "clinic", "sysadmin", "secadmin", "auditor")


@dataclass
class Side:
    township: object = None
    agency: object = None
    firm: object = None
    specialist: object = None
    owner: object = None
    objects: dict = field(default_factory=dict)


def _side(district, label):
    township = TownshipFactory(name=f"{label}镇")
    agency = AgencyFactory(paired_township=township)
    firm = EnterpriseFactory(township=township, registered_headcount=50)
    specialist = SpecialistFactory(agency=agency, townships=[township])
    AssignmentFactory(specialist=specialist, enterprise=firm)
    owner = enterprise_user(firm)
    side = Side(township=township, agency=agency, firm=firm, specialist=specialist, owner=owner)
    request = ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    pass_ = EmployeePassFactory(enterprise=firm)
    visit = VisitFactory(specialist=specialist, enterprise=firm)
    project = TrackedProjectFactory(specialist=specialist, enterprise=firm)
    problem = problems.raise_problem(specialist.user, firm, "funds", "缺少口罩和测温枪")
    attachment = ProblemAttachment.objects.create(
        problem=problem, file=SimpleUploadedFile("清单.pdf", PDF_BYTES, content_type="application/pdf"),
        original_name="清单.pdf", uploaded_by=specialist.user,
    )
    registration = RegistrationFactory(enterprise=firm)
    trip = TripFactory(enterprise=firm, riders=2)
    claim = ClaimFactory(trip=TripFactory(enterprise=firm, riders=3))
    submit(claim, actor=owner, on=date(2020, 3, 1))
    claims.township_approve(claim, actor=township_user(township))
    claims.district_approve(claim, actor=district)
    batch = claims.create_payout_batch(actor=district, claims=SubsidyClaim.objects.filter(pk=claim.pk))
    side.objects = {
        "request": request, "pass": pass_, "visit": visit, "project": project, "problem": problem,
        "attachment": attachment, "registration": registration, "trip": trip, "claim": claim, "batch": batch,
        "assignment": Assignment.objects.get(specialist=specialist, enterprise=firm),
        "notification": Notification.objects.create(recipient=owner, title="通知", body="", url="/"),
        "report": DailyReportFactory(enterprise=firm),
        "community": CommunityFactory(township=township),
        "village": VillageFactory(township=township),
    }
    side.objects["group"] = CommunityGroupFactory(community=side.objects["community"], agency=agency)
    # A problem another agency leads, with this side's agency as co-agency: its part is this side's.
    shared = problems.raise_problem(specialist.user, firm, "funds", "用工缺口需要多部门协调")
    problems.escalate(shared, specialist.user, "需要区里协调")
    problems.assign(shared, district, AgencyFactory(), co_agencies=[agency])
    side.objects["part"] = shared.parts.get(agency=agency)
    side.objects.update(relief_objects(firm, owner, district, label))
    side.objects.update(labour_objects(firm, label))
    side.objects.update(programme_objects(township, registration, district, label))
    return side


def build_world():
    district = district_user(username="w-district")
    ours, theirs = _side(district, "甲"), _side(district, "乙")
    users = {
        "anonymous": None,
        "district": district,
        "township": township_user(ours.township, username="w-township"),
        "agency": agency_user(ours.agency, username="w-agency"),
        "specialist": ours.specialist.user,
        "enterprise": ours.owner,
        "county": ours.objects["county_user"],
        "clinic": ours.objects["clinic_user"],
        "sysadmin": administrator(Role.SYSADMIN, username="w-sysadmin"),
        "secadmin": administrator(Role.SECADMIN, username="w-secadmin"),
        "auditor": administrator(Role.AUDITOR, username="w-auditor"),
    }
    for side, requester in ((ours, users["township"]), (theirs, township_user(theirs.township))):
        side.objects["export"] = EnterpriseExport.objects.create(
            requested_by=requester, status=EnterpriseExport.Status.DONE, rows_total=1, rows_done=1, finished_at=timezone.now(),
            file=SimpleUploadedFile("firms.xlsx", b"PK\x03\x04" + b"\x00" * 64),
        )
    for side, requester in ((ours, users["township"]), (theirs, township_user(theirs.township))):
        side.objects["export_request"] = export_approvals.file_request(
            requester, path="/subsidies/registrations/", format="csv", reason="核对返岗人员名单")
    indicators = use_test_indicators(("headcount", "higher", 1, "computed", "mean_headcount"))
    set_list_size("township", 1)
    LevelSetting.objects.filter(level="township").update(appeal_hours=8)
    week = contest.compute_week("township", MONDAY, actor=district)
    # Each side's township objects to its figure while the draft is open (with a file); the district rejects
    # both, closes the window early and publishes.
    for side, objector in ((ours, users["township"]), (theirs, township_user(theirs.township))):
        score = Score.objects.get(week=week, unit_id=side.township.pk, indicator=indicators[0])
        evidence = SimpleUploadedFile("说明.pdf", PDF_BYTES, content_type="application/pdf")
        side.objects["objection"] = objection = appeals.file_objection(objector, score, reason="人数统计有误", evidence=evidence)
        appeals.reject_objection(objection, district, reason="与台账一致")
    appeals.close_appeals(week, district, reason="异议已处理完毕")
    contest.publish_week(week, district)
    shared = {
        "week": week, "indicator": indicators[0], "level": "township", "week_start": MONDAY.isoformat(),
        "deadline_rule": DeadlineRule.objects.first() or DeadlineRule.objects.create(category="funds", working_days=5),
        "code": indicators[0].code,
        "score": Score.objects.filter(week=week).first(),
        "result": UnitResult.objects.filter(week=week).first(),
        "policy": SubsidyPolicy.objects.order_by("-version").first(),
    }
    return users, ours, theirs, shared


# collection in the API path -> (where the object lives: a side of the world or the shared contest data, key)
API_OBJECTS = {
    "townships": ("side", "township"), "communities": ("side", "community"), "villages": ("side", "village"),
    "agencies": ("side", "agency"), "pairings": ("side", "agency"), "community-groups": ("side", "group"),
    "enterprises": ("side", "firm"), "resumption-requests": ("side", "request"), "headcount-reports": ("side", "report"),
    "passes": ("side", "pass"), "specialists": ("side", "specialist"), "specialist-directory": ("side", "specialist"), "specialist-assignments": ("side", "assignment"),
    "visits": ("side", "visit"), "tracked-projects": ("side", "project"), "problems": ("side", "problem"),
    "worker-registrations": ("side", "registration"), "charter-trips": ("side", "trip"), "subsidy-claims": ("side", "claim"),
    "payout-batches": ("side", "batch"), "subsidy-policies": ("shared", "policy"), "indicators": ("shared", "indicator"),
    "results": ("shared", "result"), "scores": ("shared", "score"), "weeks": ("shared", "week"),
    "problem-parts": ("side", "part"),
    "relief-policies": ("side", "relief_policy"), "relief-eligibility": ("side", "firm"), "relief-awards": ("side", "relief_award"),
    "relief-applications": ("side", "relief_application"),
    "partner-counties": ("side", "county"), "vacancies": ("side", "vacancy"), "candidates": ("side", "candidate"),
    "work-lists": ("side", "work_list"), "work-items": ("side", "work_item"), "inspection-findings": ("side", "finding"),
    "hotline-calls": ("side", "call"), "hotline-coverage": ("side", "coverage"), "lodgings": ("side", "lodging"),
    "lodging-stays": ("side", "stay"), "health-vouchers": ("side", "voucher"), "car-runs": ("side", "car_run"),
    "export-requests": ("side", "export_request"), "objections": ("side", "objection"),
    "service-stations": ("side", "station"), "shopping-runs": ("side", "shopping_run"), "clinics": ("side", "clinic"),
}


def api_ids(path, objects, shared):
    parts = path.strip("/").split("/")
    collection = parts[parts.index(next(p for p in parts if p.startswith("{"))) - 1]
    assert collection in API_OBJECTS, f"no object for {path}: add the collection to API_OBJECTS"
    where, key = API_OBJECTS[collection]
    obj = (objects if where == "side" else shared)[key]
    return {"id": obj.pk, "pk": obj.pk, "version": getattr(obj, "version", obj.pk)}


def side_objects(side):
    """Every record of one side of the world by name, the places and people included."""
    return dict(side.objects, township=side.township, firm=side.firm, specialist=side.specialist, agency=side.agency)

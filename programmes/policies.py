"""Who may do what in the townships' programmes, and the workflow tables of work-list items, inspection findings,
hotline calls, lodging stays and health-check vouchers. Services, pages and the API ask these; none decides it
again. Reading is each model's ``visible_to`` (programmes/models.py)."""

from fuyang_portal import policy
from fuyang_portal.policy import Step, Workflow, district, nobody, rule
from fuyang_portal.roles import Role
from programmes.models import (CarRun, Clinic, ClinicAccount, Finding, HealthVoucher, HotlineCall, HotlineCoverage,
                               ItemUpdate, Lodging, Occupancy, ServiceStation, ShoppingRun, WorkItem, WorkList,
                               clinic_of)

# How each record reaches its township.
TOWNSHIP_PATH = {
    WorkList: "township_id",
    WorkItem: "work_list.township_id",
    ItemUpdate: "item.work_list.township_id",
    Finding: "item.work_list.township_id",
    Occupancy: "lodging.township_id",
    ClinicAccount: "clinic.township_id",
}


def township_id_of(obj):
    value = obj
    for part in TOWNSHIP_PATH.get(type(obj), "township_id").split("."):
        value = getattr(value, part)
    return value


@rule
def township_staff(user, obj):
    """Staff of the township the record belongs to (any township staff, for a record not yet chosen)."""
    return user.role == Role.TOWNSHIP and user.township_id is not None and (obj is None or township_id_of(obj) == user.township_id)


@rule
def responsible_person(user, obj):
    """The person a work-list item names as responsible for it."""
    return obj is not None and obj.responsible_person_id == user.pk


@rule
def may_raise_problem_for_caller(user, obj):
    """Whoever may raise a problem (诉求) for the calling firm, by the specialists app's own policy (the firm's
    serving specialist, the firm itself). A call from a person with no firm cannot become a problem."""
    from specialists.models import Problem

    if obj is None:
        return policy.can(user, "create", model=Problem)
    if obj.caller_enterprise_id is None:
        return False
    return policy.can(user, "create", Problem(enterprise=obj.caller_enterprise))


@rule
def listed_clinic(user, obj):
    """A clinic account of a clinic the voucher's township lists (and still lists)."""
    if user.role != Role.CLINIC:
        return False
    clinic = clinic_of(user)
    return clinic is not None and clinic.active and (obj is None or clinic.township_id == obj.township_id)


township_or_district = township_staff | district
item_worker = township_staff | responsible_person

Item = WorkItem.Status
F = Finding.Status
Call = HotlineCall.Status
Stay = Occupancy.Status
V = HealthVoucher.Status

policy.register(Clinic, actions={"create": township_or_district, "change": township_or_district})
# Clinic accounts are opened by the township that lists the clinic (services.open_clinic_account).
policy.register(ClinicAccount, actions={"create": township_or_district})

# A township (for itself, one of its community groups or villages) keeps its lists; the district office inspects.
policy.register(WorkList, actions={"create": township_staff, "change": township_staff})
policy.register(
    WorkItem,
    # ``inspect``: the district office's 督查 of the item (services.inspect_item writes a Finding).
    actions={"create": township_staff, "change": township_staff, "inspect": district},
    workflow=Workflow("status", [
        Step("report", [Item.TODO, Item.IN_PROGRESS], Item.IN_PROGRESS, item_worker),
        Step("complete", [Item.TODO, Item.IN_PROGRESS], Item.DONE, item_worker),
        Step("reopen", [Item.DONE], Item.IN_PROGRESS, item_worker | district),
    ]),
)
# Updates are written by the item's report / complete / reopen steps; their photos are read through the item.
policy.register(ItemUpdate, actions={})
policy.register(
    Finding,
    actions={"create": district},
    workflow=Workflow("status", [
        # The district office re-inspects and confirms the problems were put right.
        Step("rectify", [F.OPEN], F.RECTIFIED, district),
    ]),
)

policy.register(
    HotlineCall,
    actions={"create": township_staff},
    workflow=Workflow("status", [
        Step("close_follow_up", [Call.FOLLOW_UP], Call.ANSWERED, township_staff),
        Step("raise_problem", [Call.ANSWERED, Call.FOLLOW_UP], Call.RAISED, may_raise_problem_for_caller),
    ]),
)
policy.register(HotlineCoverage, actions={"create": township_staff, "change": township_staff})

policy.register(Lodging, actions={"create": township_staff, "change": township_staff})
policy.register(
    Occupancy,
    actions={"create": township_staff},
    workflow=Workflow("status", [
        Step("check_out", [Stay.STAYING], Stay.LEFT, township_staff),
    ]),
)

policy.register(
    HealthVoucher,
    actions={"create": township_staff},
    workflow=Workflow("status", [
        Step("redeem", [V.ISSUED], V.REDEEMED, listed_clinic),
        Step("void", [V.ISSUED], V.VOID, township_staff | district),
    ]),
)

policy.register(CarRun, actions={"create": township_staff})
policy.register(ServiceStation, actions={"create": township_staff, "change": township_staff})
policy.register(ShoppingRun, actions={"create": township_staff})

__all__ = ["township_staff", "responsible_person", "listed_clinic", "may_raise_problem_for_caller", "nobody"]

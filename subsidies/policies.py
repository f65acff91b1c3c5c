"""Who may do what in the worker-return and charter-subsidy programme, and the workflow tables of trips,
claims and payout batches. Services, pages and the API ask these; none decides it again."""

from fuyang_portal.policy import Step, Workflow, district, register, rule
from fuyang_portal.roles import Role
from subsidies.models import (
    CharterTrip,
    PayoutBatch,
    PayoutItem,
    SubsidyClaim,
    SubsidyPolicy,
    TripPassenger,
    WorkerRegistration,
)

Trip = CharterTrip.Status
Claim = SubsidyClaim.Status
Batch = PayoutBatch.Status


@rule
def firm_itself(user, obj):
    """An account of the firm the record belongs to (any firm account, for a record not yet chosen)."""
    return user.role == Role.ENTERPRISE and (obj is None or user.enterprise_id == obj.enterprise_id)


@rule
def township_of_firm(user, obj):
    """A reviewer of the township the firm is in."""
    return user.role == Role.TOWNSHIP and (obj is None or user.township_id == obj.enterprise.township_id)


# The district office or the firm itself plans a charter bus and records what happened to it.
planner = district | firm_itself


register(
    WorkerRegistration,
    # The public form registers without an account (subsidies.services.register_worker); an account
    # registers its own firm's employees. Seeing the ID number in full is audited.
    actions={"create": firm_itself, "unmask": district | firm_itself},
)

register(
    CharterTrip,
    actions={"create": planner},
    workflow=Workflow("status", [
        Step("add_passengers", [Trip.PLANNED], Trip.PLANNED, planner),
        Step("complete", [Trip.PLANNED], Trip.COMPLETED, planner),
        Step("cancel", [Trip.PLANNED], Trip.CANCELLED, planner),
    ]),
)

# Seats change only through the trip's actions.
register(TripPassenger, actions={})

register(
    SubsidyClaim,
    # ``change``: the firm edits its claim while it is a draft or returned (services.update_claim).
    actions={"create": firm_itself, "change": firm_itself},
    workflow=Workflow("status", [
        Step("submit", [Claim.DRAFT, Claim.RETURNED], Claim.SUBMITTED, firm_itself),
        Step("township_approve", [Claim.SUBMITTED], Claim.TOWNSHIP_APPROVED, township_of_firm),
        Step("township_return", [Claim.SUBMITTED], Claim.RETURNED, township_of_firm),
        Step("district_approve", [Claim.TOWNSHIP_APPROVED], Claim.DISTRICT_APPROVED, district),
        Step("district_return", [Claim.TOWNSHIP_APPROVED], Claim.RETURNED, district),
        Step("district_reject", [Claim.TOWNSHIP_APPROVED], Claim.REJECTED, district),
        Step("batch", [Claim.DISTRICT_APPROVED], Claim.BATCHED, district),
        Step("pay", [Claim.BATCHED], Claim.PAID, district),
    ]),
)

register(
    PayoutBatch,
    actions={"create": district, "export": district},
    workflow=Workflow("status", [
        Step("mark_paid", [Batch.OPEN], Batch.PAID, district),
    ]),
)

# Items are written with their batch.
register(PayoutItem, actions={})

# A revision adds a version (services.revise_policy); versions are never edited.
register(SubsidyPolicy, actions={"create": district})

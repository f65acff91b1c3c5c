"""Who may do what with relief policies, awards, applications and recoveries, and their workflow tables."""

from fuyang_portal.policy import Step, Workflow, district, register, rule
from fuyang_portal.roles import Role
from relief.models import Application, ApplicationDocument, Award, FirmBankAccount, Policy, PolicyVersion, Recovery

S = Policy.Status
A = Award.Status
P = Application.Status


@rule
def firm_itself(user, obj):
    """An account of the firm the record belongs to (any firm account, for a record not yet chosen)."""
    return user.role == Role.ENTERPRISE and (obj is None or user.enterprise_id == obj.enterprise_id)


@rule
def township_of_firm(user, obj):
    return user.role == Role.TOWNSHIP and (obj is None or user.township_id == obj.enterprise.township_id)


register(
    Policy,
    # The district office writes the catalogue; a revision adds a version (services.revise_policy).
    actions={"create": district, "revise": district, "match": district},
    workflow=Workflow("status", [
        Step("publish", [S.DRAFT], S.PUBLISHED, district),
        Step("withdraw", [S.PUBLISHED], S.WITHDRAWN, district),
    ]),
)

# Versions are written with their policy and never changed.
register(PolicyVersion, actions={})

register(FirmBankAccount, actions={"create": firm_itself, "change": firm_itself})

register(
    Award,
    workflow=Workflow("status", [
        Step("confirm", [A.PENDING], A.CONFIRMED, firm_itself),
        Step("cancel", [A.PENDING, A.CONFIRMED], A.CANCELLED, district),
        Step("batch", [A.CONFIRMED], A.BATCHED, district),
        Step("pay", [A.BATCHED], A.PAID, district),
        Step("recover", [A.PAID], A.RECOVERY, district),
    ]),
)

register(
    Application,
    actions={"create": firm_itself, "change": firm_itself},
    workflow=Workflow("status", [
        Step("submit", [P.DRAFT, P.RETURNED], P.SUBMITTED, firm_itself),
        Step("township_approve", [P.SUBMITTED], P.TOWNSHIP_APPROVED, township_of_firm),
        Step("township_return", [P.SUBMITTED], P.RETURNED, township_of_firm),
        Step("district_approve", [P.TOWNSHIP_APPROVED], P.APPROVED, district),
        Step("district_return", [P.TOWNSHIP_APPROVED], P.RETURNED, district),
        Step("district_reject", [P.TOWNSHIP_APPROVED], P.REJECTED, district),
    ]),
)

# Documents are attached through the application (services.attach_document).
register(ApplicationDocument, actions={})

register(
    Recovery,
    workflow=Workflow("status", [Step("settle", [Recovery.Status.OPEN], Recovery.Status.RECOVERED, district)]),
)

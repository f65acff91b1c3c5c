"""Who may do what with the enterprises app's records, and the workflow tables of requests and passes.

What each role may *see* is each model's queryset (enterprises.models). Pages, the API, imports, admin actions
and the demo ask these rules through ``fuyang_portal.policy``; ``transition`` reads the tables.
"""

from fuyang_portal import policy
from fuyang_portal.policy import Step, Workflow, district, role_is, rule, system
from fuyang_portal.roles import Role

from enterprises.models import (
    AWAITING_REVIEW,
    DailyReport,
    Enterprise,
    EnterpriseExport,
    EnterpriseTag,
    FirmAccount,
    Pass,
    PassStatus,
    ResumptionRequest,
    ResumptionStatus,
)


def _firm_of(obj):
    return obj if isinstance(obj, Enterprise) else obj.enterprise


@rule
def acts_for_firm(user, obj):
    """An account of the firm the record belongs to (asked of the model: any firm account)."""
    if user.role != Role.ENTERPRISE:
        return False
    return obj is None or user.enterprise_id == (obj.pk if isinstance(obj, Enterprise) else obj.enterprise_id)


@rule
def reviews_firm(user, obj):
    """Staff of the firm's township: they review its requests and passes and keep its registry entry
    (asked of the model: any township staff)."""
    if user.role != Role.TOWNSHIP:
        return False
    return obj is None or user.township_id == _firm_of(obj).township_id


# District staff keep every firm's entry, township staff the entries of their township's firms.
manages_registry = district | reviews_firm

staff = role_is(Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST)



policy.register(
    Enterprise,
    actions={"create": manages_registry, "change": manages_registry, "import": manages_registry},
)

# Tags are reference data kept in the admin.
policy.register(EnterpriseTag, actions={})

# A firm's accounts are opened by the district office or the firm's township (enterprises.accounts).
policy.register(FirmAccount, actions={"create": manages_registry})

policy.register(
    ResumptionRequest,
    # The firm edits its request while it is a draft or returned (the service checks the state).
    actions={"create": acts_for_firm, "change": acts_for_firm},
    workflow=Workflow("status", [
        # action       from                          to                            who
        Step("submit", [ResumptionStatus.DRAFT], ResumptionStatus.SUBMITTED, acts_for_firm),
        Step("resubmit", [ResumptionStatus.RETURNED], ResumptionStatus.RESUBMITTED, acts_for_firm),
        Step("approve", AWAITING_REVIEW, ResumptionStatus.APPROVED, reviews_firm),
        Step("return", AWAITING_REVIEW, ResumptionStatus.RETURNED, reviews_firm),
    ]),
)

policy.register(DailyReport, actions={"create": acts_for_firm})

policy.register(
    Pass,
    actions={"create": acts_for_firm, "unmask": district},
    workflow=Workflow("status", [
        # action      from                                   to                   who
        Step("issue", [PassStatus.PENDING], PassStatus.ISSUED, reviews_firm),
        Step("revoke", [PassStatus.PENDING, PassStatus.ISSUED], PassStatus.REVOKED, reviews_firm | district),
        Step("expire", [PassStatus.ISSUED], PassStatus.EXPIRED, system),
    ]),
)

# Staff ask for an xlsx of the firm list; each export is its requester's alone (see its queryset).
policy.register(EnterpriseExport, actions={"create": staff})

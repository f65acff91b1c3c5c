"""Who may do what in the specialists app: the actions of each model and the problem (诉求) workflow.

Reading is each model's ``visible_to`` (specialists/models.py); this file says who may act. Pages, API, admin,
services and the demo all ask here, through ``fuyang_portal.policy`` and ``fuyang_portal.workflow.transition``.
"""

from datetime import timedelta

from fuyang_portal import clock, policy
from fuyang_portal.policy import Step, Workflow, district, rule, system
from fuyang_portal.roles import Role
from specialists.models import (
    AgencyHead,
    Assignment,
    Callback,
    DeadlineRule,
    DeadlineRuleVersion,
    Problem,
    ProblemAttachment,
    ProblemPart,
    Supervision,
    ServiceDomain,
    Specialist,
    TrackedProject,
    Visit,
    serves,
)

# A confirmed problem may be reopened by the firm within this time; after it, the firm raises a new one.
REOPEN_WINDOW = timedelta(days=7)


# --- rules (obj is None when the question is about the model: "may this user create one at all?") -----------


@rule
def serving_specialist(user, obj):
    """A specialist actively assigned to the record's firm."""
    return user.role == Role.SPECIALIST and (obj is None or serves(user, obj.enterprise_id))


@rule
def author_specialist(user, obj):
    """The specialist who keeps the record (a tracked project)."""
    return user.role == Role.SPECIALIST and (obj is None or obj.specialist.user_id == user.pk)


@rule
def firm_itself(user, obj):
    """An account of the record's firm."""
    return user.role == Role.ENTERPRISE and user.enterprise_id is not None and (obj is None or user.enterprise_id == obj.enterprise_id)


@rule
def township_of_firm(user, obj):
    """Township staff of the township the record's firm is in."""
    return user.role == Role.TOWNSHIP and (obj is None or user.township_id == obj.enterprise.township_id)


@rule
def agency_of_problem(user, obj):
    """Staff of the agency the problem is assigned to (交办)."""
    return user.role == Role.AGENCY and user.agency_id is not None and (obj is None or user.agency_id == obj.agency_id)


@rule
def agency_of_part(user, obj):
    """Staff of the co-handling agency (协办) the part is for."""
    return user.role == Role.AGENCY and user.agency_id is not None and (obj is None or user.agency_id == obj.agency_id)


@rule
def no_extension_asked(user, obj):
    """One extension per assignment."""
    return obj is None or obj.extension == Problem.Extension.NONE


@rule
def extension_pending(user, obj):
    return obj is None or obj.extension == Problem.Extension.REQUESTED


@rule
def handled_by_agency(user, obj):
    """The problem went through an agency (a reopen goes back to it, not to the specialist)."""
    return obj is None or obj.agency_id is not None


@rule
def within_reopen_window(user, obj):
    return obj is None or obj.closed_at is None or clock.now() - obj.closed_at <= REOPEN_WINDOW


@rule
def problem_is_open(user, obj):
    return obj is None or obj.status not in Problem.CLOSED_STATES


# --- declarations --------------------------------------------------------------------------------------------

S = Problem.Status

policy.register(
    Problem,
    actions={
        "create": firm_itself | serving_specialist,
        "attach": (firm_itself | serving_specialist | agency_of_problem | district) & problem_is_open,
    },
    # Time limits are not steps: the sweep (services.sweep) flags what is late, sends the reminders, 催办 and 督办
    # notices, and closes as 默认满意 what the firm left unanswered ("auto_close", the system's own step).
    workflow=Workflow("status", [
        # action                 from                   to            who
        Step("resolve",           [S.RAISED],            S.RESOLVED,   serving_specialist),
        # Township first handling: the specialist refers it; the township resolves it or passes it up.
        Step("refer_to_township", [S.RAISED],            S.TOWNSHIP,   serving_specialist),
        Step("township_resolve",  [S.TOWNSHIP],          S.RESOLVED,   township_of_firm),
        Step("pass_up",           [S.TOWNSHIP],          S.ESCALATED,  township_of_firm),
        Step("escalate",          [S.RAISED],            S.ESCALATED,  serving_specialist | district),
        Step("assign",            [S.ESCALATED],         S.ASSIGNED,   district),
        Step("decline",           [S.ESCALATED, S.RETURNED], S.DECLINED, district),
        Step("merge",             [S.RAISED],            S.MERGED,     serving_specialist | district),
        Step("merge",             [S.TOWNSHIP, S.ESCALATED, S.RETURNED], S.MERGED, district),
        Step("accept",            [S.ASSIGNED],          S.ACCEPTED,   agency_of_problem),
        Step("return",            [S.ASSIGNED, S.ACCEPTED], S.RETURNED, agency_of_problem),
        # The district office reviews a return: accepts it and reassigns, or overrules it (same agency, same clock).
        Step("accept_return",     [S.RETURNED],          S.ASSIGNED,   district),
        Step("overrule_return",   [S.RETURNED],          S.ASSIGNED,   district),
        Step("request_extension", [S.ASSIGNED],          S.ASSIGNED,   agency_of_problem & no_extension_asked),
        Step("request_extension", [S.ACCEPTED],          S.ACCEPTED,   agency_of_problem & no_extension_asked),
        Step("grant_extension",   [S.ASSIGNED],          S.ASSIGNED,   district & extension_pending),
        Step("grant_extension",   [S.ACCEPTED],          S.ACCEPTED,   district & extension_pending),
        Step("refuse_extension",  [S.ASSIGNED],          S.ASSIGNED,   district & extension_pending),
        Step("refuse_extension",  [S.ACCEPTED],          S.ACCEPTED,   district & extension_pending),
        Step("answer",            [S.ACCEPTED],          S.ANSWERED,   agency_of_problem),
        Step("confirm",           [S.RESOLVED, S.ANSWERED], S.CONFIRMED, firm_itself),
        # The firm is not satisfied: back to whoever handled it; a confirmed problem within seven days only.
        Step("reopen",            [S.RESOLVED, S.CONFIRMED], S.RAISED, firm_itself & ~handled_by_agency & within_reopen_window),
        Step("reopen_to_agency",  [S.ANSWERED, S.CONFIRMED], S.ACCEPTED, firm_itself & handled_by_agency & within_reopen_window),
        # 回访: the district office calls the firm. Satisfied or basically: closed; dissatisfied: back to whoever
        # handled it, with the reason; not reached: recorded, nothing else changes.
        Step("callback",          [S.RESOLVED, S.ANSWERED], S.CONFIRMED, district),
        Step("callback_unreached", [S.RESOLVED],         S.RESOLVED,   district),
        Step("callback_unreached", [S.ANSWERED],         S.ANSWERED,   district),
        Step("callback_reopen",   [S.RESOLVED],          S.RAISED,     district & ~handled_by_agency),
        Step("callback_reopen",   [S.ANSWERED],          S.ACCEPTED,   district & handled_by_agency),
        # 默认满意: the firm neither confirmed nor objected in time; the sweep closes it.
        Step("auto_close",        [S.RESOLVED, S.ANSWERED], S.CONFIRMED, system),
    ]),
)

P = ProblemPart.Status

policy.register(
    ProblemPart,
    actions={},
    workflow=Workflow("status", [
        Step("accept",            [P.ASSIGNED],          P.ACCEPTED,   agency_of_part),
        Step("answer",            [P.ACCEPTED],          P.ANSWERED,   agency_of_part),
    ]),
)

# Callbacks and supervision notices are written by the problem's steps and the sweep; read through their scopes.
policy.register(Callback, actions={})
policy.register(Supervision, actions={})
policy.register(DeadlineRuleVersion, actions={})
policy.register(AgencyHead, actions={"change": district})

policy.register(Specialist, actions={"create": district, "change": district})

policy.register(
    Assignment,
    actions={
        "create": district | township_of_firm,
        "end": district | township_of_firm,
    },
)

policy.register(Visit, actions={"create": serving_specialist})

policy.register(TrackedProject, actions={"create": serving_specialist, "change": author_specialist & serving_specialist})

policy.register(DeadlineRule, actions={"change": district})

# Reference data and files: read through their scopes; attaching a file is the problem's "attach" action.
policy.register(ServiceDomain, actions={})
policy.register(ProblemAttachment, actions={})

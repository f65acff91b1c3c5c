"""Who may do what in labour matching, and the workflow tables of vacancies and candidates. Services, pages,
the API, the admin and the demo ask these; none decides it again."""

from enterprises.models import Enterprise
from fuyang_portal.policy import Step, Workflow, district, register, role_is, rule
from fuyang_portal.roles import Role
from labour.models import Candidate, CandidateStatus as C, CountyAccount, PartnerCounty, Vacancy, VacancyStatus as V, county_id_of


def _firm_id(obj):
    """The firm a vacancy or a candidate belongs to."""
    if isinstance(obj, Candidate):
        return obj.vacancy.enterprise_id
    return obj.enterprise_id


def _township_id(obj):
    if isinstance(obj, Candidate):
        return obj.vacancy.enterprise.township_id
    return obj.enterprise.township_id


@rule
def firm_itself(user, obj):
    """An account of the firm that posted the vacancy (any firm account, for a record not yet chosen)."""
    return user.role == Role.ENTERPRISE and user.enterprise_id is not None and (obj is None or user.enterprise_id == _firm_id(obj))


@rule
def serving_specialist(user, obj):
    """A specialist actively assigned to the firm, posting its needs on its behalf (点对点了解企业用工信息)."""
    if user.role != Role.SPECIALIST:
        return False
    return obj is None or Enterprise.objects.all().scope_specialist(user).filter(pk=_firm_id(obj)).exists()


@rule
def township_of_firm(user, obj):
    """Staff of the township the firm is in: they review and publish its vacancies."""
    return user.role == Role.TOWNSHIP and (obj is None or user.township_id == _township_id(obj))


@rule
def county_office(user, obj):
    """A partner county's labour office with its county set (for a candidate: the county that referred it)."""
    county = county_id_of(user)
    if county is None:
        return False
    return obj is None or not isinstance(obj, Candidate) or obj.county_id == county


# Who speaks for the firm about its needs: the firm itself or a specialist serving it.
for_the_firm = firm_itself | serving_specialist


register(PartnerCounty, actions={"create": district, "change": district, "add_account": district})

register(CountyAccount, actions={})  # written with the account (services.create_county_account)

register(
    Vacancy,
    # ``change``: the firm (or its specialist) edits a draft or a returned vacancy (services.update_vacancy).
    actions={"create": for_the_firm, "change": for_the_firm, "refer": county_office, "publicise": district | role_is(Role.TOWNSHIP)},
    workflow=Workflow("status", [
        Step("submit", [V.DRAFT, V.RETURNED], V.SUBMITTED, for_the_firm),
        Step("publish", [V.SUBMITTED], V.PUBLISHED, township_of_firm | district),
        Step("return", [V.SUBMITTED], V.RETURNED, township_of_firm | district),
        Step("fill", [V.PUBLISHED], V.FILLED, for_the_firm | township_of_firm | district),
        Step("withdraw", [V.DRAFT, V.SUBMITTED, V.RETURNED, V.PUBLISHED], V.WITHDRAWN, for_the_firm | township_of_firm | district),
    ]),
)

register(
    Candidate,
    # ``create``: the county's labour office refers workers to a published vacancy (services.refer_candidates);
    # ``unmask``: the full ID number, audited, for the firm that receives the worker and the district office.
    actions={"create": county_office, "unmask": district | firm_itself, "plan_trip": district | firm_itself},
    workflow=Workflow("status", [
        Step("accept", [C.REFERRED], C.ACCEPTED, firm_itself),
        Step("decline", [C.REFERRED], C.DECLINED, firm_itself),
        Step("depart", [C.ACCEPTED], C.TRAVELLING, firm_itself | county_office | district),
        Step("arrive", [C.ACCEPTED, C.TRAVELLING], C.ARRIVED, firm_itself),
        Step("hire", [C.ARRIVED], C.HIRED, firm_itself),
        Step("no_show", [C.ACCEPTED, C.TRAVELLING], C.NO_SHOW, firm_itself),
    ]),
)

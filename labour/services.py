"""Every action of labour matching: one function each.

Pages, the API, the xlsx import, admin actions and the demo call these; none sets a status or saves a record
itself. Creates and edits ask the policy here; state changes go through the workflow tables (labour.policies)
that ``transition`` reads. Each runs in one transaction, validates on the model (resident ID check digits,
mobiles, dates, wages), writes the history row with its actor and queues its notices in the same transaction.
Worker-return registrations and charter trips are the subsidies app's: they are made by its public services
(``register_worker``, ``plan_trip``, ``add_passengers``), never here. Every "now" is the business clock.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from enterprises.accounts import firm_users
from fuyang_portal import clock, policy
from fuyang_portal.accounts import create_account
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import User
from fuyang_portal.notify import notify
from fuyang_portal.recipients import township_staff
from fuyang_portal.writes import insert_all, validate_or_refuse
from fuyang_portal.roles import Role
from fuyang_portal.validators import normalize_resident_id, validate_mobile, validate_resident_id
from fuyang_portal.workflow import ActionRefused, record, refuse_unless, transition
from labour.models import (ARRIVED, HOLDING, LIVE, Candidate, CandidateStatus, CountyAccount, PartnerCounty, Vacancy,
                           VacancyStatus, county_id_of)
from subsidies import regions
from subsidies import services as subsidies
from subsidies.models import CharterTrip, HealthCode, TravelMode, WorkerRegistration

VACANCY_FIELDS = (
    "position", "trade", "headcount", "skills", "wage_min", "wage_max", "housing", "meals", "start_date", "contact_name", "contact_mobile",
)
# A referral file may not hold more rows than this (a county's list for one vacancy).
MAX_CANDIDATES = 500


def county_users(county_id):
    return User.objects.filter(role=Role.COUNTY, county_account__county_id=county_id, is_active=True)


# --- partner counties and their accounts -----------------------------------------------------------


def add_partner_county(*, actor, name, region_code, pairing="", contact_mobile=""):
    """Add a paired county to the district's list (the district office only)."""
    policy.require(actor, "create", model=PartnerCounty)
    county = PartnerCounty(name=(name or "").strip(), region_code=(region_code or "").strip(), pairing=pairing or "", contact_mobile=contact_mobile or "")
    validate_or_refuse(county, validate_constraints=False)
    refuse_unless(regions.is_county(county.region_code), _("%(code)s is not a county code of the list.") % {"code": county.region_code}, ActionRefused.INVALID)
    refuse_unless(
        not PartnerCounty.objects.filter(Q(name=county.name) | Q(region_code=county.region_code)).exists(),
        _("This county is already a partner."),
        ActionRefused.CONFLICT,
    )
    with transaction.atomic():
        county.save()
        record(county, actor=actor, action="create", comment=county.region_code)
    return county


def ensure_partner_county(name, region_code, *, actor, **fields):
    return PartnerCounty.objects.filter(region_code=region_code).first() or add_partner_county(actor=actor, name=name, region_code=region_code, **fields)


@transaction.atomic
def create_county_account(*, actor, county, username, full_name="", mobile="", password=None):
    """Open an account for a partner county's labour office and bind it to its county."""
    policy.require(actor, "add_account", county)
    user = create_account(username=username, role=Role.COUNTY, password=password, actor=actor, full_name=full_name, mobile=mobile)
    user.county_account = CountyAccount.objects.create(user=user, county=county)
    record(county, actor=actor, action="add_account", comment=username)
    return user


def ensure_county_account(username, county, *, actor, **fields):
    existing = User.objects.filter(username=username).select_related("county_account").first()
    return existing or create_county_account(actor=actor, county=county, username=username, **fields)


# --- vacancies -------------------------------------------------------------------------------------


def post_vacancy(*, actor, enterprise, submit=False, **fields):
    """A firm's hiring need, posted by the firm or by a specialist serving it, as a draft (or submitted at once)."""
    vacancy = Vacancy(enterprise=enterprise, created_by=actor, **{k: v for k, v in fields.items() if k in VACANCY_FIELDS})
    policy.require(actor, "create", vacancy)
    validate_or_refuse(vacancy, validate_constraints=False)
    with transaction.atomic():
        vacancy.save()
        record(vacancy, actor=actor, action="create")
        if submit:
            submit_vacancy(vacancy, actor=actor)
    return vacancy


def update_vacancy(vacancy, *, actor, **fields):
    """Edit a draft or returned vacancy."""
    policy.require(actor, "change", vacancy)
    with transaction.atomic():
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        refuse_unless(locked.editable, _("Only a draft or returned vacancy can be edited."), ActionRefused.CONFLICT)
        changed = sorted(name for name, value in fields.items() if name in VACANCY_FIELDS and getattr(locked, name) != value)
        for name in changed:
            setattr(locked, name, fields[name])
        validate_or_refuse(locked, validate_constraints=False)
        locked.save()
        record(locked, actor=actor, action="change", comment=", ".join(changed))
    return locked


def submit_vacancy(vacancy, *, actor):
    def announce(locked):
        notify(
            township_staff(locked.enterprise.township_id),
            _("Vacancy to review: %(vacancy)s") % {"vacancy": locked},
            url=locked.get_absolute_url(),
        )

    return transition(vacancy, actor=actor, action="submit", apply=lambda locked: setattr(locked, "review_comment", ""), announce=announce)


def publish_vacancy(vacancy, *, actor, comment=""):
    """The township publishes the need: on the public board, in its texts, and to the partner counties."""

    def apply(locked):
        locked.published_at = clock.now()
        locked.published_by = actor
        locked.review_comment = comment or ""

    def announce(locked):
        notify(firm_users(locked.enterprise_id), _("Your vacancy is published: %(vacancy)s") % {"vacancy": locked}, url=locked.get_absolute_url())
        notify(
            User.objects.filter(role=Role.COUNTY, is_active=True, county_account__county__active=True),
            _("New vacancy in Fuyang: %(vacancy)s") % {"vacancy": locked},
            url=locked.get_absolute_url(),
        )

    return transition(vacancy, actor=actor, action="publish", comment=comment, apply=apply, announce=announce)


def return_vacancy(vacancy, *, actor, reason):
    policy.require(actor, "return", vacancy)
    refuse_unless((reason or "").strip(), _("Give the reason, so the firm knows what to correct."), ActionRefused.INVALID)

    def announce(locked):
        notify(firm_users(locked.enterprise_id), _("Your vacancy was returned for correction"), body=reason, url=locked.get_absolute_url())

    return transition(
        vacancy, actor=actor, action="return", comment=reason, apply=lambda locked: setattr(locked, "review_comment", reason), announce=announce
    )


def withdraw_vacancy(vacancy, *, actor, reason=""):
    """Withdraw a vacancy; candidates still only referred to it are declined with the same reason."""

    def apply(locked):
        locked.closed_at = clock.now()

    with transaction.atomic():
        locked = transition(vacancy, actor=actor, action="withdraw", comment=reason, apply=apply)
        pending = list(Candidate.objects.filter(vacancy=locked, status=CandidateStatus.REFERRED).values_list("county_id", flat=True))
        Candidate.objects.filter(vacancy=locked, status=CandidateStatus.REFERRED).update(
            status=CandidateStatus.DECLINED, reason=reason or _g("The vacancy was withdrawn."), decided_at=clock.now()
        )
        for county in set(pending):
            notify(county_users(county), _("A vacancy you referred workers to was withdrawn: %(vacancy)s") % {"vacancy": locked}, body=reason)
    return locked


def fill_vacancy(vacancy, *, actor, comment=""):
    return transition(vacancy, actor=actor, action="fill", comment=comment, apply=lambda locked: setattr(locked, "closed_at", clock.now()))


# --- township texts --------------------------------------------------------------------------------


def vacancy_line(number, vacancy):
    """One vacancy as a line of an SMS / WeChat text."""
    terms = [_g("%(low)s–%(high)s yuan a month") % {"low": vacancy.wage_min, "high": vacancy.wage_max}]
    if vacancy.housing:
        terms.append(_g("housing provided"))
    if vacancy.meals:
        terms.append(_g("meals provided"))
    return _g(
        "%(n)s. %(firm)s needs %(count)s × %(position)s, %(terms)s, from %(start)s; call %(contact)s %(mobile)s."
    ) % {
        "n": number,
        "firm": vacancy.enterprise.name,
        "count": vacancy.headcount,
        "position": vacancy.position,
        "terms": ", ".join(terms),
        "start": f"{vacancy.start_date.month}/{vacancy.start_date.day}",
        "contact": vacancy.contact_name,
        "mobile": vacancy.contact_mobile,
    }


def township_text(township, board_url, *, vacancies=None):
    """The text a township sends to its SMS lists, WeChat groups and official account: every published vacancy
    of its firms, one line each, and the address of the board."""
    if vacancies is None:
        vacancies = Vacancy.objects.public().filter(enterprise__township=township)
    vacancies = list(vacancies.select_related("enterprise").order_by("start_date", "pk"))
    today = clock.today()
    lines = [_g("[Fuyang %(township)s jobs, %(date)s]") % {"township": township.name, "date": f"{today.month}/{today.day}"}]
    if not vacancies:
        lines.append(_g("No open vacancy at the moment."))
    lines += [vacancy_line(n, v) for n, v in enumerate(vacancies, start=1)]
    lines.append(_g("All vacancies: %(url)s") % {"url": board_url})
    return "\n".join(lines)


# --- candidates: referral --------------------------------------------------------------------------

TRAVEL_MODE_NAMES = {"包车": TravelMode.CHARTER, "需包车": TravelMode.CHARTER, "火车": TravelMode.TRAIN, "高铁": TravelMode.TRAIN,
                     "自驾": TravelMode.SELF_DRIVE, "大巴": TravelMode.COACH, "客车": TravelMode.COACH}
HEALTH_CODE_NAMES = {"绿码": HealthCode.GREEN, "绿": HealthCode.GREEN, "黄码": HealthCode.YELLOW, "黄": HealthCode.YELLOW,
                     "红码": HealthCode.RED, "红": HealthCode.RED}


@dataclass
class CandidateRow:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


class RowsRefused(ActionRefused):
    """A referral with at least one bad row: nothing is saved; ``rows`` tells each row's errors."""

    def __init__(self, rows):
        bad = [row for row in rows if not row.ok]
        super().__init__(
            _("%(bad)s of %(total)s rows have errors; nothing was saved. Correct them and send the list again.")
            % {"bad": len(bad), "total": len(rows)},
            ActionRefused.INVALID,
        )
        self.rows = rows


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _choice(value, names, choices, default):
    text = str(value or "").strip()
    if not text:
        return default
    if text in names:
        return names[text]
    labels = {str(label): code for code, label in choices}
    return text if text in dict(choices) else labels.get(text)


def check_candidates(vacancy, rows, *, county_id=None):
    """Each row's errors and warnings, and its cleaned values. ``rows`` are dicts (a form, an API body or a
    file's lines) with name, id_number, mobile, skills, earliest_travel_date, travel_mode, health_code; a row
    may carry ``line`` (its line in the file). A fixed number of queries whatever the row count."""
    results = []
    today = clock.today()
    for position, raw in enumerate(rows, start=1):
        raw = dict(raw)
        row = CandidateRow(raw.pop("line", position), {})
        name = str(raw.get("name") or "").strip()
        if not name:
            row.errors.append(_g("The name is missing."))
        elif len(name) > 50:
            row.errors.append(_g("The name is longer than 50 characters."))
        number = normalize_resident_id(str(raw.get("id_number") or ""))
        try:
            validate_resident_id(number)
        except ValidationError:
            row.errors.append(_g("%(value)s is not a valid resident ID number (18 characters, check digit per GB 11643).") % {"value": number or "—"})
            number = ""
        mobile = str(raw.get("mobile") or "").strip()
        try:
            validate_mobile(mobile)
        except ValidationError:
            row.errors.append(_g("%(value)s is not a mainland mobile number (11 digits starting with 13-19).") % {"value": mobile or "—"})
        day = _date(raw.get("earliest_travel_date"))
        if day is None:
            row.errors.append(_g("The earliest travel date is missing or not a date (YYYY-MM-DD)."))
        elif day < today:
            row.errors.append(_g("The earliest travel date %(date)s is in the past.") % {"date": day.isoformat()})
        mode = _choice(raw.get("travel_mode"), TRAVEL_MODE_NAMES, TravelMode.choices, TravelMode.CHARTER)
        if mode is None:
            row.errors.append(_g("Unknown travel mode: %(value)s.") % {"value": raw.get("travel_mode")})
        health = _choice(raw.get("health_code"), HEALTH_CODE_NAMES, HealthCode.choices, HealthCode.GREEN)
        if health is None:
            row.errors.append(_g("Unknown health code: %(value)s.") % {"value": raw.get("health_code")})
        skills = str(raw.get("skills") or "").strip()[:200]
        row.values = {
            "name": name, "id_number": number, "id_number_hash": lookup_hash(number) if number else "", "mobile": mobile, "skills": skills,
            "earliest_travel_date": day, "travel_mode": mode, "health_code": health,
        }
        results.append(row)
    hashes = [row.values["id_number_hash"] for row in results if row.values["id_number_hash"]]
    seen = {}
    for row in results:
        digest = row.values["id_number_hash"]
        if digest and digest in seen:
            row.errors.append(_g("The same ID number is on line %(line)s of this list.") % {"line": seen[digest]})
        elif digest:
            seen[digest] = row.line
    already = set(Candidate.objects.filter(vacancy=vacancy, id_number_hash__in=hashes).values_list("id_number_hash", flat=True))
    others = {}
    for digest, candidate_id, firm, position, county, status in (
        Candidate.objects.filter(id_number_hash__in=hashes, status__in=LIVE)
        .exclude(vacancy=vacancy)
        .values_list("id_number_hash", "pk", "vacancy__enterprise__name", "vacancy__position", "county__name", "status")
        .order_by("pk")
    ):
        others.setdefault(digest, (candidate_id, firm, position, county, status))
    for row in results:
        digest = row.values["id_number_hash"]
        if digest in already:
            row.errors.append(_g("This person is already referred to this vacancy."))
        if digest in others:
            candidate_id, firm, position, county, status = others[digest]
            row.warnings.append(
                _g("Also referred to %(firm)s (%(position)s) by %(county)s, referral %(id)s, %(status)s.")
                % {"firm": firm, "position": position, "county": county, "id": candidate_id, "status": CandidateStatus(status).label}
            )
    return results


def refer_candidates(vacancy, *, actor, rows):
    """A partner county refers its list of workers to a published vacancy: all rows or none. A row with an
    invalid ID number or mobile refuses the whole list with every row's errors (RowsRefused); the same person
    referred to another live vacancy is saved with a warning naming the other referral."""
    policy.require(actor, "create", model=Candidate)
    county_id = county_id_of(actor)
    refuse_unless(county_id is not None, _("Only a partner county's labour office refers candidates."), ActionRefused.FORBIDDEN)
    rows = list(rows)
    refuse_unless(rows, _("The list has no candidates."), ActionRefused.INVALID)
    refuse_unless(len(rows) <= MAX_CANDIDATES, _("A list holds at most %(max)s candidates.") % {"max": MAX_CANDIDATES}, ActionRefused.INVALID)
    with transaction.atomic():
        locked = Vacancy.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=vacancy.pk)
        refuse_unless(locked.status == VacancyStatus.PUBLISHED, _("Candidates can be referred only to a published vacancy."), ActionRefused.CONFLICT)
        checked = check_candidates(locked, rows, county_id=county_id)
        if not all(row.ok for row in checked):
            raise RowsRefused(checked)
        now = clock.now()
        candidates = [
            Candidate(vacancy=locked, county_id=county_id, referred_by=actor, referred_at=now, warning=" ".join(row.warnings)[:300], **row.values)
            for row in checked
        ]
        created = insert_all(
            Candidate, candidates, conflict=_("One of these people was referred to this vacancy a moment ago."),
            reread=lambda: Candidate.objects.filter(vacancy=locked, referred_at=now, county_id=county_id).order_by("pk"),
        )
        from fuyang_portal.workflow import record_many

        record_many(created, actor=actor, action="create", state=CandidateStatus.REFERRED)
        county = PartnerCounty.objects.get(pk=county_id)
        notify(
            firm_users(locked.enterprise_id),
            _("%(count)s candidates referred by %(county)s for %(position)s") % {"count": len(created), "county": county.name, "position": locked.position},
            url=locked.get_absolute_url(),
        )
    for candidate, row in zip(created, checked):
        candidate.row = row
    return created


# --- candidates: the firm's decision and the way to the gate ---------------------------------------


def _tell_county(text):
    def announce(candidate):
        notify(county_users(candidate.county_id), text % {"name": candidate.masked_name, "vacancy": candidate.vacancy}, body=candidate.reason,
               url=candidate.get_absolute_url())

    return announce


def _registration_for(candidate, actor):
    """The candidate's worker-return registration with the firm (来富工作一点通), made by the subsidies service
    from the referral's data; a registration the same person already holds with this firm is reused."""
    vacancy = candidate.vacancy
    existing = (
        WorkerRegistration.objects.filter(enterprise_id=vacancy.enterprise_id, id_number_hash=candidate.id_number_hash, labour_candidate__isnull=True)
        .order_by("-return_date")
        .first()
    )
    if existing is not None:
        return existing
    county = candidate.county
    county_code = county.region_code if regions.is_county(county.region_code) else ""
    return subsidies.register_worker(
        enterprise=vacancy.enterprise,
        actor=actor,
        name=candidate.name,
        id_number=candidate.id_number,
        mobile=candidate.mobile,
        origin_province=regions.province_of(county.region_code),
        origin_county=county_code,
        return_date=max(candidate.earliest_travel_date, clock.today()),
        travel_mode=candidate.travel_mode,
        health_code=candidate.health_code,
    )


def accept_candidate(candidate, *, actor, comment=""):
    """The firm takes the worker: refused once the vacancy's places are all taken; the worker's return is
    registered at once (no retyping), ready for a charter bus."""

    def apply(locked):
        vacancy = Vacancy.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=locked.vacancy_id)
        refuse_unless(
            vacancy.status == VacancyStatus.PUBLISHED, _("This vacancy is no longer open (%(state)s).") % {"state": vacancy.get_status_display()},
            ActionRefused.CONFLICT,
        )
        taken = Candidate.objects.filter(vacancy=vacancy, status__in=HOLDING).exclude(pk=locked.pk).count()
        refuse_unless(
            taken < vacancy.headcount,
            _("The vacancy needs %(count)s workers and %(taken)s are already accepted.") % {"count": vacancy.headcount, "taken": taken},
            ActionRefused.CONFLICT,
        )
        locked.vacancy = vacancy
        locked.decided_at = clock.now()
        locked.registration = _registration_for(locked, actor)

    return transition(candidate, actor=actor, action="accept", comment=comment, apply=apply,
                      announce=_tell_county(_("%(name)s was accepted for %(vacancy)s")))


def _need_reason(reason):
    refuse_unless((reason or "").strip(), _("Give the reason."), ActionRefused.INVALID)


def decline_candidate(candidate, *, actor, reason):
    policy.require(actor, "decline", candidate)
    _need_reason(reason)

    def apply(locked):
        locked.reason = reason
        locked.decided_at = clock.now()

    return transition(candidate, actor=actor, action="decline", comment=reason, apply=apply,
                      announce=_tell_county(_("%(name)s was declined for %(vacancy)s")))


def depart_candidate(candidate, *, actor, comment=""):
    """The worker is on the way (by the charter bus, or by their own means)."""
    return transition(candidate, actor=actor, action="depart", comment=comment)


def confirm_arrival(candidate, *, actor, arrived_on=None):
    """The firm confirms the worker is at the gate."""
    day = arrived_on or clock.today()

    def apply(locked):
        refuse_unless(day <= clock.today(), _("The arrival date cannot be in the future."), ActionRefused.INVALID)
        refuse_unless(day >= timezone.localtime(locked.referred_at).date(), _("The arrival date is before the referral."), ActionRefused.INVALID)
        locked.arrived_on = day

    return transition(candidate, actor=actor, action="arrive", comment=day.isoformat(), apply=apply,
                      announce=_tell_county(_("%(name)s arrived at %(vacancy)s")))


def hire_candidate(candidate, *, actor, hired_on=None):
    """The worker signs on. When the vacancy's every place is hired, the vacancy is filled and leaves the board."""
    day = hired_on or clock.today()
    with transaction.atomic():

        def apply(locked):
            refuse_unless(locked.arrived_on is None or day >= locked.arrived_on, _("The hiring date is before the arrival."), ActionRefused.INVALID)
            locked.hired_on = day

        hired = transition(candidate, actor=actor, action="hire", comment=day.isoformat(), apply=apply)
        vacancy = Vacancy.objects.select_for_update().get(pk=hired.vacancy_id)
        count = Candidate.objects.filter(vacancy=vacancy, status=CandidateStatus.HIRED).count()
        if vacancy.status == VacancyStatus.PUBLISHED and count >= vacancy.headcount:
            fill_vacancy(vacancy, actor=actor, comment=_g("All %(count)s places hired.") % {"count": count})
    return hired


def no_show(candidate, *, actor, reason):
    policy.require(actor, "no_show", candidate)
    _need_reason(reason)

    def apply(locked):
        locked.reason = reason

    return transition(candidate, actor=actor, action="no_show", comment=reason, apply=apply,
                      announce=_tell_county(_("%(name)s did not come to %(vacancy)s")))


def put_on_trip(candidates, *, actor, departure_date=None, seats=None, trip=None):
    """Seat accepted candidates of one firm on a charter bus from their county: a new trip planned by the
    subsidies service (``plan_trip``), or seats on a planned one (``add_passengers``); they are then on the way.
    The trip then feeds the charter subsidy like any other."""
    candidates = list(candidates)
    refuse_unless(candidates, _("Choose at least one accepted candidate."), ActionRefused.INVALID)
    firm_ids = {c.vacancy.enterprise_id for c in candidates}
    refuse_unless(len(firm_ids) == 1, _("A charter bus brings the workers of one firm."), ActionRefused.INVALID)
    for candidate in candidates:
        policy.require(actor, "depart", candidate)
        refuse_unless(
            candidate.status == CandidateStatus.ACCEPTED and candidate.registration_id,
            _("%(name)s is not an accepted candidate waiting to travel.") % {"name": candidate.masked_name},
            ActionRefused.CONFLICT,
        )
    registrations = [c.registration for c in candidates]
    with transaction.atomic():
        if trip is None:
            counties = {c.county.region_code for c in candidates}
            county = counties.pop() if len(counties) == 1 else ""
            refuse_unless(departure_date is not None, _("Give the departure date."), ActionRefused.INVALID)
            trip = subsidies.plan_trip(
                actor=actor, enterprise=candidates[0].vacancy.enterprise, origin_province=regions.province_of(county or candidates[0].county.region_code),
                origin_county=county if regions.is_county(county) else "", departure_date=departure_date, seats=seats or max(len(candidates), 1),
                registrations=registrations,
            )
        else:
            refuse_unless(trip.enterprise_id in firm_ids, _("This trip is for another firm."), ActionRefused.INVALID)
            trip = subsidies.add_passengers(trip, actor=actor, registrations=registrations)
        for candidate in candidates:
            depart_candidate(candidate, actor=actor, comment=_g("Charter trip %(id)s") % {"id": trip.pk})
    return trip


def planned_trips(user, enterprise_id):
    """The planned charter trips of a firm that this user may add workers to."""
    return CharterTrip.objects.visible_to(user).filter(enterprise_id=enterprise_id, status=CharterTrip.Status.PLANNED).order_by("departure_date")


def holding_count(vacancy):
    return Candidate.objects.filter(vacancy=vacancy, status__in=HOLDING).count()


def vacancy_counts(vacancy):
    """How a vacancy stands: referred, accepted (holding a place), arrived, hired: one query."""
    return Candidate.objects.filter(vacancy=vacancy).aggregate(
        referred=Count("pk"),
        holding=Count("pk", filter=Q(status__in=HOLDING)),
        arrived=Count("pk", filter=Q(status__in=ARRIVED)),
        hired=Count("pk", filter=Q(status=CandidateStatus.HIRED)),
        waiting=Count("pk", filter=Q(status=CandidateStatus.REFERRED)),
    )

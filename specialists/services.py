"""Every change to specialists' records: one function per action. Pages, API, imports, admin and the demo call
these; none of them saves a record or sets a status itself.

Who may take which action, and the problem (诉求) workflow, are declared in ``specialists/policies.py``; state
changes go through ``fuyang_portal.workflow.transition`` (which reads that table), creates and edits write
their history row with ``record``. Notifications are queued in the same transaction (``announce``). Every
"now" and "today" is the business clock's.
"""

import secrets
from datetime import date, timedelta
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.accounts import firm_users
from enterprises.models import Enterprise
from fuyang_portal import clock, policy
from fuyang_portal.accounts import create_account
from fuyang_portal.models import Agency, User
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.workflow import ActionRefused, record, record_many, refuse_unless, transition
from specialists.models import (
    DEFAULT_WORKING_DAYS,
    Assignment,
    Category,
    DeadlineRule,
    Problem,
    ProblemAttachment,
    Specialist,
    TrackedProject,
    Visit,
    serves,  # noqa: F401  (re-exported: pages and tests ask services.serves)
)
from specialists.policies import REOPEN_WINDOW, firm_itself
from specialists.workdays import add_working_days, next_working_day

S = Problem.Status
MAX_EXTENSION_DAYS = 30


def _require(actor, action, obj=None, *, model=None):
    policy.require(actor, action, obj, model=model)


def _clean(obj, **kwargs):
    """Run the model's validators; a refusal carries their messages."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID) from None


# ---------------------------------------------------------------- specialists' profiles


def appoint_specialists(actor, rows, *, issue_passwords=True):
    """The district office appoints cadres as service specialists: for each row (``username``, ``full_name``,
    ``agency``, ``published_mobile``, ``domains``, ``townships``, optionally ``account``: an existing specialist
    account with no profile yet) an account and its published profile, each with its history row.

    Returns [(specialist, initial password)]: a one-time password to hand over, changed at first sign-in
    (None when ``issue_passwords`` is False: the account then has no usable password until one is set).
    """
    _require(actor, "create", model=Specialist)
    appointed = []
    with transaction.atomic():
        for row in rows:
            password = secrets.token_urlsafe(9) if issue_passwords else None
            account = row.get("account")
            if account is None:
                account = create_account(
                    username=row["username"], role=Role.SPECIALIST, password=password, actor=actor, full_name=row["full_name"],
                    mobile=row["published_mobile"], agency=row["agency"],
                )
            elif account.role != Role.SPECIALIST or Specialist.objects.filter(user=account).exists():
                raise ActionRefused(_("This account cannot be appointed a service specialist."), ActionRefused.CONFLICT)
            specialist = Specialist(user=account, agency=row["agency"], published_mobile=row["published_mobile"], created_at=clock.now())
            _clean(specialist, exclude=["user", "agency"])
            appointed.append((specialist, password, row))
        Specialist.objects.bulk_create([specialist for specialist, _password, _row in appointed])
        Domains, Townships = Specialist.domains.through, Specialist.townships.through
        Domains.objects.bulk_create([
            Domains(specialist_id=specialist.pk, servicedomain_id=getattr(domain, "pk", domain))
            for specialist, _password, row in appointed for domain in row["domains"]
        ])
        Townships.objects.bulk_create([
            Townships(specialist_id=specialist.pk, township_id=getattr(township, "pk", township))
            for specialist, _password, row in appointed for township in row["townships"]
        ])
        record_many([specialist for specialist, _password, _row in appointed], actor=actor, action="appoint", state="active")
    return [(specialist, password) for specialist, password, _row in appointed]


def appoint_specialist(actor, *, username, full_name, agency, published_mobile, domains, townships):
    """The district office appoints one cadre as a service specialist: (specialist, initial password)."""
    row = dict(username=username, full_name=full_name, agency=agency, published_mobile=published_mobile, domains=domains,
               townships=townships)
    return appoint_specialists(actor, [row])[0]


def update_specialist(actor, specialist, *, agency, published_mobile, domains, townships, active):
    """Edit a specialist's published profile; deactivating takes them off the public directory."""
    _require(actor, "change", specialist)
    with transaction.atomic():
        locked = Specialist.objects.select_for_update().get(pk=specialist.pk)
        was_active = locked.active
        locked.agency, locked.published_mobile, locked.active = agency, published_mobile, active
        _clean(locked)
        locked.save()
        locked.domains.set(domains)
        locked.townships.set(townships)
        # The account follows its profile: same agency, signs in only while active.
        User.objects.filter(pk=locked.user_id).update(agency=agency, is_active=active)
        state = "active" if active else "inactive"
        if was_active != active:
            record(locked, actor=actor, action="activate" if active else "deactivate", state=state)
        else:
            record(locked, actor=actor, action="change", state=state)
    return locked


# ---------------------------------------------------------------- who is who


def specialist_of(user):
    """The user's Specialist profile, or None."""
    if not user or not user.is_authenticated or user.role != Role.SPECIALIST:
        return None
    try:
        return user.specialist_profile
    except Specialist.DoesNotExist:
        return None


def district_users():
    return User.objects.filter(role=Role.DISTRICT, is_active=True)


def agency_users(agency_id):
    return User.objects.filter(role=Role.AGENCY, agency_id=agency_id, is_active=True)


def _specialist_users(problem):
    users = User.objects.filter(
        role=Role.SPECIALIST,
        is_active=True,
        specialist_profile__assignments__in=Assignment.objects.active().filter(enterprise_id=problem.enterprise_id),
    )
    if problem.specialist_id:
        users = users | User.objects.filter(specialist_profile=problem.specialist_id)
    return users.distinct()


def _announce(users_fn, title):
    """An ``announce`` callback: notify ``users_fn(problem)`` about the problem, in the transaction."""

    def send(locked):
        notify(list(users_fn(locked)), title, str(locked), reverse("specialists:problem", args=[locked.pk]))

    return send


# ---------------------------------------------------------------- deadlines


def working_days_for(category):
    rule = DeadlineRule.objects.filter(category=category).values_list("working_days", flat=True).first()
    return rule or DEFAULT_WORKING_DAYS


def deadline_for(category, start=None):
    """The deadline for a problem of ``category`` handed over on ``start`` (Beijing date, default today)."""
    return add_working_days(start or clock.today(), working_days_for(category))


def change_deadline_rule(actor, rule, working_days):
    """The district office sets a category's working days (applies to problems handed over from now on)."""
    _require(actor, "change", rule)
    with transaction.atomic():
        locked = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
        before = locked.working_days
        locked.working_days = working_days
        _clean(locked)
        locked.save()
        record(locked, actor=actor, action="change", comment=f"{before} → {working_days}")
    return locked


# ---------------------------------------------------------------- assignments of specialists to firms


def bulk_assign(actor, specialist, enterprises, starts_on=None, ends_on=None):
    """Assign one specialist to many firms from ``starts_on`` (default today). Returns (created, skipped), where
    skipped lists (firm, reason): a firm the actor may not assign, or one the specialist already serves then.

    One lock on the specialist makes two simultaneous assignments of the same pair impossible; one history
    row per assignment, with the actor.
    """
    _require(actor, "create", model=Assignment)
    starts_on = starts_on or clock.today()
    if ends_on is not None and ends_on < starts_on:
        raise ActionRefused(_("The end date is before the start date."), ActionRefused.INVALID)
    if not specialist.active:
        raise ActionRefused(_("This specialist is not active."), ActionRefused.INVALID)
    firms = list({firm.pk: firm for firm in enterprises}.values())
    created, skipped = [], []
    with transaction.atomic():
        Specialist.objects.select_for_update().filter(pk=specialist.pk).first()
        busy = set(
            Assignment.objects.filter(specialist=specialist, enterprise__in=[f.pk for f in firms])
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on), starts_on__lte=ends_on or date.max)
            .values_list("enterprise_id", flat=True)
        )
        rows = []
        for firm in firms:
            if not policy.can(actor, "create", Assignment(specialist=specialist, enterprise=firm)):
                skipped.append((firm, _("You may not assign specialists to this firm.")))
            elif firm.pk in busy:
                skipped.append((firm, _("%(specialist)s is already assigned to %(firm)s for this period.")
                                % {"specialist": specialist, "firm": firm}))
            else:
                rows.append(Assignment(specialist=specialist, enterprise=firm, starts_on=starts_on, ends_on=ends_on,
                                       created_by=actor, created_at=clock.now()))
        try:
            with transaction.atomic():
                created = Assignment.objects.bulk_create(rows)
        except IntegrityError:
            raise ActionRefused(_("This specialist is already assigned to this firm."), ActionRefused.CONFLICT) from None
        record_many(created, actor=actor, action="create", comment=str(specialist))
    return created, skipped


def assign_specialist(actor, specialist, enterprise, starts_on=None, ends_on=None):
    """Assign ``specialist`` to ``enterprise`` from ``starts_on`` (default today). Refuses an overlapping period."""
    _require(actor, "create", Assignment(specialist=specialist, enterprise=enterprise))
    created, skipped = bulk_assign(actor, specialist, [enterprise], starts_on, ends_on)
    if skipped:
        raise ActionRefused(skipped[0][1], ActionRefused.CONFLICT)
    return created[0]


def end_assignment(actor, assignment, ends_on=None):
    _require(actor, "end", assignment)
    ends_on = ends_on or clock.today()
    if ends_on < assignment.starts_on:
        raise ActionRefused(_("The end date is before the start date."), ActionRefused.INVALID)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ends_on is not None and locked.ends_on <= ends_on:
            raise ActionRefused(_("This assignment has already ended."), ActionRefused.CONFLICT)
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
        record(locked, actor=actor, action="end", comment=ends_on.isoformat())
    assignment.ends_on = ends_on
    return assignment


XLSX_HEADERS = ("credit_code", "specialist_mobile", "starts_on", "ends_on")


def _as_date(value, row_errors, label):
    if value in (None, ""):
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        row_errors.append(_("%(label)s “%(value)s” is not a date (YYYY-MM-DD).") % {"label": label, "value": value})
        return None


def import_assignments(actor, upload):
    """Assign specialists from an xlsx sheet: credit code, specialist's published mobile, start, end.

    Every row is checked; rows with errors are reported and skipped, the others are assigned. Returns
    (created_count, errors) with errors as [(row_number, message)].
    """
    from openpyxl import load_workbook

    from fuyang_portal.uploads import sniff

    _require(actor, "create", model=Assignment)
    if sniff(upload) != "xlsx":
        raise ActionRefused(_("This file is not an Excel (XLSX) file, whatever its name says."), ActionRefused.INVALID)
    upload.seek(0)
    try:
        sheet = load_workbook(BytesIO(upload.read()), read_only=True, data_only=True).worksheets[0]
    except Exception:  # a damaged workbook
        raise ActionRefused(_("The workbook could not be read."), ActionRefused.INVALID) from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ActionRefused(_("The sheet is empty."), ActionRefused.INVALID)
    body = rows[1:] if rows[0] and str(rows[0][0] or "").strip().lower() in ("credit_code", "统一社会信用代码", "credit code") else rows
    codes = {str(r[0]).strip().upper() for r in body if r and r[0]}
    mobiles = {str(r[1]).strip() for r in body if r and len(r) > 1 and r[1]}
    firms = {e.credit_code: e for e in Enterprise.objects.visible_to(actor).filter(credit_code__in=codes)}
    specialists = {s.published_mobile: s for s in Specialist.objects.visible_to(actor).filter(published_mobile__in=mobiles).select_related("user")}
    created, errors = 0, []
    first = 2 if body is not rows else 1
    for number, row in enumerate(body, start=first):
        if not row or all(cell in (None, "") for cell in row):
            continue
        row = tuple(row) + (None,) * (4 - len(row))
        row_errors = []
        firm = firms.get(str(row[0] or "").strip().upper())
        if firm is None:
            row_errors.append(_("No firm you manage has the credit code “%(code)s”.") % {"code": row[0] or ""})
        specialist = specialists.get(str(row[1] or "").strip())
        if specialist is None:
            row_errors.append(_("No specialist has the mobile “%(mobile)s”.") % {"mobile": row[1] or ""})
        starts_on = _as_date(row[2], row_errors, _("Start date"))
        ends_on = _as_date(row[3], row_errors, _("End date"))
        if not row_errors:
            try:
                assign_specialist(actor, specialist, firm, starts_on, ends_on)
                created += 1
            except ActionRefused as refusal:
                row_errors.append(str(refusal.message))
        errors.extend((number, message) for message in row_errors)
    return created, errors


# ---------------------------------------------------------------- visits and projects


CHECKS = ("checked_dual_plan", "checked_supplies", "checked_staff", "checked_production")


def _visit(actor, specialist, served, *, enterprise, visited_on=None, mode=Visit.Mode.ON_SITE, checks=(), notes="", project=None):
    """A checked, unsaved visit; ``served`` is the set of firm ids the specialist actively serves today."""
    visit = Visit(specialist=specialist, enterprise=enterprise, project=project, visited_on=visited_on or clock.today(),
                  mode=mode, notes=notes, created_at=clock.now(), **{name: name in checks for name in CHECKS})
    # The policy's "create" (serving_specialist), asked for many firms at once.
    refuse_unless(enterprise.pk in served, _("%(firm)s is not assigned to you.") % {"firm": enterprise})
    if visit.visited_on > clock.today():
        raise ActionRefused(_("A visit cannot be dated in the future."), ActionRefused.INVALID)
    if project is not None and project.enterprise_id != enterprise.pk:
        raise ActionRefused(_("The project belongs to another firm."), ActionRefused.INVALID)
    unknown = set(checks) - set(CHECKS)
    if unknown:
        raise ActionRefused(_("Unknown check: %(names)s.") % {"names": ", ".join(sorted(unknown))}, ActionRefused.INVALID)
    # The firm, the specialist and the project were checked above (in scope, assigned, same firm).
    _clean(visit, exclude=["specialist", "enterprise", "project"])
    return visit


def _served_firms(actor, firm_ids):
    return set(Assignment.objects.active().filter(specialist__user_id=actor.pk, enterprise_id__in=firm_ids).values_list("enterprise_id", flat=True))


def log_visits(actor, entries):
    """A specialist logs several visits at once (a day's or a week's round): each entry as the keyword
    arguments of ``log_visit`` without problems. All or nothing; one history row per visit."""
    specialist = specialist_of(actor)
    refuse_unless(specialist is not None and policy.can(actor, "create", model=Visit), _("Only a service specialist can log a visit."))
    served = _served_firms(actor, {entry["enterprise"].pk for entry in entries})
    visits = [_visit(actor, specialist, served, **entry) for entry in entries]
    with transaction.atomic():
        Visit.objects.bulk_create(visits)
        record_many(visits, actor=actor, action="create")
    return visits


@transaction.atomic
def log_visit(actor, enterprise, *, visited_on=None, mode=Visit.Mode.ON_SITE, checks=(), notes="", project=None, problems=()):
    """A specialist logs a visit to one of their firms and, in the same step, the problems found there.

    ``problems`` is a list of dicts with ``category`` and ``description``. Returns (visit, [problems]).
    """
    specialist = specialist_of(actor)
    refuse_unless(specialist is not None and policy.can(actor, "create", model=Visit), _("Only a service specialist can log a visit."))
    visit = _visit(actor, specialist, _served_firms(actor, [enterprise.pk]), enterprise=enterprise, visited_on=visited_on,
                   mode=mode, checks=checks, notes=notes, project=project)
    visit.save()
    record(visit, actor=actor, action="create")
    raised = [raise_problem(actor, enterprise, item["category"], item["description"], visit=visit) for item in problems]
    return visit, raised


def save_project(actor, project):
    """Create, or update, a tracked project of one of the specialist's firms (``project`` carries the new values)."""
    specialist = specialist_of(actor)
    refuse_unless(specialist is not None, _("Only a service specialist can track projects."))
    with transaction.atomic():
        if project.pk:
            locked = TrackedProject.objects.select_for_update().get(pk=project.pk)
            refuse_unless(policy.can(actor, "change", locked), _("This project is followed by another specialist."))
            project.specialist = locked.specialist
            refuse_unless(policy.can(actor, "change", project), _("%(firm)s is not assigned to you.") % {"firm": project.enterprise})
        else:
            project.specialist = specialist
            project.created_at = clock.now()
            refuse_unless(policy.can(actor, "create", project), _("%(firm)s is not assigned to you.") % {"firm": project.enterprise})
        _clean(project)
        created = project.pk is None
        project.save()
        record(project, actor=actor, action="create" if created else "change", state=project.stage)
    return project


# ---------------------------------------------------------------- problems


def _check_category(category):
    if category not in Category.values:
        raise ActionRefused(_("Unknown problem category."), ActionRefused.INVALID)


def _text_required(text, message):
    if not (text or "").strip():
        raise ActionRefused(message, ActionRefused.INVALID)
    return text.strip()


@transaction.atomic
def raise_problem(actor, enterprise, category, description, *, visit=None, files=()):
    """The firm itself or its specialist raises a problem; it gets a deadline by its category's rule."""
    problem = Problem(enterprise=enterprise, visit=visit, raised_by=actor, category=category, description=description or "")
    refuse_unless(policy.can(actor, "create", problem), _("You may not raise a problem for this firm."))
    _check_category(category)
    problem.description = _text_required(description, _("Describe the problem."))
    problem.specialist = specialist_of(actor)
    if problem.specialist is None:
        assignment = Assignment.objects.active().filter(enterprise=enterprise).select_related("specialist").order_by("starts_on", "pk").first()
        problem.specialist = assignment.specialist if assignment else None
    problem.raised_at = clock.now()
    problem.deadline = deadline_for(category, clock.today())
    problem.save()
    record(problem, actor=actor, action="create")
    for upload in files:
        add_attachment(actor, problem, upload)
    raised_by_firm = actor.role == Role.ENTERPRISE
    recipients = _specialist_users(problem) if raised_by_firm else firm_users(enterprise)
    notify(list(recipients), _("New problem raised"), str(problem), problem.get_absolute_url())
    return problem


def add_attachment(actor, problem, upload):
    refuse_unless(
        Problem.objects.visible_to(actor).filter(pk=problem.pk).exists() and policy.can(actor, "attach", problem),
        _("You may not attach files to this problem."),
    )
    attachment = ProblemAttachment(problem=problem, file=upload, original_name=str(getattr(upload, "name", ""))[:120],
                                   uploaded_by=actor, uploaded_at=clock.now())
    _clean(attachment)
    with transaction.atomic():
        attachment.save()
        record(problem, actor=actor, action="attach", comment=attachment.original_name)
    return attachment


def _handled_on_time(locked):
    return locked.deadline is None or clock.today() <= locked.deadline


def resolve(problem, actor, resolution):
    """The firm's specialist solves the problem themselves."""
    resolution = _text_required(resolution, _("Say how the problem was resolved."))

    def apply(locked):
        locked.resolution = resolution
        locked.resolved_at = clock.now()
        locked.on_time = _handled_on_time(locked)
        if locked.specialist_id is None:
            locked.specialist = specialist_of(actor)

    return transition(
        problem, actor=actor, action="resolve", comment=resolution, apply=apply,
        announce=_announce(lambda p: firm_users(p.enterprise_id), _("Your problem was resolved: please confirm")),
    )


def escalate(problem, actor, note=""):
    """The specialist (or the district office itself) hands a problem to the district office."""

    def apply(locked):
        locked.escalation_note = (note or "").strip()
        locked.escalated_at = clock.now()

    return transition(
        problem, actor=actor, action="escalate", comment=note, apply=apply,
        announce=_announce(lambda p: district_users(), _("A problem was escalated to the district office")),
    )


def assign(problem, actor, agency, deadline=None, comment=""):
    """The district office assigns (交办) an escalated problem to an agency, with a deadline.

    ``agency`` is an Agency or its id; the deadline defaults to the category's working days from today.
    """
    _require(actor, "assign", problem)
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    try:
        agency_obj = Agency.objects.visible_to(actor).get(pk=agency_id)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise ActionRefused(_("There is no such agency."), ActionRefused.INVALID) from None
    today = clock.today()
    if deadline is not None and deadline < today:
        raise ActionRefused(_("The deadline %(day)s is in the past.") % {"day": deadline.isoformat()}, ActionRefused.INVALID)

    def apply(locked):
        locked.agency = agency_obj
        locked.assigned_at = clock.now()
        locked.deadline = deadline or deadline_for(locked.category, today)
        locked.accepted_at = None
        locked.answer = ""
        locked.answered_at = None
        locked.answered_by = None
        locked.extension = Problem.Extension.NONE
        locked.extension_days = None
        locked.extension_reason = ""
        locked.overdue = False
        locked.on_time = None

    return transition(
        problem, actor=actor, action="assign", comment=comment or agency_obj.name, apply=apply,
        announce=_announce(lambda p: agency_users(p.agency_id), _("A problem was assigned to your agency")),
    )


def accept(problem, actor):
    def apply(locked):
        locked.accepted_at = clock.now()

    return transition(problem, actor=actor, action="accept", apply=apply)


def return_to_district(problem, actor, reason):
    """The agency returns an assignment that is not theirs; the district office reassigns it."""
    reason = _text_required(reason, _("Give the reason for returning it."))

    def apply(locked):
        locked.return_reason = reason
        locked.agency = None
        locked.assigned_at = None
        locked.accepted_at = None
        locked.overdue = False
        locked.extension = Problem.Extension.NONE
        locked.extension_days = None
        locked.extension_reason = ""

    return transition(
        problem, actor=actor, action="return", comment=reason, apply=apply,
        announce=_announce(lambda p: district_users(), _("An agency returned a problem: reassign it")),
    )


def _extension_is(problem, expected, message):
    """Refuse as a conflict (409) when the extension is not in the ``expected`` stage; the workflow table
    checks it again under the lock."""
    current = Problem.objects.filter(pk=problem.pk).values_list("extension", flat=True).first()
    if current != expected:
        raise ActionRefused(message, ActionRefused.CONFLICT)


def request_extension(problem, actor, days, reason):
    """The agency asks, once per assignment, for more working days."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ActionRefused(_("Ask for between 1 and %(max)d working days.") % {"max": MAX_EXTENSION_DAYS}, ActionRefused.INVALID)
    reason = _text_required(reason, _("Give the reason for the extension."))
    _extension_is(problem, Problem.Extension.NONE, _("An extension has already been asked for this assignment."))

    def apply(locked):
        locked.extension = Problem.Extension.REQUESTED
        locked.extension_days = days
        locked.extension_reason = reason

    return transition(
        problem, actor=actor, action="request_extension", comment=reason, apply=apply,
        announce=_announce(lambda p: district_users(), _("An agency asks for an extension")),
    )


def decide_extension(problem, actor, grant, comment=""):
    """The district office grants (the deadline moves by the working days asked) or refuses the extension."""
    _extension_is(problem, Problem.Extension.REQUESTED, _("No extension is waiting for a decision."))

    def apply(locked):
        if grant:
            locked.extension = Problem.Extension.GRANTED
            locked.deadline = add_working_days(max(locked.deadline, clock.today()), locked.extension_days)
            locked.overdue = False
        else:
            locked.extension = Problem.Extension.REFUSED

    return transition(
        problem, actor=actor, action="grant_extension" if grant else "refuse_extension", comment=comment, apply=apply,
        announce=_announce(lambda p: agency_users(p.agency_id), _("Extension granted") if grant else _("Extension refused")),
    )


def answer(problem, actor, text):
    """The agency answers an accepted problem. Only one answer is kept: the row is locked and the state checked."""
    text = _text_required(text, _("Write the answer."))

    def apply(locked):
        locked.answer = text
        locked.answered_at = clock.now()
        locked.answered_by = actor
        locked.on_time = _handled_on_time(locked)

    return transition(
        problem, actor=actor, action="answer", comment=text, apply=apply,
        announce=_announce(lambda p: firm_users(p.enterprise_id), _("The agency answered your problem: please confirm")),
    )


def _check_rating(rating):
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = None
    if value is None or str(rating).strip() != str(value) or not 1 <= value <= 5:
        raise ActionRefused(_("The rating must be a whole number from 1 to 5."), ActionRefused.INVALID)
    return value


def confirm(problem, actor, rating, feedback=""):
    """The firm confirms the problem is solved and rates the service from 1 to 5."""
    rating = _check_rating(rating)

    def apply(locked):
        locked.rating = rating
        locked.feedback = (feedback or "").strip()
        locked.closed_at = clock.now()

    return transition(problem, actor=actor, action="confirm", comment=feedback, apply=apply)


def reopen_action(problem):
    """The workflow action a reopen of ``problem`` is: back to the agency that answered it, or to the specialist."""
    return "reopen_to_agency" if problem.agency_id else "reopen"


def reopen(problem, actor, reason):
    """The firm is not satisfied: back to the agency that answered, or to the specialist.

    A resolved or answered problem can be reopened at once; a confirmed one only within seven days.
    """
    reason = _text_required(reason, _("Say why the problem is not solved."))
    current = Problem.objects.filter(pk=problem.pk).values("agency_id", "closed_at", "status", "enterprise_id").first() or {}
    if (
        current.get("status") == S.CONFIRMED
        and firm_itself(actor, problem)
        and clock.now() - current["closed_at"] > REOPEN_WINDOW
    ):
        raise ActionRefused(
            _("A confirmed problem can be reopened only within 7 days; raise a new one instead."), ActionRefused.CONFLICT
        )
    action = "reopen_to_agency" if current.get("agency_id") else "reopen"

    def apply(locked):
        if reopen_action(locked) != action:
            raise ActionRefused(_("The problem changed meanwhile; try again."), ActionRefused.CONFLICT)
        locked.rating = None
        locked.closed_at = None
        locked.on_time = None
        locked.reopen_count += 1
        if action == "reopen_to_agency":
            locked.deadline = deadline_for(locked.category)
            locked.overdue = False
            locked.answered_at = None
            locked.answered_by = None
        else:
            locked.resolved_at = None

    recipients = (lambda p: agency_users(p.agency_id)) if action == "reopen_to_agency" else _specialist_users
    return transition(
        problem, actor=actor, action=action, comment=reason, apply=apply,
        announce=_announce(recipients, _("A problem was reopened by the firm")),
    )


# ---------------------------------------------------------------- the overdue sweep


def sweep_overdue(today=None):
    """Flag assignments past their deadline and remind the agency and the district office the working day
    before and on the day. Idempotent: flags are set once (each with its history row), and each reminder has
    a dedupe key. Returns a dict of counts.

    A system task: it reads every agency's problems through the base manager, acting for no user.
    """
    today = today or clock.today()
    open_with_agency = Problem.objects.with_agency()
    with transaction.atomic():
        late = list(open_with_agency.select_for_update().filter(deadline__lt=today, overdue=False))
        flagged = Problem.objects.filter(pk__in=[p.pk for p in late]).update(overdue=True)
        for problem in late:
            problem.overdue = True
        record_many(late, actor=None, action="flag_overdue", comment=today.isoformat())
    tomorrow = next_working_day(today)
    due = list(
        open_with_agency.filter(deadline__gte=today, deadline__lte=max(tomorrow, today + timedelta(days=1)))
        .select_related("enterprise", "agency")
        .order_by("deadline", "pk")
    )
    if not due:
        return {"flagged": flagged, "reminded": 0}
    district = list(district_users())
    by_agency = {}
    for user in User.objects.filter(role=Role.AGENCY, is_active=True, agency_id__in={p.agency_id for p in due}):
        by_agency.setdefault(user.agency_id, []).append(user)
    with transaction.atomic():
        for problem in due:
            when = "today" if problem.deadline == today else "before"
            title = (
                _("Due today: %(problem)s") if when == "today" else _("Due on %(day)s: %(problem)s")
            ) % {"problem": problem, "day": problem.deadline.isoformat()}
            notify(
                by_agency.get(problem.agency_id, []) + district,
                title,
                problem.description[:200],
                problem.get_absolute_url(),
                sms=True,
                dedupe_key=f"specialists:problem:{problem.pk}:due:{problem.deadline.isoformat()}:{when}",
            )
    return {"flagged": flagged, "reminded": len(due)}

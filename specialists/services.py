"""Every change to specialists' records: one function per action, built on fuyang_portal.workflow.

Problem lifecycle (诉求):
    raised → resolved (by the specialist) → confirmed by the firm with a rating, or reopened;
    raised → escalated (to the district office) → assigned (交办, to an agency with a deadline) → accepted
           → answered → confirmed with a rating, or reopened (back to the agency);
    assigned/accepted → returned by the agency with a reason → escalated again (the district reassigns);
    one extension request per assignment, granted or refused by the district office;
    a confirmed problem may be reopened within REOPEN_WINDOW.
"""

import secrets
from datetime import date, timedelta
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from fuyang_portal.models import Agency, User
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.workflow import ActionRefused, log_transition, refuse_unless, transition
from specialists.models import (
    DEFAULT_WORKING_DAYS,
    Assignment,
    Category,
    DeadlineRule,
    Problem,
    ProblemAttachment,
    Specialist,
    Visit,
    active_on,
)
from specialists.workdays import add_working_days, next_working_day

S = Problem.Status
REOPEN_WINDOW = timedelta(days=7)
MAX_EXTENSION_DAYS = 30


# ---------------------------------------------------------------- specialists' profiles


def register_specialist(actor, *, username, full_name, agency, published_mobile, domains, townships):
    """The district office appoints a cadre as a service specialist: an account and its published profile.

    Returns the specialist and a one-time initial password to hand over; the specialist changes it at
    first sign-in.
    """
    refuse_unless(_is_district(actor), _("Only the district office appoints service specialists."))
    if User.objects.filter(username=username).exists():
        raise ActionRefused(_("The user name %(name)s is taken.") % {"name": username}, ActionRefused.INVALID)
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user = User(username=username, full_name=full_name, role=Role.SPECIALIST, agency=agency, mobile=published_mobile)
        user.set_password(password)
        user.save()
        specialist = Specialist.objects.create(user=user, agency=agency, published_mobile=published_mobile)
        specialist.domains.set(domains)
        specialist.townships.set(townships)
        log_transition(specialist, actor=actor, action="appoint", from_state="", to_state="active")
    return specialist, password


def update_specialist(actor, specialist, *, agency, published_mobile, domains, townships, active):
    """Edit a specialist's published profile; deactivating takes them off the public directory."""
    refuse_unless(_is_district(actor), _("Only the district office edits service specialists."))
    with transaction.atomic():
        locked = Specialist.objects.select_for_update().get(pk=specialist.pk)
        was_active = locked.active
        locked.agency, locked.published_mobile, locked.active = agency, published_mobile, active
        locked.full_clean()
        locked.save()
        locked.domains.set(domains)
        locked.townships.set(townships)
        User.objects.filter(pk=locked.user_id).update(agency=agency, is_active=active)
        if was_active != active:
            log_transition(
                locked, actor=actor, action="activate" if active else "deactivate",
                from_state="active" if was_active else "inactive", to_state="active" if active else "inactive",
            )
    return locked


# ---------------------------------------------------------------- who is who


def _is_district(user):
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.DISTRICT))


def specialist_of(user):
    """The user's Specialist profile, or None."""
    if not user or not user.is_authenticated or user.role != Role.SPECIALIST:
        return None
    try:
        return user.specialist_profile
    except Specialist.DoesNotExist:
        return None


def serves(user, enterprise_id, day=None):
    """Is ``user`` a specialist with an active assignment to the firm?"""
    return (
        user is not None
        and user.is_authenticated
        and user.role == Role.SPECIALIST
        and Assignment.objects.filter(active_on(day), specialist__user_id=user.pk, enterprise_id=enterprise_id).exists()
    )


def _is_agency_of(user, problem):
    return bool(user and user.is_authenticated and user.role == Role.AGENCY and user.agency_id and user.agency_id == problem.agency_id)


def _is_firm_of(user, problem):
    return bool(user and user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id == problem.enterprise_id)


def district_users():
    return User.objects.filter(role=Role.DISTRICT, is_active=True)


def agency_users(agency_id):
    return User.objects.filter(role=Role.AGENCY, agency_id=agency_id, is_active=True)


def firm_users(enterprise_id):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True)


def _specialist_users(problem):
    users = User.objects.filter(
        role=Role.SPECIALIST,
        is_active=True,
        specialist_profile__assignments__in=Assignment.objects.active().filter(enterprise_id=problem.enterprise_id),
    )
    if problem.specialist_id:
        users = users | User.objects.filter(specialist_profile=problem.specialist_id)
    return users.distinct()


def _notify_later(users_fn, title, problem):
    """An after_commit callback that notifies the users ``users_fn(problem)`` about ``problem``."""

    def send(locked):
        notify(list(users_fn(locked)), title, str(locked), reverse("specialists:problem", args=[locked.pk]))

    return send


# ---------------------------------------------------------------- deadlines


def working_days_for(category):
    rule = DeadlineRule.objects.filter(category=category).values_list("working_days", flat=True).first()
    return rule or DEFAULT_WORKING_DAYS


def deadline_for(category, start=None):
    """The deadline for a problem of ``category`` handed over on ``start`` (Beijing date, default today)."""
    return add_working_days(start or timezone.localdate(), working_days_for(category))


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------- assignments of specialists to firms


def _may_manage_assignments(actor, enterprise):
    if _is_district(actor):
        return True
    return actor.role == Role.TOWNSHIP and actor.township_id == enterprise.township_id


def assign_specialist(actor, specialist, enterprise, starts_on=None, ends_on=None):
    """Assign ``specialist`` to ``enterprise`` from ``starts_on`` (default today). Refuses an overlapping period."""
    refuse_unless(
        actor is not None and actor.is_authenticated and _may_manage_assignments(actor, enterprise),
        _("You may not assign specialists to this firm."),
    )
    starts_on = starts_on or _today()
    if ends_on is not None and ends_on < starts_on:
        raise ActionRefused(_("The end date is before the start date."), ActionRefused.INVALID)
    if not specialist.active:
        raise ActionRefused(_("This specialist is not active."), ActionRefused.INVALID)
    with transaction.atomic():
        # Lock the specialist so two simultaneous assignments of the same pair cannot both pass the check.
        Specialist.objects.select_for_update().filter(pk=specialist.pk).first()
        far = date.max
        overlapping = Assignment.objects.filter(specialist=specialist, enterprise=enterprise).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on), starts_on__lte=ends_on or far
        )
        if overlapping.exists():
            raise ActionRefused(
                _("%(specialist)s is already assigned to %(firm)s for this period.") % {"specialist": specialist, "firm": enterprise},
                ActionRefused.CONFLICT,
            )
        try:
            with transaction.atomic():
                return Assignment.objects.create(
                    specialist=specialist, enterprise=enterprise, starts_on=starts_on, ends_on=ends_on, created_by=actor
                )
        except IntegrityError:
            raise ActionRefused(_("This specialist is already assigned to this firm."), ActionRefused.CONFLICT) from None


def end_assignment(actor, assignment, ends_on=None):
    refuse_unless(
        actor is not None and actor.is_authenticated and _may_manage_assignments(actor, assignment.enterprise),
        _("You may not change this assignment."),
    )
    ends_on = ends_on or _today()
    if ends_on < assignment.starts_on:
        raise ActionRefused(_("The end date is before the start date."), ActionRefused.INVALID)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ends_on is not None and locked.ends_on <= ends_on:
            raise ActionRefused(_("This assignment has already ended."), ActionRefused.CONFLICT)
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
    assignment.ends_on = ends_on
    return assignment


def bulk_assign(actor, specialist, enterprises, starts_on=None, ends_on=None):
    """Assign one specialist to many firms. Returns (created, skipped) where skipped lists (firm, reason)."""
    created, skipped = [], []
    for enterprise in enterprises:
        try:
            created.append(assign_specialist(actor, specialist, enterprise, starts_on, ends_on))
        except ActionRefused as refusal:
            skipped.append((enterprise, str(refusal.message)))
    return created, skipped


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
    specialists = {s.published_mobile: s for s in Specialist.objects.filter(published_mobile__in=mobiles).select_related("user")}
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


@transaction.atomic
def log_visit(actor, enterprise, *, visited_on=None, mode=Visit.Mode.ON_SITE, checks=(), notes="", project=None, problems=()):
    """A specialist logs a visit to one of their firms and, in the same step, the problems found there.

    ``problems`` is a list of dicts with ``category`` and ``description``. Returns (visit, [problems]).
    """
    specialist = specialist_of(actor)
    refuse_unless(specialist is not None, _("Only a service specialist can log a visit."))
    visited_on = visited_on or _today()
    if visited_on > _today():
        raise ActionRefused(_("A visit cannot be dated in the future."), ActionRefused.INVALID)
    refuse_unless(
        serves(actor, enterprise.pk, visited_on) or serves(actor, enterprise.pk),
        _("%(firm)s is not assigned to you.") % {"firm": enterprise},
    )
    if project is not None and project.enterprise_id != enterprise.pk:
        raise ActionRefused(_("The project belongs to another firm."), ActionRefused.INVALID)
    unknown = set(checks) - set(CHECKS)
    if unknown:
        raise ActionRefused(_("Unknown check: %(names)s.") % {"names": ", ".join(sorted(unknown))}, ActionRefused.INVALID)
    visit = Visit(
        specialist=specialist, enterprise=enterprise, project=project, visited_on=visited_on, mode=mode, notes=notes,
        **{name: name in checks for name in CHECKS},
    )
    try:
        visit.full_clean()
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID) from None
    visit.save()
    raised = [raise_problem(actor, enterprise, item["category"], item["description"], visit=visit) for item in problems]
    return visit, raised


def save_project(actor, project):
    """Create or update a tracked project of one of the specialist's firms."""
    specialist = specialist_of(actor)
    refuse_unless(specialist is not None, _("Only a service specialist can track projects."))
    if project.pk:
        refuse_unless(project.specialist_id == specialist.pk, _("This project is followed by another specialist."))
    refuse_unless(serves(actor, project.enterprise_id), _("%(firm)s is not assigned to you.") % {"firm": project.enterprise})
    project.specialist = specialist
    try:
        project.full_clean()
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID) from None
    project.save()
    return project


# ---------------------------------------------------------------- problems


def _check_category(category):
    if category not in Category.values:
        raise ActionRefused(_("Unknown problem category."), ActionRefused.INVALID)


@transaction.atomic
def raise_problem(actor, enterprise, category, description, *, visit=None, files=()):
    """The firm itself or its specialist raises a problem; it gets a deadline by its category's rule."""
    is_firm = actor is not None and actor.is_authenticated and actor.role == Role.ENTERPRISE and actor.enterprise_id == enterprise.pk
    refuse_unless(is_firm or serves(actor, enterprise.pk), _("You may not raise a problem for this firm."))
    _check_category(category)
    if not (description or "").strip():
        raise ActionRefused(_("Describe the problem."), ActionRefused.INVALID)
    specialist = specialist_of(actor)
    if specialist is None:
        assignment = Assignment.objects.active().filter(enterprise=enterprise).select_related("specialist").order_by("starts_on", "pk").first()
        specialist = assignment.specialist if assignment else None
    now = timezone.now()
    problem = Problem.objects.create(
        enterprise=enterprise,
        specialist=specialist,
        visit=visit,
        raised_by=actor,
        raised_at=now,
        category=category,
        description=description.strip(),
        deadline=deadline_for(category, timezone.localdate(now)),
    )
    log_transition(problem, actor=actor, action="raise", from_state="", to_state=S.RAISED)
    for upload in files:
        add_attachment(actor, problem, upload)
    recipients = firm_users(enterprise.pk) if not is_firm else _specialist_users(problem)
    transaction.on_commit(
        lambda: notify(list(recipients), _("New problem raised"), str(problem), problem.get_absolute_url()), robust=True
    )
    return problem


def add_attachment(actor, problem, upload):
    refuse_unless(
        Problem.objects.visible_to(actor).filter(pk=problem.pk).exists() and (_is_firm_of(actor, problem) or serves(actor, problem.enterprise_id)
                                                                              or _is_agency_of(actor, problem) or _is_district(actor)),
        _("You may not attach files to this problem."),
    )
    attachment = ProblemAttachment(problem=problem, file=upload, original_name=str(getattr(upload, "name", ""))[:120], uploaded_by=actor)
    try:
        attachment.full_clean()
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID) from None
    attachment.save()
    return attachment


def _handler_on_time(locked):
    return locked.deadline is None or timezone.localdate() <= locked.deadline


def resolve(problem, actor, resolution):
    """The firm's specialist solves the problem themselves."""
    if not (resolution or "").strip():
        raise ActionRefused(_("Say how the problem was resolved."), ActionRefused.INVALID)

    def apply(locked):
        locked.resolution = resolution.strip()
        locked.resolved_at = timezone.now()
        locked.on_time = _handler_on_time(locked)
        if locked.specialist_id is None:
            locked.specialist = specialist_of(actor)

    return transition(
        problem, actor=actor, action="resolve", to_state=S.RESOLVED, allowed_from=(S.RAISED,),
        permitted=lambda user, locked: serves(user, locked.enterprise_id), comment=resolution, apply=apply,
        after_commit=_notify_later(lambda p: firm_users(p.enterprise_id), _("Your problem was resolved: please confirm"), problem),
    )


def escalate(problem, actor, note=""):
    """The specialist (or the district office itself) hands a problem to the district office."""

    def apply(locked):
        locked.escalation_note = (note or "").strip()
        locked.escalated_at = timezone.now()

    return transition(
        problem, actor=actor, action="escalate", to_state=S.ESCALATED, allowed_from=(S.RAISED,),
        permitted=lambda user, locked: serves(user, locked.enterprise_id) or _is_district(user), comment=note, apply=apply,
        after_commit=_notify_later(lambda p: district_users(), _("A problem was escalated to the district office"), problem),
    )


def assign(problem, actor, agency, deadline=None, comment=""):
    """The district office assigns (交办) an escalated problem to an agency, with a deadline.

    ``agency`` is an Agency or its id; the deadline defaults to the category's working days from today.
    """
    if not _is_district(actor):
        raise ActionRefused(_("Only the district office assigns problems to agencies."), ActionRefused.FORBIDDEN)
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    try:
        agency_obj = Agency.objects.get(pk=agency_id)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise ActionRefused(_("There is no such agency."), ActionRefused.INVALID) from None
    today = _today()
    if deadline is not None and deadline < today:
        raise ActionRefused(_("The deadline %(day)s is in the past.") % {"day": deadline.isoformat()}, ActionRefused.INVALID)

    def apply(locked):
        locked.agency = agency_obj
        locked.assigned_at = timezone.now()
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
        problem, actor=actor, action="assign", to_state=S.ASSIGNED, allowed_from=(S.ESCALATED,),
        permitted=lambda user, locked: _is_district(user), comment=comment or agency_obj.name, apply=apply,
        after_commit=_notify_later(lambda p: agency_users(p.agency_id), _("A problem was assigned to your agency"), problem),
    )


def accept(problem, actor):
    def apply(locked):
        locked.accepted_at = timezone.now()

    return transition(
        problem, actor=actor, action="accept", to_state=S.ACCEPTED, allowed_from=(S.ASSIGNED,),
        permitted=lambda user, locked: _is_agency_of(user, locked), apply=apply,
    )


def return_to_district(problem, actor, reason):
    """The agency returns an assignment that is not theirs; the district office reassigns it."""
    if not (reason or "").strip():
        raise ActionRefused(_("Give the reason for returning it."), ActionRefused.INVALID)

    def apply(locked):
        locked.return_reason = reason.strip()
        locked.agency = None
        locked.assigned_at = None
        locked.accepted_at = None
        locked.overdue = False
        locked.extension = Problem.Extension.NONE
        locked.extension_days = None
        locked.extension_reason = ""

    return transition(
        problem, actor=actor, action="return", to_state=S.ESCALATED, allowed_from=Problem.AGENCY_STATES,
        permitted=lambda user, locked: _is_agency_of(user, locked), comment=reason, apply=apply,
        after_commit=_notify_later(lambda p: district_users(), _("An agency returned a problem: reassign it"), problem),
    )


def _current_status(problem, expected):
    """For actions that keep the state: the state now, so the transition refuses if it changes meanwhile."""
    status = Problem.objects.filter(pk=problem.pk).values_list("status", flat=True).first()
    return status if status in expected else expected[0]


def request_extension(problem, actor, days, reason):
    """The agency asks, once per assignment, for more working days."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ActionRefused(
            _("Ask for between 1 and %(max)d working days.") % {"max": MAX_EXTENSION_DAYS}, ActionRefused.INVALID
        )
    if not (reason or "").strip():
        raise ActionRefused(_("Give the reason for the extension."), ActionRefused.INVALID)

    def apply(locked):
        if locked.extension != Problem.Extension.NONE:
            raise ActionRefused(_("An extension has already been asked for this assignment."), ActionRefused.CONFLICT)
        locked.extension = Problem.Extension.REQUESTED
        locked.extension_days = days
        locked.extension_reason = reason.strip()

    current = _current_status(problem, Problem.AGENCY_STATES)
    return transition(
        problem, actor=actor, action="request_extension", to_state=current, allowed_from=(current,),
        permitted=lambda user, locked: _is_agency_of(user, locked), comment=reason, apply=apply,
        after_commit=_notify_later(lambda p: district_users(), _("An agency asks for an extension"), problem),
    )


def decide_extension(problem, actor, grant, comment=""):
    """The district office grants (the deadline moves by the working days asked) or refuses the extension."""

    def apply(locked):
        if locked.extension != Problem.Extension.REQUESTED:
            raise ActionRefused(_("No extension is waiting for a decision."), ActionRefused.CONFLICT)
        if grant:
            locked.extension = Problem.Extension.GRANTED
            locked.deadline = add_working_days(max(locked.deadline, _today()), locked.extension_days)
            locked.overdue = False
        else:
            locked.extension = Problem.Extension.REFUSED

    current = _current_status(problem, Problem.AGENCY_STATES)
    return transition(
        problem, actor=actor, action="grant_extension" if grant else "refuse_extension", to_state=current,
        allowed_from=(current,), permitted=lambda user, locked: _is_district(user), comment=comment, apply=apply,
        after_commit=_notify_later(
            lambda p: agency_users(p.agency_id), _("Extension granted") if grant else _("Extension refused"), problem
        ),
    )


def answer(problem, actor, text):
    """The agency answers an accepted problem. Only one answer is kept: the row is locked and the state checked."""
    if not (text or "").strip():
        raise ActionRefused(_("Write the answer."), ActionRefused.INVALID)

    def apply(locked):
        locked.answer = text.strip()
        locked.answered_at = timezone.now()
        locked.answered_by = actor
        locked.on_time = _handler_on_time(locked)

    return transition(
        problem, actor=actor, action="answer", to_state=S.ANSWERED, allowed_from=(S.ACCEPTED,),
        permitted=lambda user, locked: _is_agency_of(user, locked), comment=text, apply=apply,
        after_commit=_notify_later(lambda p: firm_users(p.enterprise_id), _("The agency answered your problem: please confirm"), problem),
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
        locked.closed_at = timezone.now()

    return transition(
        problem, actor=actor, action="confirm", to_state=S.CONFIRMED, allowed_from=(S.RESOLVED, S.ANSWERED),
        permitted=lambda user, locked: _is_firm_of(user, locked), comment=feedback, apply=apply,
    )


def reopen(problem, actor, reason):
    """The firm is not satisfied: back to the agency that answered, or to the specialist.

    A resolved or answered problem can be reopened at once; a confirmed one only within seven days.
    """
    if not (reason or "").strip():
        raise ActionRefused(_("Say why the problem is not solved."), ActionRefused.INVALID)
    back_to = S.ACCEPTED if problem.agency_id else S.RAISED

    def apply(locked):
        # (transition has already set the new state: closed_at tells a confirmed problem)
        if locked.closed_at is not None and timezone.now() - locked.closed_at > REOPEN_WINDOW:
            raise ActionRefused(
                _("A confirmed problem can be reopened only within 7 days; raise a new one instead."), ActionRefused.CONFLICT
            )
        if (S.ACCEPTED if locked.agency_id else S.RAISED) != back_to:
            raise ActionRefused(_("The problem changed meanwhile; try again."), ActionRefused.CONFLICT)
        locked.rating = None
        locked.closed_at = None
        locked.on_time = None
        locked.reopen_count += 1
        if back_to == S.ACCEPTED:
            locked.deadline = deadline_for(locked.category)
            locked.overdue = False
            locked.answered_at = None
            locked.answered_by = None
        else:
            locked.resolved_at = None

    recipients = (lambda p: agency_users(p.agency_id)) if back_to == S.ACCEPTED else _specialist_users
    return transition(
        problem, actor=actor, action="reopen", to_state=back_to, allowed_from=(S.RESOLVED, S.ANSWERED, S.CONFIRMED),
        permitted=lambda user, locked: _is_firm_of(user, locked), comment=reason, apply=apply,
        after_commit=_notify_later(recipients, _("A problem was reopened by the firm"), problem),
    )


# ---------------------------------------------------------------- the overdue sweep


def sweep_overdue(today=None):
    """Flag assignments past their deadline and remind the agency and the district office the working day
    before and on the day. Idempotent: flags are set once, and each reminder has a dedupe key.
    Returns a dict of counts."""
    today = today or _today()
    open_with_agency = Problem.objects.with_agency()
    flagged = open_with_agency.filter(deadline__lt=today, overdue=False).update(overdue=True)
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

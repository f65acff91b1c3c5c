"""Every change to specialists' records: one function per action. Pages, API, imports, admin and the demo call
these; none of them saves a record or sets a status itself.

Who may take which action, and the problem (诉求) workflow, are declared in ``specialists/policies.py``; state
changes go through ``fuyang_portal.workflow.transition`` (which reads that table), creates and edits write
their history row with ``record``. Notifications are queued in the same transaction (``announce``). Every
"now" and "today" is the business clock's.
"""

import secrets
from zoneinfo import ZoneInfo
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
    AgencyHead,
    Assignment,
    Callback,
    Category,
    DeadlineRule,
    DeadlineRuleVersion,
    Problem,
    ProblemAttachment,
    ProblemPart,
    Supervision,
    Specialist,
    TrackedProject,
    Visit,
    serves,  # noqa: F401  (re-exported: pages and tests ask services.serves)
)
from specialists.policies import REOPEN_WINDOW, firm_itself
from specialists.workdays import add_firm_days, add_working_days, add_working_hours, next_working_day, working_days_between

S = Problem.Status
MAX_EXTENSION_DAYS = 30
BJ = ZoneInfo("Asia/Shanghai")


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


def limits_for(category):
    """The current version of ``category``'s time limits (a DeadlineRuleVersion). A rule changed outside
    ``change_deadline_rule`` (a data fix) gets its new version on first use, so a problem always points at the
    limits it was given."""
    rule = DeadlineRule.objects.filter(category=category).first()
    if rule is None:
        rule = DeadlineRule.objects.create(category=category, working_days=DEFAULT_WORKING_DAYS)
    version = rule.versions.order_by("-version").first()
    if version is None or any(getattr(version, name) != getattr(rule, name) for name in DeadlineRule.LIMIT_FIELDS):
        rule.version = (version.version + 1) if version else rule.version
        DeadlineRule.objects.filter(pk=rule.pk).update(version=rule.version)
        version = _new_version(rule, None)
    return version


def _limits_of(problem):
    """The version a problem's limits come from (the one it was given, else the current one)."""
    return problem.rule_version if problem.rule_version_id else limits_for(problem.category)


def _new_version(rule, actor):
    return DeadlineRuleVersion.objects.create(
        rule=rule, version=rule.version, changed_by=actor if actor is not None and actor.is_authenticated else None,
        effective_from=clock.now(), **{name: getattr(rule, name) for name in DeadlineRule.LIMIT_FIELDS},
    )


def change_deadline_rule(actor, rule, working_days=None, **limits):
    """The district office changes a category's time limits: a new version, used by problems from now on (those
    already under way keep the version they were given)."""
    _require(actor, "change", rule)
    unknown = set(limits) - set(DeadlineRule.LIMIT_FIELDS)
    if unknown:
        raise ActionRefused(_("Unknown time limit: %(names)s.") % {"names": ", ".join(sorted(unknown))}, ActionRefused.INVALID)
    if working_days is not None:
        limits["working_days"] = working_days
    with transaction.atomic():
        locked = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
        changes = []
        for name, value in limits.items():
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ActionRefused(_("Each time limit is a whole number."), ActionRefused.INVALID) from None
            if getattr(locked, name) != value:
                changes.append(f"{name}: {getattr(locked, name)} → {value}")
                setattr(locked, name, value)
        _clean(locked)
        if changes or not locked.versions.exists():
            locked.version = (locked.versions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
            locked.save()
            _new_version(locked, actor)
            record(locked, actor=actor, action="change", comment="; ".join(changes) or f"v{locked.version}")
    rule.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _handling_dates(start, deadline, limits):
    """(reminder day, three-times-late day) of a handling period from ``start`` to ``deadline`` (Beijing dates)."""
    days = max(1, working_days_between(start, deadline))
    share = -(-days * limits.reminder_percent // 100)  # ceiling
    return add_working_days(start, min(max(share, 1), days)), add_working_days(start, 3 * days)


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
    problem.rule_version = limits_for(category)
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


def _agency(actor, agency, message=None):
    """The Agency ``agency`` (an Agency or its id) as the actor may see it, or a 400."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    try:
        return Agency.objects.visible_to(actor).get(pk=agency_id)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise ActionRefused(message or _("There is no such agency."), ActionRefused.INVALID) from None


def _handled(locked):
    """A problem resolved or answered: its confirmation window and callback start."""
    limits = _limits_of(locked)
    locked.callback_due = add_working_days(clock.today(), limits.callback_days)


def resolve(problem, actor, resolution):
    """The firm's specialist solves the problem themselves."""
    resolution = _text_required(resolution, _("Say how the problem was resolved."))

    def apply(locked):
        locked.resolution = resolution
        locked.resolved_at = clock.now()
        locked.on_time = _handled_on_time(locked)
        locked.overdue = False
        _handled(locked)
        if locked.specialist_id is None:
            locked.specialist = specialist_of(actor)

    return transition(
        problem, actor=actor, action="resolve", comment=resolution, apply=apply,
        announce=_announce(lambda p: firm_users(p.enterprise_id), _("Your problem was resolved: please confirm")),
    )


def township_users(township_id):
    return User.objects.filter(role=Role.TOWNSHIP, township_id=township_id, is_active=True)


def refer_to_township(problem, actor, note=""):
    """The specialist hands the problem to the firm's township first (镇街首办); it has the rule's working days."""

    def apply(locked):
        limits = _limits_of(locked)
        locked.referred_at = clock.now()
        locked.escalation_note = (note or "").strip()
        locked.deadline = add_working_days(clock.today(), limits.township_days)
        locked.overdue = False

    return transition(
        problem, actor=actor, action="refer_to_township", comment=note, apply=apply,
        announce=_announce(lambda p: township_users(p.enterprise.township_id), _("A problem was referred to your township")),
    )


def township_resolve(problem, actor, resolution):
    """The township solves it at its level."""
    resolution = _text_required(resolution, _("Say how the problem was resolved."))

    def apply(locked):
        locked.resolution = resolution
        locked.resolved_at = clock.now()
        locked.on_time = _handled_on_time(locked)
        locked.overdue = False
        _handled(locked)

    return transition(
        problem, actor=actor, action="township_resolve", comment=resolution, apply=apply,
        announce=_announce(lambda p: firm_users(p.enterprise_id), _("Your problem was resolved: please confirm")),
    )


def _escalated(locked, note):
    locked.escalation_note = (note or "").strip() or locked.escalation_note
    locked.escalated_at = clock.now()
    locked.triage_due = add_working_hours(clock.now(), _limits_of(locked).triage_hours)
    locked.overdue = False


def escalate(problem, actor, note=""):
    """The specialist (or the district office itself) hands a problem to the district office, which has the
    rule's working hours to triage it."""
    return transition(
        problem, actor=actor, action="escalate", comment=note, apply=lambda locked: _escalated(locked, note),
        announce=_announce(lambda p: district_users(), _("A problem was escalated to the district office")),
    )


def pass_up(problem, actor, note):
    """The township cannot solve it: up to the district office."""
    note = _text_required(note, _("Say why the township cannot solve it."))
    return transition(
        problem, actor=actor, action="pass_up", comment=note, apply=lambda locked: _escalated(locked, note),
        announce=_announce(lambda p: district_users(), _("A problem was escalated to the district office")),
    )


def _co_agencies(actor, lead, co_agencies):
    found, seen = [], {lead.pk}
    for agency in co_agencies or ():
        agency = _agency(actor, agency, _("There is no such co-handling agency."))
        if agency.pk in seen:
            raise ActionRefused(_("An agency is named twice: the lead agency cannot also co-handle."), ActionRefused.INVALID)
        seen.add(agency.pk)
        found.append(agency)
    return found


def _hand_over(locked, agency, deadline):
    """Give the problem to ``agency`` to sign for; the handling clock starts at the first assignment only."""
    limits = _limits_of(locked)
    now, today = clock.now(), clock.today()
    if locked.rule_version_id is None:
        locked.rule_version = limits
    locked.agency = agency
    locked.assigned_at = now
    if locked.first_assigned_at is None:
        locked.first_assigned_at = now
        locked.deadline = deadline or add_working_days(today, limits.working_days)
    elif deadline is not None:
        locked.deadline = deadline
    start = locked.first_assigned_at.astimezone(BJ).date()
    locked.remind_on, locked.late3x_on = _handling_dates(start, locked.deadline, limits)
    locked.sign_for_due = add_working_hours(now, limits.sign_for_hours)
    locked.accepted_at = None
    locked.overdue = locked.deadline < today


def assign(problem, actor, agency, deadline=None, comment="", co_agencies=()):
    """The district office assigns (交办) an escalated problem to a lead agency (主办), with a deadline, and
    optionally to co-handling agencies (协办) that each answer their part.

    ``agency`` is an Agency or its id; the deadline defaults to the category's working days from today. Each
    agency has the rule's working hours to sign for (签收).
    """
    _require(actor, "assign", problem)
    agency_obj = _agency(actor, agency)
    co = _co_agencies(actor, agency_obj, co_agencies)
    today = clock.today()
    if deadline is not None and deadline < today:
        raise ActionRefused(_("The deadline %(day)s is in the past.") % {"day": deadline.isoformat()}, ActionRefused.INVALID)

    def apply(locked):
        _hand_over(locked, agency_obj, deadline)
        locked.answer = ""
        locked.answered_at = None
        locked.answered_by = None
        locked.extension = Problem.Extension.NONE
        locked.extension_days = None
        locked.extension_reason = ""
        locked.on_time = None
        sign_for_due = locked.sign_for_due
        ProblemPart.objects.bulk_create([
            ProblemPart(problem=locked, agency=a, assigned_at=clock.now(), sign_for_due=sign_for_due) for a in co
        ])

    def announce(locked):
        notify(list(agency_users(locked.agency_id)), _("A problem was assigned to your agency"), str(locked), locked.get_absolute_url())
        if co:
            notify(list(User.objects.filter(role=Role.AGENCY, is_active=True, agency__in=co)),
                   _("Your agency co-handles a problem"), str(locked), locked.get_absolute_url())

    names = agency_obj.name + ("" if not co else " + " + "、".join(a.name for a in co))
    return transition(problem, actor=actor, action="assign", comment=comment or names, apply=apply, announce=announce)


def _signed(locked):
    now = clock.now()
    locked.accepted_at = now
    if locked.signed_on_time is None:  # the first sign-for counts; signing again after an overruled return does not
        locked.signed_on_time = locked.sign_for_due is None or now <= locked.sign_for_due


def accept(problem, actor):
    """The agency signs for (签收) the assignment; on time when within the rule's working hours. Two clerks
    signing at once: the row lock lets exactly one through, the other is refused as a conflict."""
    return transition(problem, actor=actor, action="accept", apply=_signed)


def return_to_district(problem, actor, reason):
    """The agency returns (退单) an assignment that is not theirs, with the reason; the district office reviews it.
    The handling clock keeps running."""
    reason = _text_required(reason, _("Give the reason for returning it."))

    def apply(locked):
        locked.return_reason = reason
        locked.returned_at = clock.now()
        locked.return_count += 1
        locked.accepted_at = None
        locked.extension = Problem.Extension.NONE
        locked.extension_days = None
        locked.extension_reason = ""

    return transition(
        problem, actor=actor, action="return", comment=reason, apply=apply,
        announce=_announce(lambda p: district_users(), _("An agency returned a problem: review the return")),
    )


def review_return(problem, actor, accept_return, *, agency=None, comment="", deadline=None):
    """The district office reviews a return: accepts it and reassigns to ``agency`` (another one), or overrules
    it and sends it back to the same agency. Neither restarts the handling clock: the deadline stays (unless the
    district office sets one when reassigning); the agency signs for it again within the rule's hours."""
    _require(actor, "accept_return" if accept_return else "overrule_return", problem)
    if accept_return:
        new_agency = _agency(actor, agency) if agency not in (None, "") else None
        if new_agency is None:
            raise ActionRefused(_("Choose the agency to reassign it to."), ActionRefused.INVALID)
        current = Problem.objects.filter(pk=problem.pk).values_list("agency_id", flat=True).first()
        if new_agency.pk == current:
            raise ActionRefused(_("Accepting the return means another agency: choose one, or overrule the return."),
                                ActionRefused.INVALID)
        if deadline is not None and deadline < clock.today():
            raise ActionRefused(_("The deadline %(day)s is in the past.") % {"day": deadline.isoformat()}, ActionRefused.INVALID)
        if ProblemPart.objects.filter(problem_id=problem.pk, agency=new_agency).exists():
            raise ActionRefused(_("This agency already co-handles the problem."), ActionRefused.INVALID)
    else:
        comment = _text_required(comment, _("Say why the return is overruled."))
        new_agency = None

    def apply(locked):
        _hand_over(locked, new_agency or locked.agency, deadline if accept_return else None)

    return transition(
        problem, actor=actor, action="accept_return" if accept_return else "overrule_return",
        comment=comment or (new_agency.name if new_agency else ""), apply=apply,
        announce=_announce(
            lambda p: agency_users(p.agency_id),
            _("A problem was reassigned to your agency") if accept_return else _("Your return was overruled: the problem is yours"),
        ),
    )


def decline(problem, actor, reason):
    """不予受理: the district office does not take the problem up, with the reason the firm is told."""
    reason = _text_required(reason, _("Give the reason it is not accepted."))

    def apply(locked):
        locked.decline_reason = reason
        locked.closed_at = clock.now()
        locked.overdue = False

    return transition(
        problem, actor=actor, action="decline", comment=reason, apply=apply,
        announce=_announce(lambda p: list(firm_users(p.enterprise_id)) + list(_specialist_users(p)), _("Your problem was not accepted")),
    )


def merge(problem, actor, into, comment=""):
    """A duplicate of one of the same firm's open problems: closed as merged into it (its history says so)."""
    try:
        target = Problem.objects.visible_to(actor).get(pk=getattr(into, "pk", into))
    except (Problem.DoesNotExist, ValueError, TypeError):
        raise ActionRefused(_("There is no such problem to merge into."), ActionRefused.INVALID) from None
    if target.pk == problem.pk:
        raise ActionRefused(_("A problem cannot be merged into itself."), ActionRefused.INVALID)
    if target.enterprise_id != problem.enterprise_id:
        raise ActionRefused(_("Only problems of the same firm can be merged."), ActionRefused.INVALID)
    if not target.is_open:
        raise ActionRefused(_("Problem #%(pk)s is closed: merge into an open one.") % {"pk": target.pk}, ActionRefused.CONFLICT)

    def apply(locked):
        locked.merged_into = target
        locked.closed_at = clock.now()
        locked.overdue = False

    locked = transition(
        problem, actor=actor, action="merge", comment=comment or f"#{target.pk}", apply=apply,
        announce=_announce(lambda p: firm_users(p.enterprise_id), _("Your problem was merged with an earlier one")),
    )
    record(target, actor=actor, action="absorb", comment=f"#{locked.pk}")
    return locked


def _extension_is(problem, expected, message):
    """Refuse as a conflict (409) when the extension is not in the ``expected`` stage; the workflow table
    checks it again under the lock."""
    current = Problem.objects.filter(pk=problem.pk).values_list("extension", flat=True).first()
    if current != expected:
        raise ActionRefused(message, ActionRefused.CONFLICT)


def request_extension(problem, actor, days, reason):
    """The agency asks, once per assignment, for more working days, at most the rule's longest extension."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    current = Problem.objects.filter(pk=problem.pk).select_related("rule_version").first() or problem
    longest = min(_limits_of(current).max_extension_days, MAX_EXTENSION_DAYS)
    if not 1 <= days <= longest:
        raise ActionRefused(_("Ask for between 1 and %(max)d working days.") % {"max": longest}, ActionRefused.INVALID)
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
    """The district office grants (the deadline moves by the working days asked: the only pause of the clock)
    or refuses the extension."""
    _extension_is(problem, Problem.Extension.REQUESTED, _("No extension is waiting for a decision."))

    def apply(locked):
        if grant:
            locked.extension = Problem.Extension.GRANTED
            locked.deadline = add_working_days(max(locked.deadline, clock.today()), locked.extension_days)
            if locked.remind_on:
                locked.remind_on = add_working_days(locked.remind_on, locked.extension_days)
            if locked.late3x_on:
                locked.late3x_on = add_working_days(locked.late3x_on, locked.extension_days)
            locked.overdue = False
        else:
            locked.extension = Problem.Extension.REFUSED

    return transition(
        problem, actor=actor, action="grant_extension" if grant else "refuse_extension", comment=comment, apply=apply,
        announce=_announce(lambda p: agency_users(p.agency_id), _("Extension granted") if grant else _("Extension refused")),
    )


def answer(problem, actor, text):
    """The lead agency answers an accepted problem, once every co-handling agency answered its part. Only one
    answer is kept: the row is locked and the state checked."""
    text = _text_required(text, _("Write the answer."))

    def apply(locked):
        waiting = list(locked.parts.exclude(status=ProblemPart.Status.ANSWERED).select_related("agency"))
        if waiting:
            raise ActionRefused(
                _("Co-handling agencies still to answer their part: %(names)s.") % {"names": "、".join(p.agency.name for p in waiting)},
                ActionRefused.CONFLICT,
            )
        locked.answer = text
        locked.answered_at = clock.now()
        locked.answered_by = actor
        locked.on_time = _handled_on_time(locked)
        locked.overdue = False
        _handled(locked)

    return transition(
        problem, actor=actor, action="answer", comment=text, apply=apply,
        announce=_announce(lambda p: firm_users(p.enterprise_id), _("The agency answered your problem: please confirm")),
    )


def _part_in_play(part):
    status = Problem.objects.filter(pk=part.problem_id).values_list("status", flat=True).first()
    if status not in Problem.AGENCY_STATES:
        raise ActionRefused(
            _("This cannot be done while the problem is “%(state)s”.") % {"state": Problem.Status(status).label}, ActionRefused.CONFLICT
        )


def accept_part(part, actor):
    """A co-handling agency signs for its part."""
    policy.require(actor, "accept", part)
    _part_in_play(part)
    return transition(part, actor=actor, action="accept", apply=_signed)


def answer_part(part, actor, text):
    """A co-handling agency answers its part; the lead agency is told."""
    text = _text_required(text, _("Write the answer."))
    policy.require(actor, "answer", part)
    _part_in_play(part)

    def apply(locked):
        locked.answer = text
        locked.answered_at = clock.now()
        locked.answered_by = actor

    def announce(locked):
        problem = locked.problem
        notify(list(agency_users(problem.agency_id)), _("A co-handling agency answered its part"), str(problem), problem.get_absolute_url())

    return transition(part, actor=actor, action="answer", comment=text, apply=apply, announce=announce)


def _check_rating(rating):
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = None
    if value is None or str(rating).strip() != str(value) or not 1 <= value <= 5:
        raise ActionRefused(_("The rating must be a whole number from 1 to 5."), ActionRefused.INVALID)
    return value


# A rating at or below this is dissatisfied: the problem reopens by itself instead of closing.
DISSATISFIED_RATING = 2


def satisfaction_of(rating):
    S_ = Problem.Satisfaction
    return S_.SATISFIED if rating >= 4 else S_.BASIC if rating == 3 else S_.DISSATISFIED


def confirm(problem, actor, rating, feedback=""):
    """The firm confirms the problem is solved and rates the service from 1 to 5. A dissatisfied rating (1 or 2)
    does not close it: it reopens to whoever handled it, with the firm's feedback as the reason."""
    rating = _check_rating(rating)
    if rating <= DISSATISFIED_RATING:
        reason = (feedback or "").strip() or _("Dissatisfied rating: %(rating)d/5") % {"rating": rating}
        status = Problem.objects.filter(pk=problem.pk).values_list("status", flat=True).first()
        if status not in Problem.HANDLED_STATES:
            # The same refusal the workflow gives for a confirmation in the wrong state.
            policy.require(actor, "confirm", problem)
            raise ActionRefused(
                _("This cannot be done while the record is “%(state)s”.") % {"state": Problem.Status(status).label},
                ActionRefused.CONFLICT,
            )
        return reopen(problem, actor, f"{rating}/5 · {reason}")

    def apply(locked):
        locked.rating = rating
        locked.feedback = (feedback or "").strip()
        locked.closed_at = clock.now()
        locked.closed_how = Problem.Closed.FIRM
        locked.satisfaction = satisfaction_of(rating)

    return transition(problem, actor=actor, action="confirm", comment=feedback, apply=apply)


def reopen_action(problem):
    """The workflow action a reopen of ``problem`` is: back to the agency that answered it, or to the specialist."""
    return "reopen_to_agency" if problem.agency_id else "reopen"


def _reopened(locked, to_agency):
    locked.rating = None
    locked.closed_at = None
    locked.closed_how = Problem.Closed.NONE
    locked.satisfaction = ""
    locked.callback_due = None
    locked.on_time = None
    locked.reopen_count += 1
    if to_agency:
        locked.deadline = deadline_for(locked.category)
        locked.remind_on, locked.late3x_on = _handling_dates(clock.today(), locked.deadline, _limits_of(locked))
        locked.overdue = False
        locked.answered_at = None
        locked.answered_by = None
    else:
        locked.resolved_at = None
        locked.deadline = deadline_for(locked.category)
        locked.overdue = False


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
        _reopened(locked, action == "reopen_to_agency")

    recipients = (lambda p: agency_users(p.agency_id)) if action == "reopen_to_agency" else _specialist_users
    return transition(
        problem, actor=actor, action=action, comment=reason, apply=apply,
        announce=_announce(recipients, _("A problem was reopened by the firm")),
    )


# ---------------------------------------------------------------- the callback (回访)


def record_callback(problem, actor, reached, satisfaction="", comment=""):
    """The district office calls the firm back (回访) about a resolved or answered problem and records its answer.

    Not reached: recorded, nothing else changes. Satisfied or basically satisfied: closed. Dissatisfied (the
    reason is required): reopened to whoever handled it. A problem still being handled is refused (409)."""
    _require(actor, "callback", problem)
    reached = reached in (True, "true", "True", "1", 1, "on", "yes")
    comment = (comment or "").strip()
    SAT = Problem.Satisfaction
    if reached:
        if satisfaction not in (SAT.SATISFIED, SAT.BASIC, SAT.DISSATISFIED):
            raise ActionRefused(_("Record how satisfied the firm is."), ActionRefused.INVALID)
        if satisfaction == SAT.DISSATISFIED and not comment:
            raise ActionRefused(_("Record why the firm is dissatisfied: the agency gets it back with this reason."),
                                ActionRefused.INVALID)
        action = "callback_reopen" if satisfaction == SAT.DISSATISFIED else "callback"
    else:
        satisfaction = ""
        action = "callback_unreached"

    def apply(locked):
        Callback.objects.create(problem=locked, called_at=clock.now(), called_by=actor, reached=reached,
                                satisfaction=satisfaction, comment=comment)
        if action == "callback":
            locked.closed_at = clock.now()
            locked.closed_how = Problem.Closed.CALLBACK
            locked.satisfaction = satisfaction
        elif action == "callback_reopen":
            _reopened(locked, locked.agency_id is not None)

    recipients = {
        "callback": lambda p: firm_users(p.enterprise_id),
        "callback_reopen": lambda p: agency_users(p.agency_id) if p.agency_id else _specialist_users(p),
    }
    title = _("The firm is dissatisfied: the problem is back with you") if action == "callback_reopen" else _("Thank you for your answer")
    return transition(
        problem, actor=actor, action=action, comment=comment or satisfaction, apply=apply,
        announce=_announce(recipients[action], title) if action in recipients else None,
    )


# ---------------------------------------------------------------- agency heads


def set_agency_head(actor, agency, user):
    """The district office names who receives an agency's 督办 notices (an active account of that agency)."""
    _require(actor, "change", model=AgencyHead)
    if user.role != Role.AGENCY or user.agency_id != agency.pk or not user.is_active:
        raise ActionRefused(_("The head must be an active account of that agency."), ActionRefused.INVALID)
    with transaction.atomic():
        head, _created = AgencyHead.objects.update_or_create(agency=agency, defaults={"user": user})
        record(head, actor=actor, action="change", comment=user.display_name)
    return head


# ---------------------------------------------------------------- the sweep (督办)


def _supervise(rows, today):
    """Write the Supervision rows not written yet and return the new ones (a second run finds them all)."""
    if not rows:
        return []
    keys = {(r.problem_id, r.kind, r.stage, r.limit) for r in rows}
    existing = set(
        Supervision.objects.filter(problem_id__in={k[0] for k in keys}).values_list("problem_id", "kind", "stage", "limit")
    )
    fresh = []
    for row in rows:
        key = (row.problem_id, row.kind, row.stage, row.limit)
        if key not in existing:
            existing.add(key)
            fresh.append(row)
    Supervision.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


def _limit(agency_id, value):
    return f"{agency_id or '-'}:{value.isoformat()}"


def sweep_overdue(today=None):
    """The loop's sweep (nightly, and safe to run at any time): idempotent, system actor.

    - flags problems past their limit: with the specialist or the township past the deadline, escalated or
      returned past the triage limit, with an agency past the deadline (one history row per flag);
    - for each agency (lead and co-handling): a reminder once the rule's share of the handling time is used,
      催办 at the deadline (or when the sign-for limit passed), 督办 one working day after the deadline, by SMS and
      inbox to the agency's head (its staff and the district office too); each is a Supervision row, written
      once per problem, kind and limit, so a second run sends nothing;
    - closes as 默认满意 what the firm neither confirmed nor objected to within the rule's days (firms' calendar).

    Returns a dict of counts.
    """
    today = today or clock.today()
    now = clock.now()
    counts = {"flagged": 0, "reminded": 0, "urged": 0, "supervised": 0, "auto_closed": 0}
    late_q = (
        Q(status__in=Problem.DEADLINE_STATES, deadline__lt=today)
        | Q(status__in=Problem.TRIAGE_STATES, triage_due__lt=now)
    )
    with transaction.atomic():
        late = list(Problem.objects.select_for_update().filter(late_q, overdue=False))
        counts["flagged"] = Problem.objects.filter(pk__in=[p.pk for p in late]).update(overdue=True)
        record_many(late, actor=None, action="flag_overdue", comment=today.isoformat())

    with_agency = Problem.objects.filter(status__in=Problem.AGENCY_STATES).select_related("enterprise", "agency")
    rows, messages = [], []

    def add(problem, agency_id, kind, stage, limit, title):
        row = Supervision(problem_id=problem.pk, agency_id=agency_id, kind=kind, stage=stage, limit=_limit(agency_id, limit), at=now)
        rows.append(row)
        messages.append((row, problem, title))

    K, ST = Supervision.Kind, Supervision.Stage
    for problem in with_agency.filter(Q(remind_on__lte=today, deadline__gte=today) | Q(deadline__lte=today)
                                      | Q(status=S.ASSIGNED, sign_for_due__lt=now)).order_by("deadline", "pk"):
        if problem.status == S.ASSIGNED and problem.sign_for_due and problem.sign_for_due < now:
            add(problem, problem.agency_id, K.URGE, ST.SIGN_FOR, problem.sign_for_due, _("催办: sign for %(problem)s"))
        if problem.remind_on and problem.remind_on <= today <= problem.deadline and problem.remind_on < problem.deadline:
            add(problem, problem.agency_id, K.REMINDER, ST.HANDLING, problem.deadline, _("Reminder: %(problem)s is due on %(day)s"))
        if problem.deadline <= today:
            add(problem, problem.agency_id, K.URGE, ST.HANDLING, problem.deadline, _("催办: %(problem)s is due on %(day)s"))
        if next_working_day(problem.deadline) <= today:
            add(problem, problem.agency_id, K.SUPERVISE, ST.HANDLING, problem.deadline, _("督办: %(problem)s is overdue since %(day)s"))
    # Co-handling agencies: the same notices about their parts, by the problem's deadline.
    parts = (
        ProblemPart.objects.filter(problem__status__in=Problem.AGENCY_STATES)
        .exclude(status=ProblemPart.Status.ANSWERED)
        .filter(Q(problem__deadline__lte=today) | Q(status=ProblemPart.Status.ASSIGNED, sign_for_due__lt=now))
        .select_related("problem__enterprise")
    )
    for part in parts:
        problem = part.problem
        if part.status == ProblemPart.Status.ASSIGNED and part.sign_for_due and part.sign_for_due < now:
            add(problem, part.agency_id, K.URGE, ST.PART, part.sign_for_due, _("催办: sign for %(problem)s"))
        if problem.deadline <= today:
            add(problem, part.agency_id, K.URGE, ST.PART, problem.deadline, _("催办: %(problem)s is due on %(day)s"))
        if next_working_day(problem.deadline) <= today:
            add(problem, part.agency_id, K.SUPERVISE, ST.PART, problem.deadline, _("督办: %(problem)s is overdue since %(day)s"))
    # The district office's own triage limit.
    for problem in Problem.objects.filter(status__in=Problem.TRIAGE_STATES, triage_due__lt=now).select_related("enterprise"):
        add(problem, None, K.URGE, ST.TRIAGE, problem.triage_due, _("催办: triage %(problem)s"))

    with transaction.atomic():
        fresh = {id(row) for row in _supervise(rows, today)}
        agency_ids = {row.agency_id for row in rows if row.agency_id}
        staff, heads = {}, {}
        for user in User.objects.filter(role=Role.AGENCY, is_active=True, agency_id__in=agency_ids):
            staff.setdefault(user.agency_id, []).append(user)
        for head in AgencyHead.objects.filter(agency_id__in=agency_ids).select_related("user"):
            heads[head.agency_id] = head.user
        district = list(district_users())
        for row, problem, title in messages:
            if id(row) not in fresh:
                continue
            counts[{"reminder": "reminded", "urge": "urged", "supervise": "supervised"}[row.kind]] += 1
            if row.agency_id is None:
                recipients = district
            elif row.kind == K.SUPERVISE:
                recipients = [heads[row.agency_id]] if row.agency_id in heads else []
                recipients += staff.get(row.agency_id, []) + district
            else:
                recipients = staff.get(row.agency_id, [])
            notify(
                recipients, title % {"problem": problem, "day": problem.deadline.isoformat() if problem.deadline else ""},
                problem.description[:200], problem.get_absolute_url(), sms=row.kind != K.REMINDER,
                dedupe_key=f"specialists:problem:{problem.pk}:{row.kind}:{row.stage}:{row.limit}",
            )
    counts["auto_closed"] = auto_close(today)
    return counts


def auto_close(today=None):
    """默认满意: close what the firm neither confirmed nor objected to within the rule's days after it was resolved
    or answered (days on which firms could act). Each with its history row, by the system."""
    today = today or clock.today()
    closed = 0
    candidates = (
        Problem.objects.filter(status__in=Problem.HANDLED_STATES)
        # Handled before today at least (the shortest window is a day); the rule's window is checked below.
        .filter(Q(answered_at__date__lt=today) | Q(answered_at__isnull=True, resolved_at__date__lt=today))
        .select_related("rule_version")
        .only("pk", "status", "category", "answered_at", "resolved_at", "rule_version", "enterprise_id", "agency_id")
    )
    for problem in candidates:
        handled = problem.answered_at if problem.status == S.ANSWERED else problem.resolved_at
        if handled is None:
            continue
        limits = _limits_of(problem)
        # The window is the rule's days after the handling day (days firms could act); closed the day after it.
        if add_firm_days(handled.astimezone(BJ).date(), limits.auto_close_days) >= today:
            continue

        def apply(locked):
            locked.closed_at = clock.now()
            locked.closed_how = Problem.Closed.DEFAULT
            locked.satisfaction = Problem.Satisfaction.SATISFIED

        try:
            transition(problem, actor=None, action="auto_close", comment=_("默认满意"), apply=apply)
            closed += 1
        except ActionRefused:  # confirmed or reopened meanwhile
            continue
    return closed

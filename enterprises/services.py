"""Every write of the enterprises app: one function each, built on fuyang_portal.workflow.

Pages, the API, the imports, admin actions and the demo call these and never save a firm, a request, a report
or a pass, nor set a status, themselves. Each function asks the policy (enterprises.policies) before it reads
its input, validates with the model's validators, locks the row it changes, and writes the history row with
its actor; notices go to the outbox in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.accounts import firm_users
from enterprises.models import (
    ACTIVE_PASS_STATES,
    AWAITING_REVIEW,
    DailyReport,
    Enterprise,
    HealthCode,
    Pass,
    PassKind,
    PassStatus,
    ResumptionRequest,
    ResumptionStatus,
)
from fuyang_portal import clock, policy, queue
from fuyang_portal.models import Community, Township, Transition, User, Village
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.validators import normalize_credit_code, normalize_plate, validate_resident_id
from fuyang_portal.workflow import ActionRefused, record, record_many, refuse_unless, transition


def _township_staff(enterprise):
    return User.objects.filter(role=Role.TOWNSHIP, township_id=enterprise.township_id, is_active=True)


def _changed(instance, data):
    """The names of the fields in ``data`` whose value differs from ``instance``'s."""
    return [name for name, value in data.items() if getattr(instance, name) != value]


# --- registry ----------------------------------------------------------------------------------------------


def duplicate_firm_message(credit_code, exclude=None):
    # A credit code is unique in the whole district: the check reads every firm, whoever registers.
    existing = Enterprise.objects.filter(credit_code=credit_code).exclude(pk=exclude).only("name").first()
    if existing is None:
        return None
    return _("A firm with the credit code %(code)s is already registered (%(name)s).") % {
        "code": credit_code,
        "name": existing.name,
    }


def validate_firm(firm, taken=None, exclude=None):
    """Raise ValidationError (by field) unless ``firm`` is a valid registry entry: the credit code's length and
    check digit (GB 32100), the mobile, the village or community in its township, and a code no other firm
    holds. ``taken`` (code → name) and ``exclude`` (places already looked up) spare queries per row when many
    firms are checked at once."""
    firm.credit_code = normalize_credit_code(firm.credit_code)
    errors = {}
    try:
        firm.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if "credit_code" not in errors:
        if taken is not None:
            name = taken.get(firm.credit_code)
            message = name and _("A firm with the credit code %(code)s is already registered (%(name)s).") % {
                "code": firm.credit_code, "name": name}
        else:
            message = duplicate_firm_message(firm.credit_code, exclude=firm.pk)
        if message:
            errors["credit_code"] = [message]
    if errors:
        raise ValidationError(errors)


def _save_firm(firm):
    try:
        with transaction.atomic():
            firm.save()
    except IntegrityError:
        # Two registrations of one code at once: the unique index keeps the first.
        raise ValidationError({"credit_code": [duplicate_firm_message(firm.credit_code, exclude=firm.pk)]})


@transaction.atomic
def register_firm(actor, *, tags=(), **data):
    """Register a firm. District staff register any firm, township staff the firms of their township."""
    policy.require(actor, "create", model=Enterprise)
    firm = Enterprise(**data)
    policy.require(actor, "create", firm)  # in the township it is registered in
    validate_firm(firm)
    _save_firm(firm)
    if tags:
        firm.tags.set(tags)
    record(firm, actor=actor, action="create")
    return firm


PLACES = {"township": Township, "village": Village, "community": Community}


@transaction.atomic
def register_firms(actor, rows):
    """Register many firms at once (the xlsx import, the demo): all or nothing. ``rows`` are dicts of fields
    with an optional ``tags`` list; a ValidationError names the row (1-based) of every error."""
    policy.require(actor, "create", model=Enterprise)
    firms, tag_lists, problems = [], [], []
    for row in rows:
        data = dict(row)
        tag_lists.append(data.pop("tags", ()))
        firms.append(Enterprise(**data))
    # The places named, looked up once for all rows (and kept on each firm for its checks).
    unknown = {}
    for field, model in PLACES.items():
        found = model.objects.in_bulk({getattr(firm, f"{field}_id") for firm in firms} - {None})
        for index, firm in enumerate(firms):
            place_id = getattr(firm, f"{field}_id")
            if place_id in found:
                setattr(firm, field, found[place_id])
            elif place_id is not None or field == "township":
                unknown.setdefault(index, {})[field] = [_("Choose a valid place.")]
    codes = [normalize_credit_code(firm.credit_code) for firm in firms]
    taken = dict(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "name"))
    seen = set()
    for number, firm in enumerate(firms, start=1):
        try:
            if number - 1 in unknown:
                raise ValidationError(unknown[number - 1])
            policy.require(actor, "create", firm)
            validate_firm(firm, taken, exclude=list(PLACES))
            if firm.credit_code in seen:
                raise ValidationError({"credit_code": [_("%(code)s appears twice.") % {"code": firm.credit_code}]})
        except ValidationError as error:
            problems.extend(f"{number}: {message}" for messages in error.message_dict.values() for message in messages)
        seen.add(firm.credit_code)
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            Enterprise.objects.bulk_create(firms, batch_size=500)
    except IntegrityError:
        raise ValidationError(_("Another user registered one of these firms meanwhile; nothing was imported."))
    if not all(firm.pk for firm in firms):  # a database that cannot return the new ids
        ids = dict(Enterprise.objects.filter(credit_code__in=[f.credit_code for f in firms]).values_list("credit_code", "pk"))
        for firm in firms:
            firm.pk = ids[firm.credit_code]
    Through = Enterprise.tags.through
    Through.objects.bulk_create(
        [Through(enterprise_id=firm.pk, enterprisetag_id=getattr(tag, "pk", tag)) for firm, tags in zip(firms, tag_lists) for tag in tags],
        batch_size=1000,
    )
    record_many(firms, actor=actor, action="create")
    return firms


@transaction.atomic
def change_firm(firm, actor, *, tags=None, **data):
    """Edit a firm's entry under a row lock; the history row names the fields changed."""
    locked = Enterprise.objects.select_for_update().get(pk=firm.pk)
    policy.require(actor, "change", locked)
    if "credit_code" in data:
        data["credit_code"] = normalize_credit_code(data["credit_code"])
    changed = _changed(locked, data)
    for name, value in data.items():
        setattr(locked, name, value)
    policy.require(actor, "change", locked)  # and may keep it where it now is (township staff: their township)
    validate_firm(locked)
    _save_firm(locked)
    if tags is not None and {t.pk for t in tags} != set(locked.tags.values_list("pk", flat=True)):
        locked.tags.set(tags)
        changed.append("tags")
    record(locked, actor=actor, action="change", comment=", ".join(changed))
    firm.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# --- resumption requests ------------------------------------------------------------------------------


PLAN_FIELDS = ("resumption_plan", "prevention_plan")


def _plans(data):
    # A cleared file input gives False: the plan is removed.
    return {name: ("" if name in PLAN_FIELDS and value is False else value) for name, value in data.items()}


def filing_blocker(enterprise, requests=None):
    """The request that makes a new one pointless: the firm's approved request (a firm resumes once), else one
    awaiting review (a second could not be submitted). None when a new request can go through. ``requests``:
    the rows to look in (a page passes the user's ``visible_to``)."""
    requests = ResumptionRequest.objects if requests is None else requests
    approved_first = Case(When(status=ResumptionStatus.APPROVED, then=Value(0)), default=Value(1))
    return (
        requests.filter(enterprise=enterprise, status__in=(ResumptionStatus.APPROVED, *AWAITING_REVIEW))
        .order_by(approved_first, "submitted_at", "pk")
        .first()
    )


def filing_refusal(blocker):
    """Why the firm of ``blocker`` (from ``filing_blocker``) cannot file a new request, in its own words."""
    if blocker.status == ResumptionStatus.APPROVED:
        date = f"{timezone.localtime(blocker.approved_at):%Y-%m-%d}"
        return _("Your firm was approved to resume work on %(date)s (request #%(pk)s); no new request is needed.") % {
            "date": date, "pk": blocker.pk}
    date = f"{timezone.localtime(blocker.submitted_at):%Y-%m-%d}" if blocker.submitted_at else "—"
    return _(
        "Your request #%(pk)s, submitted on %(date)s, is awaiting your township's review; "
        "a new request can be filed only after a decision."
    ) % {"date": date, "pk": blocker.pk}


@transaction.atomic
def file_request(actor, enterprise, **data):
    """A firm opens a resumption request (a draft) with its figures and plans; refused when the firm has
    already been approved or has a request awaiting review (the draft could never be submitted)."""
    refuse_unless(policy.can(actor, "create", enterprise, model=ResumptionRequest), _("Only the firm itself may file its request."))
    blocker = filing_blocker(enterprise)
    if blocker is not None:
        raise ActionRefused(filing_refusal(blocker), ActionRefused.CONFLICT)
    request = ResumptionRequest(enterprise=enterprise, created_by=actor, created_at=clock.now(), **_plans(data))
    request.full_clean(validate_constraints=False)
    request.save()
    record(request, actor=actor, action="create")
    return request


def ensure_editable(resumption, user):
    """A firm edits its own request while it is a draft or has been returned."""
    refuse_unless(policy.can(user, "change", resumption), _("Only the firm itself may change its request."))
    refuse_unless(
        resumption.is_editable,
        _("A request can be changed only while it is a draft or after it was returned."),
        ActionRefused.CONFLICT,
    )


@transaction.atomic
def change_request(resumption, actor, **data):
    """The firm edits its draft or returned request under a row lock."""
    locked = ResumptionRequest.objects.select_for_update().get(pk=resumption.pk)
    ensure_editable(locked, actor)
    data = _plans(data)
    changed = _changed(locked, data)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean(validate_constraints=False)
    locked.save()
    record(locked, actor=actor, action="change", comment=", ".join(changed))
    return locked


def submit_resumption(resumption, user, *, announce=True):
    """Draft → submitted, or returned → resubmitted. Both plans must be attached."""
    action = "resubmit" if resumption.status == ResumptionStatus.RETURNED else "submit"

    def apply(locked):
        if not locked.has_both_plans:
            raise ActionRefused(
                _("Attach both plans (the resumption plan and the epidemic prevention plan) before submitting."),
                ActionRefused.INVALID,
            )
        others = ResumptionRequest.objects.filter(enterprise_id=locked.enterprise_id).exclude(pk=locked.pk)
        if others.filter(status=ResumptionStatus.APPROVED).exists():
            raise ActionRefused(_("This firm has already been approved to resume work."), ActionRefused.CONFLICT)
        if others.filter(status__in=AWAITING_REVIEW).exists():
            raise ActionRefused(_("Another request of this firm is already awaiting review."), ActionRefused.CONFLICT)
        locked.submitted_at = clock.now()

    def tell_township(locked):
        notify(
            _township_staff(locked.enterprise),
            _("Resumption request to review: %(firm)s") % {"firm": locked.enterprise.name},
            url=locked.get_absolute_url(),
            dedupe_key=f"resumption-submitted-{locked.pk}-{locked.submitted_at:%Y%m%d%H%M%S}",
        )

    return transition(resumption, actor=user, action=action, apply=apply, announce=tell_township if announce else None)


def approve_resumption(resumption, user, comment="", *, announce=True):
    """Submitted or resubmitted → approved; the firm counts as resumed from now."""

    def apply(locked):
        locked.approved_at = clock.now()
        locked.reviewed_by = user
        if ResumptionRequest.objects.filter(enterprise_id=locked.enterprise_id, status=ResumptionStatus.APPROVED).exists():
            raise ActionRefused(_("This firm already has an approved resumption request."), ActionRefused.CONFLICT)
        Enterprise.objects.filter(pk=locked.enterprise_id).mark_resumed(locked.approved_at)

    def tell_firm(locked):
        notify(
            firm_users(locked.enterprise_id),
            _("Your resumption request was approved"),
            url=locked.get_absolute_url(),
            sms=True,
            dedupe_key=f"resumption-approved-{locked.pk}",
        )

    try:
        return transition(
            resumption, actor=user, action="approve", comment=comment, apply=apply, announce=tell_firm if announce else None
        )
    except IntegrityError:
        raise ActionRefused(_("This firm already has an approved resumption request."), ActionRefused.CONFLICT)


def return_resumption(resumption, user, reason, *, announce=True):
    """Submitted or resubmitted → returned, with the reason the firm will read."""
    policy.require(user, "return", resumption)  # the wrong role hears 403 before a missing reason
    reason = (reason or "").strip()
    refuse_unless(reason, _("Give the reason for returning the request."), ActionRefused.INVALID)

    def apply(locked):
        locked.return_reason = reason
        locked.reviewed_by = user

    def tell_firm(locked):
        notify(
            firm_users(locked.enterprise_id),
            _("Your resumption request was returned"),
            body=reason,
            url=locked.get_absolute_url(),
            sms=True,
            dedupe_key=f"resumption-returned-{locked.pk}-{clock.now():%Y%m%d%H%M%S}",
        )

    return transition(
        resumption, actor=user, action="return", comment=reason, apply=apply, announce=tell_firm if announce else None
    )


# --- headcount reports ----------------------------------------------------------------------------------


@transaction.atomic
def file_report(user, enterprise, *, staff_on_site, staff_away, capacity_percent, note="", date=None):
    """A firm's report for one day; a second one for the same day is refused."""
    refuse_unless(
        policy.can(user, "create", enterprise, model=DailyReport), _("Only the firm itself may report its headcount.")
    )
    today = clock.today()
    date = date or today
    refuse_unless(date <= today, _("A report cannot be dated in the future."), ActionRefused.INVALID)
    refuse_unless(
        0 <= capacity_percent <= 100, _("Capacity in use is a percentage from 0 to 100."), ActionRefused.INVALID
    )
    message = _("This firm has already reported for %(date)s.") % {"date": date.isoformat()}
    if DailyReport.objects.filter(enterprise=enterprise, date=date).exists():
        raise ActionRefused(message, ActionRefused.CONFLICT)
    report = DailyReport(
        enterprise=enterprise,
        date=date,
        staff_on_site=staff_on_site,
        staff_away=staff_away,
        capacity_percent=capacity_percent,
        note=note,
        reported_by=user,
        created_at=clock.now(),
    )
    try:
        report.full_clean(exclude=["enterprise", "reported_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two reports at once: the database constraint keeps one.
        raise ActionRefused(message, ActionRefused.CONFLICT)
    record(report, actor=user, action="create")
    return report


# --- passes ------------------------------------------------------------------------------------------------


def pass_number(pass_):
    prefix = "V" if pass_.kind == PassKind.VEHICLE else "E"
    return f"FY{prefix}{clock.today():%y%m%d}{pass_.pk:07d}"


def _duplicate_message(kind):
    if kind == PassKind.VEHICLE:
        return _("This vehicle already holds an active pass.")
    return _("This person already holds an active pass.")


def _active_same_holder(kind, key):
    qs = Pass.objects.filter(kind=kind, status__in=ACTIVE_PASS_STATES)
    return qs.filter(plate=key) if kind == PassKind.VEHICLE else qs.filter(id_number_hash=key)


def _expire(lapsed):
    # The portal's own step (no user acts): the workflow table gives "expire" to the system.
    return transition(lapsed, actor=None, action="expire")


def expire_lapsed_passes(today=None):
    """Mark issued passes whose validity has ended as expired, each with its history row. Running it twice
    changes nothing the second time. A system sweep: it reads every firm's passes."""
    today = today or clock.today()
    count = 0
    for lapsed in Pass.objects.filter(status=PassStatus.ISSUED, valid_until__lt=today).only("pk", "status").iterator():
        try:
            _expire(lapsed)
        except ActionRefused:
            continue  # revoked or expired meanwhile
        count += 1
    return count


@transaction.atomic
def apply_for_pass(user, enterprise, kind, *, announce=True, **data):
    """File a pass for a firm. ``data`` holds the pass fields; for an employee pass ``id_number`` in the clear.

    A plate or person with an active pass (awaiting approval or issued and still valid) is refused: the
    service checks under a row lock and the partial unique constraints catch two filings at once.
    """
    refuse_unless(policy.can(user, "create", enterprise, model=Pass), _("Only the firm itself may apply for its passes."))
    pass_ = Pass(kind=kind, enterprise=enterprise, created_by=user, applied_at=clock.now())
    id_number = data.pop("id_number", "")
    for field, value in data.items():
        setattr(pass_, field, value)
    if kind == PassKind.VEHICLE:
        pass_.plate = normalize_plate(pass_.plate)
        key = pass_.plate
    else:
        try:
            validate_resident_id(id_number)
        except ValidationError as error:
            raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID)
        pass_.set_id_number(id_number)
        key = pass_.id_number_hash
    today = clock.today()
    refuse_unless(
        pass_.valid_from and pass_.valid_until and pass_.valid_from <= pass_.valid_until,
        _("The validity must end on or after the day it starts."),
        ActionRefused.INVALID,
    )
    refuse_unless(pass_.valid_until >= today, _("The validity has already ended."), ActionRefused.INVALID)
    try:
        pass_.full_clean(exclude=["enterprise", "created_by", "id_number"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID)
    # A pass whose validity has ended no longer blocks a new one: it expires first (with its history row).
    for lapsed in _active_same_holder(kind, key).filter(status=PassStatus.ISSUED, valid_until__lt=today):
        _expire(lapsed)
    # Lock the holder's active passes (if any) so a revoke or expiry cannot race this check.
    if _active_same_holder(kind, key).select_for_update().exists():
        raise ActionRefused(_duplicate_message(kind), ActionRefused.CONFLICT)
    try:
        with transaction.atomic():
            pass_.save()
    except IntegrityError:
        raise ActionRefused(_duplicate_message(kind), ActionRefused.CONFLICT)
    record(pass_, actor=user, action="create")
    if announce:
        notify(
            _township_staff(enterprise),
            _("Pass to approve: %(firm)s") % {"firm": enterprise.name},
            url=pass_.get_absolute_url(),
            dedupe_key=f"pass-applied-{pass_.pk}",
        )
    return pass_


def notify_passes_filed(enterprise, passes):
    """One notice to the township for a list of passes filed at once."""
    if passes:
        notify(
            _township_staff(enterprise),
            _("%(count)d passes to approve: %(firm)s") % {"count": len(passes), "firm": enterprise.name},
            url=reverse("enterprises:pass-queue"),
            dedupe_key=f"passes-filed-{passes[0].pk}-{passes[-1].pk}",
        )


def _issue(row, actor):
    """What issuing a pass checks and sets, one pass or a batch alike."""
    if row.kind == PassKind.EMPLOYEE and row.health_code != HealthCode.GREEN:
        raise ActionRefused(_("Only a holder with a green health code can be issued a pass."), ActionRefused.INVALID)
    if row.valid_until < clock.today():
        raise ActionRefused(_("The validity has already ended."), ActionRefused.CONFLICT)
    row.number = pass_number(row)
    row.issued_at = clock.now()
    row.issued_by = actor


def approve_pass(pass_, user, comment="", *, announce=True):
    """Pending → issued, with a number; an employee pass only for a green health code."""

    def apply(locked):
        _issue(locked, user)

    def tell_firm(locked):
        notify(
            firm_users(locked.enterprise_id),
            _("Pass issued: %(number)s") % {"number": locked.number},
            url=locked.get_absolute_url(),
            dedupe_key=f"pass-issued-{locked.pk}",
        )

    return transition(pass_, actor=user, action="issue", comment=comment, apply=apply, announce=tell_firm if announce else None)


def revoke_pass(pass_, user, reason, *, announce=True):
    """Pending or issued → revoked, with a reason; the QR code then reads as not valid."""
    policy.require(user, "revoke", pass_)  # the wrong role hears 403 before a missing reason
    reason = (reason or "").strip()
    refuse_unless(reason, _("Give the reason for revoking the pass."), ActionRefused.INVALID)

    def apply(locked):
        locked.revoked_at = clock.now()
        locked.revoke_reason = reason

    def tell_firm(locked):
        notify(
            firm_users(locked.enterprise_id),
            _("Pass revoked: %(pass)s") % {"pass": locked.number or locked.pk},
            body=reason,
            url=locked.get_absolute_url(),
            dedupe_key=f"pass-revoked-{locked.pk}",
        )

    return transition(pass_, actor=user, action="revoke", comment=reason, apply=apply, announce=tell_firm if announce else None)


# --- background exports ----------------------------------------------------------------------------------


@transaction.atomic
def request_firm_export(user, query):
    """Queue an xlsx of the firm list as ``user`` sees and filtered it; a Celery task writes it after commit."""
    from enterprises.models import EnterpriseExport
    from enterprises.tasks import export_enterprises

    policy.require(user, "create", model=EnterpriseExport)
    export = EnterpriseExport.objects.create(requested_by=user, query=query, created_at=clock.now())
    record(export, actor=user, action="create")
    queue.after_commit(export_enterprises, export.pk)
    return export


# --- many at once: a reviewer's batch, the demo's past -------------------------------------------------------
#
# The same checks as the one-row functions above (the policy per row, the workflow table's step per row, the
# model's validators, duplicates), with the rows locked and written together and one history row each, so a
# township approving a morning's queue, or the demo building three weeks of the story, runs a few queries per
# batch instead of a dozen per row. Every row of a batch is written at the clock's present moment.


def _history(obj, actor, action, from_state="", to_state="", comment=""):
    """An unsaved history row, as workflow.transition writes one (rows of a batch differ in actor and state,
    which workflow.record_many does not take)."""
    return Transition(
        subject=obj, actor=actor if actor is not None and actor.is_authenticated else None, action=action,
        from_state=from_state or "", to_state=to_state or "", comment=comment or "", at=clock.now(),
    )


def _take_steps(model, items, action, apply=None, comment=""):
    """Take the workflow step ``action`` on each ``(record, actor)`` of ``items``: all or nothing. ``apply(row,
    actor)`` sets the step's other fields and returns their names. Returns the updated rows."""
    flow = policy.workflow_of(model)
    locked = model._base_manager.select_for_update(of=("self",)).select_related("enterprise").in_bulk([obj.pk for obj, _ in items])
    rows, history, fields = [], [], {flow.state_field}
    for obj, actor in items:
        row = locked[obj.pk]
        state = getattr(row, flow.state_field)
        step = flow.step(action, state)
        if step is None:
            raise ActionRefused(
                _("This cannot be done while the record is “%(state)s”.") % {"state": getattr(row, f"get_{flow.state_field}_display")()},
                ActionRefused.CONFLICT,
            )
        if not step.who(actor, row):
            raise ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)
        setattr(row, flow.state_field, step.target)
        if apply is not None:
            fields.update(apply(row, actor))
        history.append(_history(row, actor, action, state, step.target, comment))
        rows.append(row)
    # When every row takes the same values (the state, the moment, the reviewer): one UPDATE.
    attnames = [model._meta.get_field(name).attname for name in sorted(fields)]
    same = all(len({getattr(row, name) for row in rows}) == 1 for name in attnames)
    try:
        with transaction.atomic():
            if same:
                model._base_manager.filter(pk__in=[row.pk for row in rows]).update(**{n: getattr(rows[0], n) for n in attnames})
            else:  # a pass number each: row by row (cheaper than one UPDATE with a CASE per field)
                for row in rows:
                    model._base_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in attnames})
    except IntegrityError:
        if model is ResumptionRequest:
            raise ActionRefused(_("This firm already has an approved resumption request."), ActionRefused.CONFLICT)
        raise ActionRefused(_("Another change was made meanwhile; nothing was saved."), ActionRefused.CONFLICT)
    Transition.objects.bulk_create(history, batch_size=1000)
    return rows


def _create_many(model, rows, exclude):
    """Validate (the model's validators, not its foreign keys, which the policy check has vouched for) and
    insert ``rows``, with a "create" history row each by the row's ``actor``."""
    problems = []
    for number, (row, _actor) in enumerate(rows, start=1):
        try:
            row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems.extend(f"{number}: {message}" for message in error.messages)
    if problems:
        raise ActionRefused(" ".join(problems), ActionRefused.INVALID)
    try:
        with transaction.atomic():
            model.objects.bulk_create([row for row, _actor in rows], batch_size=500)
    except IntegrityError:
        raise ActionRefused(_("Another record was written meanwhile; nothing was saved."), ActionRefused.CONFLICT)
    flow = policy.workflow_of(model)
    Transition.objects.bulk_create(
        [_history(row, actor, "create", "", getattr(row, flow.state_field) if flow else "") for row, actor in rows], batch_size=1000
    )
    return [row for row, _actor in rows]


@transaction.atomic
def file_requests(items):
    """Many firms open their requests: ``items`` are ``(account, firm, fields)``."""
    rows = []
    for account, firm, fields in items:
        refuse_unless(policy.can(account, "create", firm, model=ResumptionRequest), _("Only the firm itself may file its request."))
        rows.append((ResumptionRequest(enterprise=firm, created_by=account, created_at=clock.now(), **_plans(fields)), account))
    blocked = ResumptionRequest.objects.filter(
        enterprise_id__in=[firm.pk for _a, firm, _f in items], status__in=(ResumptionStatus.APPROVED, *AWAITING_REVIEW)
    ).select_related("enterprise").first()
    if blocked is not None:
        raise ActionRefused(f"{blocked.enterprise.name}: {filing_refusal(blocked)}", ActionRefused.CONFLICT)
    # A plan already in storage (named, not uploaded) was checked when it was uploaded.
    stored = [name for name in PLAN_FIELDS if all(isinstance(fields.get(name), str) for _a, _f, fields in items)]
    return _create_many(ResumptionRequest, rows, exclude=["enterprise", "created_by", "reviewed_by", *stored])


@transaction.atomic
def submit_resumptions(items):
    """Many firms submit (or resubmit) their requests: ``items`` are ``(request, account)``."""
    firms = [request.enterprise_id for request, _ in items]
    busy = set(
        ResumptionRequest.objects.filter(enterprise_id__in=firms, status__in=(ResumptionStatus.APPROVED, *AWAITING_REVIEW))
        .exclude(pk__in=[request.pk for request, _ in items]).values_list("enterprise_id", flat=True)
    )

    def apply(row, actor):
        if not row.has_both_plans:
            raise ActionRefused(_("Attach both plans (the resumption plan and the epidemic prevention plan) before submitting."), ActionRefused.INVALID)
        if row.enterprise_id in busy:
            raise ActionRefused(_("Another request of this firm is already awaiting review."), ActionRefused.CONFLICT)
        row.submitted_at = clock.now()
        return ["submitted_at"]

    done = []
    for action, state in (("submit", ResumptionStatus.DRAFT), ("resubmit", ResumptionStatus.RETURNED)):
        chosen = [(request, account) for request, account in items if request.status == state]
        if chosen:
            done += _take_steps(ResumptionRequest, chosen, action, apply)
    return done


@transaction.atomic
def approve_resumptions(requests, reviewer, comment=""):
    """A township reviewer approves a batch of requests of its township, all at one moment (one sitting)."""
    moment = clock.now()

    def apply(row, actor):
        row.approved_at = moment
        row.reviewed_by = actor
        return ["approved_at", "reviewed_by"]

    rows = _take_steps(ResumptionRequest, [(request, reviewer) for request in requests], "approve", apply, comment)
    Enterprise.objects.filter(pk__in=[row.enterprise_id for row in rows]).mark_resumed(moment)
    return rows


@transaction.atomic
def return_resumptions(requests, reviewer, reason):
    """A township reviewer returns a batch of requests, with one reason."""
    reason = (reason or "").strip()
    refuse_unless(reason, _("Give the reason for returning the request."), ActionRefused.INVALID)

    def apply(row, actor):
        row.return_reason = reason
        row.reviewed_by = actor
        return ["return_reason", "reviewed_by"]

    return _take_steps(ResumptionRequest, [(request, reviewer) for request in requests], "return", apply, reason)


@transaction.atomic
def file_reports(items):
    """Many firms report today's headcount: ``items`` are ``(account, firm, fields)``; one report per firm and day."""
    today = clock.today()
    rows = []
    for account, firm, fields in items:
        refuse_unless(policy.can(account, "create", firm, model=DailyReport), _("Only the firm itself may report its headcount."))
        rows.append((DailyReport(enterprise=firm, date=today, reported_by=account, created_at=clock.now(), **fields), account))
    firms = [row.enterprise_id for row, _ in rows]
    if len(set(firms)) < len(firms) or DailyReport.objects.filter(enterprise_id__in=firms, date=today).exists():
        raise ActionRefused(_("This firm has already reported for %(date)s.") % {"date": today.isoformat()}, ActionRefused.CONFLICT)
    return _create_many(DailyReport, rows, exclude=["enterprise", "reported_by"])


@transaction.atomic
def apply_for_passes(items):
    """Many passes filed at once: ``items`` are ``(account, firm, kind, fields)`` as for ``apply_for_pass``. A plate
    or person with an active pass, or named twice, is refused (and the partial unique indexes back this)."""
    today = clock.today()
    rows, keys = [], {PassKind.VEHICLE: [], PassKind.EMPLOYEE: []}
    for account, firm, kind, fields in items:
        refuse_unless(policy.can(account, "create", firm, model=Pass), _("Only the firm itself may apply for its passes."))
        fields = dict(fields)
        id_number = fields.pop("id_number", "")
        pass_ = Pass(kind=kind, enterprise=firm, created_by=account, applied_at=clock.now(), **fields)
        if kind == PassKind.VEHICLE:
            pass_.plate = normalize_plate(pass_.plate)
            keys[kind].append(pass_.plate)
        else:
            try:
                validate_resident_id(id_number)
            except ValidationError as error:
                raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID)
            pass_.set_id_number(id_number)
            keys[kind].append(pass_.id_number_hash)
        refuse_unless(pass_.valid_until >= max(today, pass_.valid_from), _("The validity has already ended."), ActionRefused.INVALID)
        rows.append((pass_, account))
    for kind, found in keys.items():
        key_field = "plate" if kind == PassKind.VEHICLE else "id_number_hash"
        active = Pass.objects.select_for_update().filter(kind=kind, status__in=ACTIVE_PASS_STATES, **{f"{key_field}__in": found})
        if len(set(found)) < len(found) or (found and active.exists()):
            raise ActionRefused(_duplicate_message(kind), ActionRefused.CONFLICT)
    return _create_many(Pass, rows, exclude=["enterprise", "created_by", "issued_by", "id_number"])


@transaction.atomic
def issue_passes(passes, reviewer, comment=""):
    """A township reviewer issues a batch of passes of its township."""

    def apply(row, actor):
        _issue(row, actor)
        return ["number", "issued_at", "issued_by"]

    return _take_steps(Pass, [(pass_, reviewer) for pass_ in passes], "issue", apply, comment)

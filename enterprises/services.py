"""Every state change of the enterprises app: one function each, built on fuyang_portal.workflow.

Views, the API and admin actions call these and never set a status field themselves.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from fuyang_portal.models import User
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.validators import normalize_plate
from fuyang_portal.workflow import ActionRefused, refuse_unless, transition


# --- who may act ------------------------------------------------------------------------------------


def acts_for_firm(user, enterprise_id):
    """The user is an account of this firm."""
    return user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise_id


def reviews_firm(user, enterprise):
    """The user is staff of the firm's township (the reviewer of its requests and passes)."""
    return user.is_authenticated and user.role == Role.TOWNSHIP and user.township_id == enterprise.township_id


def manages_registry(user, township_id=None):
    """District staff manage every firm; township staff the firms of their township."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.DISTRICT:
        return True
    return user.role == Role.TOWNSHIP and (township_id is None or user.township_id == township_id)


def _township_staff(enterprise):
    return User.objects.filter(role=Role.TOWNSHIP, township_id=enterprise.township_id, is_active=True)


def _firm_accounts(enterprise):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise.pk, is_active=True)


# --- resumption requests ------------------------------------------------------------------------------


def ensure_editable(resumption, user):
    """A firm edits its own request while it is a draft or has been returned."""
    refuse_unless(acts_for_firm(user, resumption.enterprise_id), _("Only the firm itself may change its request."))
    refuse_unless(
        resumption.is_editable,
        _("A request can be changed only while it is a draft or after it was returned."),
        ActionRefused.CONFLICT,
    )


def submit_resumption(resumption, user):
    """Draft → submitted, or returned → resubmitted. Both plans must be attached."""
    resubmitting = resumption.status == ResumptionStatus.RETURNED

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
        locked.submitted_at = timezone.now()

    def after(locked):
        notify(
            _township_staff(locked.enterprise),
            _("Resumption request to review: %(firm)s") % {"firm": locked.enterprise.name},
            url=locked.get_absolute_url(),
            dedupe_key=f"resumption-submitted-{locked.pk}-{locked.submitted_at:%Y%m%d%H%M%S}",
        )

    return transition(
        resumption,
        actor=user,
        action="resubmit" if resubmitting else "submit",
        to_state=ResumptionStatus.RESUBMITTED if resubmitting else ResumptionStatus.SUBMITTED,
        allowed_from=(ResumptionStatus.RETURNED,) if resubmitting else (ResumptionStatus.DRAFT,),
        permitted=lambda actor, locked: acts_for_firm(actor, locked.enterprise_id),
        apply=apply,
        after_commit=after,
    )


def approve_resumption(resumption, user, comment=""):
    """Submitted or resubmitted → approved; the firm counts as resumed from now."""

    def apply(locked):
        locked.approved_at = timezone.now()
        locked.reviewed_by = user

    def after(locked):
        notify(
            _firm_accounts(locked.enterprise),
            _("Your resumption request was approved"),
            url=locked.get_absolute_url(),
            sms=True,
            dedupe_key=f"resumption-approved-{locked.pk}",
        )

    try:
        return transition(
            resumption,
            actor=user,
            action="approve",
            to_state=ResumptionStatus.APPROVED,
            allowed_from=AWAITING_REVIEW,
            permitted=lambda actor, locked: reviews_firm(actor, locked.enterprise),
            comment=comment,
            apply=apply,
            after_commit=after,
        )
    except IntegrityError:
        raise ActionRefused(_("This firm already has an approved resumption request."), ActionRefused.CONFLICT)


def return_resumption(resumption, user, reason):
    """Submitted or resubmitted → returned, with the reason the firm will read."""
    reason = (reason or "").strip()
    refuse_unless(reason, _("Give the reason for returning the request."), ActionRefused.INVALID)

    def apply(locked):
        locked.return_reason = reason
        locked.reviewed_by = user

    def after(locked):
        notify(
            _firm_accounts(locked.enterprise),
            _("Your resumption request was returned"),
            body=reason,
            url=locked.get_absolute_url(),
            sms=True,
            dedupe_key=f"resumption-returned-{locked.pk}-{timezone.now():%Y%m%d%H%M%S}",
        )

    return transition(
        resumption,
        actor=user,
        action="return",
        to_state=ResumptionStatus.RETURNED,
        allowed_from=AWAITING_REVIEW,
        permitted=lambda actor, locked: reviews_firm(actor, locked.enterprise),
        comment=reason,
        apply=apply,
        after_commit=after,
    )


# --- headcount reports ----------------------------------------------------------------------------------


def file_report(user, enterprise, *, staff_on_site, staff_away, capacity_percent, note="", date=None):
    """A firm's report for one day; a second one for the same day is refused."""
    refuse_unless(acts_for_firm(user, enterprise.pk), _("Only the firm itself may report its headcount."))
    date = date or timezone.localdate()
    refuse_unless(date <= timezone.localdate(), _("A report cannot be dated in the future."), ActionRefused.INVALID)
    refuse_unless(
        0 <= capacity_percent <= 100, _("Capacity in use is a percentage from 0 to 100."), ActionRefused.INVALID
    )
    message = _("This firm has already reported for %(date)s.") % {"date": date.isoformat()}
    if DailyReport.objects.filter(enterprise=enterprise, date=date).exists():
        raise ActionRefused(message, ActionRefused.CONFLICT)
    try:
        with transaction.atomic():
            return DailyReport.objects.create(
                enterprise=enterprise,
                date=date,
                staff_on_site=staff_on_site,
                staff_away=staff_away,
                capacity_percent=capacity_percent,
                note=note,
                reported_by=user,
            )
    except IntegrityError:
        # Two reports at once: the database constraint keeps one.
        raise ActionRefused(message, ActionRefused.CONFLICT)


# --- passes ------------------------------------------------------------------------------------------------


def pass_number(pass_):
    prefix = "V" if pass_.kind == PassKind.VEHICLE else "E"
    return f"FY{prefix}{timezone.localdate():%y%m%d}{pass_.pk:07d}"


def _duplicate_message(kind):
    if kind == PassKind.VEHICLE:
        return _("This vehicle already holds an active pass.")
    return _("This person already holds an active pass.")


def _active_same_holder(kind, key):
    qs = Pass.objects.filter(kind=kind, status__in=ACTIVE_PASS_STATES)
    return qs.filter(plate=key) if kind == PassKind.VEHICLE else qs.filter(id_number_hash=key)


def _expire_lapsed(kind, key, today):
    """A pass whose validity has ended no longer blocks a new one: mark it expired (logged)."""
    for lapsed in _active_same_holder(kind, key).filter(status=PassStatus.ISSUED, valid_until__lt=today):
        transition(
            lapsed,
            actor=None,
            action="expire",
            to_state=PassStatus.EXPIRED,
            allowed_from=(PassStatus.ISSUED,),
            permitted=lambda actor, locked: True,
        )


def expire_lapsed_passes(today=None):
    """Mark issued passes whose validity has ended as expired, each with its log row. Running it twice
    changes nothing the second time."""
    today = today or timezone.localdate()
    count = 0
    for lapsed in Pass.objects.filter(status=PassStatus.ISSUED, valid_until__lt=today).only("pk", "status").iterator():
        try:
            transition(
                lapsed,
                actor=None,
                action="expire",
                to_state=PassStatus.EXPIRED,
                allowed_from=(PassStatus.ISSUED,),
                permitted=lambda actor, locked: True,
            )
        except ActionRefused:
            continue  # revoked or expired meanwhile
        count += 1
    return count


def apply_for_pass(user, enterprise, kind, *, notify_township=True, **data):
    """File a pass for a firm. ``data`` holds the pass fields; for an employee pass ``id_number`` in the clear.

    A plate or person with an active pass (awaiting approval or issued and still valid) is refused: the
    service checks under a row lock and the partial unique constraints catch two filings at once.
    """
    refuse_unless(acts_for_firm(user, enterprise.pk), _("Only the firm itself may apply for its passes."))
    pass_ = Pass(kind=kind, enterprise=enterprise, created_by=user, applied_at=timezone.now())
    id_number = data.pop("id_number", "")
    for field, value in data.items():
        setattr(pass_, field, value)
    if kind == PassKind.VEHICLE:
        pass_.plate = normalize_plate(pass_.plate)
        key = pass_.plate
    else:
        pass_.set_id_number(id_number)
        key = pass_.id_number_hash
    today = timezone.localdate()
    refuse_unless(
        pass_.valid_from and pass_.valid_until and pass_.valid_from <= pass_.valid_until,
        _("The validity must end on or after the day it starts."),
        ActionRefused.INVALID,
    )
    refuse_unless(pass_.valid_until >= today, _("The validity has already ended."), ActionRefused.INVALID)
    with transaction.atomic():
        _expire_lapsed(kind, key, today)
        # Lock the holder's active passes (if any) so a revoke or expiry cannot race this check.
        if _active_same_holder(kind, key).select_for_update().exists():
            raise ActionRefused(_duplicate_message(kind), ActionRefused.CONFLICT)
        try:
            with transaction.atomic():
                pass_.save()
        except IntegrityError:
            raise ActionRefused(_duplicate_message(kind), ActionRefused.CONFLICT)
    if notify_township:
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
        from django.urls import reverse

        notify(
            _township_staff(enterprise),
            _("%(count)d passes to approve: %(firm)s") % {"count": len(passes), "firm": enterprise.name},
            url=reverse("enterprises:pass-queue"),
            dedupe_key=f"passes-filed-{passes[0].pk}-{passes[-1].pk}",
        )


def approve_pass(pass_, user, comment=""):
    """Pending → issued, with a number; an employee pass only for a green health code."""

    def apply(locked):
        if locked.kind == PassKind.EMPLOYEE and locked.health_code != HealthCode.GREEN:
            raise ActionRefused(_("Only a holder with a green health code can be issued a pass."), ActionRefused.INVALID)
        if locked.valid_until < timezone.localdate():
            raise ActionRefused(_("The validity has already ended."), ActionRefused.CONFLICT)
        locked.number = pass_number(locked)
        locked.issued_at = timezone.now()
        locked.issued_by = user

    def after(locked):
        notify(
            _firm_accounts(locked.enterprise),
            _("Pass issued: %(number)s") % {"number": locked.number},
            url=locked.get_absolute_url(),
            dedupe_key=f"pass-issued-{locked.pk}",
        )

    return transition(
        pass_,
        actor=user,
        action="issue",
        to_state=PassStatus.ISSUED,
        allowed_from=(PassStatus.PENDING,),
        permitted=lambda actor, locked: reviews_firm(actor, locked.enterprise),
        comment=comment,
        apply=apply,
        after_commit=after,
    )


def revoke_pass(pass_, user, reason):
    """Pending or issued → revoked, with a reason; the QR code then reads as not valid."""
    reason = (reason or "").strip()
    refuse_unless(reason, _("Give the reason for revoking the pass."), ActionRefused.INVALID)

    def apply(locked):
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason

    def after(locked):
        notify(
            _firm_accounts(locked.enterprise),
            _("Pass revoked: %(pass)s") % {"pass": locked.number or locked.pk},
            body=reason,
            url=locked.get_absolute_url(),
            dedupe_key=f"pass-revoked-{locked.pk}",
        )

    return transition(
        pass_,
        actor=user,
        action="revoke",
        to_state=PassStatus.REVOKED,
        allowed_from=ACTIVE_PASS_STATES,
        permitted=lambda actor, locked: reviews_firm(actor, locked.enterprise)
        or (actor.is_authenticated and actor.role == Role.DISTRICT),
        comment=reason,
        apply=apply,
        after_commit=after,
    )


# --- registry ----------------------------------------------------------------------------------------------


def duplicate_firm_message(credit_code):
    existing = Enterprise.objects.filter(credit_code=credit_code).only("name").first()
    if existing is None:
        return None
    return _("A firm with the credit code %(code)s is already registered (%(name)s).") % {
        "code": credit_code,
        "name": existing.name,
    }

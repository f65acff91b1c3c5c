"""The appeal window before publishing: the units' objections (异议) to their figures in a week's draft.

The first computation of a draft opens it to the units it ranks for the level's ``appeal_hours`` working hours
(``ContestWeek.appeal_until``, leaderboard.services.compute_week). While it is open, a unit's staff may object
to one of the unit's figures with a reason and optional evidence; the district office accepts (the figure is
corrected and the week recomputed as a new revision with the reason) or rejects with a reason; the objector is
notified either way. Publishing is refused while the window is open, unless the district closes it early with a
reason, and while an objection waits for a decision (services.publish_week).

A corrected figure is an input like any other: an entered indicator's through ``enter_inspection_score``, a
computed one's as a ``ScoreOverride`` that ``compute_week`` uses instead of the metric's value. The new revision is
computed by ``compute_week`` itself, so the lists change exactly as a recomputation from those inputs does.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock, policy
from fuyang_portal.models import User
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.workflow import ActionRefused, record, transition
from fuyang_portal.writes import validate_or_refuse

from . import services
from .models import ContestWeek, Objection, Score, ScoreOverride, Source, UnitResult, own_units

Status = ContestWeek.Status


def appeal_open(week, now=None):
    """Is the draft open to objections now?"""
    now = now or clock.now()
    return week.status == Status.DRAFT and week.appeal_until is not None and now < week.appeal_until


def objectable_scores(user):
    """The figures a user may object to: their own units' rows in the drafts they see (others: none)."""
    return Score.objects.visible_to(user).filter(week__status=Status.DRAFT).filter(own_units(user))


def objections_of_week(week):
    """Every objection to the figures of a level's week, whichever revision it was filed on."""
    return Objection.objects.filter(level=week.level, week_start=week.week_start)


def _text(value, message):
    value = (value or "").strip()
    if not value:
        raise ActionRefused(message, ActionRefused.INVALID)
    return value


def _decimal(value, *, required=False):
    if value is None or str(value).strip() == "":
        if required:
            raise ActionRefused(_("Give the corrected value."), ActionRefused.INVALID)
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ActionRefused(_("“%(value)s” is not a number.") % {"value": value}, ActionRefused.INVALID) from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise ActionRefused(_("“%(value)s” is not a number.") % {"value": value}, ActionRefused.INVALID)
    return number.quantize(Decimal("0.0001"))


def _district_office():
    return User.objects.filter(role=Role.DISTRICT, is_active=True)


def _window_message(week):
    if week.status != Status.DRAFT:
        return _("This week is no longer a draft: its figures cannot be objected to.")
    return _("The window for objections closed at %(until)s.") % {
        "until": timezone.localtime(week.appeal_until).strftime("%Y-%m-%d %H:%M") if week.appeal_until else "—"
    }


def file_objection(actor, score, *, reason, evidence=None, proposed_value=None):
    """A unit's staff object to one of the unit's figures in an open draft.

    Refused: a role that may not object (403); a figure not of the actor's units (403 here; the pages and the
    API find it through ``objectable_scores`` and answer 404); a week no longer a draft or a closed window (409); a
    second open objection on the same figure (409); an empty reason or a bad evidence file (400)."""
    policy.require(actor, "create", model=Objection)
    if not Score.objects.visible_to(actor).filter(own_units(actor), pk=score.pk).exists():
        raise ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)
    reason = _text(reason, _("Say why the figure is wrong."))
    proposed = _decimal(proposed_value)
    result = UnitResult.objects.filter(week_id=score.week_id, unit_id=score.unit_id).only("unit_name").first()
    objection = Objection(
        level=score.unit_type, unit_id=score.unit_id, indicator_id=score.indicator_id, figure=score.raw_value,
        proposed_value=proposed, reason=reason[:2000], evidence=evidence or "", filed_by=actor, filed_at=clock.now(),
        unit_name=result.unit_name if result else str(score.unit_id),
    )
    if evidence:
        validate_or_refuse(objection, exclude=["week", "indicator", "filed_by", "week_start", "unit_name"])
    with transaction.atomic():
        week = ContestWeek.objects.select_for_update().get(pk=score.week_id)
        if not appeal_open(week):
            raise ActionRefused(_window_message(week), ActionRefused.CONFLICT)
        objection.week, objection.week_start = week, week.week_start
        duplicate = _("This figure already has an objection waiting for a decision.")
        if Objection.objects.pending().filter(
            level=objection.level, week_start=week.week_start, unit_id=objection.unit_id, indicator_id=objection.indicator_id
        ).exists():
            raise ActionRefused(duplicate, ActionRefused.CONFLICT)
        try:
            with transaction.atomic():
                objection.save()
        except IntegrityError:  # another request filed it a moment ago
            raise ActionRefused(duplicate, ActionRefused.CONFLICT) from None
        record(objection, actor=actor, action="create", comment=reason[:200])
        record(week, actor=actor, action="object", comment=f"{objection}: {reason[:150]}")
        notify(
            _district_office(),
            gettext("Objection to the %(level)s draft: %(objection)s") % {"level": week.get_level_display(), "objection": objection},
            reason[:500],
            url=objection.get_absolute_url(),
            dedupe_key=f"leaderboard-objection-{objection.pk}",
        )
    return objection


def _decide(objection, actor, action, reason, apply):
    def set_decision(locked):
        locked.decided_by, locked.decided_at, locked.decision = actor, clock.now(), reason
        apply(locked)

    return transition(objection, actor=actor, action=action, comment=reason[:200], apply=set_decision)


def _notify_objector(objection, title):
    notify(
        [objection.filed_by], title, objection.decision[:500], url=objection.get_absolute_url(),
        dedupe_key=f"leaderboard-objection-{objection.pk}-{objection.status}",
    )


def _current_draft(objection):
    week = (
        ContestWeek.objects.select_for_update()
        .filter(level=objection.level, week_start=objection.week_start)
        .order_by("-revision")
        .first()
    )
    if week is None or week.status != Status.DRAFT:
        raise ActionRefused(_("This week is no longer a draft: its figures cannot be objected to."), ActionRefused.CONFLICT)
    return week


def revise_draft(week, actor, reason):
    """Replace a draft by its next revision, computed at once, with ``reason``; the earlier revision is kept,
    superseded. The window for objections stays as it was."""
    reason = _text(reason, _("A correction needs a reason."))
    with transaction.atomic():
        old = transition(week, actor=actor, action="revise", comment=reason[:200])
        newest = ContestWeek.objects.filter(level=old.level, week_start=old.week_start).aggregate(n=Max("revision"))["n"]
        revision = ContestWeek.objects.create(
            level=old.level, week_start=old.week_start, revision=newest + 1, status=Status.DRAFT, reason=reason,
            list_size=old.list_size, appeal_until=old.appeal_until,
        )
        record(revision, actor=actor, action="create", comment=reason[:200])
        services.compute_week(old.level, old.week_start, actor=actor)
    revision.refresh_from_db()
    return revision


def accept_objection(objection, actor, *, reason, corrected_value=None):
    """The district office accepts: the figure becomes ``corrected_value`` (default: the value the unit named)
    and the week is recomputed as a new revision whose reason names the objection."""
    policy.require(actor, "accept", objection)
    reason = _text(reason, _("Give a reason for the decision."))
    value = _decimal(corrected_value if corrected_value not in (None, "") else objection.proposed_value, required=True)
    with transaction.atomic():
        week = _current_draft(objection)

        def correct(locked):
            locked.corrected_value = value

        decided = _decide(objection, actor, "accept", reason, correct)
        indicator = decided.indicator
        if indicator.source == Source.ENTERED:
            services.enter_inspection_score(
                actor, level=decided.level, week_start=decided.week_start, unit_id=decided.unit_id, indicator=indicator, value=value,
                note=gettext("Objection %(pk)s accepted") % {"pk": decided.pk},
            )
        else:
            ScoreOverride.objects.update_or_create(
                level=decided.level, week_start=decided.week_start, unit_id=decided.unit_id, indicator=indicator,
                defaults={"value": value, "objection": decided, "created_by": actor, "created_at": clock.now()},
            )
        record(week, actor=actor, action="accept-objection", comment=f"{decided}: {value.normalize()} · {reason[:120]}")
        revise_draft(
            week, actor,
            gettext("Objection accepted (%(objection)s, %(value)s): %(reason)s") % {"objection": decided, "value": value.normalize(), "reason": reason},
        )
        _notify_objector(decided, gettext("Your objection was accepted: %(objection)s") % {"objection": decided})
    objection.refresh_from_db()
    return objection


def reject_objection(objection, actor, *, reason):
    """The district office rejects an objection, with a reason; the figure stays."""
    policy.require(actor, "reject", objection)
    reason = _text(reason, _("Give a reason for the decision."))
    with transaction.atomic():
        week = ContestWeek.objects.filter(level=objection.level, week_start=objection.week_start).order_by("-revision").first()
        decided = _decide(objection, actor, "reject", reason, lambda locked: None)
        record(week, actor=actor, action="reject-objection", comment=f"{decided}: {reason[:150]}")
        _notify_objector(decided, gettext("Your objection was rejected: %(objection)s") % {"objection": decided})
    objection.refresh_from_db()
    return objection


def close_appeals(week, actor, *, reason):
    """The district office ends a draft's window for objections early, with a reason."""
    policy.require(actor, "close-appeals", week)
    reason = _text(reason, _("Give a reason for closing the window early."))

    def close(locked):
        if not appeal_open(ContestWeek(status=Status.DRAFT, appeal_until=locked.appeal_until)):
            raise ActionRefused(_("The window for objections is already closed."), ActionRefused.CONFLICT)
        locked.appeal_until = clock.now()

    return transition(week, actor=actor, action="close-appeals", comment=reason[:200], apply=close)

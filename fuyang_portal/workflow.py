"""The helper every service uses to change a record's state.

A service names who may act and from which states; ``transition`` then, in one transaction, locks the
row, checks the actor and the current state, applies the change, writes the transition log and queues
notifications to run after commit. A refused action raises ``ActionRefused`` and changes nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal.models import Transition


class ActionRefused(Exception):
    """An action the actor may not take, or not now. ``message`` is translated; ``code`` maps to HTTP."""

    FORBIDDEN = "forbidden"  # 403: this actor may never do this
    CONFLICT = "conflict"  # 409: not in this state, or already done
    INVALID = "invalid"  # 400: the input is wrong

    def __init__(self, message, code=CONFLICT):
        super().__init__(str(message))
        self.message = message
        self.code = code


def refuse_unless(condition, message, code=ActionRefused.FORBIDDEN):
    if not condition:
        raise ActionRefused(message, code)


def log_transition(obj, *, actor, action, from_state, to_state, comment=""):
    return Transition.objects.create(
        subject=obj,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_state=from_state or "",
        to_state=to_state,
        comment=comment or "",
        at=timezone.now(),
    )


def transition(
    obj,
    *,
    actor,
    action,
    to_state,
    allowed_from,
    permitted,
    comment="",
    apply=None,
    after_commit=None,
    state_field="status",
):
    """Move ``obj`` to ``to_state`` and return the locked, updated instance.

    ``permitted(actor, locked)`` says whether the actor may act on this record; ``apply(locked)`` sets
    any other fields (a reason, a reviewer, a date) and may raise ActionRefused; ``after_commit(locked)``
    queues notifications or tasks once the change is committed.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model._base_manager.select_for_update().get(pk=obj.pk)
        if not permitted(actor, locked):
            raise ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)
        current = getattr(locked, state_field)
        if current not in allowed_from:
            raise ActionRefused(
                _("This cannot be done while the record is “%(state)s”.")
                % {"state": _display_state(locked, state_field)},
                ActionRefused.CONFLICT,
            )
        setattr(locked, state_field, to_state)
        if apply is not None:
            apply(locked)
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save()
        log_transition(locked, actor=actor, action=action, from_state=current, to_state=to_state, comment=comment)
        if after_commit is not None:
            transaction.on_commit(lambda: after_commit(locked), robust=True)
    # Keep the caller's instance in step with the database.
    obj.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _display_state(obj, field):
    getter = getattr(obj, f"get_{field}_display", None)
    return getter() if getter else getattr(obj, field)

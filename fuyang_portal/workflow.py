"""The one way a record changes: ``transition`` for a state change, ``record`` for a create or an edit.

Both run inside the caller's transaction (services open one per action) and write the history row with its
actor; notifications are written to the outbox in that same transaction (fuyang_portal.notify) and delivered
after commit, so a crash between commit and delivery loses nothing. Who may take an action from which state
is the model's workflow table (fuyang_portal.policy), not the caller's choice. A refused action raises
``ActionRefused`` and changes nothing.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fuyang_portal import audit, clock, policy
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


def _actor(actor):
    return actor if actor is not None and actor.is_authenticated else None


def record(obj, *, actor, action, comment="", state=None):
    """Write the history row of a create or an edit of ``obj`` (no state change) by ``actor``."""
    flow = policy.workflow_of(obj)
    if state is None and flow is not None:
        state = getattr(obj, flow.state_field)
    row = Transition.objects.create(
        subject=obj,
        actor=_actor(actor),
        action=action,
        from_state="" if action == "create" else (state or ""),
        to_state=state or "",
        comment=comment or "",
        at=clock.now(),
    )
    audit.record_changes([row])
    return row


def record_many(objs, *, actor, action, comment="", state=""):
    """The history rows of many creates or edits by one actor at once (the bulk services' ``record``)."""
    if not objs:
        return []
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(type(objs[0]))
    at, actor = clock.now(), _actor(actor)
    rows = Transition.objects.bulk_create(
        [
            Transition(content_type=content_type, object_id=str(obj.pk), action=action, actor=actor, at=at, comment=comment,
                       from_state="" if action == "create" else state, to_state=state)
            for obj in objs
        ],
        batch_size=1000,
    )
    audit.record_changes(rows)
    return rows


def transition(obj, *, actor, action, comment="", apply=None, announce=None):
    """Take the workflow step ``action`` on ``obj`` and return the locked, updated instance.

    The model's workflow table gives the step for the record's current state and who may take it.
    ``apply(locked)`` sets any other fields (a reason, a reviewer, a date) and may raise ActionRefused;
    ``announce(locked)`` queues notifications or tasks, in the same transaction.
    """
    model = type(obj)
    flow = policy.workflow_of(model)
    if flow is None:
        raise LookupError(f"{model._meta.label} declares no workflow")
    with transaction.atomic():
        locked = model._base_manager.select_for_update().get(pk=obj.pk)
        current = getattr(locked, flow.state_field)
        step = flow.step(action, current)
        # Who first: an actor who may never take this action is refused as such, whatever the state.
        if not (step.who if step is not None else flow.who(action))(actor, locked):
            raise ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)
        if step is None:
            raise ActionRefused(
                _("This cannot be done while the record is “%(state)s”.")
                % {"state": _display_state(locked, flow.state_field)},
                ActionRefused.CONFLICT,
            )
        relations = {f.attname: getattr(locked, f.attname) for f in model._meta.concrete_fields if f.is_relation}
        setattr(locked, flow.state_field, step.target)
        if apply is not None:
            apply(locked)
        # The locked row's own relations were read from the database: only the ones ``apply`` changed are checked.
        unchanged = [f.name for f in model._meta.concrete_fields if f.is_relation and getattr(locked, f.attname) == relations[f.attname]]
        locked.full_clean(exclude=unchanged, validate_unique=False, validate_constraints=False)
        locked.save()
        audit.record_changes([Transition.objects.create(
            subject=locked,
            actor=_actor(actor),
            action=action,
            from_state=current or "",
            to_state=step.target,
            comment=comment or "",
            at=clock.now(),
        )])
        if announce is not None:
            announce(locked)
    # Keep the caller's instance in step with the database.
    obj.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _display_state(obj, field):
    getter = getattr(obj, f"get_{field}_display", None)
    return getter() if getter else getattr(obj, field)

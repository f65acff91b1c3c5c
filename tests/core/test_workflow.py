"""The transition helper: permission and state are checked under lock; a refusal changes nothing."""

import pytest

from fuyang_portal.models import SmsMessage, Transition
from fuyang_portal.workflow import ActionRefused, transition
from tests.factories import district_user, township_user

pytestmark = pytest.mark.django_db


def _message():
    return SmsMessage.objects.create(mobile="13800000000", body="hello")


def _send(message, actor, **kwargs):
    return transition(
        message,
        actor=actor,
        action="send",
        to_state=SmsMessage.Status.SENT,
        allowed_from=[SmsMessage.Status.QUEUED],
        permitted=lambda user, obj: user.is_district,
        **kwargs,
    )


def test_a_permitted_transition_changes_state_and_writes_the_log():
    message, actor = _message(), district_user()
    _send(message, actor, comment="ok")
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    [step] = Transition.objects.for_object(message)
    assert (step.actor, step.from_state, step.to_state, step.action, step.comment) == (actor, "queued", "sent", "send", "ok")


def test_the_wrong_actor_is_refused_and_nothing_changes():
    message = _message()
    with pytest.raises(ActionRefused) as refusal:
        _send(message, township_user())
    assert refusal.value.code == ActionRefused.FORBIDDEN
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.QUEUED
    assert not Transition.objects.exists()


def test_the_wrong_state_is_refused_as_a_conflict_and_nothing_changes():
    message, actor = _message(), district_user()
    _send(message, actor)
    with pytest.raises(ActionRefused) as refusal:
        _send(message, actor)
    assert refusal.value.code == ActionRefused.CONFLICT
    assert Transition.objects.count() == 1


def test_a_refusal_inside_apply_rolls_back_the_state_change():
    message = _message()

    def apply(obj):
        raise ActionRefused("no", ActionRefused.INVALID)

    with pytest.raises(ActionRefused):
        _send(message, district_user(), apply=apply)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.QUEUED
    assert not Transition.objects.exists()


def test_after_commit_work_runs_only_once_the_change_is_committed(django_capture_on_commit_callbacks):
    message, seen = _message(), []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(message, district_user(), after_commit=lambda obj: seen.append(obj.status))
    assert seen == [] and len(callbacks) == 1
    callbacks[0]()
    assert seen == ["sent"]


def test_after_commit_work_is_dropped_when_the_action_is_refused(django_capture_on_commit_callbacks):
    message = _message()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(ActionRefused):
            _send(message, township_user(), after_commit=lambda obj: None)
    assert callbacks == []


def test_the_history_shows_actions_and_states_in_the_readers_language():
    from django.utils import translation

    from fuyang_portal.templatetags.portal import describe_transition

    message = _message()
    _send(message, district_user())
    step = Transition.objects.for_object(message).get()
    step.action = "approve"
    with translation.override("zh-hans"):
        change = describe_transition(step)
        assert (str(change["action"]), str(change["from"]), str(change["to"])) == ("已通过", "排队中", "已发送")
    with translation.override("en"):
        assert str(describe_transition(step)["to"]) == "Sent"

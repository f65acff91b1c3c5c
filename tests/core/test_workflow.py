"""The transition helper: the step and who may take it come from the model's workflow table; permission and
state are checked under lock; a refusal changes nothing; notices are written in the same transaction."""

import pytest

from fuyang_portal import policy
from fuyang_portal.models import OutboxMessage, SmsMessage, Transition
from fuyang_portal.notify import notify
from fuyang_portal.policy import Declaration, Step, Workflow, district
from fuyang_portal.workflow import ActionRefused, record, transition
from tests.factories import district_user, township_user

pytestmark = pytest.mark.django_db

# A table for the test: the district office sends a queued message.
SEND = Workflow("status", [Step("send", [SmsMessage.Status.QUEUED], SmsMessage.Status.SENT, district)])


@pytest.fixture(autouse=True)
def _send_table(monkeypatch):
    policy.declaration(SmsMessage)  # fill the registry first
    monkeypatch.setitem(policy._registry, SmsMessage, Declaration(SmsMessage, {}, SEND))


def _message():
    return SmsMessage.objects.create(mobile="13800000000", body="hello")


def _send(message, actor, **kwargs):
    return transition(message, actor=actor, action="send", **kwargs)


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


def test_the_notice_is_written_with_the_change_and_delivered_only_after_commit(django_capture_on_commit_callbacks):
    message, actor = _message(), district_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(message, actor, announce=lambda obj: notify([actor], "sent"))
    # The outbox row is already there (same transaction); its delivery waits for the commit.
    assert OutboxMessage.objects.filter(payload__title="sent", delivered_at__isnull=True).count() == 1
    assert len(callbacks) == 1


def test_no_notice_is_written_when_the_action_is_refused(django_capture_on_commit_callbacks):
    message, actor = _message(), township_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(ActionRefused):
            _send(message, actor, announce=lambda obj: notify([actor], "sent"))
    assert callbacks == [] and not OutboxMessage.objects.exists()


def test_the_allowed_actions_are_the_table_rows_for_this_user_and_state():
    message = _message()
    assert policy.allowed_actions(district_user(), message) == ["send"]
    assert policy.allowed_actions(township_user(), message) == []
    _send(message, district_user())
    assert policy.allowed_actions(district_user(), message) == []


def test_an_action_not_in_the_table_is_refused():
    with pytest.raises(ActionRefused) as refusal:
        transition(_message(), actor=district_user(), action="shred")
    assert refusal.value.code == ActionRefused.FORBIDDEN


def test_a_create_leaves_a_history_row_with_its_actor():
    message, actor = _message(), district_user()
    record(message, actor=actor, action="create")
    [row] = Transition.objects.for_object(message)
    assert (row.actor, row.action, row.from_state, row.to_state) == (actor, "create", "", "queued")


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

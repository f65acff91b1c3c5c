"""Notifications are queued after commit, delivered once per key, shown in the inbox with an unread count."""

import pytest
from django.db import transaction
from django.urls import reverse

from fuyang_portal.models import Notification, SmsMessage
from fuyang_portal.notify import notify
from fuyang_portal.tasks import deliver_notifications, send_pending_sms
from tests.factories import district_user, township_user

pytestmark = pytest.mark.django_db


def test_nothing_is_delivered_before_the_transaction_commits(django_capture_on_commit_callbacks):
    user = township_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([user], "审核通过")
    assert not Notification.objects.exists()
    for callback in callbacks:
        callback()
    assert Notification.objects.get(recipient=user).title == "审核通过"


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    user = township_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([user], "never")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not Notification.objects.exists()


def test_delivery_with_the_same_key_happens_once_and_sms_goes_to_the_outbox():
    user = township_user(mobile="13912345678")
    payload = {"title": "逾期提醒", "body": "", "url": "", "sms": True, "dedupe_key": "overdue:1"}
    deliver_notifications(user_ids=[user.pk], payload=payload)
    deliver_notifications(user_ids=[user.pk], payload=payload)
    assert Notification.objects.filter(recipient=user).count() == 1
    sms = SmsMessage.objects.get()
    assert sms.mobile == "13912345678" and sms.status == SmsMessage.Status.SENT


def test_a_failing_gateway_keeps_the_message_queued(settings):
    settings.SMS_BACKEND = "tests.core.test_notifications.BrokenGateway"
    sms = SmsMessage.objects.create(mobile="13912345678", body="x")
    assert send_pending_sms() == 0
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.QUEUED and sms.attempts == 1 and "down" in sms.error


class BrokenGateway:
    name = "broken"

    def send(self, message):
        raise ConnectionError("gateway down")


def test_the_header_shows_the_unread_count_and_messages_can_be_marked_read(client):
    user = district_user()
    Notification.objects.create(recipient=user, title="一")
    Notification.objects.create(recipient=user, title="二")
    client.force_login(user)
    response = client.get(reverse("inbox"))
    assert response.context["unread_count"] == 2
    client.post(reverse("mark-all-read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_notification_survives_an_unreachable_broker_and_is_sent_by_the_dispatch(monkeypatch, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from fuyang_portal import tasks
    from fuyang_portal.models import OutboxMessage

    user = township_user()

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.deliver_outbox_message, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], "复工申请待审核")  # the request itself does not fail
    assert not Notification.objects.exists()
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    monkeypatch.undo()

    assert tasks.dispatch_outbox() == 1
    assert Notification.objects.get(recipient=user).title == "复工申请待审核"
    # Running the dispatch again delivers nothing more.
    assert tasks.dispatch_outbox() == 0
    assert tasks.deliver_outbox_message(OutboxMessage.objects.get().pk) == 0
    assert Notification.objects.count() == 1


def test_a_rolled_back_change_leaves_nothing_in_the_outbox():
    from fuyang_portal.models import OutboxMessage

    try:
        with transaction.atomic():
            notify([township_user()], "never")
            raise RuntimeError
    except RuntimeError:
        pass
    assert not OutboxMessage.objects.exists()


def test_old_audit_events_are_purged_after_the_retention_period():
    from datetime import timedelta

    from django.utils import timezone

    from fuyang_portal.models import AuditEvent
    from fuyang_portal.tasks import purge_audit_log

    old = AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, username="old")
    kept = AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, username="kept")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=181))
    AuditEvent.objects.filter(pk=kept.pk).update(at=timezone.now() - timedelta(days=179))
    assert purge_audit_log() == 1
    # The purge is itself a row of the log.
    assert sorted(AuditEvent.objects.values_list("kind", "username")) == sorted([(AuditEvent.Kind.SIGN_IN, "kept"), (AuditEvent.Kind.PURGE, "")])


def test_a_text_is_sent_for_an_sms_notice_and_no_sms_task_is_queued_for_the_others(monkeypatch):
    from fuyang_portal import queue
    from fuyang_portal.tasks import deliver_outbox_message

    published = []
    monkeypatch.setattr(queue, "publish", lambda task, *args: published.append(task.name) or True)
    user = township_user(mobile="13912345678")
    plain, texted = notify([user], "站内通知"), notify([user], "短信提醒", sms=True)
    deliver_outbox_message(plain.pk)
    assert published == []
    deliver_outbox_message(texted.pk)
    assert published == ["fuyang_portal.tasks.send_pending_sms"]
    assert SmsMessage.objects.get().body == "短信提醒"

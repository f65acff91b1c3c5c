"""The audit log as evidence: every write of a business record is an audit row beside its history row; rows are
chained by hash, and a row changed, inserted or removed is found by the verify command with its id."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fuyang_portal import audit
from fuyang_portal.models import AuditEvent
from fuyang_portal.roles import Role
from fuyang_portal.workflow import record
from tests.factories import TownshipFactory, administrator, district_user

pytestmark = pytest.mark.django_db


def chain_of(n):
    for i in range(n):
        audit.record(AuditEvent.Kind.EXPORT, user=district_user(), target=f"list {i}")
    assert audit.seal() >= n


def test_a_write_of_a_record_is_an_audit_row_with_actor_and_role():
    actor = district_user()
    record(TownshipFactory(), actor=actor, action="create")
    row = AuditEvent.objects.get(kind=AuditEvent.Kind.CHANGE)
    assert row.actor == actor and row.role == Role.DISTRICT and row.target.startswith("fuyang_portal.township:")


def test_an_intact_chain_verifies():
    chain_of(5)
    checked, broken = audit.verify()
    assert broken is None and checked == AuditEvent.objects.count()
    call_command("verify_audit_chain")


@pytest.mark.parametrize("tamper", ["change", "delete", "insert"])
def test_tampering_is_found_with_the_rows_id(tamper):
    chain_of(6)
    rows = list(AuditEvent.objects.order_by("seq"))
    victim = rows[3]
    if tamper == "change":
        AuditEvent.objects.filter(pk=victim.pk).update(detail="nothing to see")
        expected = victim.pk
    elif tamper == "delete":
        AuditEvent.objects.filter(pk=victim.pk).delete()
        expected = rows[4].pk  # the next row no longer links
    else:
        # A row slipped into the chain in place of another: its position is taken, its links cannot be made to fit.
        AuditEvent.objects.filter(pk=victim.pk).update(seq=None)
        AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, username="forged", seq=victim.seq, prev_hash=victim.prev_hash, hash="f" * 64)
        expected = AuditEvent.objects.get(username="forged").pk
    assert audit.verify()[1] == expected
    with pytest.raises(CommandError, match=f"row id {expected}"):
        call_command("verify_audit_chain")


def test_rows_written_since_the_last_seal_are_chained_by_the_next():
    chain_of(2)
    audit.record(AuditEvent.Kind.SIGN_IN, username="late")
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 1
    assert audit.seal() == 1 and audit.verify()[1] is None


def test_no_one_changes_or_removes_an_audit_row_in_the_admin(client):
    chain_of(1)
    row = AuditEvent.objects.first()
    superuser = district_user(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.post(reverse("admin:fuyang_portal_auditevent_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=row.pk).exists()
    auditor = administrator(Role.AUDITOR)
    client.force_login(auditor)
    assert client.get(reverse("admin:fuyang_portal_auditevent_changelist")).status_code == 200
    assert client.post(reverse("admin:fuyang_portal_auditevent_delete", args=[row.pk]), {"post": "yes"}).status_code == 403


def test_the_superusers_writes_are_audited(client):
    superuser = district_user(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    township = TownshipFactory()
    client.post(reverse("admin:fuyang_portal_township_change", args=[township.pk]), {"name": "改名", "code": township.code})
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SUPERUSER, actor=superuser).exists()

"""The audit trail as the district office reads it: sign-ins, failed sign-ins, every unmasked ID number, every
export (the audit log) and every state change (the transition log, linked from it), each filterable; kept at
least 180 days. The security auditor alone reads the audit log; the district office and the auditor read the
transition log."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ResumptionRequest
from fuyang_portal import audit
from fuyang_portal.models import AuditEvent, Transition
from fuyang_portal.tasks import purge_audit_log
from tests.factories import administrator
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _listed(response):
    return list(response.context["table"].data)


def test_sign_ins_and_failed_sign_ins_are_recorded_and_filterable(client, world):
    users = world[0]
    name = users["township"].username
    assert client.post(reverse("login"), {"username": name, "password": "wrong-password"}).status_code == 200
    assert client.post(reverse("login"), {"username": name, "password": "Correct-Horse-42"}).status_code == 302
    signing_in = [AuditEvent.Kind.SIGN_IN_FAILED, AuditEvent.Kind.SIGN_IN]
    kinds = list(AuditEvent.objects.filter(username=name, kind__in=signing_in).order_by("pk").values_list("kind", flat=True))
    assert kinds == [AuditEvent.Kind.SIGN_IN_FAILED, AuditEvent.Kind.SIGN_IN]
    client.force_login(administrator())
    failed = _listed(client.get(reverse("audit"), {"kind": AuditEvent.Kind.SIGN_IN_FAILED, "username": name}))
    assert [(e.kind, e.username) for e in failed] == [(AuditEvent.Kind.SIGN_IN_FAILED, name)]


def test_unmasked_id_views_are_recorded(client, world):
    users, ours, _, _ = world
    client.force_login(users["district"])
    response = client.post(reverse("enterprises:pass-unmask", args=[ours.objects["pass"].pk]))
    assert response.status_code == 200 and ours.objects["pass"].id_number in response.content.decode()
    registration = ours.objects["registration"]
    response = client.post(reverse("subsidies:registration", args=[registration.pk]))
    assert response.status_code == 200 and registration.id_number in response.content.decode()
    client.force_login(administrator())
    unmasked = _listed(client.get(reverse("audit"), {"kind": AuditEvent.Kind.UNMASK}))
    assert {e.target for e in unmasked} == {f"enterprises.Pass#{ours.objects['pass'].pk}", f"registration:{registration.pk}"}
    assert all(e.actor == users["district"] for e in unmasked)


def test_a_refused_unmask_is_not_shown_and_not_recorded_as_a_view(client, world):
    users, ours, _, _ = world
    client.force_login(users["township"])
    response = client.post(reverse("enterprises:pass-unmask", args=[ours.objects["pass"].pk]))
    assert response.status_code == 403
    assert ours.objects["pass"].id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK).exists()


def test_every_transition_is_in_the_transition_log_the_district_office_filters(client, world):
    users, ours, theirs, _ = world
    request = ours.objects["request"]
    client.force_login(users["township"])
    response = client.post(reverse("enterprises:request-approve", args=[request.pk]), {"comment": "材料齐全"})
    assert response.status_code == 302
    approvals = Transition.objects.filter(action="approve", object_id=str(request.pk), content_type=ContentType.objects.get_for_model(ResumptionRequest))
    assert approvals.count() == 1 and approvals.get().actor == users["township"]

    assert client.get(reverse("audit-transitions")).status_code == 403  # the township may not read the log
    client.force_login(administrator())
    audit_page = client.get(reverse("audit"))
    assert reverse("audit-transitions") in audit_page.content.decode()  # the audit log links the transition log
    kind = ContentType.objects.get_for_model(ResumptionRequest)
    listed = _listed(client.get(reverse("audit-transitions"), {"content_type": kind.pk, "action": "approve"}))
    assert [(t.object_id, t.action, t.actor) for t in listed] == [(str(request.pk), "approve", users["township"])]
    by_user = _listed(client.get(reverse("audit-transitions"), {"actor": users["township"].username}))
    assert by_user and all(t.actor == users["township"] for t in by_user)
    # Every state change of the world's records is there: the claim's last logged state is its state now.
    claim = ours.objects["claim"]
    claim.refresh_from_db()
    claim_steps = Transition.objects.filter(object_id=str(claim.pk), content_type__model="subsidyclaim").order_by("at", "pk")
    assert claim_steps.count() >= 3 and claim_steps.last().to_state == claim.status
    # History rows carry the business time of their change (some of this world's are dated in the story).
    first = timezone.localtime(Transition.objects.order_by("at").first().at).date().isoformat()
    last = timezone.localtime(Transition.objects.order_by("at").last().at).date().isoformat()
    assert len(_listed(client.get(reverse("audit-transitions"), {"at_after": first, "at_before": last}))) == Transition.objects.count()


def test_exports_of_the_logs_are_themselves_audited(client, world):
    users = world[0]
    client.force_login(users["district"])
    assert client.get(reverse("audit-transitions"), {"_export": "csv"}).status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target="fuyang_portal.Transition").count() == 1


def test_audit_events_are_kept_180_days_and_purged_after(world, settings):
    assert settings.AUDIT_RETENTION_DAYS >= 180
    now = timezone.now()
    AuditEvent.objects.all().delete()  # the world's rows (not sealed yet): this test writes its own history
    old = AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, username="old", at=now - timedelta(days=181))
    kept = AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, username="kept", at=now - timedelta(days=179))
    assert purge_audit_log() == 1
    assert AuditEvent.objects.filter(pk=kept.pk).exists() and not AuditEvent.objects.filter(pk=old.pk).exists()
    # The purge is recorded, and the chain still verifies from its new beginning.
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PURGE).count() == 1
    assert audit.verify() == (2, None)

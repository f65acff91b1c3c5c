"""Three administrators, separated: the system administrator keeps accounts and reference data (not roles, not the
audit log, not a full ID number); the security administrator roles, locks and second-factor devices (no business
record); the auditor reads the audit log and changes nothing. Every refusal of an administrator is audited."""

import pytest
from django.urls import reverse

from fuyang_portal.models import AuditEvent, User
from fuyang_portal.roles import Role
from tests.factories import TownshipFactory, administrator, township_user

pytestmark = pytest.mark.django_db


def signed_in(client, role):
    user = administrator(role)
    client.force_login(user)
    return user


def test_the_system_administrator_keeps_accounts_and_places_but_not_roles_or_the_audit_log(client):
    signed_in(client, Role.SYSADMIN)
    target = township_user()
    assert client.get(reverse("admin:fuyang_portal_township_changelist")).status_code == 200
    page = client.get(reverse("admin:fuyang_portal_user_change", args=[target.pk]))
    assert page.status_code == 200
    assert "role" in page.context["adminform"].readonly_fields and "is_active" in page.context["adminform"].readonly_fields
    assert client.get(reverse("admin:fuyang_portal_auditevent_changelist")).status_code == 403
    assert client.get(reverse("audit")).status_code == 403
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REFUSED, role=Role.SYSADMIN).count() == 2


def test_the_security_administrator_changes_roles_and_locks_and_it_is_audited(client):
    secadmin = signed_in(client, Role.SECADMIN)
    target = township_user()
    page = client.get(reverse("admin:fuyang_portal_user_change", args=[target.pk]))
    readonly = page.context["adminform"].readonly_fields
    assert "role" not in readonly and "is_active" not in readonly and "username" in readonly
    form = {"role": Role.TOWNSHIP, "township": target.township_id, "agency": "", "is_active": ""}
    response = client.post(reverse("admin:fuyang_portal_user_change", args=[target.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not User.objects.get(pk=target.pk).is_active
    row = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION)
    assert row.actor == secadmin and "is_active=False" in row.detail
    # No business record: the township list is not its business.
    assert client.get(reverse("admin:fuyang_portal_township_changelist")).status_code == 403
    assert client.get(reverse("enterprises:list")).status_code == 403


def test_the_auditor_reads_the_audit_log_and_changes_nothing(client):
    signed_in(client, Role.AUDITOR)
    assert client.get(reverse("audit")).status_code == 200
    assert client.get(reverse("audit-transitions")).status_code == 200
    target = township_user()
    assert client.post(reverse("admin:fuyang_portal_user_change", args=[target.pk]), {"is_active": ""}).status_code == 403
    assert client.get(reverse("enterprises:list")).status_code == 403
    township = TownshipFactory()
    assert client.post(reverse("admin:fuyang_portal_township_change", args=[township.pk]), {"name": "x"}).status_code == 403
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REFUSED, role=Role.AUDITOR).count() >= 3


def test_an_administrator_holds_one_duty_and_no_scope():
    from django.core.exceptions import ValidationError

    user = administrator(Role.AUDITOR)
    user.township = TownshipFactory()
    with pytest.raises(ValidationError):
        user.full_clean()


def test_a_refusal_through_the_api_is_audited_too_though_the_request_is_rolled_back(client):
    """The API answers inside the request's transaction, which a refusal rolls back: the audit row must stay."""
    signed_in(client, Role.AUDITOR)
    assert client.post("/api/v1/enterprises/", {}, content_type="application/json").status_code == 403
    assert client.get("/api/v1/agencies/").status_code == 403
    assert list(AuditEvent.objects.filter(kind=AuditEvent.Kind.REFUSED).order_by("pk").values_list("target", "detail")) == [
        ("/api/v1/enterprises/", "POST"), ("/api/v1/agencies/", "GET"),
    ]


def test_the_system_administrator_cannot_unmask_an_id_number_and_the_attempt_is_audited(client):
    from tests.enterprises.factories import EmployeePassFactory

    held = EmployeePassFactory()
    signed_in(client, Role.SYSADMIN)
    response = client.post(reverse("enterprises:pass-unmask", args=[held.pk]))
    assert response.status_code == 403 and held.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK).exists()
    refused = AuditEvent.objects.get(kind=AuditEvent.Kind.REFUSED)
    assert refused.role == Role.SYSADMIN and refused.target == reverse("enterprises:pass-unmask", args=[held.pk])

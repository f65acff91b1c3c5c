"""visible_to decides what each role sees; out-of-scope objects answer 404."""

import pytest
from django.urls import reverse

from fuyang_portal.models import AuditEvent, Notification, Transition, Township, User
from tests.factories import (
    AgencyFactory,
    EnterpriseFactory,
    TownshipFactory,
    UserFactory,
    agency_user,
    district_user,
    enterprise_user,
    specialist_user,
    township_user,
)
from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def test_anonymous_and_inactive_users_see_nothing():
    TownshipFactory()
    inactive = district_user(is_active=False)
    from django.contrib.auth.models import AnonymousUser

    assert not Township.objects.visible_to(AnonymousUser()).exists()
    assert not Township.objects.visible_to(inactive).exists()
    assert not Township.objects.visible_to(None).exists()


def test_reference_data_is_open_to_every_signed_in_role():
    TownshipFactory()
    for user in (district_user(), township_user(), agency_user(), specialist_user(), enterprise_user()):
        assert Township.objects.visible_to(user).count() == Township.objects.count()


def test_users_are_scoped_to_their_township_agency_or_firm():
    home, other = TownshipFactory(), TownshipFactory()
    me = township_user(home)
    colleague = township_user(home)
    stranger = township_user(other)
    visible = set(User.objects.visible_to(me))
    assert {me, colleague} <= visible and stranger not in visible

    firm = EnterpriseFactory()
    account = enterprise_user(firm)
    enterprise_user(EnterpriseFactory())
    assert list(User.objects.visible_to(account)) == [account]

    specialist = specialist_user()
    assert list(User.objects.visible_to(specialist)) == [specialist]


def test_enterprises_are_scoped_by_role():
    home, other = TownshipFactory(), TownshipFactory()
    mine, theirs = EnterpriseFactory(township=home), EnterpriseFactory(township=other)
    assert list(Enterprise.objects.visible_to(township_user(home))) == [mine]
    assert list(Enterprise.objects.visible_to(enterprise_user(mine))) == [mine]
    paired_agency = AgencyFactory(paired_township=other)
    assert list(Enterprise.objects.visible_to(agency_user(paired_agency))) == [theirs]
    assert set(Enterprise.objects.visible_to(district_user())) == {mine, theirs}


def test_the_audit_log_is_the_auditors_alone_and_the_history_the_district_offices_and_the_auditors():
    from fuyang_portal.roles import Role
    from tests.factories import administrator

    AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, username="x")
    from fuyang_portal.workflow import record

    record(TownshipFactory(), actor=None, action="create")  # a history row to read
    others = (township_user(), agency_user(), specialist_user(), enterprise_user(), administrator(Role.SYSADMIN), administrator(Role.SECADMIN))
    for user in others:
        assert not Transition.objects.visible_to(user).exists()
    for user in others + (district_user(), UserFactory(role=Role.DISTRICT, is_superuser=True)):
        assert not AuditEvent.objects.visible_to(user).exists()
    auditor = administrator(Role.AUDITOR)
    assert AuditEvent.objects.visible_to(auditor).count() == 2  # the sign-in, and the change mirrored from the history
    assert Transition.objects.visible_to(auditor).exists() and Transition.objects.visible_to(district_user()).exists()


def test_each_user_reads_only_their_own_inbox(client):
    me, other = township_user(), district_user()
    Notification.objects.create(recipient=me, title="mine")
    theirs = Notification.objects.create(recipient=other, title="theirs")
    assert [n.title for n in Notification.objects.visible_to(me)] == ["mine"]
    # Even the district office sees only its own messages.
    assert [n.title for n in Notification.objects.visible_to(other)] == ["theirs"]

    client.force_login(me)
    response = client.post(reverse("mark-read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_staff_pages_refuse_other_roles_and_unknown_objects_answer_404(client):
    township = TownshipFactory()
    client.force_login(enterprise_user())
    assert client.get(reverse("places:townships")).status_code == 403
    client.force_login(township_user())
    assert client.get(reverse("places:township", args=[township.pk])).status_code == 200
    assert client.get(reverse("places:township", args=[999999])).status_code == 404
    assert client.get(reverse("audit")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("places:townships"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_superuser_counts_as_district_office():
    admin = UserFactory(role="district", is_superuser=True)
    TownshipFactory()
    assert Township.objects.visible_to(admin).exists()

"""Passes: filing, duplicate refusal, issuing with a number, green-only, revoking, encryption at rest."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, connections
from django.utils import timezone

from enterprises import services
from enterprises.models import HealthCode, Pass, PassKind, PassStatus
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from tests.enterprises.factories import EmployeePassFactory, VehiclePassFactory, resident_id
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user

TODAY = timezone.localdate()
IN_A_MONTH = TODAY + datetime.timedelta(days=30)


def vehicle(**extra):
    return {
        "plate": "浙AD12345",
        "vehicle_type": "van",
        "driver_name": "李师傅",
        "mobile": "13905710003",
        "route": "富阳—萧山",
        "valid_from": TODAY,
        "valid_until": IN_A_MONTH,
        **extra,
    }


def employee(**extra):
    return {
        "holder_name": "张三丰",
        "id_number": resident_id(77),
        "mobile": "13905710004",
        "origin": "安徽省阜阳市",
        "health_code": HealthCode.GREEN,
        "valid_from": TODAY,
        "valid_until": IN_A_MONTH,
        **extra,
    }


@pytest.mark.django_db
class TestFiling:
    def test_vehicle_pass_is_filed_pending_with_a_normalised_plate(self):
        firm = EnterpriseFactory()
        p = services.apply_for_pass(enterprise_user(firm), firm, PassKind.VEHICLE, **vehicle(plate="浙ad 12345"))
        assert p.status == PassStatus.PENDING and p.plate == "浙AD12345" and p.number is None

    def test_resident_id_is_encrypted_at_rest_and_found_by_hash(self):
        firm = EnterpriseFactory()
        number = resident_id(78)
        p = services.apply_for_pass(enterprise_user(firm), firm, PassKind.EMPLOYEE, **employee(id_number=number))
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM enterprises_pass WHERE id = %s", [p.pk])
            stored = cursor.fetchone()[0]
        assert number not in stored
        assert Pass.objects.get(pk=p.pk).id_number == number
        assert Pass.objects.filter(id_number_hash=lookup_hash(number)).count() == 1
        assert p.masked_id == number[:6] + "********" + number[-4:]

    def test_a_second_active_pass_for_the_same_plate_is_refused_even_from_another_firm(self):
        first, second = EnterpriseFactory(), EnterpriseFactory()
        services.apply_for_pass(enterprise_user(first), first, PassKind.VEHICLE, **vehicle())
        with pytest.raises(ActionRefused) as refusal:
            services.apply_for_pass(enterprise_user(second), second, PassKind.VEHICLE, **vehicle(plate="浙AD12345"))
        assert refusal.value.code == ActionRefused.CONFLICT
        assert Pass.objects.count() == 1

    def test_a_second_active_pass_for_the_same_person_is_refused(self):
        firm = EnterpriseFactory()
        user = enterprise_user(firm)
        services.apply_for_pass(user, firm, PassKind.EMPLOYEE, **employee())
        with pytest.raises(ActionRefused):
            services.apply_for_pass(user, firm, PassKind.EMPLOYEE, **employee(holder_name="张三"))
        assert Pass.objects.count() == 1

    def test_after_revocation_the_person_can_apply_again(self):
        firm = EnterpriseFactory()
        user = enterprise_user(firm)
        p = services.apply_for_pass(user, firm, PassKind.EMPLOYEE, **employee())
        services.revoke_pass(p, township_user(firm.township), "离职")
        services.apply_for_pass(user, firm, PassKind.EMPLOYEE, **employee())
        assert Pass.objects.filter(status=PassStatus.PENDING).count() == 1

    def test_an_expired_pass_no_longer_blocks_and_is_marked_expired(self):
        firm = EnterpriseFactory()
        old = VehiclePassFactory(
            enterprise=firm, plate="浙A11111", status=PassStatus.ISSUED, number="FYV0001", issued_at=timezone.now(),
            valid_from=TODAY - datetime.timedelta(days=40), valid_until=TODAY - datetime.timedelta(days=1),
        )
        services.apply_for_pass(enterprise_user(firm), firm, PassKind.VEHICLE, **vehicle(plate="浙A11111"))
        old.refresh_from_db()
        assert old.status == PassStatus.EXPIRED
        assert Transition.objects.for_object(old).get().action == "expire"

    def test_the_database_refuses_two_active_passes_for_one_plate(self):
        VehiclePassFactory(plate="浙A22222")
        with pytest.raises(IntegrityError):
            VehiclePassFactory(plate="浙A22222")

    def test_another_firms_account_cannot_file_for_this_firm(self):
        firm = EnterpriseFactory()
        with pytest.raises(ActionRefused) as refusal:
            services.apply_for_pass(enterprise_user(), firm, PassKind.VEHICLE, **vehicle())
        assert refusal.value.code == ActionRefused.FORBIDDEN
        assert not Pass.objects.exists()

    def test_validity_ending_before_it_starts_is_refused(self):
        firm = EnterpriseFactory()
        with pytest.raises(ActionRefused):
            services.apply_for_pass(enterprise_user(firm), firm, PassKind.VEHICLE, **vehicle(valid_until=TODAY - datetime.timedelta(days=1)))
        assert not Pass.objects.exists()


@pytest.mark.django_db
class TestIssuing:
    def test_township_issues_with_a_unique_number_and_a_log(self):
        p = VehiclePassFactory()
        services.approve_pass(p, township_user(p.enterprise.township))
        p.refresh_from_db()
        assert p.status == PassStatus.ISSUED and p.number.startswith("FYV") and p.issued_at
        assert Transition.objects.for_object(p).get().to_state == PassStatus.ISSUED

    def test_only_green_health_code_is_issued(self):
        p = EmployeePassFactory(health_code=HealthCode.YELLOW)
        with pytest.raises(ActionRefused) as refusal:
            services.approve_pass(p, township_user(p.enterprise.township))
        assert refusal.value.code == ActionRefused.INVALID
        p.refresh_from_db()
        assert p.status == PassStatus.PENDING and p.number is None

    def test_another_township_cannot_issue(self):
        p = VehiclePassFactory()
        with pytest.raises(ActionRefused):
            services.approve_pass(p, township_user())
        p.refresh_from_db()
        assert p.status == PassStatus.PENDING

    def test_issuing_twice_is_refused(self):
        p = VehiclePassFactory()
        reviewer = township_user(p.enterprise.township)
        services.approve_pass(p, reviewer)
        number = Pass.objects.get(pk=p.pk).number
        with pytest.raises(ActionRefused):
            services.approve_pass(p, reviewer)
        assert Pass.objects.get(pk=p.pk).number == number

    def test_revoke_needs_a_reason_and_district_may_revoke(self):
        p = VehiclePassFactory()
        with pytest.raises(ActionRefused):
            services.revoke_pass(p, district_user(), "")
        services.revoke_pass(p, district_user(), "车辆转让")
        p.refresh_from_db()
        assert p.status == PassStatus.REVOKED and p.revoke_reason == "车辆转让" and p.revoked_at

    def test_the_firm_cannot_revoke_or_issue_its_own_pass(self):
        p = VehiclePassFactory()
        owner = enterprise_user(p.enterprise)
        with pytest.raises(ActionRefused):
            services.approve_pass(p, owner)
        with pytest.raises(ActionRefused):
            services.revoke_pass(p, owner, "x")
        p.refresh_from_db()
        assert p.status == PassStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_filings_for_one_plate_at_once_leave_one_pass():
    """On PostgreSQL two threads file at the same moment; elsewhere the same calls run one after the other.
    Either way exactly one pass exists and the other filing is refused."""
    firms = [EnterpriseFactory(), EnterpriseFactory()]
    users = [enterprise_user(f) for f in firms]
    outcomes = []
    barrier = threading.Barrier(2)

    def file(index, wait):
        try:
            if wait:
                barrier.wait(timeout=5)
            services.apply_for_pass(users[index], firms[index], PassKind.VEHICLE, **vehicle(plate="浙B88888"))
            outcomes.append("ok")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all() if wait else None

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=file, args=(i, True)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        file(0, False)
        file(1, False)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Pass.objects.filter(plate="浙B88888").count() == 1


@pytest.mark.django_db
def test_the_expiry_sweep_expires_lapsed_passes_once_and_logs_each():
    from enterprises.tasks import expire_lapsed_passes

    lapsed = VehiclePassFactory(
        status=PassStatus.ISSUED, number="FYVX1", issued_at=timezone.now(),
        valid_from=TODAY - datetime.timedelta(days=10), valid_until=TODAY - datetime.timedelta(days=1),
    )
    current = VehiclePassFactory(status=PassStatus.ISSUED, number="FYVX2", issued_at=timezone.now())
    assert expire_lapsed_passes.delay().get() == 1
    assert expire_lapsed_passes.delay().get() == 0
    lapsed.refresh_from_db(), current.refresh_from_db()
    assert (lapsed.status, current.status) == (PassStatus.EXPIRED, PassStatus.ISSUED)
    assert Transition.objects.for_object(lapsed).count() == 1

"""generate_scale at a small size, on the test database (SQLite unless DATABASE_URL says otherwise)."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from bench.scale import PER_FIRM, SPECIALIST_PREFIX, Generator, scaled
from enterprises.models import DailyReport, Enterprise, Pass, PassKind, PassStatus, ResumptionRequest, Scale
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import Township, User
from fuyang_portal.roles import Role
from fuyang_portal.validators import validate_credit_code, validate_plate, validate_resident_id
from specialists.models import Assignment, Problem, Specialist, Visit
from subsidies.models import CharterTrip, SubsidyClaim, WorkerRegistration

pytestmark = pytest.mark.django_db

FIRMS = 200


@pytest.fixture
def district():
    call_command("generate_scale", firms=FIRMS, seed=7)


def test_rows_scale_with_the_number_of_firms(district):
    assert Enterprise.objects.count() == FIRMS
    assert Specialist.objects.count() == scaled("specialists", FIRMS) == 2
    assert Visit.objects.count() == FIRMS * PER_FIRM["visits"]
    assert Problem.objects.count() == FIRMS * PER_FIRM["problems"]
    assert Visit.objects.count() + Problem.objects.count() == FIRMS * 10  # 1,000,000 at 100,000 firms
    assert Pass.objects.count() == FIRMS * PER_FIRM["passes"]
    assert WorkerRegistration.objects.count() == FIRMS // 2
    assert scaled("claims", FIRMS) == 4  # 2,000 at 100,000 firms; at least one per state below that
    assert SubsidyClaim.objects.count() == CharterTrip.objects.count() == len(SubsidyClaim.Status)
    assert ResumptionRequest.objects.count() == FIRMS
    assert DailyReport.objects.count() == 2 * FIRMS


def test_firms_are_mostly_small_and_sit_in_their_township(district):
    scales = Counter(Enterprise.objects.values_list("scale", flat=True))
    assert (scales[Scale.SME] + scales[Scale.INDIVIDUAL]) / FIRMS > 0.9
    assert scales[Scale.ABOVE_SCALE] > 0
    assert Enterprise.objects.values("township").distinct().count() > 12
    for firm in Enterprise.objects.select_related("village", "community"):
        validate_credit_code(firm.credit_code)
        assert not (firm.village_id and firm.community_id)
        place = firm.village or firm.community
        assert place is None or place.township_id == firm.township_id


def test_every_firm_has_a_specialist_serving_its_township(district):
    assert Assignment.objects.count() == FIRMS
    assert Assignment.objects.values("enterprise").distinct().count() == FIRMS
    users = User.objects.filter(username__startswith=SPECIALIST_PREFIX)
    assert users.count() == 2 and set(users.values_list("role", flat=True)) == {Role.SPECIALIST}
    assert not any(user.has_usable_password() for user in users)
    for assignment in Assignment.objects.select_related("enterprise", "specialist"):
        served = set(assignment.specialist.townships.values_list("pk", flat=True))
        # Round robin: with two specialists, a firm in an unserved township takes any specialist.
        assert served
    assert set(Visit.objects.values_list("specialist_id", "enterprise_id")) <= set(
        Assignment.objects.values_list("specialist_id", "enterprise_id")
    )


def test_every_state_is_present_and_consistent(district):
    assert set(Problem.objects.values_list("status", flat=True)) == set(Problem.Status)
    assert set(Pass.objects.values_list("status", flat=True)) == set(PassStatus)
    assert set(SubsidyClaim.objects.values_list("status", flat=True)) == set(SubsidyClaim.Status)
    with_agency = Problem.objects.filter(status__in=["assigned", "accepted", "answered"])
    assert not with_agency.filter(agency__isnull=True).exists() and not with_agency.filter(deadline__isnull=True).exists()
    confirmed = Problem.objects.filter(status=Problem.Status.CONFIRMED)
    assert not confirmed.filter(closed_at__isnull=True).exists()
    assert all(p.closed_at > p.raised_at for p in confirmed)
    days = Visit.objects.values_list("visited_on", flat=True)
    assert (max(days) - min(days)).days < 8 * 7 and len({d.isocalendar()[1] for d in days}) == 8


def test_personal_numbers_are_valid_encrypted_and_unique(district):
    employees = list(Pass.objects.filter(kind=PassKind.EMPLOYEE))
    for item in employees:
        validate_resident_id(item.id_number)
        assert item.id_number_hash == lookup_hash(item.id_number)
    assert len({item.id_number_hash for item in employees}) == len(employees)
    for item in Pass.objects.filter(kind=PassKind.VEHICLE):
        validate_plate(item.plate)
    registrations = list(WorkerRegistration.objects.all())
    assert all(r.id_number_hash == lookup_hash(r.id_number) for r in registrations)
    hashes = {item.id_number_hash for item in employees} | {r.id_number_hash for r in registrations}
    assert len(hashes) == len(employees) + len(registrations)
    # Stored encrypted: the raw column never holds the number.
    raw = Pass.objects.filter(pk=employees[0].pk).values_list("id_number", flat=True).query
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(*raw.sql_with_params())
        assert cursor.fetchone()[0] != employees[0].id_number


def test_same_seed_gives_the_same_firms():
    call_command("generate_scale", firms=30, seed=11)
    first = list(Enterprise.objects.order_by("pk").values_list("name", "township__code", "scale", "registered_headcount"))
    # A second run of the same seed into the same database, under another account prefix.
    Generator(30, seed=11, prefix="again-").run()
    second = list(Enterprise.objects.order_by("pk").values_list("name", "township__code", "scale", "registered_headcount"))[30:]
    assert first == second


def test_a_second_run_under_the_same_prefix_is_refused(district):
    with pytest.raises(CommandError, match="already"):
        call_command("generate_scale", firms=10)
    assert Enterprise.objects.count() == FIRMS


def test_it_needs_at_least_one_firm():
    with pytest.raises(CommandError):
        call_command("generate_scale", firms=0)
    assert not Township.objects.exists()

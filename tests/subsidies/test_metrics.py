"""The villages' duty figure (returning workers registered per firm of the unit, in the week) agrees with a count made
by hand from the rows, units with firms but no registration score 0, and the drill-down lists the registrations."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fuyang_portal.metrics import Level
from subsidies import metrics
from tests.factories import EnterpriseFactory, TownshipFactory, VillageFactory
from tests.subsidies.factories import RegistrationFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
WEEK = (date(2020, 2, 10), date(2020, 2, 16))


def at(day, hour):
    return datetime.combine(day, datetime.min.time(), tzinfo=BEIJING).replace(hour=hour)


def test_registrations_per_firm_by_village_and_township():
    township = TownshipFactory()
    busy, quiet = VillageFactory(township=township), VillageFactory(township=township)
    firms = [EnterpriseFactory(township=township, village=busy) for _ in range(2)] + [EnterpriseFactory(township=township, village=quiet)]
    counted = [
        RegistrationFactory(enterprise=firms[0], created_at=at(date(2020, 2, 10), 0)),   # Monday 00:00: in the week
        RegistrationFactory(enterprise=firms[0], created_at=at(date(2020, 2, 16), 23)),  # Sunday 23:00: in
        RegistrationFactory(enterprise=firms[1], created_at=at(date(2020, 2, 12), 9)),
    ]
    RegistrationFactory(enterprise=firms[1], created_at=at(date(2020, 2, 9), 23))   # the week before: not counted
    RegistrationFactory(enterprise=firms[2], created_at=at(date(2020, 2, 17), 0))   # next Monday: not counted
    villages = {row.unit_id: row for row in metrics.worker_registrations_per_firm(Level.VILLAGE, *WEEK)}
    assert (villages[busy.pk].numerator, villages[busy.pk].denominator) == (3, 2)
    assert villages[quiet.pk].value == 0  # a firm, nobody registered: zero, not missing
    [whole] = metrics.worker_registrations_per_firm(Level.TOWNSHIP, *WEEK)
    assert (whole.unit_id, whole.value) == (township.pk, Decimal(3) / Decimal(3))
    rows = metrics.worker_registrations_per_firm_rows(Level.VILLAGE, busy.pk, *WEEK)
    assert sorted(r.pk for r in rows) == sorted(r.pk for r in counted)
    assert list(metrics.worker_registrations_per_firm_rows(Level.VILLAGE, quiet.pk, *WEEK)) == []

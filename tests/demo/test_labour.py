"""The labour demo tells 场口镇's story from rows written by the services: needs collected by the specialists and
published by the township on 15 February, candidates from 锦屏 and 缙云, workers arrived and hired, a group of
锦屏's on the charter bus that left on the story's Monday, and a fill rate computed from all of it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from fuyang_portal.metrics import Level
from fuyang_portal.models import Township, Transition, User
from labour import demo, metrics, stats
from labour.models import Candidate, CandidateStatus, PartnerCounty, Vacancy, VacancyStatus
from subsidies.models import CharterTrip

pytestmark = pytest.mark.django_db
STORY = datetime(2020, 2, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_changkou_needs_published_at_once_and_answered_by_jinping_and_jinyun(story, client):
    changkou = Township.objects.get(name="场口镇")
    vacancies = Vacancy.objects.filter(enterprise__township=changkou)
    published = vacancies.filter(status=VacancyStatus.PUBLISHED)
    assert published.count() == len(demo.NEEDS)
    assert vacancies.filter(status=VacancyStatus.SUBMITTED).count() == 1  # the 23rd's need awaits review
    # Published the same day they were collected.
    assert all(v.published_at.date() == v.created_at.date() == date(2020, 2, 15) for v in published)
    # Posted by the specialists serving the firms (point to point), published by the township.
    posters = set(Transition.objects.filter(action="create", object_id__in=[str(v.pk) for v in published],
                                            content_type__model="vacancy").values_list("actor__role", flat=True))
    assert posters <= {"specialist", "enterprise"} and "specialist" in posters
    assert set(published.values_list("published_by__township", flat=True)) == {changkou.pk}

    counties = set(Candidate.objects.values_list("county__name", flat=True))
    assert counties == {"锦屏县", "缙云县"}
    assert Candidate.objects.count() == sum(len(outcomes) for *_rest, outcomes in demo.LISTS)
    states = set(Candidate.objects.values_list("status", flat=True))
    assert states == set(CandidateStatus.values)
    assert Candidate.objects.exclude(warning="").count() == 1

    # 锦屏's second group is on the charter bus that left on Monday morning, a trip of the subsidies app.
    travelling = Candidate.objects.filter(status=CandidateStatus.TRAVELLING)
    trips = CharterTrip.objects.filter(passengers__registration__labour_candidate__in=travelling).distinct()
    assert trips.count() >= 1 and all(t.status == CharterTrip.Status.PLANNED and t.departure_date == date(2020, 2, 24) for t in trips)
    assert all(t.origin_county == "522628" for t in trips)
    assert travelling.count() == sum(outcomes.count("bus") for *_rest, outcomes in demo.LISTS)
    # Every accepted worker has a worker-return registration with the firm.
    holding = Candidate.objects.holding()
    assert holding.filter(registration__isnull=True).count() == 0
    assert all(c.registration.enterprise_id == c.vacancy.enterprise_id for c in holding.select_related("registration", "vacancy"))

    # The figures: places, arrivals and the fill rate, from the rows.
    district = User.objects.get(username="district")
    totals = stats.totals(district)
    places = sum(need[3] for need in demo.NEEDS)
    arrived = Candidate.objects.filter(status__in=(CandidateStatus.ARRIVED, CandidateStatus.HIRED)).count()
    assert (totals["positions"], totals["arrived"]) == (places, arrived) and 0 < arrived < places
    rows = {row.unit_id: row for row in metrics.fill_rate(Level.TOWNSHIP, date(2020, 2, 17), date(2020, 2, 23))}
    assert rows[changkou.pk].denominator == places and rows[changkou.pk].numerator == arrived
    by_county = {row["label"]: row for row in stats.by_county(district)}
    assert by_county["缙云县"]["arrived"] > 0 and by_county["锦屏县"]["arrived"] > 0

    client.force_login(district)
    response = client.get(reverse("labour:figures"))
    assert response.status_code == 200 and response.context["totals"]["arrived"] == arrived
    assert client.get(reverse("labour:board") + f"?township={changkou.pk}").context["page"].paginator.count == published.count()

    # Nothing after the story's moment; every candidate's history has its actor.
    assert not Vacancy.objects.filter(created_at__gt=STORY).exists() and not Candidate.objects.filter(referred_at__gt=STORY).exists()
    assert not Transition.objects.filter(content_type__app_label="labour", at__gt=STORY).exists()
    assert not Transition.objects.filter(content_type__app_label="labour", actor__isnull=True).exists()
    assert PartnerCounty.objects.get(name="锦屏县").accounts.filter(user__username="jinping").exists()

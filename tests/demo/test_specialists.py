"""The demo reproduces the report's figures from rows, as of the story's moment (Monday 24 February 2020,
10:00), written through the services by the story's people; it loads fast, and a second run changes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F

from enterprises.models import Enterprise
from fuyang_portal.models import Transition, User
from specialists.metrics import agency_scorecard
from specialists.models import Assignment, Callback, Problem, ProblemPart, Specialist, Supervision, TrackedProject, Visit

pytestmark = pytest.mark.django_db


def test_demo_figures_from_rows(story):
    assert Specialist.objects.count() == 911
    assert Specialist.objects.values("agency").distinct().count() == 65
    assert Specialist.townships.through.objects.values("township").distinct().count() == 24
    assert not User.objects.filter(specialist_profile__isnull=False).exclude(role="specialist").exists()
    above = Enterprise.objects.filter(scale="above_scale")
    assert above.count() == 558
    assert not above.exclude(pk__in=Assignment.objects.active().values("enterprise_id")).exists()
    assert Visit.objects.values("enterprise").distinct().count() == 3169
    assert TrackedProject.objects.count() == 421
    assert Problem.objects.filter(status__in=Problem.SOLVED_STATES).count() == 507
    # Issue 18: the loop in the demo: every way of closing, co-handled parts, reviewed returns, supervision.
    assert set(Problem.objects.filter(status="confirmed").values_list("closed_how", flat=True)) == {"firm", "callback", "default"}
    assert ProblemPart.objects.filter(status="answered").exists()
    assert Supervision.objects.filter(kind="supervise").exists() and Callback.objects.filter(satisfaction="dissatisfied").exists()
    states = set(Problem.objects.values_list("status", flat=True).distinct())
    assert states == set(Problem.Status.values)
    assert Problem.objects.filter(overdue=True).exists()
    assert Problem.objects.filter(deadline__isnull=False).count() == Problem.objects.count()
    # every visit by a specialist assigned to that firm
    assert not Visit.objects.exclude(
        enterprise__specialist_assignments__specialist=F("specialist")
    ).exists()
    # history for every problem
    assert Transition.objects.filter(content_type__model="problem").values("object_id").distinct().count() == Problem.objects.count()
    # the contest can move: activity spreads over the period
    days = Visit.objects.values("visited_on").annotate(n=Count("pk"))
    assert min(d["visited_on"] for d in days).isoformat() >= "2020-01-27" and max(d["visited_on"] for d in days).isoformat() <= "2020-02-24"
    assert len(days) > 20
    # every history row of the app has its actor and the time of the story (the overdue sweep is the system's)
    story_end = datetime(2020, 2, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    models = [Specialist, Assignment, Visit, TrackedProject, Problem]
    history = Transition.objects.filter(content_type__in=[ContentType.objects.get_for_model(m) for m in models])
    assert history.count() > 10_000
    # Issue 18: the sweep's own steps (flags and 默认满意) are the system's; everything else has its actor.
    assert not history.exclude(action__in=("flag_overdue", "auto_close")).filter(actor__isnull=True).exists()
    assert not history.filter(at__gt=story_end).exists()
    assert not Problem.objects.filter(raised_at__gt=story_end).exists()
    assert not Problem.objects.filter(closed_at__gt=story_end).exists()
    confirmations = history.filter(action="confirm")
    # Issue 18: 443 closed, by the firm's confirmation, the district office's callback or the sweep's 默认满意.
    closings = history.filter(action__in=("confirm", "callback", "auto_close"))
    assert closings.count() == Problem.objects.filter(status="confirmed").count() == 443
    assert not confirmations.exclude(actor__role="enterprise").exists()
    assert not history.filter(action__in=("callback", "callback_reopen", "callback_unreached")).exclude(actor__role="district").exists()
    assert history.filter(action="overrule_return").exists() and history.filter(action="township_resolve").exists()
    assert not history.filter(action="answer").exclude(actor__role="agency").exists()
    assert not history.filter(action="assign", content_type__model="problem").exclude(actor__role="district").exists()
    # the demo accounts have work
    specialist = User.objects.get(username="specialist")
    assert Enterprise.objects.visible_to(specialist).count() >= 10
    assert Problem.objects.visible_to(User.objects.get(username="runde")).filter(status="resolved").exists()
    # A second load writing nothing is proven for the whole demo in test_clock.py.


def test_demo_scorecard_shows_agencies_that_differ(story):
    """Issue 18: the agencies work at their own pace in the demo, so the scorecard tells them apart."""
    rows = list(agency_scorecard())
    assert len(rows) >= 10
    sign_for = {round(row.sign_for_rate, 2) for row in rows if row.sign_for_rate is not None}
    on_time = {round(row.on_time_rate, 2) for row in rows if row.on_time_rate is not None}
    assert len(sign_for) >= 3 and len(on_time) >= 3
    assert min(sign_for) < 0.5 < max(sign_for)
    assert len({row.supervised for row in rows}) >= 2

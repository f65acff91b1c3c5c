"""The demo stands at one moment of the story, Monday 24 February 2020, 10:00 Beijing time: nothing the demo
wrote happened after it, and loading it again writes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import Max

from fuyang_portal.discovery import project_apps

pytestmark = pytest.mark.django_db
STORY = datetime(2020, 2, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# Records of the system that keep real time by design (security and delivery), not the business clock; and the
# contest's definitions, installed with the schema by a migration (their first version is not the demo's doing).
REAL_TIME = {
    "fuyang_portal.AuditEvent", "fuyang_portal.OutboxMessage", "fuyang_portal.SmsMessage", "fuyang_portal.Notification",
    "fuyang_portal.QueuedTask", "fuyang_portal.IdempotentRequest",
}
INSTALLED = {"leaderboard.Indicator", "leaderboard.IndicatorChange"}
# Dates that look ahead by their nature: a deadline, the end of a validity, a plan.
AHEAD = {
    "specialists.Problem.deadline", "specialists.Problem.original_deadline", "specialists.TrackedProject.due_on",
    "specialists.Assignment.ends_on", "enterprises.Pass.valid_until", "enterprises.Pass.valid_from",
    "enterprises.ResumptionRequest.planned_date", "subsidies.WorkerRegistration.return_date",
    "subsidies.SubsidyPolicy.window_end", "leaderboard.ContestWeek.week_end",
}


def _dated_fields():
    for config in project_apps():
        for model in config.get_models():
            if model._meta.label in REAL_TIME | INSTALLED:
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, (models.DateTimeField, models.DateField)) and f"{model._meta.label}.{field.name}" not in AHEAD:
                    yield model, field


def test_nothing_the_demo_wrote_is_dated_after_the_story(story):
    late = []
    for model, field in _dated_fields():
        latest = model._base_manager.aggregate(latest=Max(field.name))["latest"]
        if latest is None:
            continue
        limit = STORY if isinstance(field, models.DateTimeField) else STORY.date()
        if latest > limit:
            late.append(f"{model._meta.label}.{field.name}: {latest}")
    assert late == []


def test_the_accounts_joined_within_the_story(story):
    from fuyang_portal.models import User

    assert not User.objects.filter(date_joined__gt=STORY).exists()


def test_loading_the_demo_again_writes_nothing(story):
    def counts():
        return {
            model._meta.label: model._base_manager.count()
            for config in project_apps() for model in config.get_models() if model._meta.label not in REAL_TIME
        }

    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == before

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
    "fuyang_portal.QueuedTask", "fuyang_portal.IdempotentRequest", "fuyang_portal.PasswordHistory",
    "otp_totp.TOTPDevice", "otp_static.StaticDevice",
}
INSTALLED = {"leaderboard.Indicator", "leaderboard.IndicatorChange"}
# Dates that look ahead by their nature: a deadline, the end of a validity, a plan.
AHEAD = {
    "specialists.Problem.deadline", "specialists.Problem.original_deadline", "specialists.TrackedProject.due_on",
    "specialists.Assignment.ends_on", "enterprises.Pass.valid_until", "enterprises.Pass.valid_from",
    "enterprises.ResumptionRequest.planned_date", "subsidies.WorkerRegistration.return_date",
    "subsidies.SubsidyPolicy.window_end", "leaderboard.ContestWeek.week_end",
    "specialists.Problem.remind_on", "specialists.Problem.late3x_on", "specialists.Problem.sign_for_due",
    "specialists.Problem.triage_due", "specialists.Problem.callback_due", "specialists.ProblemPart.sign_for_due",
    "labour.Vacancy.start_date", "labour.Candidate.earliest_travel_date",
    "programmes.WorkItem.deadline", "programmes.Finding.rectify_by", "programmes.Occupancy.observation_end",
    "programmes.HealthVoucher.expires_on", "leaderboard.ContestWeek.appeal_until",
    "fuyang_portal.User.password_changed_at",  # security, real time
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
    assert late == [], "\n".join(late)


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


def test_every_account_the_readme_names_signs_in_with_the_demo_password(story, settings):
    import re
    from pathlib import Path

    from fuyang_portal.demo import DEMO_PASSWORD
    from fuyang_portal.models import User

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = readme.split("## 演示账号", 1)[1].split("\n## ", 1)[0]
    names = {name for line in table.splitlines() if line.startswith("| `") for name in re.findall(r"`([a-z0-9-]+)`", line.split("|")[1])}
    # The demo was loaded before the tests' fast hasher was set: read its hashes with the production one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert {"district", "jinping", "clinic", "auditor"} <= names
    for name in sorted(names):
        user = User.objects.filter(username=name).first()
        assert user is not None and user.is_active and user.check_password(DEMO_PASSWORD), name

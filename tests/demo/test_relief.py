"""The relief demo: the ten measures of 8 February and 温情十条 (figures illustrative, marked so), matched to the
firms from their data, confirmed by the firms, paid through the same payout batches as the charter claims, as the
story stands on Monday 24 February 2020 10:00. An independent recalculation (plain Python over the rows, not the
matcher's code) agrees with the matcher on every firm for every demo policy."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from enterprises.models import DailyReport, Enterprise, ResumptionRequest
from fuyang_portal.models import Transition, User
from relief.models import Application, Award, Mode, Policy, Recovery
from subsidies.models import (
    CharterTrip,
    PayoutBatch,
    SubsidyClaim,
    TripPassenger,
    WorkerRegistration,
)

STORY = timezone.make_aware(datetime(2020, 2, 24, 10, 0))
pytestmark = pytest.mark.django_db


def _rows(until=None, written_before=None):
    """Every firm's facts, read from the rows in plain queries and Python (no relief code); ``until``: as they stood
    at that moment of the story; ``written_before``: only the registrations whose history row was written before
    that history row (the apps loaded after relief add story-dated registrations once the matching has run)."""
    before = (lambda field: {f"{field}__lt": until}) if until else (lambda field: {})
    firms = {f.pk: {"scale": f.scale, "industry": f.industry, "township": f.township.name, "registered_headcount": f.registered_headcount,
                    "tags": set(), "staff_on_site": 0, "resumed_on": None, "registered_workers": 0, "charter_workers": 0, "charter_claims": 0}
             for f in Enterprise.objects.select_related("township")}
    for firm_id, code in Enterprise.tags.through.objects.values_list("enterprise_id", "enterprisetag__code"):
        firms[firm_id]["tags"].add(code)
    latest = {}
    for firm_id, day, staff in DailyReport.objects.filter(**before("created_at")).values_list("enterprise_id", "date", "staff_on_site"):
        if firm_id not in latest or day > latest[firm_id][0]:
            latest[firm_id] = (day, staff)
    for firm_id, (_day, staff) in latest.items():
        firms[firm_id]["staff_on_site"] = staff
    for firm_id, approved in ResumptionRequest.objects.filter(status="approved", **before("approved_at")).values_list("enterprise_id", "approved_at"):
        day = timezone.localtime(approved).date()
        if firms[firm_id]["resumed_on"] is None or day < firms[firm_id]["resumed_on"]:
            firms[firm_id]["resumed_on"] = day
    registrations = WorkerRegistration.objects.filter(**before("created_at"))
    if written_before is not None:
        created = Transition.objects.filter(content_type=ContentType.objects.get_for_model(WorkerRegistration), action="create", pk__lt=written_before)
        registrations = registrations.filter(pk__in=[int(pk) for pk in created.values_list("object_id", flat=True)])
    for firm_id in registrations.values_list("enterprise_id", flat=True):
        firms[firm_id]["registered_workers"] += 1
    for firm_id in TripPassenger.objects.filter(travelled=True, trip__status=CharterTrip.Status.COMPLETED, **before("trip__created_at")).values_list("trip__enterprise_id", flat=True):
        firms[firm_id]["charter_workers"] += 1
    for firm_id in SubsidyClaim.objects.filter(status__in=SubsidyClaim.GRANTED, **before("decided_at")).values_list("enterprise_id", flat=True):
        firms[firm_id]["charter_claims"] += 1
    return firms


def _holds(rule, facts):
    """An interpreter written apart from relief.rules, for the recalculation."""
    if not rule:
        return True
    if "all" in rule:
        return all(_holds(part, facts) for part in rule["all"])
    if "any" in rule:
        return any(_holds(part, facts) for part in rule["any"])
    if "not" in rule:
        return not _holds(rule["not"], facts)
    have, op, want = facts[rule["fact"]], rule["op"], rule.get("value")
    if rule["fact"] == "resumed_on":
        from datetime import date
        if op in ("set", "unset"):
            return (have is not None) == (op == "set")
        return have is not None and (have <= date.fromisoformat(want) if op == "before" else have >= date.fromisoformat(want))
    if rule["fact"] == "tags":
        return {"has_any": bool(have & set(want)), "has_all": set(want) <= have, "has_none": not have & set(want)}[op]
    compare = {
        "eq": lambda: have == want, "ne": lambda: have != want, "in": lambda: have in want, "not_in": lambda: have not in want,
        "gte": lambda: have >= want, "lte": lambda: have <= want, "gt": lambda: have > want, "lt": lambda: have < want,
    }
    return compare[op]()


def _amount(benefit, facts):
    raw = Decimal(benefit.get("fixed", "0")) + (Decimal(benefit["rate"]) * facts[benefit["base"]] if "base" in benefit else 0)
    raw = raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(raw, Decimal(benefit["cap"])) if "cap" in benefit else raw


def test_the_matcher_agrees_with_an_independent_recalculation_on_every_firm_for_every_policy(story):
    from relief import rules

    facts = _rows()
    policies = list(Policy.objects.select_related("current_version"))
    assert len(policies) == 20
    for policy in policies:
        version = policy.current_version
        expected = {pk for pk, f in facts.items() if _holds(version.rule, f)}
        matched = set(rules.eligible_firms(version.rule).values_list("pk", flat=True))
        assert matched == expected, policy.code
        for pk in list(expected)[:200]:
            assert rules.compute_amount(version.benefit, facts[pk])[0] == _amount(version.benefit, facts[pk]), policy.code
        if policy.mode == Mode.AUTO:
            # Every firm eligible when the policy was matched holds one award, with the amount recalculated from the
            # rows as they stood then (the apps loaded after relief may have added rows since).
            awards = dict(Award.objects.filter(policy=policy).values_list("enterprise_id", "amount"))
            matched_at = Award.objects.filter(policy=policy).aggregate(at=Max("created_at"))["at"]
            first_step = Transition.objects.filter(content_type=ContentType.objects.get_for_model(Award), action="create",
                                                   object_id__in=[str(pk) for pk in Award.objects.filter(policy=policy).values_list("pk", flat=True)])
            then = _rows(matched_at + timedelta(seconds=1), written_before=first_step.aggregate(first=Min("pk"))["first"])
            assert set(awards) == {pk for pk, f in then.items() if _holds(version.rule, f)}, policy.code
            assert all(awards[pk] == _amount(version.benefit, then[pk]) for pk in awards), policy.code


def test_the_story_of_the_policies(story, client):
    district = User.objects.get(username="district")
    assert Policy.objects.filter(issued_on="2020-02-08").count() == 10
    assert Policy.objects.filter(area="talent").count() == 10
    assert not Policy.objects.filter(illustrative=False).exists()  # every figure is marked illustrative
    assert set(Award.objects.values_list("status", flat=True)) >= {"pending", "confirmed", "batched", "paid", "recovery"}
    # One payout mechanism: the award batches are the subsidies app's batches, numbered in the same series.
    award_batches = PayoutBatch.objects.filter(items__source_type=ContentType.objects.get_for_model(Award)).distinct()
    assert award_batches.filter(status=PayoutBatch.Status.PAID).exists() and award_batches.filter(status=PayoutBatch.Status.OPEN).exists()
    assert Award.objects.filter(status="paid").count() + Award.objects.filter(status="recovery").count() == sum(
        b.items.filter(source_type__isnull=False).count() for b in award_batches.filter(status=PayoutBatch.Status.PAID))
    # The guarantee-fee budget ran out: awards beyond it are held and say why.
    held = Award.objects.filter(policy__code="sme-guarantee-fee").exclude(hold_reason="")
    assert held.exists()
    assert Award.objects.filter(policy__code="sme-guarantee-fee", status__in=["batched", "paid"]).count() == 10  # 30,000 / 3,000
    assert Recovery.objects.count() == 1
    assert set(Application.objects.values_list("status", flat=True)) == {"approved", "submitted", "returned"}
    # Written at the story's times, each step with its actor (matching is the system's own).
    for model in (Policy, Award, Application, Recovery):
        assert not model.objects.filter(created_at__gt=STORY).exists(), model
    steps = Transition.objects.filter(content_type__in=ContentType.objects.get_for_models(Policy, Award, Application).values())
    assert not steps.filter(at__gt=STORY).exists()
    assert not steps.exclude(action="create", content_type=ContentType.objects.get_for_model(Award)).filter(actor__isnull=True).exists()
    # The pages show it.
    client.force_login(district)
    body = client.get(reverse("relief:statistics")).content.decode()
    assert "stat-reach" in body
    assert client.get(reverse("relief:catalogue")).status_code == 200

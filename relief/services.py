"""Every action on relief policies, awards, applications and recoveries: one function each.

Pages, the API, admin actions, tasks and the demo call these. Who may act is relief.policies; state changes go
through ``transition`` (history row, outbox in the same transaction); every "now" is the business clock.
Awards are paid through the payout batches of the subsidies app (``subsidies.services.create_payout_batch``
with ``sources=``): relief registers awards there as a kind of money (``register_award_payable``).
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from enterprises.accounts import firm_users
from enterprises.models import Enterprise
from fuyang_portal import clock, policy
from fuyang_portal.models import User
from fuyang_portal.notify import notify
from fuyang_portal.recipients import district_staff, township_staff
from fuyang_portal.writes import validate_or_refuse
from fuyang_portal.roles import Role
from fuyang_portal.workflow import ActionRefused, record, record_many, refuse_unless, transition
from relief import rules
from relief.models import (Application, ApplicationDocument, Award, FirmBankAccount, Mode, Policy, PolicyVersion,
                           Recovery)

A = Award.Status
P = Application.Status
TERMS = ("summary", "rule", "benefit", "period", "valid_from", "valid_until", "budget", "documents")


def _validate_terms(version):
    try:
        rules.validate_rule(version.rule)
        rules.validate_benefit(version.benefit)
    except ValidationError as error:
        raise ActionRefused(" ".join(str(m) for m in error.messages), ActionRefused.INVALID)
    docs = version.documents or []
    refuse_unless(
        isinstance(docs, list) and all(isinstance(d, str) and d.strip() for d in docs) and len(set(docs)) == len(docs),
        _("The documents to attach are a list of distinct names."),
        ActionRefused.INVALID,
    )
    if version.policy.mode == Mode.APPLY:
        refuse_unless(docs, _("A policy on application names the documents to attach."), ActionRefused.INVALID)
    validate_or_refuse(version, exclude=["policy"])


def _after_commit(func):
    transaction.on_commit(func, robust=True)


# --- The catalogue ---------------------------------------------------------------------------------


def create_policy(actor, *, code, title, issuer, issued_on, area, mode, document_number="", illustrative=False, **terms):
    """A new policy as a draft with its first version (the district office)."""
    policy.require(actor, "create", model=Policy)
    item = Policy(
        code=code, title=title, issuer=issuer, document_number=document_number, issued_on=issued_on, area=area, mode=mode,
        illustrative=illustrative, created_by=actor,
    )
    validate_or_refuse(item, exclude=["current_version"])
    refuse_unless(not Policy.objects.filter(code=code).exists(), _("A policy with code %(code)s exists.") % {"code": code}, ActionRefused.CONFLICT)
    version = PolicyVersion(policy=item, number=1, created_by=actor, **{k: terms.get(k) for k in TERMS if k in terms})
    if version.documents is None:
        version.documents = []
    _validate_terms(version)
    with transaction.atomic():
        item.save()
        version.policy = item
        version.save()
        item.current_version = version
        item.save(update_fields=["current_version"])
        record(item, actor=actor, action="create", comment="v1")
    return item


def revise_policy(item, actor, *, note, **changes):
    """Add a version with changed terms; earlier versions stay as they were. A published 免申即享 policy is matched
    again (firms already awarded for the period are not awarded twice)."""
    policy.require(actor, "revise", item)
    refuse_unless((note or "").strip(), _("Say why the terms change."), ActionRefused.INVALID)
    unknown = sorted(set(changes) - set(TERMS))
    refuse_unless(not unknown, _("Unknown term: %(name)s.") % {"name": ", ".join(unknown)}, ActionRefused.INVALID)
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=item.pk)
        refuse_unless(locked.status != Policy.Status.WITHDRAWN, _("A withdrawn policy is not revised."), ActionRefused.CONFLICT)
        current = locked.current_version
        latest = locked.versions.order_by("-number").first()
        version = PolicyVersion(
            policy=locked, number=latest.number + 1, note=note, created_by=actor,
            **{k: changes.get(k, getattr(current, k)) for k in TERMS},
        )
        _validate_terms(version)
        version.save()
        locked.current_version = version
        locked.save(update_fields=["current_version"])
        record(locked, actor=actor, action="revise", comment=f"v{version.number}: {note}")
        if locked.status == Policy.Status.PUBLISHED:
            _queue_matching(locked)
    item.current_version = version
    return version


def _queue_matching(item):
    if item.mode != Mode.AUTO:
        return

    def run():
        from relief.tasks import match_policy

        match_policy.delay(item.pk)

    _after_commit(run)


def publish_policy(item, actor, *, match=True):
    """Publish: the policy enters the catalogue and, for 免申即享, matching runs (in Celery, after commit).
    ``match`` False: the caller runs ``match_policy`` itself (a loader on its own clock)."""

    def apply(locked):
        locked.published_at = clock.now()

    return transition(item, actor=actor, action="publish", apply=apply, announce=_queue_matching if match else None)


def withdraw_policy(item, actor, reason):
    policy.require(actor, "withdraw", item)
    refuse_unless((reason or "").strip(), _("Give the reason."), ActionRefused.INVALID)
    return transition(item, actor=actor, action="withdraw", comment=reason)


# --- Matching --------------------------------------------------------------------------------------


@dataclass
class MatchResult:
    policy_id: int
    eligible: int = 0
    created: int = 0
    already: int = 0
    skipped: str = ""


def match_policy(policy_id, *, firms=None, announce=True):
    """Write a pending award to every firm the current version finds eligible, amount computed (Decimal, half up,
    capped). A system action (a task); idempotent: a firm with a live award of this policy for the period is
    not awarded again, and the database's unique (firm, version, period) makes two runs at once write each award
    once. Eligibility is one query (relief.rules); the awards one bulk insert. ``announce`` False (a bulk load)
    writes the awards without telling the firms' accounts."""
    item = Policy._base_manager.select_related("current_version").filter(pk=policy_id).first()
    result = MatchResult(policy_id)
    if item is None or item.status != Policy.Status.PUBLISHED or item.mode != Mode.AUTO:
        result.skipped = "not a published policy paid without application"
        return result
    version = item.current_version
    if not version.covers(clock.today()):
        result.skipped = "outside its validity"
        return result
    candidates = rules.eligible_firms(version.rule, version.benefit, firms)
    already = Award.objects.live().filter(policy=item, period=version.period).values("enterprise_id")
    base = version.benefit.get("base")
    columns = ["pk"] + ([rules.FACTS[base].lookup] if base else [])
    rows = list(candidates.exclude(pk__in=already).order_by("pk").values_list(*columns))
    result.eligible = len(rows)
    run = uuid.uuid4().hex
    now = clock.now()
    awards = []
    for row in rows:
        amount, how = rules.compute_amount(version.benefit, {base: row[1]} if base else {})
        if amount > 0:
            awards.append(Award(
                policy=item, version=version, enterprise_id=row[0], period=version.period, amount=amount,
                basis={"how": how, "version": version.number}, run=run, created_at=now,
            ))
    with transaction.atomic():
        Award.objects.bulk_create(awards, batch_size=1000, ignore_conflicts=True)
        mine = list(Award.objects.filter(run=run).only("pk", "enterprise_id"))
        record_many(mine, actor=None, action="create", state=A.PENDING, comment=f"{item.code} v{version.number}")
        if mine and announce:
            notify(
                User.objects.filter(role=Role.ENTERPRISE, firm_account__enterprise_id__in=[a.enterprise_id for a in mine], is_active=True),
                _("A relief award is waiting for your confirmation: %(policy)s") % {"policy": item.title},
                url="/relief/mine/",
                dedupe_key=f"relief-match-{run}",
            )
    result.created = len(mine)
    result.already = len(rows) - len(mine)
    return result


def match_all():
    """Match every published 免申即享 policy in force (the periodic sweep: firms whose data changed since the last
    run meet the rule now). One query per policy."""
    return [match_policy(pk) for pk in Policy.objects.in_force().filter(mode=Mode.AUTO).values_list("pk", flat=True)]


@dataclass
class Standing:
    """A firm's standing under one policy in force: eligible and why, the amount, its award or application."""

    policy: Policy
    version: PolicyVersion
    eligible: bool
    lines: list
    amount: Decimal
    how: str
    award: Award = None
    application: Application = None
    summary: str = field(default="")


def standings(enterprise, *, day=None):
    """Every policy in force for one firm (the "policies for me" page): a fixed number of queries."""
    items = list(Policy.objects.in_force(day).select_related("current_version").order_by("area", "issued_on", "code"))
    facts = rules.firm_facts(Enterprise.objects.filter(pk=enterprise.pk)).get(enterprise.pk, {})
    awards = {(a.policy_id, a.period): a for a in Award.objects.live().filter(enterprise=enterprise).select_related("version")}
    applications = {(a.policy_id, a.period): a for a in Application.objects.filter(enterprise=enterprise).exclude(status=P.REJECTED)}
    found = []
    for item in items:
        version = item.current_version
        eligible, lines = rules.explain(version.rule, facts)
        amount, how = rules.compute_amount(version.benefit, facts)
        key = (item.pk, version.period)
        found.append(Standing(item, version, eligible, lines, amount, how, awards.get(key), applications.get(key), rules.summary(lines)))
    return found


def eligible_for(version, enterprise):
    facts = rules.firm_facts(Enterprise.objects.filter(pk=enterprise.pk)).get(enterprise.pk, {})
    return rules.explain(version.rule, facts)


# --- Awards ----------------------------------------------------------------------------------------


def set_bank_account(actor, enterprise, *, bank, account_name, account_number):
    """The firm's account for awards (the firm itself): recorded once, changed with history."""
    account = FirmBankAccount.objects.filter(enterprise=enterprise).first() or FirmBankAccount(enterprise=enterprise)
    policy.require(actor, "change" if account.pk else "create", account)
    account.bank, account.account_name = (bank or "").strip(), (account_name or "").strip()
    account.account_number = "".join((account_number or "").split())
    refuse_unless(account.bank and account.account_name, _("Give the bank and the account holder."), ActionRefused.INVALID)
    refuse_unless(
        account.account_number.isdigit() and 8 <= len(account.account_number) <= 30,
        _("A bank account number has 8 to 30 digits."), ActionRefused.INVALID,
    )
    account.confirmed_by, account.confirmed_at = actor, clock.now()
    with transaction.atomic():
        created = account.pk is None
        account.save()
        record(account, actor=actor, action="create" if created else "change", comment=account.bank)
    return account


def confirm_award(award, actor, *, bank="", account_name="", account_number=""):
    """The firm confirms a pending award; the first time it also gives the account the money goes to."""
    policy.require(actor, "confirm", award)
    account = FirmBankAccount.objects.filter(enterprise_id=award.enterprise_id).first()
    with transaction.atomic():
        if bank or account_number:
            account = set_bank_account(actor, award.enterprise, bank=bank, account_name=account_name, account_number=account_number)
        refuse_unless(account is not None, _("Give the bank account the award is paid to."), ActionRefused.INVALID)

        def apply(locked):
            locked.confirmed_at = clock.now()
            locked.payee_bank = account.bank
            locked.payee_account = account.account_number

        return transition(award, actor=actor, action="confirm", apply=apply)


def cancel_award(award, actor, reason):
    policy.require(actor, "cancel", award)
    refuse_unless((reason or "").strip(), _("Give the reason."), ActionRefused.INVALID)

    def announce(locked):
        notify(firm_users(locked.enterprise_id), _("A relief award was cancelled: %(policy)s") % {"policy": locked.policy.title}, body=reason,
               url=locked.get_absolute_url())

    return transition(award, actor=actor, action="cancel", comment=reason, announce=announce)


def budget_standing(policy_ids):
    """{policy id: (budget, paid or in a batch, confirmed awaiting payout)} in one query per figure."""
    budgets = dict(Policy.objects.filter(pk__in=policy_ids).values_list("pk", "current_version__budget"))
    spent = dict(
        Award.objects.filter(policy_id__in=policy_ids, status__in=(A.BATCHED, A.PAID, A.RECOVERY))
        .order_by().values("policy_id").annotate(t=Sum("amount")).values_list("policy_id", "t")
    )
    confirmed = dict(
        Award.objects.filter(policy_id__in=policy_ids, status=A.CONFIRMED)
        .order_by().values("policy_id").annotate(t=Sum("amount")).values_list("policy_id", "t")
    )
    zero = Decimal("0.00")
    return {pk: (budgets[pk], spent.get(pk) or zero, confirmed.get(pk) or zero) for pk in budgets}


def payment_blockers(awards):
    """{award id: reason} for the awards that may not be paid now, in award order: not confirmed, no account,
    firm deregistered, a duplicate award for the same firm, policy and period already paid or in a batch, or
    beyond what is left of the policy's budget."""
    awards = sorted(awards, key=lambda a: a.pk)
    reasons = {}
    policy_ids = {a.policy_id for a in awards}
    standing = budget_standing(policy_ids)
    duplicates = set(
        Award.objects.filter(
            policy_id__in=policy_ids, enterprise_id__in={a.enterprise_id for a in awards}, status__in=(A.BATCHED, A.PAID, A.RECOVERY)
        ).exclude(pk__in=[a.pk for a in awards]).values_list("policy_id", "enterprise_id", "period")
    )
    firm_gone = _deregistered({a.enterprise_id for a in awards})
    used = {pk: spent for pk, (_budget, spent, _confirmed) in standing.items()}
    seen = set()
    for award in awards:
        key = (award.policy_id, award.enterprise_id, award.period)
        if award.status != A.CONFIRMED:
            reasons[award.pk] = str(_("Award %(ref)s is not a confirmed award awaiting payout.") % {"ref": award.reference})
        elif not award.payee_account:
            reasons[award.pk] = str(_("Award %(ref)s has no bank account.") % {"ref": award.reference})
        elif award.enterprise_id in firm_gone:
            reasons[award.pk] = str(_("Award %(ref)s: the firm is deregistered.") % {"ref": award.reference})
        elif key in duplicates or key in seen:
            reasons[award.pk] = str(
                _("Award %(ref)s: the firm was already paid under this policy for %(period)s.") % {"ref": award.reference, "period": award.period}
            )
        else:
            budget = standing[award.policy_id][0]
            if used[award.policy_id] + award.amount > budget:
                reasons[award.pk] = str(
                    _("Award %(ref)s (%(amount)s yuan) is beyond the remaining budget of the policy (%(left)s of %(budget)s yuan left).")
                    % {"ref": award.reference, "amount": award.amount, "left": max(budget - used[award.policy_id], Decimal("0.00")), "budget": budget}
                )
            else:
                used[award.policy_id] += award.amount
        seen.add(key)
    return reasons


def _deregistered(firm_ids):
    """Firms deregistered (the registry's ``deregistered_on``, once the enterprises app records it)."""
    if not any(f.name == "deregistered_on" for f in Enterprise._meta.get_fields()):
        return set()
    return set(Enterprise.objects.filter(pk__in=firm_ids, deregistered_on__isnull=False).values_list("pk", flat=True))


def batch_awards(actor, awards):
    """Put confirmed awards in a payout batch (the same batches as the charter claims). The pre-payment checks
    hold the awards that may not be paid, writing the reason on each for the district office to see; the others
    are batched. Refused (with the reasons) when none may be paid. Returns (batch or None, {award id: reason})."""
    from subsidies.services import create_payout_batch

    policy.require(actor, "batch", model=Award)
    ids = sorted({a.pk if hasattr(a, "pk") else int(a) for a in awards})
    refuse_unless(ids, _("Choose at least one confirmed award."), ActionRefused.INVALID)
    rows = list(Award.objects.visible_to(actor).filter(pk__in=ids))
    refuse_unless(len(rows) == len(ids), _("Some of these awards do not exist."), ActionRefused.INVALID)
    held = payment_blockers(rows)
    with transaction.atomic():
        for row in rows:
            reason = held.get(row.pk, "")
            if row.hold_reason != reason and row.status == A.CONFIRMED:
                Award.objects.filter(pk=row.pk).update(hold_reason=reason)
                record(row, actor=actor, action="hold" if reason else "release", comment=reason)
    payable = [row for row in rows if row.pk not in held]
    if not payable:
        raise ActionRefused(" ".join(held.values()), ActionRefused.CONFLICT)
    batch = create_payout_batch(actor=actor, sources=payable)
    return batch, held


def _check_payable(locked):
    """The payout batch's check of awards, under the rows' lock (subsidies.services.create_payout_batch)."""
    reasons = payment_blockers(locked)
    refuse_unless(not reasons, " ".join(reasons.values()), ActionRefused.CONFLICT)


def _payout_line(award):
    firm = award.enterprise
    return {
        "amount": award.amount, "reference": award.reference, "payee": firm.name, "payee_code": firm.credit_code,
        "payee_bank": award.payee_bank, "payee_account": award.payee_account,
        "purpose": f"{award.policy.title} {award.period}"[:100],
    }


def _paid(award):
    Award.objects.filter(pk=award.pk).update(paid_at=clock.now(), hold_reason="")
    notify(firm_users(award.enterprise_id), _("Your relief award has been paid: %(policy)s") % {"policy": award.policy.title},
           url=award.get_absolute_url(), sms=True)


def register_award_payable():
    """Awards are one more kind of money paid through the payout batches (called from RelieConfig.ready)."""
    from subsidies.services import Payable, register_payable

    register_payable(Payable(Award, check=_check_payable, line=_payout_line, paid_notice=_paid))


# --- Recovery --------------------------------------------------------------------------------------


def open_recovery(award, actor, reason):
    """A paid award found ineligible: the money is to be recovered (the district office)."""
    policy.require(actor, "recover", award)
    refuse_unless((reason or "").strip(), _("Give the reason."), ActionRefused.INVALID)

    def apply(locked):
        Recovery.objects.create(award=locked, amount=locked.amount, reason=reason, created_by=actor)

    def announce(locked):
        notify(firm_users(locked.enterprise_id), _("A paid relief award is to be returned: %(policy)s") % {"policy": locked.policy.title},
               body=reason, url=locked.get_absolute_url(), sms=True)

    return transition(award, actor=actor, action="recover", comment=reason, apply=apply, announce=announce)


def settle_recovery(recovery, actor, reference):
    policy.require(actor, "settle", recovery)
    reference = (reference or "").strip()
    refuse_unless(reference, _("Enter the repayment reference."), ActionRefused.INVALID)

    def apply(locked):
        locked.reference = reference
        locked.settled_at = clock.now()

    return transition(recovery, actor=actor, action="settle", comment=reference, apply=apply)


# --- Applications (申请即享) ------------------------------------------------------------------------


def start_application(actor, item, *, enterprise=None, note=""):
    """A firm's draft application under the current version of a 申请即享 policy in force."""
    enterprise = enterprise or Enterprise.objects.filter(pk=getattr(actor, "enterprise_id", None)).first()
    refuse_unless(enterprise is not None, _("Only a firm applies."), ActionRefused.FORBIDDEN)
    version = item.current_version
    application = Application(policy=item, version=version, enterprise=enterprise, period=version.period if version else "", note=note, created_by=actor)
    policy.require(actor, "create", application)
    refuse_unless(item.mode == Mode.APPLY, _("This policy is paid without application."), ActionRefused.CONFLICT)
    refuse_unless(
        item.status == Policy.Status.PUBLISHED and version.covers(clock.today()), _("This policy is not in force."), ActionRefused.CONFLICT
    )
    refuse_unless(
        not Application.objects.filter(enterprise=enterprise, policy=item, period=version.period).exclude(status=P.REJECTED).exists()
        and not Award.objects.live().filter(enterprise=enterprise, policy=item, period=version.period).exists(),
        _("The firm has already applied under this policy for %(period)s.") % {"period": version.period},
        ActionRefused.CONFLICT,
    )
    try:
        with transaction.atomic():
            application.save()
            record(application, actor=actor, action="create")
    except IntegrityError:
        raise ActionRefused(_("The firm has already applied under this policy for %(period)s.") % {"period": version.period}, ActionRefused.CONFLICT)
    return application


def attach_document(application, actor, *, name, file):
    """Attach (or replace) one of the documents the version names, while the application is editable."""
    policy.require(actor, "change", application)
    refuse_unless(application.editable, _("Only a draft or returned application can be changed."), ActionRefused.CONFLICT)
    refuse_unless(name in (application.version.documents or []), _("“%(name)s” is not a document this policy asks for.") % {"name": name},
                  ActionRefused.INVALID)
    refuse_unless(file is not None, _("Choose the file."), ActionRefused.INVALID)
    with transaction.atomic():
        document = ApplicationDocument.objects.filter(application=application, name=name).first() or ApplicationDocument(
            application=application, name=name
        )
        document.file = file
        document.uploaded_at = clock.now()
        validate_or_refuse(document, exclude=["application"])
        document.save()
        record(application, actor=actor, action="attach", comment=name)
    return document


def missing_documents(application):
    have = set(application.documents.values_list("name", flat=True))
    return [name for name in application.version.documents or [] if name not in have]


def submit_application(application, actor):
    """The firm submits: every named document attached, the firm eligible now, the amount computed."""

    def apply(locked):
        missing = missing_documents(locked)
        refuse_unless(not missing, _("Attach: %(names)s.") % {"names": "、".join(missing)}, ActionRefused.INVALID)
        eligible, lines = eligible_for(locked.version, locked.enterprise)
        refuse_unless(eligible, _("The firm does not meet the policy's conditions. %(why)s") % {"why": rules.summary(lines)}, ActionRefused.INVALID)
        facts = rules.firm_facts(Enterprise.objects.filter(pk=locked.enterprise_id))[locked.enterprise_id]
        locked.amount = rules.compute_amount(locked.version.benefit, facts)[0]
        locked.submitted_at = clock.now()
        locked.review_comment = ""

    def announce(locked):
        notify(township_staff(locked.enterprise.township_id), _("Relief application to check: %(firm)s") % {"firm": locked.enterprise.name},
               url=locked.get_absolute_url())

    return transition(application, actor=actor, action="submit", apply=apply, announce=announce)


def _review(application, actor, action, comment, *, reason_required=False, apply=None, announce=None):
    policy.require(actor, action, application)
    if reason_required:
        refuse_unless((comment or "").strip(), _("Give the reason, so the firm knows what to correct."), ActionRefused.INVALID)

    def apply_review(locked):
        locked.review_comment = comment or ""
        if apply is not None:
            apply(locked)

    return transition(application, actor=actor, action=action, comment=comment, apply=apply_review, announce=announce)


def _tell_firm(title):
    def announce(locked):
        notify(firm_users(locked.enterprise_id), title, body=locked.review_comment, url=locked.get_absolute_url(), sms=True)

    return announce


def township_approve(application, actor, comment=""):
    return _review(application, actor, "township_approve", comment, announce=lambda locked: notify(
        district_staff(), _("Relief application for decision: %(firm)s") % {"firm": locked.enterprise.name}, url=locked.get_absolute_url()))


def township_return(application, actor, reason):
    return _review(application, actor, "township_return", reason, reason_required=True, announce=_tell_firm(_("Your relief application was returned")))


def district_approve(application, actor, comment=""):
    """The final decision writes the award: confirmed at once when the firm's account is known (the firm applied),
    otherwise awaiting the firm's confirmation of its account."""

    def apply(locked):
        account = FirmBankAccount.objects.filter(enterprise_id=locked.enterprise_id).first()
        now = clock.now()
        try:
            with transaction.atomic():
                award = Award.objects.create(
                    policy=locked.policy, version=locked.version, enterprise=locked.enterprise, period=locked.period, amount=locked.amount,
                    basis={"how": str(_("On application %(id)s") % {"id": locked.pk}), "version": locked.version.number},
                    status=A.CONFIRMED if account else A.PENDING, confirmed_at=now if account else None,
                    payee_bank=account.bank if account else "", payee_account=account.account_number if account else "", created_at=now,
                )
        except IntegrityError:
            raise ActionRefused(_("The firm already has an award under this policy for %(period)s.") % {"period": locked.period}, ActionRefused.CONFLICT)
        record(award, actor=actor, action="create", state=award.status, comment=str(locked))
        locked.award = award
        locked.decided_at = now

    return _review(application, actor, "district_approve", comment, apply=apply, announce=_tell_firm(_("Your relief application was approved")))


def district_return(application, actor, reason):
    return _review(application, actor, "district_return", reason, reason_required=True, announce=_tell_firm(_("Your relief application was returned")))


def district_reject(application, actor, reason):
    return _review(
        application, actor, "district_reject", reason, reason_required=True,
        apply=lambda locked: setattr(locked, "decided_at", clock.now()), announce=_tell_firm(_("Your relief application was rejected")),
    )


def remaining_budget(item):
    budget, spent, confirmed = budget_standing([item.pk])[item.pk]
    return budget - spent - confirmed


def total_paid(queryset):
    return queryset.aggregate(t=Coalesce(Sum("amount"), Decimal("0")))["t"]

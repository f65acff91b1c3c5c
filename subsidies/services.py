"""Every action on registrations, trips, claims, the policy and payouts: one function each.

Views, the API, admin actions, tasks and the demo call these; none of them sets a status or saves a record.
Who may act is the policy (subsidies.policies): creates and edits ask it here, state changes through the
workflow tables that ``transition`` reads. Each function runs in one transaction, validates the record on
the model (check digits, mobiles, plates, invoice numbers, origins, dates), writes the history row with its
actor and queues its notices in that same transaction. Every "now" is the business clock.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.accounts import firm_users
from enterprises.models import Enterprise
from fuyang_portal import clock, policy, queue
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import User
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.sequence import next_value
from fuyang_portal.validators import normalize_plate, normalize_resident_id
from fuyang_portal.workflow import ActionRefused, record, refuse_unless, transition
from subsidies import regions
from subsidies.models import (
    DEFAULT_POLICY,
    FEN,
    CharterTrip,
    HealthCode,
    PayoutBatch,
    PayoutItem,
    SubsidyClaim,
    SubsidyPolicy,
    TripPassenger,
    WorkerRegistration,
)

# Two registrations of one person whose return dates lie this close belong to the same return window.
RETURN_WINDOW_DAYS = 30
# Abuse limits of the public form: registrations per IP address per hour and per mobile per day,
# status look-ups per IP address per hour.
RATE_LIMITS = {"ip": (20, 3600), "mobile": (3, 86400), "lookup": (30, 3600)}

Status = SubsidyClaim.Status


# --- Helpers ---------------------------------------------------------------------------------------


def _clean(instance, exclude=None):
    """Validate a model instance; the field errors become one refusal with a readable message."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        messages = [str(m) for m in error.messages]
        raise ActionRefused(" ".join(messages), ActionRefused.INVALID)


def _township_staff(enterprise):
    return User.objects.filter(role=Role.TOWNSHIP, township_id=enterprise.township_id, is_active=True)


def _district_staff():
    return User.objects.filter(role=Role.DISTRICT, is_active=True, is_superuser=False)


# --- Rate limits -----------------------------------------------------------------------------------


class RateLimited(ActionRefused):
    """Too many attempts from one address or for one mobile; the page answers 429."""


def hit_rate_limit(kind, key):
    """Count one attempt under ``kind``/``key``; refuse once the limit for the period is passed."""
    limit, seconds = RATE_LIMITS[kind]
    cache_key = f"subsidies:rl:{kind}:{hashlib.sha256(str(key).encode()).hexdigest()[:32]}"
    cache.add(cache_key, 0, seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        count = 1
    if count > limit:
        raise RateLimited(_("Too many attempts. Please try again later."), ActionRefused.CONFLICT)


# --- Registrations ---------------------------------------------------------------------------------


def find_enterprise(term):
    """The registered firm a worker names on the public form: by credit code, by exact name, or by a name
    fragment that matches one firm only. Returns None when nothing or more than one firm matches.

    The public form has no signed-in user to scope by: it answers with one firm (name and credit code are
    public registry data) or none, never a list."""
    term = (term or "").strip()
    if not term:
        return None
    matches = list(Enterprise.objects.filter(Q(credit_code=term.upper()) | Q(name=term))[:2])
    if len(matches) != 1 and len(term) >= 4:
        matches = list(Enterprise.objects.filter(name__icontains=term)[:2])
    return matches[0] if len(matches) == 1 else None


def register_worker(*, enterprise, name, id_number, mobile, origin_province, origin_county, return_date, travel_mode, health_code, actor=None):
    """Record a worker's intended return: the public form (no account, ``actor`` None), the employer's
    form and the API all come here.

    A person (by ID number) may hold one registration per return window; a second one is refused.
    """
    signed_in = actor is not None and actor.is_authenticated
    source = WorkerRegistration.Source.ENTERPRISE if signed_in else WorkerRegistration.Source.PUBLIC
    registration = WorkerRegistration(
        enterprise=enterprise,
        name=(name or "").strip(),
        id_number=normalize_resident_id(id_number),
        mobile=(mobile or "").strip(),
        origin_province=origin_province,
        origin_city=regions.city_of(origin_county) if origin_county and regions.is_county(origin_county) else "",
        origin_county=origin_county or "",
        return_date=return_date,
        travel_mode=travel_mode,
        health_code=health_code,
        source=source,
        created_by=actor if signed_in else None,
    )
    if signed_in:
        policy.require(actor, "create", registration)
    _clean(registration, exclude=["id_number_hash"])
    registration.id_number_hash = lookup_hash(registration.id_number)
    # Serialise registrations of one person (across processes, through the shared cache), so two
    # simultaneous submissions cannot both pass the duplicate check.
    lock_key = f"subsidies:register:{registration.id_number_hash}"
    if not cache.add(lock_key, 1, 10):
        raise ActionRefused(_("This ID number is being registered right now; please wait a moment."), ActionRefused.CONFLICT)
    try:
        with transaction.atomic():
            window = timedelta(days=RETURN_WINDOW_DAYS)
            duplicate = WorkerRegistration.objects.filter(
                id_number_hash=registration.id_number_hash,
                return_date__range=(return_date - window, return_date + window),
            ).first()
            if duplicate is not None:
                # The public form learns the earlier reference only when the mobile matches it.
                show = duplicate.mobile == registration.mobile or source != WorkerRegistration.Source.PUBLIC
                raise ActionRefused(
                    _(
                        "This ID number is already registered for a return around %(date)s (reference %(ref)s). "
                        "One registration per return window is enough; ask your employer to correct it if needed."
                    )
                    % {"date": duplicate.return_date.isoformat(), "ref": duplicate.reference if show else "—"},
                    ActionRefused.CONFLICT,
                )
            registration.save()
            record(registration, actor=actor, action="create", state="registered", comment=registration.get_source_display())
    finally:
        cache.delete(lock_key)
    return registration


def lookup_registration(reference, mobile):
    """A worker's own registration by reference and mobile; None for any mismatch (nothing is revealed).
    The public status page has no account: reference and mobile together are the worker's key."""
    reference = (reference or "").strip().upper()
    mobile = (mobile or "").strip()
    if not reference or not mobile:
        return None
    return (
        WorkerRegistration.objects.select_related("enterprise", "trip_seat__trip")
        .filter(reference=reference, mobile=mobile)
        .first()
    )


# --- Trips -----------------------------------------------------------------------------------------


def _seat(trip, registrations):
    for registration in registrations:
        refuse_unless(
            registration.enterprise_id == trip.enterprise_id,
            _("%(name)s is not registered with %(firm)s.") % {"name": registration.masked_name, "firm": trip.enterprise.name},
            ActionRefused.INVALID,
        )
    taken = trip.passengers.count()
    refuse_unless(
        taken + len(registrations) <= trip.seats,
        _("The bus has %(seats)s seats; %(count)s passengers do not fit.") % {"seats": trip.seats, "count": taken + len(registrations)},
        ActionRefused.INVALID,
    )
    try:
        with transaction.atomic():
            TripPassenger.objects.bulk_create([TripPassenger(trip=trip, registration=r) for r in registrations])
    except IntegrityError:
        raise ActionRefused(_("One of these workers already has a seat on another trip."), ActionRefused.CONFLICT)


def plan_trip(*, actor, enterprise, origin_province, origin_county, departure_date, seats, registrations):
    """Group registrations of one firm into a planned charter trip (the district office or the firm itself)."""
    registrations = list(registrations)
    trip = CharterTrip(
        enterprise=enterprise,
        origin_province=origin_province or (regions.province_of(origin_county) if origin_county else ""),
        origin_city=regions.city_of(origin_county) if origin_county and regions.is_county(origin_county) else "",
        origin_county=origin_county or "",
        departure_date=departure_date,
        seats=seats,
        planned_by=actor,
    )
    policy.require(actor, "create", trip)
    _clean(trip)
    with transaction.atomic():
        trip.save()
        record(trip, actor=actor, action="create", comment=str(len(registrations)))
        _seat(trip, registrations)
    return trip


def add_passengers(trip, *, actor, registrations):
    registrations = list(registrations)
    return transition(
        trip, actor=actor, action="add_passengers", comment=str(len(registrations)), apply=lambda locked: _seat(locked, registrations)
    )


def complete_trip(trip, *, actor, travelled, arrival_date, departure_date=None):
    """Record that the bus arrived, and which of the seated workers were on it."""
    travelled_ids = {int(pk) for pk in travelled}

    def apply(locked):
        if departure_date:
            locked.departure_date = departure_date
        locked.arrival_date = arrival_date
        refuse_unless(
            arrival_date is not None and arrival_date >= locked.departure_date,
            _("The arrival date cannot be before the departure date."),
            ActionRefused.INVALID,
        )
        seats = locked.passengers.all()
        known = set(seats.values_list("pk", flat=True))
        refuse_unless(travelled_ids and travelled_ids <= known, _("Tick at least one passenger of this trip."), ActionRefused.INVALID)
        seats.filter(pk__in=travelled_ids).update(travelled=True)
        seats.exclude(pk__in=travelled_ids).update(travelled=False)

    return transition(trip, actor=actor, action="complete", comment=_("%(n)s travelled") % {"n": len(travelled_ids)}, apply=apply)


def cancel_trip(trip, *, actor, reason=""):
    """Cancel a planned trip; its workers are free to be seated on another one."""
    return transition(trip, actor=actor, action="cancel", comment=reason, apply=lambda locked: locked.passengers.all().delete())


# --- Policy ----------------------------------------------------------------------------------------


def current_policy():
    """The rules in force: the latest version, or the built-in rules of 14 February 2020 as version 1."""
    latest = SubsidyPolicy.objects.order_by("-version").first()
    if latest is None:
        latest, _created = SubsidyPolicy.objects.get_or_create(version=1, defaults={**DEFAULT_POLICY, "note": "2020-02-14"})
    return latest


def revise_policy(*, actor, rate, window_start, window_end, per_trip_cap, per_enterprise_cap, filing_days, note=""):
    """Add a new version of the rules (the district office only); earlier versions stay as they were."""
    policy.require(actor, "create", model=SubsidyPolicy)
    with transaction.atomic():
        latest = SubsidyPolicy.objects.select_for_update().order_by("-version").first()
        version = SubsidyPolicy(
            version=(latest.version + 1) if latest else 1,
            rate=rate,
            window_start=window_start,
            window_end=window_end,
            per_trip_cap=per_trip_cap,
            per_enterprise_cap=per_enterprise_cap,
            filing_days=filing_days,
            note=note,
            created_by=actor,
        )
        _clean(version)
        version.save()
        record(version, actor=actor, action="create", state=f"v{version.version}", comment=note)
    return version


# --- The amount ------------------------------------------------------------------------------------


@dataclass
class SubsidyCalculation:
    invoice_amount: Decimal
    rate: Decimal
    raw: Decimal  # invoice × rate, to the fen
    amount: Decimal  # after the caps
    enterprise_remaining: Decimal
    capped_by: list = field(default_factory=list)  # "trip_cap", "enterprise_cap"


def compute_subsidy(invoice_amount, rules, *, granted_before=Decimal("0")):
    """The one place the subsidy is computed: invoice × rate, rounded half up to the fen, then limited by
    the per-trip cap and by what is left of the firm's cap after ``granted_before``."""
    invoice_amount = Decimal(invoice_amount)
    raw = (invoice_amount * rules.rate).quantize(FEN, rounding=ROUND_HALF_UP)
    amount = raw
    capped_by = []
    if amount > rules.per_trip_cap:
        amount = rules.per_trip_cap
        capped_by.append("trip_cap")
    remaining = max(rules.per_enterprise_cap - Decimal(granted_before), Decimal("0.00"))
    if amount > remaining:
        amount = remaining
        capped_by.append("enterprise_cap")
    return SubsidyCalculation(invoice_amount, rules.rate, raw, amount.quantize(FEN), remaining.quantize(FEN), capped_by)


def committed_to_firm(enterprise_id, *, exclude_claim=None):
    """The subsidy already claimed or granted to a firm by its other live claims (one aggregate query)."""
    claims = SubsidyClaim.objects.filter(enterprise_id=enterprise_id, status__in=SubsidyClaim.COMMITTED)
    if exclude_claim is not None:
        claims = claims.exclude(pk=exclude_claim)
    return claims.aggregate(total=Coalesce(Sum(Coalesce("approved_amount", "subsidy_amount")), Decimal("0")))["total"]


# --- Claims ----------------------------------------------------------------------------------------


def start_claim(trip, *, actor, **fields):
    """Open a draft claim for a completed trip of the actor's firm."""
    claim = SubsidyClaim(
        trip=trip,
        enterprise_id=trip.enterprise_id,
        origin_province=trip.origin_province,
        origin_county=trip.origin_county,
        created_by=actor,
        **{"departure_date": trip.departure_date, "arrival_date": trip.last_day, **fields},
    )
    policy.require(actor, "create", claim)
    refuse_unless(
        trip.status == CharterTrip.Status.COMPLETED, _("A claim can be filed only for a completed trip."), ActionRefused.CONFLICT
    )
    refuse_unless(not SubsidyClaim.objects.filter(trip=trip).exists(), _("This trip already has a claim."), ActionRefused.CONFLICT)
    claim.plate = normalize_plate(claim.plate)
    _clean(claim)
    _refuse_duplicate_invoice(claim)
    try:
        with transaction.atomic():
            claim.save()
            record(claim, actor=actor, action="create")
    except IntegrityError:
        raise ActionRefused(_("This invoice number has already been claimed."), ActionRefused.CONFLICT)
    return claim


def update_claim(claim, *, actor, **fields):
    """Edit a draft or returned claim (the firm only)."""
    policy.require(actor, "change", claim)
    try:
        with transaction.atomic():
            locked = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
            refuse_unless(locked.editable, _("Only a draft or returned claim can be edited."), ActionRefused.CONFLICT)
            changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.plate = normalize_plate(locked.plate)
            _clean(locked)
            _refuse_duplicate_invoice(locked)
            locked.save()
            record(locked, actor=actor, action="change", comment=", ".join(changed))
    except IntegrityError:
        raise ActionRefused(_("This invoice number has already been claimed."), ActionRefused.CONFLICT)
    return locked


def _refuse_duplicate_invoice(claim):
    other = SubsidyClaim.objects.filter(invoice_number=claim.invoice_number).exclude(pk=claim.pk).first()
    refuse_unless(
        other is None,
        _("Invoice %(number)s has already been claimed (claim %(id)s). The same invoice cannot be claimed twice.")
        % {"number": claim.invoice_number, "id": other.pk if other else ""},
        ActionRefused.CONFLICT,
    )


def _eligibility_refusals(claim, rules, today):
    """The rules a claim must meet to be filed at all; each broken rule raises a refusal."""
    trip = claim.trip
    refuse_unless(trip.status == CharterTrip.Status.COMPLETED, _("The trip is not completed."), ActionRefused.INVALID)
    refuse_unless(
        rules.covers(claim.departure_date) and rules.covers(trip.departure_date),
        _("The trip on %(date)s is outside the eligible window (from %(start)s%(end)s).")
        % {
            "date": claim.departure_date.isoformat(),
            "start": rules.window_start.isoformat(),
            "end": f" – {rules.window_end.isoformat()}" if rules.window_end else "",
        },
        ActionRefused.INVALID,
    )
    # The deadline runs from the trip's recorded arrival, whatever date the invoice states.
    deadline = trip.last_day + timedelta(days=rules.filing_days)
    refuse_unless(
        today <= deadline,
        _("The filing deadline for this trip was %(date)s.") % {"date": deadline.isoformat()},
        ActionRefused.INVALID,
    )
    refuse_unless(bool(claim.invoice_image), _("Attach the invoice image."), ActionRefused.INVALID)
    passengers = list(trip.passengers.filter(travelled=True).select_related("registration"))
    refuse_unless(passengers, _("The trip has no passenger who travelled."), ActionRefused.INVALID)
    strangers = [p.registration.masked_name for p in passengers if p.registration.enterprise_id != claim.enterprise_id]
    refuse_unless(
        not strangers,
        _("These passengers are neither employees nor registrants of the firm: %(names)s.") % {"names": "、".join(strangers)},
        ActionRefused.INVALID,
    )


def submit_claim(claim, *, actor):
    """The firm files its claim: the rules are checked, the subsidy computed, the township told, and the
    pre-check queued for the reviewers."""
    filed_at = clock.now()
    rules = current_policy()

    def apply(locked):
        # One firm's submissions in turn, so two claims cannot both take the last of the firm's cap.
        Enterprise.objects.select_for_update().filter(pk=locked.enterprise_id).first()
        _eligibility_refusals(locked, rules, timezone.localtime(filed_at).date())
        _refuse_duplicate_invoice(locked)
        calc = compute_subsidy(locked.invoice_amount, rules, granted_before=committed_to_firm(locked.enterprise_id, exclude_claim=locked.pk))
        refuse_unless(
            calc.amount > 0,
            _("The firm has reached its subsidy cap of %(cap)s yuan; no further claim can be paid.") % {"cap": rules.per_enterprise_cap},
            ActionRefused.INVALID,
        )
        locked.policy = rules
        locked.subsidy_amount = calc.amount
        locked.approved_amount = None
        locked.submitted_at = filed_at
        locked.findings = []
        locked.prechecked_at = None
        locked.review_comment = ""

    def announce(locked):
        from subsidies.tasks import precheck_claim

        notify(
            _township_staff(locked.enterprise),
            _("Charter subsidy claim to check: %(firm)s") % {"firm": locked.enterprise.name},
            url=locked.get_absolute_url(),
            dedupe_key=f"claim-{locked.pk}-submitted-{locked.submitted_at:%Y%m%d%H%M%S}",
        )
        queue.after_commit(precheck_claim, locked.pk)

    return transition(claim, actor=actor, action="submit", apply=apply, announce=announce)


def _require_reason(reason):
    refuse_unless((reason or "").strip(), _("Give the reason, so the firm knows what to correct."), ActionRefused.INVALID)


def _tell_firm(title):
    def announce(claim):
        notify(firm_users(claim.enterprise_id), title, body=claim.review_comment, url=claim.get_absolute_url(), sms=True)

    return announce


def _review(claim, *, actor, action, comment, announce, reason_required=False, apply=None):
    """A reviewer's step: the policy is asked before the reason is looked at (403 before 400)."""
    policy.require(actor, action, claim)
    if reason_required:
        _require_reason(comment)

    def apply_review(locked):
        locked.review_comment = comment or ""
        if apply is not None:
            apply(locked)

    return transition(claim, actor=actor, action=action, comment=comment, apply=apply_review, announce=announce)


def township_approve(claim, *, actor, comment=""):
    def announce(locked):
        notify(_district_staff(), _("Charter subsidy claim for decision: %(firm)s") % {"firm": locked.enterprise.name}, url=locked.get_absolute_url())

    return _review(claim, actor=actor, action="township_approve", comment=comment, announce=announce)


def township_return(claim, *, actor, reason):
    return _review(
        claim, actor=actor, action="township_return", comment=reason, reason_required=True,
        announce=_tell_firm(_("Your charter subsidy claim was returned for correction")),
    )


def district_approve(claim, *, actor, comment=""):
    """The final decision: the amount is recomputed against what the firm has already been granted."""

    def apply(locked):
        Enterprise.objects.select_for_update().filter(pk=locked.enterprise_id).first()
        calc = compute_subsidy(
            locked.invoice_amount, locked.policy or current_policy(), granted_before=committed_to_firm(locked.enterprise_id, exclude_claim=locked.pk)
        )
        refuse_unless(calc.amount > 0, _("The firm has reached its subsidy cap."), ActionRefused.INVALID)
        locked.approved_amount = min(calc.amount, locked.subsidy_amount)
        locked.decided_at = clock.now()

    return _review(
        claim, actor=actor, action="district_approve", comment=comment, apply=apply,
        announce=_tell_firm(_("Your charter subsidy claim was approved")),
    )


def district_return(claim, *, actor, reason):
    return _review(
        claim, actor=actor, action="district_return", comment=reason, reason_required=True,
        announce=_tell_firm(_("Your charter subsidy claim was returned for correction")),
    )


def district_reject(claim, *, actor, reason):
    return _review(
        claim, actor=actor, action="district_reject", comment=reason, reason_required=True,
        apply=lambda locked: setattr(locked, "decided_at", clock.now()),
        announce=_tell_firm(_("Your charter subsidy claim was rejected")),
    )


# --- The pre-check ---------------------------------------------------------------------------------


def finding(code, **params):
    return {"code": code, "params": {k: (str(v) if not isinstance(v, (int, str)) else v) for k, v in params.items()}}


def claim_findings(claim):
    """What a reviewer should look at: passengers not matched to the firm, passengers on another trip on
    overlapping dates, the plate on another claim on the same days, the caps, the window and the deadline,
    and health codes. A fixed number of queries whatever the passenger count."""
    rules = claim.policy or current_policy()
    trip = claim.trip
    results = []
    passengers = list(trip.passengers.filter(travelled=True).select_related("registration"))
    for p in passengers:
        if p.registration.enterprise_id != claim.enterprise_id:
            results.append(finding("passenger_unmatched", name=p.registration.masked_name))
    hashes = {p.registration.id_number_hash: p.registration.masked_name for p in passengers}
    # The same person (by ID hash) on another live trip whose dates overlap this one's.
    overlaps = (
        TripPassenger.objects.filter(registration__id_number_hash__in=list(hashes))
        .exclude(trip=trip)
        .exclude(trip__status=CharterTrip.Status.CANCELLED)
        .filter(trip__departure_date__lte=claim.arrival_date)
        .filter(Q(trip__arrival_date__gte=claim.departure_date) | Q(trip__arrival_date__isnull=True, trip__departure_date__gte=claim.departure_date))
        .values_list("registration__id_number_hash", "trip_id", "trip__departure_date")
    )
    for id_hash, other_trip, day in overlaps:
        results.append(finding("passenger_overlap", name=hashes[id_hash], trip=other_trip, date=day.isoformat()))
    plate_clashes = (
        SubsidyClaim.objects.filter(plate=claim.plate, departure_date__lte=claim.arrival_date, arrival_date__gte=claim.departure_date)
        .exclude(pk=claim.pk)
        .exclude(status=Status.REJECTED)
        .values_list("pk", "enterprise__name", "departure_date")
    )
    for other, firm, day in plate_clashes:
        results.append(finding("plate_same_day", plate=claim.plate, claim=other, firm=firm, date=day.isoformat()))
    calc = compute_subsidy(claim.invoice_amount, rules, granted_before=committed_to_firm(claim.enterprise_id, exclude_claim=claim.pk))
    if "trip_cap" in calc.capped_by:
        results.append(finding("trip_cap", raw=calc.raw, cap=rules.per_trip_cap))
    if "enterprise_cap" in calc.capped_by:
        results.append(finding("enterprise_cap", remaining=calc.enterprise_remaining, cap=rules.per_enterprise_cap))
    if not (rules.covers(claim.departure_date) and rules.covers(trip.departure_date)):
        results.append(finding("outside_window", date=claim.departure_date.isoformat()))
    filed = timezone.localtime(claim.submitted_at).date() if claim.submitted_at else clock.today()
    if filed > trip.last_day + timedelta(days=rules.filing_days):
        results.append(finding("late_filing", days=rules.filing_days))
    if len(passengers) > trip.seats:
        results.append(finding("over_seats", count=len(passengers), seats=trip.seats))
    if (claim.departure_date, claim.arrival_date) != (trip.departure_date, trip.last_day):
        results.append(finding("dates_differ", trip=trip.departure_date.isoformat()))
    unsafe = sum(1 for p in passengers if p.registration.health_code != HealthCode.GREEN)
    if unsafe:
        results.append(finding("health_code", count=unsafe))
    if passengers and claim.invoice_amount / len(passengers) > Decimal("3000"):
        results.append(finding("cost_per_head", amount=(claim.invoice_amount / len(passengers)).quantize(FEN)))
    return results


def precheck(claim_id, *, again=False):
    """Store the findings on a submitted claim, once per submission: a retried or repeated task finds them
    stored and changes nothing; ``again`` (an admin's request) looks again as of now.

    A system task acting for no user: it reads the claim by id from the base manager, not through a
    user's scope, and changes nothing but the findings."""
    claim = SubsidyClaim._base_manager.select_related("trip", "policy").filter(pk=claim_id).first()
    if claim is None or claim.status == Status.DRAFT:
        return None
    if claim.prechecked_at and claim.submitted_at and claim.prechecked_at >= claim.submitted_at and not again:
        return claim.findings
    found = claim_findings(claim)
    SubsidyClaim._base_manager.filter(pk=claim.pk).update(findings=found, prechecked_at=clock.now())
    return found


# --- Payouts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payable:
    """A kind of money the district pays through the payout batches (design: one payout mechanism).

    ``check(locked_rows)`` refuses (ActionRefused) any row that may not be paid now; ``line(row)`` gives the
    PayoutItem's fields (amount, and for a source its reference, payee, bank, account and purpose);
    ``paid_notice`` announces the payment (the ``announce`` of the row's ``pay`` transition). The row's model
    declares the workflow steps ``batch`` and ``pay``. Charter claims are one payable; an app paying another
    kind of money (a policy award) registers its own with ``register_payable``."""

    model: type
    check: object
    line: object
    paid_notice: object = None


_payables = {}


def register_payable(payable):
    _payables[payable.model] = payable
    return payable


def _claims_payable(locked):
    for claim in locked:
        refuse_unless(
            claim.status == Status.DISTRICT_APPROVED,
            _("Claim %(id)s is not an approved claim awaiting payout.") % {"id": claim.pk},
            ActionRefused.CONFLICT,
        )


register_payable(Payable(
    SubsidyClaim,
    check=_claims_payable,
    line=lambda claim: {"claim": claim, "amount": claim.approved_amount},
    paid_notice=_tell_firm(_("Your charter subsidy has been paid")),
))


def create_payout_batch(*, actor, claims=(), sources=()):
    """Put approved claims (and records of another registered payable, ``sources``) into a new payout batch,
    numbered ZF<date>-<n> by the business date from a locked counter (two batches made at once get two
    numbers). A record already in a batch is refused (and the database refuses it too: one batch each)."""
    policy.require(actor, "create", model=PayoutBatch)
    wanted = {SubsidyClaim: {c.pk if hasattr(c, "pk") else int(c) for c in claims}} if claims else {}
    for row in sources:
        refuse_unless(type(row) in _payables, _("This record cannot be paid through a payout batch."), ActionRefused.INVALID)
        wanted.setdefault(type(row), set()).add(row.pk)
    refuse_unless(any(wanted.values()), _("Choose at least one approved claim."), ActionRefused.INVALID)
    try:
        with transaction.atomic():
            lines = []
            for model, ids in wanted.items():
                payable = _payables[model]
                locked = list(model._base_manager.select_for_update().filter(pk__in=sorted(ids)).order_by("pk"))
                refuse_unless(len(locked) == len(ids), _("Some of these claims do not exist."), ActionRefused.INVALID)
                payable.check(locked)
                lines.append((payable, locked))
            today = clock.today()
            number = next_value(f"payout-batch-{today:%Y%m%d}")
            batch = PayoutBatch.objects.create(number=f"ZF{today:%Y%m%d}-{number:03d}", created_by=actor)
            items = []
            for payable, locked in lines:
                kind = {} if payable.model is SubsidyClaim else {"source_type": ContentType.objects.get_for_model(payable.model)}
                items += [PayoutItem(batch=batch, **kind, **({"source_id": row.pk} if kind else {}), **payable.line(row)) for row in locked]
            PayoutItem.objects.bulk_create(items)
            record(batch, actor=actor, action="create", comment=str(len(items)))
            for payable, locked in lines:
                for row in locked:
                    transition(row, actor=actor, action="batch", comment=batch.number)
    except IntegrityError:
        raise ActionRefused(_("One of these claims is already in a payout batch."), ActionRefused.CONFLICT)
    return batch


def mark_batch_paid(batch, *, actor, transfer_reference):
    """Record the bank transfer: the batch and each of its claims become paid, once.

    The batch row is locked: of two people marking it paid at once, the second waits and then finds it
    paid. A retried request with the same transfer reference changes nothing and answers with the batch;
    another reference is refused.
    """
    policy.require(actor, "mark_paid", batch)
    reference = (transfer_reference or "").strip()
    refuse_unless(reference, _("Enter the bank's transfer reference."), ActionRefused.INVALID)
    with transaction.atomic():
        locked = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == PayoutBatch.Status.PAID:
            refuse_unless(
                locked.transfer_reference == reference,
                _("This batch was already paid with transfer %(ref)s.") % {"ref": locked.transfer_reference},
                ActionRefused.CONFLICT,
            )
            return locked
        refuse_unless(
            not PayoutBatch.objects.filter(transfer_reference=reference).exists(),
            _("Transfer %(ref)s is already recorded for another batch.") % {"ref": reference},
            ActionRefused.CONFLICT,
        )
        now = clock.now()

        def apply(paid):
            paid.transfer_reference = reference
            paid.paid_at = now
            paid.paid_by = actor

        paid = transition(locked, actor=actor, action="mark_paid", comment=reference, apply=apply)
        for payable, rows in _batch_records(paid):
            for row in rows:
                transition(row, actor=actor, action="pay", comment=reference, announce=payable.paid_notice)
    return paid


def _batch_records(batch):
    """The records a batch pays, kind by kind (claims first), each in item order."""
    found = {}
    for claim_id, type_id, source_id in batch.items.order_by("pk").values_list("claim_id", "source_type_id", "source_id"):
        model = SubsidyClaim if claim_id else ContentType.objects.get_for_id(type_id).model_class()
        found.setdefault(model, []).append(claim_id or source_id)
    for model, ids in found.items():
        yield _payables[model], model._base_manager.filter(pk__in=ids).order_by("pk")


def payout_rows(batch):
    """The rows of the bank transfer file: (line, payee, credit code, bank, account, amount, invoice, purpose)."""
    return [
        (row[0] or row[7], row[1] or row[8], row[2] or row[9], row[3] or row[10], row[4] or row[11], row[5], row[6] or "", row[12])
        for row in batch.items.order_by("pk").values_list(
            "claim_id", "claim__enterprise__name", "claim__enterprise__credit_code", "claim__payee_bank", "claim__payee_account", "amount",
            "claim__invoice_number", "reference", "payee", "payee_code", "payee_bank", "payee_account", "purpose",
        )
    ]


def transfer_summary(batch):
    return batch.items.aggregate(total=Coalesce(Sum("amount"), Decimal("0")))["total"]

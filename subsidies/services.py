"""Every action on registrations, trips, claims, the policy and payouts: one function each.

Views, the API, admin actions, tasks and the demo call these; none of them sets a status field.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import User
from fuyang_portal.notify import notify
from fuyang_portal.roles import Role
from fuyang_portal.validators import normalize_plate, normalize_resident_id
from fuyang_portal.workflow import ActionRefused, log_transition, refuse_unless, transition
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


def _is_district(user):
    return user is not None and user.is_authenticated and user.is_district


def _is_firm(user, enterprise_id):
    return user is not None and user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise_id


def _is_township_of(user, enterprise):
    return user is not None and user.is_authenticated and user.role == Role.TOWNSHIP and user.township_id == enterprise.township_id


def _clean(instance, exclude=None):
    """Validate a model instance; the field errors become one refusal with a readable message."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        messages = [str(m) for m in error.messages]
        raise ActionRefused(" ".join(messages), ActionRefused.INVALID)


def _firm_staff(enterprise):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise=enterprise, is_active=True)


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
    """The registered firm a worker names: by credit code, by exact name, or by a name fragment that
    matches one firm only. Returns None when nothing or more than one firm matches."""
    term = (term or "").strip()
    if not term:
        return None
    matches = list(Enterprise.objects.filter(Q(credit_code=term.upper()) | Q(name=term))[:2])
    if len(matches) != 1 and len(term) >= 4:
        matches = list(Enterprise.objects.filter(name__icontains=term)[:2])
    return matches[0] if len(matches) == 1 else None


def register_worker(*, enterprise, name, id_number, mobile, origin_province, origin_county, return_date, travel_mode, health_code, actor=None):
    """Record a worker's intended return; the public form and the employer's form both come here.

    A person (by ID number) may hold one registration per return window; a second one is refused.
    """
    source = WorkerRegistration.Source.PUBLIC
    if actor is not None and actor.is_authenticated:
        refuse_unless(_is_firm(actor, enterprise.pk) or _is_district(actor), _("You may register workers for your own firm only."))
        source = WorkerRegistration.Source.ENTERPRISE
    if origin_county:
        refuse_unless(regions.is_county(origin_county), _("Unknown county."), ActionRefused.INVALID)
        refuse_unless(
            regions.province_of(origin_county) == origin_province,
            _("The county is not in the province chosen."),
            ActionRefused.INVALID,
        )
    refuse_unless(regions.is_province(origin_province), _("Unknown province."), ActionRefused.INVALID)
    registration = WorkerRegistration(
        enterprise=enterprise,
        name=(name or "").strip(),
        id_number=normalize_resident_id(id_number),
        mobile=(mobile or "").strip(),
        origin_province=origin_province,
        origin_city=regions.city_of(origin_county) if origin_county else "",
        origin_county=origin_county or "",
        return_date=return_date,
        travel_mode=travel_mode,
        health_code=health_code,
        source=source,
        created_by=actor if source == WorkerRegistration.Source.ENTERPRISE else None,
    )
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
            log_transition(registration, actor=actor, action="register", from_state="", to_state="registered")
    finally:
        cache.delete(lock_key)
    return registration


def lookup_registration(reference, mobile):
    """A worker's own registration by reference and mobile; None for any mismatch (nothing is revealed)."""
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


def _check_passengers(trip, registrations):
    for registration in registrations:
        refuse_unless(
            registration.enterprise_id == trip.enterprise_id,
            _("%(name)s is not registered with %(firm)s.") % {"name": registration.masked_name, "firm": trip.enterprise.name},
            ActionRefused.INVALID,
        )


def plan_trip(*, actor, enterprise, origin_province, origin_county, departure_date, seats, registrations):
    """Group registrations of one firm into a planned charter trip (the district office or the firm itself)."""
    refuse_unless(_is_district(actor) or _is_firm(actor, enterprise.pk), _("Only the district office or the firm may plan its trips."))
    registrations = list(registrations)
    with transaction.atomic():
        trip = CharterTrip(
            enterprise=enterprise,
            origin_province=origin_province or (regions.province_of(origin_county) if origin_county else ""),
            origin_city=regions.city_of(origin_county) if origin_county else "",
            origin_county=origin_county or "",
            departure_date=departure_date,
            seats=seats,
            planned_by=actor,
        )
        refuse_unless(regions.is_province(trip.origin_province), _("Unknown province."), ActionRefused.INVALID)
        refuse_unless(
            not origin_county or (regions.is_county(origin_county) and regions.province_of(origin_county) == trip.origin_province),
            _("The county is not in the province chosen."),
            ActionRefused.INVALID,
        )
        _clean(trip)
        trip.save()
        log_transition(trip, actor=actor, action="plan", from_state="", to_state=CharterTrip.Status.PLANNED)
        _seat(trip, registrations)
    return trip


def _seat(trip, registrations):
    _check_passengers(trip, registrations)
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


def add_passengers(trip, *, actor, registrations):
    registrations = list(registrations)

    def apply(locked):
        _seat(locked, registrations)

    return transition(
        trip,
        actor=actor,
        action="add_passengers",
        to_state=CharterTrip.Status.PLANNED,
        allowed_from=(CharterTrip.Status.PLANNED,),
        permitted=lambda user, t: _is_district(user) or _is_firm(user, t.enterprise_id),
        comment=str(len(registrations)),
        apply=apply,
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

    return transition(
        trip,
        actor=actor,
        action="complete",
        to_state=CharterTrip.Status.COMPLETED,
        allowed_from=(CharterTrip.Status.PLANNED,),
        permitted=lambda user, t: _is_district(user) or _is_firm(user, t.enterprise_id),
        comment=_("%(n)s travelled") % {"n": len(travelled_ids)},
        apply=apply,
    )


def cancel_trip(trip, *, actor, reason=""):
    """Cancel a planned trip; its workers are free to be seated on another one."""

    def apply(locked):
        locked.passengers.all().delete()

    return transition(
        trip,
        actor=actor,
        action="cancel",
        to_state=CharterTrip.Status.CANCELLED,
        allowed_from=(CharterTrip.Status.PLANNED,),
        permitted=lambda user, t: _is_district(user) or _is_firm(user, t.enterprise_id),
        comment=reason,
        apply=apply,
    )


# --- Policy ----------------------------------------------------------------------------------------


def current_policy():
    policy = SubsidyPolicy.objects.order_by("-version").first()
    if policy is None:
        policy, _created = SubsidyPolicy.objects.get_or_create(version=1, defaults={**DEFAULT_POLICY, "note": "2020-02-14"})
    return policy


def revise_policy(*, actor, rate, window_start, window_end, per_trip_cap, per_enterprise_cap, filing_days, note=""):
    """Add a new version of the rules (the district office only); earlier versions stay as they were."""
    refuse_unless(_is_district(actor), _("Only the district office may change the subsidy policy."))
    with transaction.atomic():
        latest = SubsidyPolicy.objects.select_for_update().order_by("-version").first()
        policy = SubsidyPolicy(
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
        _clean(policy)
        refuse_unless(window_end is None or window_end >= window_start, _("The window cannot end before it starts."), ActionRefused.INVALID)
        policy.save()
        log_transition(policy, actor=actor, action="revise", from_state=str(latest.version) if latest else "", to_state=str(policy.version), comment=note)
    return policy


# --- The amount ------------------------------------------------------------------------------------


@dataclass
class SubsidyCalculation:
    invoice_amount: Decimal
    rate: Decimal
    raw: Decimal  # invoice × rate, to the fen
    amount: Decimal  # after the caps
    enterprise_remaining: Decimal
    capped_by: list = field(default_factory=list)  # "trip_cap", "enterprise_cap"


def compute_subsidy(invoice_amount, policy, *, granted_before=Decimal("0")):
    """The one place the subsidy is computed: invoice × rate, rounded half up to the fen, then limited by
    the per-trip cap and by what is left of the firm's cap after ``granted_before``."""
    invoice_amount = Decimal(invoice_amount)
    raw = (invoice_amount * policy.rate).quantize(FEN, rounding=ROUND_HALF_UP)
    amount = raw
    capped_by = []
    if amount > policy.per_trip_cap:
        amount = policy.per_trip_cap
        capped_by.append("trip_cap")
    remaining = max(policy.per_enterprise_cap - Decimal(granted_before), Decimal("0.00"))
    if amount > remaining:
        amount = remaining
        capped_by.append("enterprise_cap")
    return SubsidyCalculation(invoice_amount, policy.rate, raw, amount.quantize(FEN), remaining.quantize(FEN), capped_by)


def committed_to_firm(enterprise_id, *, exclude_claim=None):
    """The subsidy already claimed or granted to a firm by its other live claims (one aggregate query)."""
    claims = SubsidyClaim.objects.filter(enterprise_id=enterprise_id, status__in=SubsidyClaim.COMMITTED)
    if exclude_claim is not None:
        claims = claims.exclude(pk=exclude_claim)
    return claims.aggregate(total=Coalesce(Sum(Coalesce("approved_amount", "subsidy_amount")), Decimal("0")))["total"]


# --- Claims ----------------------------------------------------------------------------------------


def start_claim(trip, *, actor, **fields):
    """Open a draft claim for a completed trip of the actor's firm."""
    refuse_unless(_is_firm(actor, trip.enterprise_id), _("Only the firm that chartered the bus may claim for it."))
    refuse_unless(
        trip.status == CharterTrip.Status.COMPLETED, _("A claim can be filed only for a completed trip."), ActionRefused.CONFLICT
    )
    refuse_unless(not SubsidyClaim.objects.filter(trip=trip).exists(), _("This trip already has a claim."), ActionRefused.CONFLICT)
    claim = SubsidyClaim(
        trip=trip,
        enterprise_id=trip.enterprise_id,
        origin_province=trip.origin_province,
        origin_county=trip.origin_county,
        created_by=actor,
        **{"departure_date": trip.departure_date, "arrival_date": trip.last_day, **fields},
    )
    claim.plate = normalize_plate(claim.plate)
    _clean(claim)
    _refuse_duplicate_invoice(claim)
    try:
        with transaction.atomic():
            claim.save()
            log_transition(claim, actor=actor, action="create", from_state="", to_state=Status.DRAFT)
    except IntegrityError:
        raise ActionRefused(_("This invoice number has already been claimed."), ActionRefused.CONFLICT)
    return claim


def update_claim(claim, *, actor, **fields):
    """Edit a draft or returned claim (the firm only)."""
    with transaction.atomic():
        locked = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
        refuse_unless(_is_firm(actor, locked.enterprise_id), _("You may not do this to this record."))
        refuse_unless(locked.editable, _("Only a draft or returned claim can be edited."), ActionRefused.CONFLICT)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.plate = normalize_plate(locked.plate)
        _clean(locked)
        _refuse_duplicate_invoice(locked)
        try:
            with transaction.atomic():
                locked.save()
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


def _eligibility_refusals(claim, policy, today):
    """The rules a claim must meet to be filed at all; each broken rule raises a refusal."""
    trip = claim.trip
    refuse_unless(trip.status == CharterTrip.Status.COMPLETED, _("The trip is not completed."), ActionRefused.INVALID)
    refuse_unless(
        policy.covers(claim.departure_date) and policy.covers(trip.departure_date),
        _("The trip on %(date)s is outside the eligible window (from %(start)s%(end)s).")
        % {
            "date": claim.departure_date.isoformat(),
            "start": policy.window_start.isoformat(),
            "end": f" – {policy.window_end.isoformat()}" if policy.window_end else "",
        },
        ActionRefused.INVALID,
    )
    # The deadline runs from the trip's recorded arrival, whatever date the invoice states.
    deadline = trip.last_day + timedelta(days=policy.filing_days)
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


def submit_claim(claim, *, actor, today=None):
    """The firm files its claim: the rules are checked, the subsidy computed, the township told, and the
    pre-check queued for the reviewers."""
    filed_at = timezone.now()
    if today is None:
        today = timezone.localdate(filed_at)
    else:  # filed on a given day (the demo's history, or a test): record that day
        filed_at = timezone.make_aware(datetime.combine(today, time(12, 0)))
    policy = current_policy()

    def apply(locked):
        # One firm's submissions in turn, so two claims cannot both take the last of the firm's cap.
        Enterprise.objects.select_for_update().filter(pk=locked.enterprise_id).first()
        _eligibility_refusals(locked, policy, today)
        _refuse_duplicate_invoice(locked)
        calc = compute_subsidy(locked.invoice_amount, policy, granted_before=committed_to_firm(locked.enterprise_id, exclude_claim=locked.pk))
        refuse_unless(
            calc.amount > 0,
            _("The firm has reached its subsidy cap of %(cap)s yuan; no further claim can be paid.") % {"cap": policy.per_enterprise_cap},
            ActionRefused.INVALID,
        )
        locked.policy = policy
        locked.subsidy_amount = calc.amount
        locked.approved_amount = None
        locked.submitted_at = filed_at
        locked.findings = []
        locked.prechecked_at = None
        locked.review_comment = ""

    def after(locked):
        from subsidies.tasks import precheck_claim

        precheck_claim.delay(locked.pk)
        notify(
            _township_staff(locked.enterprise),
            _("Charter subsidy claim to check: %(firm)s") % {"firm": locked.enterprise.name},
            url=locked.get_absolute_url(),
            dedupe_key=f"claim-{locked.pk}-submitted-{locked.submitted_at:%Y%m%d%H%M%S}",
        )

    return transition(
        claim,
        actor=actor,
        action="submit",
        to_state=Status.SUBMITTED,
        allowed_from=(Status.DRAFT, Status.RETURNED),
        permitted=lambda user, c: _is_firm(user, c.enterprise_id),
        apply=apply,
        after_commit=after,
    )


def _require_reason(reason):
    refuse_unless((reason or "").strip(), _("Give the reason, so the firm knows what to correct."), ActionRefused.INVALID)


def _tell_firm(claim, title):
    notify(_firm_staff(claim.enterprise), title, body=claim.review_comment, url=claim.get_absolute_url(), sms=True)


def township_approve(claim, *, actor, comment=""):
    def after(locked):
        notify(_district_staff(), _("Charter subsidy claim for decision: %(firm)s") % {"firm": locked.enterprise.name}, url=locked.get_absolute_url())

    return transition(
        claim,
        actor=actor,
        action="township_approve",
        to_state=Status.TOWNSHIP_APPROVED,
        allowed_from=(Status.SUBMITTED,),
        permitted=lambda user, c: _is_township_of(user, c.enterprise),
        comment=comment,
        apply=lambda locked: setattr(locked, "review_comment", comment),
        after_commit=after,
    )


def township_return(claim, *, actor, reason):
    _require_reason(reason)
    return transition(
        claim,
        actor=actor,
        action="township_return",
        to_state=Status.RETURNED,
        allowed_from=(Status.SUBMITTED,),
        permitted=lambda user, c: _is_township_of(user, c.enterprise),
        comment=reason,
        apply=lambda locked: setattr(locked, "review_comment", reason),
        after_commit=lambda locked: _tell_firm(locked, _("Your charter subsidy claim was returned for correction")),
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
        locked.decided_at = timezone.now()
        locked.review_comment = comment

    return transition(
        claim,
        actor=actor,
        action="district_approve",
        to_state=Status.DISTRICT_APPROVED,
        allowed_from=(Status.TOWNSHIP_APPROVED,),
        permitted=lambda user, c: _is_district(user),
        comment=comment,
        apply=apply,
        after_commit=lambda locked: _tell_firm(locked, _("Your charter subsidy claim was approved")),
    )


def district_return(claim, *, actor, reason):
    _require_reason(reason)
    return transition(
        claim,
        actor=actor,
        action="district_return",
        to_state=Status.RETURNED,
        allowed_from=(Status.TOWNSHIP_APPROVED,),
        permitted=lambda user, c: _is_district(user),
        comment=reason,
        apply=lambda locked: setattr(locked, "review_comment", reason),
        after_commit=lambda locked: _tell_firm(locked, _("Your charter subsidy claim was returned for correction")),
    )


def district_reject(claim, *, actor, reason):
    _require_reason(reason)

    def apply(locked):
        locked.review_comment = reason
        locked.decided_at = timezone.now()

    return transition(
        claim,
        actor=actor,
        action="district_reject",
        to_state=Status.REJECTED,
        allowed_from=(Status.TOWNSHIP_APPROVED,),
        permitted=lambda user, c: _is_district(user),
        comment=reason,
        apply=apply,
        after_commit=lambda locked: _tell_firm(locked, _("Your charter subsidy claim was rejected")),
    )


# --- The pre-check ---------------------------------------------------------------------------------


def finding(code, **params):
    return {"code": code, "params": {k: (str(v) if not isinstance(v, (int, str)) else v) for k, v in params.items()}}


def claim_findings(claim, today=None):
    """What a reviewer should look at: passengers not matched to the firm, passengers on another trip on
    overlapping dates, the plate on another claim on the same days, the caps, the window and the deadline,
    and health codes. A fixed number of queries whatever the passenger count."""
    policy = claim.policy or current_policy()
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
    calc = compute_subsidy(claim.invoice_amount, policy, granted_before=committed_to_firm(claim.enterprise_id, exclude_claim=claim.pk))
    if "trip_cap" in calc.capped_by:
        results.append(finding("trip_cap", raw=calc.raw, cap=policy.per_trip_cap))
    if "enterprise_cap" in calc.capped_by:
        results.append(finding("enterprise_cap", remaining=calc.enterprise_remaining, cap=policy.per_enterprise_cap))
    if not (policy.covers(claim.departure_date) and policy.covers(trip.departure_date)):
        results.append(finding("outside_window", date=claim.departure_date.isoformat()))
    filed = timezone.localtime(claim.submitted_at).date() if claim.submitted_at else (today or timezone.localdate())
    if filed > trip.last_day + timedelta(days=policy.filing_days):
        results.append(finding("late_filing", days=policy.filing_days))
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


def precheck(claim_id):
    """Store the findings on a submitted claim. Running it twice stores the same findings."""
    claim = SubsidyClaim.objects.select_related("trip", "policy").filter(pk=claim_id).first()
    if claim is None or claim.status in (Status.DRAFT,):
        return None
    found = claim_findings(claim)
    SubsidyClaim.objects.filter(pk=claim.pk).update(findings=found, prechecked_at=timezone.now())
    return found


# --- Payouts ---------------------------------------------------------------------------------------


def _next_batch_number(today):
    prefix = f"ZF{today:%Y%m%d}-"
    count = PayoutBatch.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def create_payout_batch(*, actor, claims):
    """Put approved claims into a new payout batch. A claim already in a batch is refused (and the database
    refuses it too: one batch per claim)."""
    refuse_unless(_is_district(actor), _("Only the district office may prepare payouts."))
    ids = sorted({c.pk if hasattr(c, "pk") else int(c) for c in claims})
    refuse_unless(ids, _("Choose at least one approved claim."), ActionRefused.INVALID)
    try:
        with transaction.atomic():
            locked = list(SubsidyClaim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            refuse_unless(len(locked) == len(ids), _("Some of these claims do not exist."), ActionRefused.INVALID)
            in_batch = set(PayoutItem.objects.filter(claim_id__in=ids).values_list("claim_id", flat=True))
            for claim in locked:
                refuse_unless(
                    claim.status == Status.DISTRICT_APPROVED and claim.pk not in in_batch,
                    _("Claim %(id)s is not an approved claim awaiting payout.") % {"id": claim.pk},
                    ActionRefused.CONFLICT,
                )
            batch = PayoutBatch.objects.create(number=_next_batch_number(timezone.localdate()), created_by=actor)
            PayoutItem.objects.bulk_create([PayoutItem(batch=batch, claim=c, amount=c.approved_amount) for c in locked])
            log_transition(batch, actor=actor, action="create", from_state="", to_state=PayoutBatch.Status.OPEN, comment=str(len(locked)))
    except IntegrityError:
        raise ActionRefused(_("One of these claims is already in a payout batch."), ActionRefused.CONFLICT)
    return batch


def mark_batch_paid(batch, *, actor, transfer_reference):
    """Record the bank transfer: the batch and each of its claims become paid, once.

    The batch row is locked: of two people marking it paid at once, the second waits and then finds it
    paid. A retried request with the same transfer reference changes nothing and answers with the batch;
    another reference is refused.
    """
    reference = (transfer_reference or "").strip()
    refuse_unless(reference, _("Enter the bank's transfer reference."), ActionRefused.INVALID)
    refuse_unless(_is_district(actor), _("Only the district office may record payouts."))
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
        now = timezone.now()

        def apply(b):
            b.transfer_reference = reference
            b.paid_at = now
            b.paid_by = actor

        paid = transition(
            locked,
            actor=actor,
            action="mark_paid",
            to_state=PayoutBatch.Status.PAID,
            allowed_from=(PayoutBatch.Status.OPEN,),
            permitted=lambda user, b: _is_district(user),
            comment=reference,
            apply=apply,
        )
        for claim in SubsidyClaim.objects.filter(payout_item__batch=paid).order_by("pk"):
            transition(
                claim,
                actor=actor,
                action="pay",
                to_state=Status.PAID,
                allowed_from=(Status.DISTRICT_APPROVED,),
                permitted=lambda user, c: _is_district(user),
                comment=reference,
                after_commit=lambda c: _tell_firm(c, _("Your charter subsidy has been paid")),
            )
    return paid


def payout_rows(batch):
    """The rows of the bank transfer file."""
    return (
        batch.items.select_related("claim__enterprise")
        .order_by("pk")
        .values_list("claim_id", "claim__enterprise__name", "claim__enterprise__credit_code", "claim__payee_bank", "claim__payee_account", "amount", "claim__invoice_number")
    )


def transfer_summary(batch):
    return batch.items.aggregate(total=Coalesce(Sum("amount"), Decimal("0")))["total"]

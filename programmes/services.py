"""Every change to the townships' programmes: one function per action. Pages, API, admin and the demo call
these; none of them saves a record or sets a status itself.

Who may act is ``programmes/policies.py``: creates ask it here, state changes through the workflow tables that
``fuyang_portal.workflow.transition`` reads. Each function runs in one transaction, validates on the model,
writes the history row with its actor and queues its notices in the same transaction. Every "now" and
"today" is the business clock's.
"""

from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock, policy
from fuyang_portal.accounts import create_account
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import User
from fuyang_portal.notify import notify
from fuyang_portal.recipients import township_staff
from fuyang_portal.writes import insert_all, validate_or_refuse
from fuyang_portal.roles import Role
from fuyang_portal.validators import normalize_plate, normalize_resident_id
from fuyang_portal.workflow import ActionRefused, record, record_many, transition
from programmes.models import (CarRun, Clinic, ClinicAccount, Finding, HealthVoucher, HotlineCall, HotlineCoverage,
                               ItemUpdate, Lodging, Occupancy, ServiceStation, ShoppingRun, WorkItem, WorkList,
                               clinic_of)

# A voucher is valid this long after it is issued unless the township says otherwise.
VOUCHER_VALID_DAYS = 60
# A hotline caller counts as answered in time when answered within this many minutes (the next working shift).
HOTLINE_RESPONSE_MINUTES = 24 * 60


def _require(actor, action, obj=None, *, model=None):
    policy.require(actor, action, obj, model=model)


def _save_new(obj, actor, *, duplicate=None, **validation):
    """Validate a new record, save it and log its creation. ``duplicate``: the refusal when its township already
    has a record of this name."""
    validate_or_refuse(obj, **validation)
    if duplicate is not None and type(obj).objects.filter(township=obj.township, name=obj.name).exists():
        raise ActionRefused(duplicate % {"township": obj.township}, ActionRefused.CONFLICT)
    obj.save()
    record(obj, actor=actor, action="create")
    return obj


def _text(value, message):
    value = (value or "").strip()
    if not value:
        raise ActionRefused(message, ActionRefused.INVALID)
    return value


def _township_of_actor(actor, township=None):
    """The township a township cadre acts for (their own, whatever is asked); the district office names one."""
    if actor is not None and actor.role == Role.TOWNSHIP:
        if township is not None and getattr(township, "pk", township) != actor.township_id:
            raise ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)
        return actor.township
    if township is None:
        raise ActionRefused(_("Choose the township."), ActionRefused.INVALID)
    return township


def minutes_between(start, end):
    return max(0, int((end - start).total_seconds() // 60))


# --- clinics -------------------------------------------------------------------------------------------------


@transaction.atomic
def add_clinic(actor, *, name, township=None, address="", phone=""):
    """A township names a clinic where its health-check vouchers are redeemed."""
    township = _township_of_actor(actor, township)
    clinic = Clinic(township=township, name=(name or "").strip(), address=address, phone=phone, created_at=clock.now())
    _require(actor, "create", clinic)
    return _save_new(clinic, actor, duplicate=_("%(township)s already lists a clinic of this name."))


@transaction.atomic
def open_clinic_account(actor, *, clinic, username, full_name="", mobile="", password=None):
    """An account for a listed clinic's staff (role clinic), bound to the clinic."""
    _require(actor, "create", ClinicAccount(clinic=clinic))
    user = create_account(username=username, role=Role.CLINIC, password=password, actor=actor, full_name=full_name, mobile=mobile)
    user.clinic_account = ClinicAccount.objects.create(user=user, clinic=clinic)
    record(clinic, actor=actor, action="add_account", comment=username)
    return user


def ensure_clinic_account(username, clinic, *, actor=None, **fields):
    existing = User.objects.filter(username=username).first()
    return existing or open_clinic_account(actor, clinic=clinic, username=username, **fields)


# --- work lists ----------------------------------------------------------------------------------------------


def indicator_codes():
    """The contest's indicator codes, read from the leaderboard's table through the app registry (this app does
    not import the leaderboard); None when the leaderboard is not installed (then any code is accepted)."""
    if not apps.is_installed("leaderboard"):
        return None
    Indicator = apps.get_model("leaderboard", "Indicator")
    return set(Indicator.objects.values_list("code", flat=True))


def indicator_choices():
    if not apps.is_installed("leaderboard"):
        return []
    Indicator = apps.get_model("leaderboard", "Indicator")
    return [(i.code, str(i)) for i in Indicator.objects.filter(active=True).order_by("sort_order", "code")]


@transaction.atomic
def create_work_list(actor, *, title, township=None, community=None, village=None):
    township = _township_of_actor(actor, township)
    work_list = WorkList(township=township, community=community, village=village, title=(title or "").strip(), created_by=actor,
                         created_at=clock.now())
    _require(actor, "create", work_list)
    return _save_new(work_list, actor)


def _check_responsible(work_list, person):
    """The responsible person is a cadre of the list's township (or of its group's agency)."""
    if person is None or not person.is_active:
        raise ActionRefused(_("Name the responsible person."), ActionRefused.INVALID)
    group_agency = getattr(getattr(work_list.community, "group", None), "agency_id", None) if work_list.community_id else None
    ok = (person.role == Role.TOWNSHIP and person.township_id == work_list.township_id) or (
        person.role == Role.AGENCY and group_agency is not None and person.agency_id == group_agency
    )
    if not ok:
        raise ActionRefused(
            _("%(person)s is not a cadre of %(unit)s.") % {"person": person.display_name, "unit": work_list.township},
            ActionRefused.INVALID,
        )


@transaction.atomic
def add_items(actor, work_list, rows):
    """Add items to a work list: each row has category, indicator_code, title, responsible_unit,
    responsible_person, deadline and optionally number (the next free number otherwise)."""
    _require(actor, "change", work_list)
    locked = WorkList.objects.select_for_update().get(pk=work_list.pk)
    codes = indicator_codes()
    taken = set(WorkItem.objects.filter(work_list=locked).values_list("number", flat=True))
    items = []
    for row in rows:
        number = row.get("number") or (max(taken | {0}) + 1)
        if number in taken:
            raise ActionRefused(_("Item number %(n)s is already on this list.") % {"n": number}, ActionRefused.CONFLICT)
        taken.add(number)
        if codes is not None and row["indicator_code"] not in codes:
            raise ActionRefused(_("Unknown contest indicator “%(code)s”.") % {"code": row["indicator_code"]}, ActionRefused.INVALID)
        _check_responsible(work_list, row["responsible_person"])
        item = WorkItem(
            work_list=locked, number=number, category=row["category"], indicator_code=row["indicator_code"],
            title=(row["title"] or "").strip(), responsible_unit=(row["responsible_unit"] or "").strip(),
            responsible_person=row["responsible_person"], deadline=row["deadline"], created_at=clock.now(),
        )
        validate_or_refuse(item, exclude=["work_list", "responsible_person"])
        items.append(item)
    items = insert_all(WorkItem, items, reread=lambda: WorkItem.objects.filter(work_list=locked, number__in=[i.number for i in items]).order_by("number"))
    record_many(items, actor=actor, action="create", state=WorkItem.Status.TODO)
    notify([item.responsible_person for item in items], _("Work-list items assigned to you"), str(locked), locked.get_absolute_url())
    return items


def add_item(actor, work_list, **row):
    return add_items(actor, work_list, [row])[0]


def report_progress(item, actor, *, note, photo=None, done=False):
    """The responsible person (or the township) reports what was done, with a photo as evidence; ``done``
    marks the item complete."""
    note = _text(note, _("Say what was done."))
    update = ItemUpdate(item=item, note=note, photo=photo or "", author=actor, created_at=clock.now(),
                        status_after=WorkItem.Status.DONE if done else WorkItem.Status.IN_PROGRESS)
    if photo:
        validate_or_refuse(update, exclude=["item", "author"])

    def apply(locked):
        locked.last_update_at = clock.now()
        locked.done_at = clock.now() if done else None

    with transaction.atomic():
        locked = transition(item, actor=actor, action="complete" if done else "report", comment=note[:200], apply=apply)
        update.item = locked
        update.save()
    return update


def reopen_item(item, actor, reason):
    reason = _text(reason, _("Give a reason."))

    def apply(locked):
        locked.done_at = None
        locked.last_update_at = clock.now()

    with transaction.atomic():
        locked = transition(item, actor=actor, action="reopen", comment=reason, apply=apply)
        ItemUpdate.objects.create(item=locked, note=reason, status_after=locked.status, author=actor, created_at=clock.now())
    return locked


@transaction.atomic
def inspect_item(item, actor, *, outcome, points=0, description="", rectify_by=None, inspected_on=None):
    """The district office's inspection (督查) of an item: passed, or problems found with points deducted and a
    deadline to rectify them. The responsible person and the township are told."""
    _require(actor, "inspect", item)
    inspected_on = inspected_on or clock.today()
    if inspected_on > clock.today():
        raise ActionRefused(_("An inspection cannot be dated in the future."), ActionRefused.INVALID)
    problems = outcome == Finding.Outcome.PROBLEMS
    if problems:
        description = _text(description, _("Describe the problems found."))
        if not rectify_by:
            raise ActionRefused(_("Set a rectification deadline."), ActionRefused.INVALID)
    finding = Finding(
        item=item, inspected_on=inspected_on, outcome=outcome, points=points if problems else 0, description=description or "",
        rectify_by=rectify_by if problems else None, status=Finding.Status.OPEN if problems else Finding.Status.PASSED,
        inspector=actor, created_at=clock.now(),
    )
    validate_or_refuse(finding, exclude=["item", "inspector"])
    try:
        with transaction.atomic():
            finding.save()
    except IntegrityError:
        raise ActionRefused(_("Problems found need 1 to 10 points and a rectification deadline."), ActionRefused.INVALID) from None
    record(finding, actor=actor, action="create", comment=finding.get_outcome_display())
    record(item, actor=actor, action="inspect", comment=f"{finding.get_outcome_display()} −{finding.points}")
    title = _("Inspection: problems found") if problems else _("Inspection passed")
    notify([item.responsible_person, *township_staff(item.work_list.township_id)], title, str(item), finding.get_absolute_url())
    return finding


def rectify_finding(finding, actor, note=""):
    """The district office re-inspects and confirms the problems were put right (today, by the business clock)."""
    note = _text(note, _("Say what was checked."))

    def apply(locked):
        locked.rectified_on = clock.today()
        locked.rectification_note = note

    def announce(locked):
        notify([locked.item.responsible_person], _("Rectification confirmed"), str(locked.item), locked.get_absolute_url())

    return transition(finding, actor=actor, action="rectify", comment=note, apply=apply, announce=announce)


# --- the guidance hotline ------------------------------------------------------------------------------------


@transaction.atomic
def log_call(actor, *, received_at, caller_name, topic, question, answer="", follow_up="", caller_enterprise=None, caller_mobile=""):
    """A cadre logs a call to the township's hotline: answered on the call, or needing follow-up."""
    township = _township_of_actor(actor)
    call = HotlineCall(
        township=township, received_at=received_at, caller_enterprise=caller_enterprise, caller_name=(caller_name or "").strip(),
        caller_mobile=(caller_mobile or "").strip(), topic=topic, question=_text(question, _("Write down the question.")),
        answer=(answer or "").strip(), follow_up=(follow_up or "").strip(), taken_by=actor, created_at=clock.now(),
    )
    _require(actor, "create", call)
    if received_at > clock.now():
        raise ActionRefused(_("A call cannot be received in the future."), ActionRefused.INVALID)
    if call.follow_up or not call.answer:
        call.status = HotlineCall.Status.FOLLOW_UP
    else:
        call.status = HotlineCall.Status.ANSWERED
        call.responded_at, call.response_minutes = received_at, 0
    return _save_new(call, actor, exclude=["taken_by", "township", "caller_enterprise"])


def close_follow_up(call, actor, answer):
    """The caller got the answer after a follow-up."""
    answer = _text(answer, _("Write down the answer given."))

    def apply(locked):
        now = clock.now()
        locked.answer = "\n".join(part for part in (locked.answer, answer) if part)
        locked.responded_at, locked.response_minutes = now, minutes_between(locked.received_at, now)

    return transition(call, actor=actor, action="close_follow_up", comment=answer[:200], apply=apply)


def raise_problem_from_call(call, actor, *, category, description=""):
    """The call becomes a problem (诉求) of the calling firm in one step, through the specialists app's own
    service; the call and the problem point at each other (call.problem, problem.hotline_call)."""
    from specialists import services as specialists

    def apply(locked):
        if locked.caller_enterprise_id is None:
            raise ActionRefused(_("Only a call from a firm can become a problem."), ActionRefused.INVALID)
        text = (description or "").strip() or locked.question
        body = _("From hotline call %(id)s (%(when)s): %(text)s") % {
            "id": locked.pk, "when": timezone.localtime(locked.received_at).strftime("%Y-%m-%d %H:%M"), "text": text,
        }
        locked.problem = specialists.raise_problem(actor, locked.caller_enterprise, category, str(body))
        if locked.responded_at is None:
            now = clock.now()
            locked.responded_at, locked.response_minutes = now, minutes_between(locked.received_at, now)

    with transaction.atomic():
        locked = transition(call, actor=actor, action="raise_problem", comment=str(category), apply=apply)
        record(locked.problem, actor=actor, action="from_hotline", comment=str(locked.pk))
    return locked


@transaction.atomic
def set_coverage(actor, *, day, hours, staff=1, note=""):
    """Record how many hours the township's hotline was staffed on ``day`` (replacing an earlier entry)."""
    township = _township_of_actor(actor)
    _require(actor, "create", HotlineCoverage(township=township))
    if day > clock.today():
        raise ActionRefused(_("Coverage cannot be recorded for a future day."), ActionRefused.INVALID)
    coverage = HotlineCoverage.objects.select_for_update().filter(township=township, day=day).first()
    created = coverage is None
    coverage = coverage or HotlineCoverage(township=township, day=day)
    coverage.hours, coverage.staff, coverage.note, coverage.recorded_by = hours, staff, note, actor
    validate_or_refuse(coverage, exclude=["township", "recorded_by"])
    coverage.save()
    record(coverage, actor=actor, action="create" if created else "change", comment=f"{hours}h")
    return coverage


# --- lodgings ------------------------------------------------------------------------------------------------


class NotRegistered(ActionRefused):
    """The person is not a registered returning worker this township can see; ``register_url`` is where they
    register."""

    def __init__(self, message):
        super().__init__(message, ActionRefused.INVALID)
        self.register_url = reverse("subsidies:public-register")


def find_registration(actor, term):
    """A registered returning worker by reference number or resident ID number, among the registrations the actor
    may see; NotRegistered (with the registration page's address) otherwise."""
    from subsidies.models import WorkerRegistration

    term = (term or "").strip().upper()
    visible = WorkerRegistration.objects.visible_to(actor)
    found = None
    if term:
        found = visible.filter(reference=term).first()
        if found is None and len(term) == 18:
            try:
                found = visible.filter(id_number_hash=lookup_hash(normalize_resident_id(term))).order_by("-return_date").first()
            except Exception:  # a malformed ID number finds nothing
                found = None
    if found is None:
        raise NotRegistered(_("%(term)s is not a registered returning worker of this township: register the worker first.")
                            % {"term": term or "—"})
    return found


@transaction.atomic
def add_lodgings(actor, rows):
    """A township arranges temporary lodgings: ``rows`` of dicts (name, kind, capacity, address)."""
    township = _township_of_actor(actor)
    _require(actor, "create", Lodging(township=township))
    names = [(row["name"] or "").strip() for row in rows]
    if len(set(names)) != len(names) or Lodging.objects.filter(township=township, name__in=names).exists():
        raise ActionRefused(_("%(township)s already has a lodging of this name.") % {"township": township}, ActionRefused.CONFLICT)
    lodgings = []
    for name, row in zip(names, rows):
        lodging = Lodging(township=township, name=name, kind=row["kind"], capacity=row["capacity"], address=row.get("address", ""),
                          created_by=actor, created_at=clock.now())
        validate_or_refuse(lodging, exclude=["township", "created_by"], validate_constraints=False)
        lodgings.append(lodging)
    lodgings = insert_all(Lodging, lodgings, batch_size=500, reread=lambda: Lodging.objects.filter(township=township, name__in=names))
    record_many(lodgings, actor=actor, action="create")
    return lodgings


def add_lodging(actor, **row):
    return add_lodgings(actor, [row])[0]


def check_in_many(actor, lodging, registrations, day=None):
    """Check registered workers into a lodging on ``day``: refused when the lodging lacks the beds (saying how
    many are free) or a worker is already staying somewhere."""
    day = day or clock.today()
    registrations = list(registrations)
    with transaction.atomic():
        locked = Lodging.objects.select_for_update().get(pk=lodging.pk)
        _require(actor, "create", Occupancy(lodging=locked))
        if not locked.active:
            raise ActionRefused(_("%(lodging)s is no longer in use.") % {"lodging": locked}, ActionRefused.CONFLICT)
        if day > clock.today():
            raise ActionRefused(_("A check-in cannot be dated in the future."), ActionRefused.INVALID)
        staying = locked.occupancies.filter(status=Occupancy.Status.STAYING).count()
        free = locked.capacity - staying
        if len(registrations) > free:
            raise ActionRefused(
                _("%(lodging)s has %(capacity)s places and %(free)s free.") % {"lodging": locked, "capacity": locked.capacity, "free": free},
                ActionRefused.CONFLICT,
            )
        elsewhere = Occupancy.objects.filter(registration__in=registrations, status=Occupancy.Status.STAYING).select_related("registration", "lodging").first()
        if elsewhere is not None or len({r.pk for r in registrations}) != len(registrations):
            who = elsewhere or Occupancy(registration=registrations[0])
            raise ActionRefused(_("%(name)s is already staying at a lodging.") % {"name": who.registration.masked_name}, ActionRefused.CONFLICT)
        stays = [
            Occupancy(lodging=locked, registration=registration, check_in=day, observation_end=Occupancy.observation_end_for(day),
                      checked_in_by=actor)
            for registration in registrations
        ]
        stays = insert_all(
            Occupancy, stays, batch_size=500, conflict=_("A worker is already staying at a lodging."),
            reread=lambda: Occupancy.objects.filter(lodging=locked, registration__in=registrations, status=Occupancy.Status.STAYING),
        )
        record_many(stays, actor=actor, action="create", state=Occupancy.Status.STAYING)
    return stays


def check_in(actor, lodging, registration, day=None):
    return check_in_many(actor, lodging, [registration], day)[0]


def check_out(occupancy, actor, day=None):
    day = day or clock.today()

    def apply(locked):
        if day < locked.check_in or day > clock.today():
            raise ActionRefused(_("The check-out date must lie between the check-in and today."), ActionRefused.INVALID)
        locked.check_out = day

    return transition(occupancy, actor=actor, action="check_out", apply=apply)


def occupancy_by_day(lodgings, days):
    """People staying each day of ``days`` in ``lodgings`` (a queryset): one aggregate query."""
    days = list(days)
    if not days:
        return []
    stays = Occupancy.objects.filter(lodging__in=lodgings)
    figures = stays.aggregate(**{
        f"d{i}": Count("pk", filter=Q(check_in__lte=day) & (Q(check_out__isnull=True) | Q(check_out__gt=day)))
        for i, day in enumerate(days)
    })
    return [(day, figures[f"d{i}"]) for i, day in enumerate(days)]


def last_fortnight():
    """The fourteen days up to today, oldest first: the span of the occupancy charts."""
    today = clock.today()
    return [today - timedelta(days=n) for n in range(13, -1, -1)]


# --- health-check vouchers -----------------------------------------------------------------------------------


def issue_vouchers(actor, registrations, *, expires_on=None):
    """A township gives free health-check vouchers to registered returning workers, one each."""
    registrations = list(registrations)
    expires_on = expires_on or clock.today() + timedelta(days=VOUCHER_VALID_DAYS)
    township = _township_of_actor(actor)
    _require(actor, "create", HealthVoucher(township=township))
    if expires_on < clock.today():
        raise ActionRefused(_("The voucher would already have expired."), ActionRefused.INVALID)
    from subsidies.models import WorkerRegistration

    ids = {r.pk for r in registrations}
    if len(ids) != len(registrations):
        raise ActionRefused(_("A worker is listed twice."), ActionRefused.INVALID)
    if WorkerRegistration.objects.visible_to(actor).filter(pk__in=ids).count() != len(ids):
        raise NotRegistered(_("A worker is not a registered returning worker of this township: register the worker first."))
    with transaction.atomic():
        held = HealthVoucher.objects.filter(registration__in=ids).select_related("registration").first()
        if held is not None:
            raise ActionRefused(
                _("%(name)s already holds voucher %(code)s.") % {"name": held.registration.masked_name, "code": held.code},
                ActionRefused.CONFLICT,
            )
        now = clock.now()
        vouchers = [HealthVoucher(township=township, registration=r, issued_at=now, issued_by=actor, expires_on=expires_on) for r in registrations]
        vouchers = insert_all(HealthVoucher, vouchers, batch_size=500, conflict=_("A worker already holds a voucher."),
                              reread=lambda: HealthVoucher.objects.filter(registration__in=ids))
        record_many(vouchers, actor=actor, action="create", state=HealthVoucher.Status.ISSUED)
    return vouchers


def issue_voucher(actor, registration, *, expires_on=None):
    return issue_vouchers(actor, [registration], expires_on=expires_on)[0]


def find_voucher(code):
    """The voucher of a scanned code (public: the code is the bearer's secret), or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return HealthVoucher.objects.select_related("registration", "township", "clinic").filter(code=code).first()


def redeem_voucher(voucher, actor):
    """A listed clinic redeems the voucher, once: a second scan, another township's clinic or an expired voucher
    is refused and the first redemption is kept."""
    clinic = clinic_of(actor)
    if actor is None or actor.role != Role.CLINIC or clinic is None:
        raise ActionRefused(_("Only a clinic can redeem a voucher."), ActionRefused.FORBIDDEN)
    with transaction.atomic():
        locked = HealthVoucher.objects.select_for_update(of=("self",)).select_related("township", "clinic").get(pk=voucher.pk)
        if not clinic.active or clinic.township_id != locked.township_id:
            raise ActionRefused(
                _("%(clinic)s is not a clinic %(township)s lists for its vouchers.") % {"clinic": clinic, "township": locked.township},
                ActionRefused.FORBIDDEN,
            )
        if locked.status == HealthVoucher.Status.REDEEMED:
            raise ActionRefused(
                _("Already redeemed at %(clinic)s on %(when)s.")
                % {"clinic": locked.clinic, "when": timezone.localtime(locked.redeemed_at).strftime("%Y-%m-%d %H:%M")},
                ActionRefused.CONFLICT,
            )
        if locked.status == HealthVoucher.Status.ISSUED and locked.expires_on < clock.today():
            raise ActionRefused(_("This voucher expired on %(day)s.") % {"day": locked.expires_on.isoformat()}, ActionRefused.CONFLICT)

        def apply(row):
            row.clinic, row.redeemed_at, row.redeemed_by = clinic, clock.now(), actor

        return transition(locked, actor=actor, action="redeem", comment=str(clinic), apply=apply)


def void_voucher(voucher, actor, reason):
    reason = _text(reason, _("Give a reason."))
    return transition(voucher, actor=actor, action="void", comment=reason)


# --- car runs, stations, shopping runs -----------------------------------------------------------------------


@transaction.atomic
def log_car_run(actor, *, run_date, origin, destination, people, driver, plate="", note=""):
    township = _township_of_actor(actor)
    run = CarRun(township=township, run_date=run_date, origin=(origin or "").strip(), destination=(destination or "").strip(),
                 people=people, driver=(driver or "").strip(), plate=normalize_plate(plate or ""), note=note, arranged_by=actor,
                 created_at=clock.now())
    _require(actor, "create", run)
    if run_date and run_date > clock.today():
        raise ActionRefused(_("A run cannot be logged before it happens."), ActionRefused.INVALID)
    return _save_new(run, actor, exclude=["township", "arranged_by"])


@transaction.atomic
def open_station(actor, *, name, place, hours, services):
    township = _township_of_actor(actor)
    station = ServiceStation(township=township, name=(name or "").strip(), place=place, hours=hours, services=services, created_by=actor,
                             created_at=clock.now())
    _require(actor, "create", station)
    return _save_new(station, actor, exclude=["township", "created_by"], duplicate=_("%(township)s already has a station of this name."))


@transaction.atomic
def log_shopping_run(actor, *, run_date, items, runner, for_enterprise=None, for_household="", station=None):
    township = _township_of_actor(actor)
    if station is not None and station.township_id != township.pk:
        raise ActionRefused(_("The station is not this township's."), ActionRefused.INVALID)
    if for_enterprise is None and not (for_household or "").strip():
        raise ActionRefused(_("Say for which firm or household."), ActionRefused.INVALID)
    run = ShoppingRun(township=township, station=station, run_date=run_date, for_enterprise=for_enterprise,
                      for_household=(for_household or "").strip(), items=_text(items, _("Say what was bought.")),
                      runner=(runner or "").strip(), created_by=actor, created_at=clock.now())
    _require(actor, "create", run)
    if run_date and run_date > clock.today():
        raise ActionRefused(_("A run cannot be logged before it happens."), ActionRefused.INVALID)
    return _save_new(run, actor, exclude=["township", "created_by", "station", "for_enterprise"])


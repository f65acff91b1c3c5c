"""The townships' own programmes (issue 15): work lists with responsible units and people and the district's
inspection findings on them; the 24-hour guidance hotline; temporary lodgings and their occupants; health-check
vouchers redeemed by clinics; car runs; service stations and party members' shopping runs.

Every row belongs to one township (a work list may be a community group's or a village's within it). Township
staff see their own township's rows, the district office all of them; clinics see the vouchers redeemed at their
clinic. Every change goes through ``programmes.services``.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from fuyang_portal import clock
from fuyang_portal.identity import mask_name
from fuyang_portal.links import key_url
from fuyang_portal.uploads import FileCheck, PrivateUploadTo, get_private_storage
from fuyang_portal.roles import Role
from fuyang_portal.validators import validate_mobile, validate_plate
from fuyang_portal.visibility import ScopedQuerySet, closed

PHOTO_KINDS = ("jpeg", "png")
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# A returning worker's observation lasts 14 days from arrival at the lodging (the 2020 rule).
OBSERVATION_DAYS = 14
VOUCHER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_voucher_code():
    return "JK" + "".join(secrets.choice(VOUCHER_ALPHABET) for _ in range(14))


# --- scoping -------------------------------------------------------------------------------------------------


class TownshipRowsQuerySet(ScopedQuerySet):
    """Rows of one township's programme (``township_field``): its staff and the district office see them;
    agencies, specialists and firms have no part in them unless a model says otherwise."""

    township_field = "township"

    def scope_township(self, user):
        return self.filter(**{f"{self.township_field}_id": user.township_id})

    scope_agency = scope_specialist = scope_enterprise = closed


# --- clinics -------------------------------------------------------------------------------------------------


class ClinicQuerySet(TownshipRowsQuerySet):
    def scope_clinic(self, user):
        return self.filter(accounts__user_id=user.pk)


class Clinic(models.Model):
    """A clinic (体检机构) a township names for its health-check vouchers: its vouchers are redeemable there only."""

    township = models.ForeignKey(
        "fuyang_portal.Township", on_delete=models.PROTECT, related_name="clinics", verbose_name=_("named by township")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="clinic_unique_name_in_township")]

    def __str__(self):
        return self.name


class ClinicAccountQuerySet(TownshipRowsQuerySet):
    township_field = "clinic__township"

    def scope_township(self, user):
        return self.filter(clinic__township_id=user.township_id)

    def scope_clinic(self, user):
        return self.filter(user_id=user.pk)


class ClinicAccount(models.Model):
    """The clinic a clinic account acts for (kept here: the core knows no app)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="clinic_account", verbose_name=_("account")
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("clinic"))

    objects = ClinicAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("clinic account")
        verbose_name_plural = _("clinic accounts")

    def __str__(self):
        return f"{self.user} · {self.clinic}"


def clinic_of(user):
    """The Clinic a clinic account acts for, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or user.role != Role.CLINIC:
        return None
    account = ClinicAccount.objects.select_related("clinic__township").filter(user_id=user.pk).first()
    return account.clinic if account else None


# --- work lists ----------------------------------------------------------------------------------------------


class WorkListQuerySet(TownshipRowsQuerySet):
    def scope_agency(self, user):
        # A community-agency group's list is its agency's too (组团捆绑).
        return self.filter(community__group__agency_id=user.agency_id)


class WorkList(models.Model):
    """A township's (or one of its community groups' or villages') list of concrete tasks against the contest's
    indicators (新登镇's 23-item 工作清单)."""

    township = models.ForeignKey(
        "fuyang_portal.Township", on_delete=models.PROTECT, related_name="work_lists", verbose_name=_("township")
    )
    community = models.ForeignKey(
        "fuyang_portal.Community", on_delete=models.PROTECT, null=True, blank=True, related_name="work_lists",
        verbose_name=_("community group"),
    )
    village = models.ForeignKey(
        "fuyang_portal.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="work_lists", verbose_name=_("village")
    )
    title = models.CharField(_("title"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = WorkListQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "pk"]
        verbose_name = _("work list")
        verbose_name_plural = _("work lists")
        constraints = [
            models.CheckConstraint(
                name="work_list_one_unit",
                condition=Q(community__isnull=True) | Q(village__isnull=True),
                violation_error_message=_("A list belongs to a community group or a village, not both."),
            ),
        ]

    def __str__(self):
        unit = self.community or self.village or self.township
        return f"{unit} · {self.title}"

    @property
    def unit_name(self):
        """The township's name, then the village's or community group's (as a list's rows read them with the list:
        str() of the place would read its township again)."""
        place = self.community or self.village
        return f"{self.township.name}·{place.name}" if place else self.township.name

    def get_absolute_url(self):
        return key_url("programmes:work-list", self.pk)

    def clean(self):
        from django.core.exceptions import ValidationError

        for place in (self.community, self.village):
            if place is not None and self.township_id and place.township_id != self.township_id:
                raise ValidationError(_("The community or village is not in this township."))


class Category(models.TextChoices):
    CHECKPOINT = "checkpoint", _("Checkpoints")
    REPORTING = "reporting", _("Information reporting")
    INSPECTION = "inspection", _("Inspection and supervision")
    INNOVATION = "innovation", _("Service innovation")


class WorkItemQuerySet(WorkListQuerySet):
    township_field = "work_list__township"

    def scope_agency(self, user):
        return self.filter(work_list__community__group__agency_id=user.agency_id)


class WorkItem(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    work_list = models.ForeignKey(WorkList, on_delete=models.CASCADE, related_name="items", verbose_name=_("work list"))
    number = models.PositiveSmallIntegerField(_("no."), validators=[MinValueValidator(1), MaxValueValidator(999)])
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    indicator_code = models.SlugField(_("contest indicator"), max_length=40, help_text=_("The contest indicator this item serves."))
    title = models.CharField(_("task"), max_length=200)
    responsible_unit = models.CharField(_("responsible unit"), max_length=60)
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_items", verbose_name=_("responsible person")
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.TODO, db_index=True)
    last_update_at = models.DateTimeField(_("last update"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        ordering = ["work_list", "number"]
        verbose_name = _("work-list item")
        verbose_name_plural = _("work-list items")
        constraints = [models.UniqueConstraint(fields=["work_list", "number"], name="work_item_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return key_url("programmes:item", self.pk)

    @property
    def overdue(self):
        return self.status != self.Status.DONE and self.deadline < clock.today()


class ItemUpdateQuerySet(WorkItemQuerySet):
    township_field = "item__work_list__township"

    def scope_agency(self, user):
        return self.filter(item__work_list__community__group__agency_id=user.agency_id)


class ItemUpdate(models.Model):
    """A status update on a work-list item: what was done, with a photo as evidence."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="updates", verbose_name=_("item"))
    note = models.TextField(_("what was done"))
    photo = models.FileField(
        _("photo"),
        storage=get_private_storage,
        upload_to=PrivateUploadTo("programmes/evidence"),
        validators=[FileCheck(PHOTO_KINDS, max_bytes=PHOTO_MAX_BYTES)],
        blank=True,
    )
    status_after = models.CharField(_("status after"), max_length=12, choices=WorkItem.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=clock.now, db_index=True)

    objects = ItemUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("work-list update")
        verbose_name_plural = _("work-list updates")

    def __str__(self):
        return f"{self.item} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.item.get_absolute_url()


class FindingQuerySet(ItemUpdateQuerySet):
    pass


class Finding(models.Model):
    """The district's inspection (督查) of a work-list item: passed, or problems found with points deducted and a
    rectification deadline, later rectified. The unit's weekly inspection score is computed from these
    (programmes.metrics)."""

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        PROBLEMS = "problems", _("Problems found")

    class Status(models.TextChoices):
        PASSED = "passed", _("Passed")
        OPEN = "open", _("To be rectified")
        RECTIFIED = "rectified", _("Rectified")

    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="findings", verbose_name=_("item"))
    inspected_on = models.DateField(_("inspected on"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    points = models.PositiveSmallIntegerField(
        _("points deducted"), default=0, validators=[MaxValueValidator(10)],
        help_text=_("0 when passed; 1 to 10 when problems were found."),
    )
    description = models.TextField(_("findings"), blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectification_note = models.TextField(_("rectification checked"), blank=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector"))
    created_at = models.DateTimeField(_("recorded"), default=clock.now)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        constraints = [
            models.CheckConstraint(
                name="finding_passed_deducts_nothing",
                condition=~Q(outcome="passed") | Q(points=0, rectify_by__isnull=True),
                violation_error_message=_("A passed inspection deducts no points and needs no rectification."),
            ),
            models.CheckConstraint(
                name="finding_problems_have_deadline",
                condition=~Q(outcome="problems") | (Q(points__gte=1, points__lte=10) & Q(rectify_by__isnull=False)),
                violation_error_message=_("Problems found need 1 to 10 points and a rectification deadline."),
            ),
            models.CheckConstraint(
                name="finding_rectify_after_inspection",
                condition=Q(rectify_by__isnull=True) | Q(rectify_by__gte=models.F("inspected_on")),
                violation_error_message=_("The rectification deadline cannot be before the inspection."),
            ),
        ]

    def __str__(self):
        return _("Inspection of %(item)s on %(day)s") % {"item": self.item, "day": self.inspected_on.isoformat()}

    def get_absolute_url(self):
        return key_url("programmes:finding", self.pk)

    @property
    def late(self):
        """Not rectified by its deadline (by the business clock)."""
        if self.outcome != self.Outcome.PROBLEMS:
            return False
        if self.rectified_on is not None:
            return self.rectified_on > self.rectify_by
        return self.rectify_by < clock.today()


# --- the guidance hotline ------------------------------------------------------------------------------------


class Topic(models.TextChoices):
    RESUMPTION = "resumption", _("Resumption of work")
    PASSES = "passes", _("Passes")
    PREVENTION = "prevention", _("Epidemic prevention")
    WORKERS = "workers", _("Returning workers and lodging")
    LABOUR = "labour", _("Hiring")
    POLICY = "policy", _("Relief and subsidies")
    OTHER = "other", _("Other")


class HotlineCallQuerySet(TownshipRowsQuerySet):
    def scope_specialist(self, user):
        # A specialist sees the calls of the firms they serve (to raise a call as a problem).
        return self.filter(caller_enterprise__in=Enterprise.objects.all().scope_specialist(user))

    def scope_enterprise(self, user):
        return self.filter(caller_enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class HotlineCall(models.Model):
    """A call to a township's 24-hour guidance hotline (指导热线)."""

    class Status(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        FOLLOW_UP = "follow_up", _("Follow-up needed")
        RAISED = "raised", _("Raised as a problem")

    township = models.ForeignKey(
        "fuyang_portal.Township", on_delete=models.PROTECT, related_name="hotline_calls", verbose_name=_("township")
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    caller_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="hotline_calls", verbose_name=_("calling firm")
    )
    caller_name = models.CharField(_("caller"), max_length=50)
    caller_mobile = models.CharField(_("caller's mobile"), max_length=11, blank=True, validators=[validate_mobile])
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer given"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    responded_at = models.DateTimeField(_("caller answered at"), null=True, blank=True)
    response_minutes = models.PositiveIntegerField(_("minutes to answer"), null=True, blank=True)
    problem = models.OneToOneField(
        "specialists.Problem", on_delete=models.PROTECT, null=True, blank=True, related_name="hotline_call", verbose_name=_("problem")
    )
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by"))
    created_at = models.DateTimeField(_("logged"), default=clock.now)

    objects = HotlineCallQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        constraints = [
            models.CheckConstraint(
                name="hotline_raised_has_problem",
                condition=~Q(status="raised") | Q(problem__isnull=False),
                violation_error_message=_("A call raised as a problem names its problem."),
            ),
        ]

    def __str__(self):
        return _("Hotline call %(id)s · %(caller)s") % {"id": self.pk, "caller": self.caller_display}

    def get_absolute_url(self):
        return key_url("programmes:call", self.pk)

    @property
    def caller_display(self):
        return self.caller_enterprise.name if self.caller_enterprise_id else mask_name(self.caller_name)


class HotlineCoverage(models.Model):
    """Hours the hotline was staffed on one day (24 for a round-the-clock line)."""

    township = models.ForeignKey(
        "fuyang_portal.Township", on_delete=models.PROTECT, related_name="hotline_coverage", verbose_name=_("township")
    )
    day = models.DateField(_("day"), db_index=True)
    hours = models.PositiveSmallIntegerField(_("hours covered"), validators=[MaxValueValidator(24)])
    staff = models.PositiveSmallIntegerField(_("staff on duty"), default=1, validators=[MinValueValidator(1), MaxValueValidator(200)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    objects = TownshipRowsQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "township__sort_order"]
        verbose_name = _("hotline coverage")
        verbose_name_plural = _("hotline coverage")
        constraints = [
            models.UniqueConstraint(fields=["township", "day"], name="hotline_coverage_one_per_day"),
            models.CheckConstraint(name="hotline_hours_0_24", condition=Q(hours__lte=24)),
        ]

    def __str__(self):
        return f"{self.township} · {self.day.isoformat()} · {self.hours}h"


# --- lodgings ------------------------------------------------------------------------------------------------


class Lodging(models.Model):
    """A temporary lodging (临时住所) a township arranged for returning workers."""

    class Kind(models.TextChoices):
        HOTEL = "hotel", _("Hotel")
        DORMITORY = "dormitory", _("Dormitory")
        REQUISITIONED = "requisitioned", _("Requisitioned housing")

    township = models.ForeignKey("fuyang_portal.Township", on_delete=models.PROTECT, related_name="lodgings", verbose_name=_("township"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), validators=[MinValueValidator(1), MaxValueValidator(2000)])
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("arranged by")
    )
    created_at = models.DateTimeField(_("arranged"), default=clock.now)

    objects = TownshipRowsQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "name", "pk"]
        verbose_name = _("temporary lodging")
        verbose_name_plural = _("temporary lodgings")
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="lodging_unique_name_in_township"),
            models.CheckConstraint(name="lodging_capacity_positive", condition=Q(capacity__gte=1)),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return key_url("programmes:lodging", self.pk)


class OccupancyQuerySet(TownshipRowsQuerySet):
    township_field = "lodging__township"

    def staying_on(self, day):
        return self.filter(check_in__lte=day).filter(Q(check_out__isnull=True) | Q(check_out__gt=day))


class Occupancy(models.Model):
    """A registered returning worker staying at a lodging, with the end of the 14-day observation."""

    class Status(models.TextChoices):
        STAYING = "staying", _("Staying")
        LEFT = "left", _("Checked out")

    lodging = models.ForeignKey(Lodging, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("lodging"))
    registration = models.ForeignKey(
        "subsidies.WorkerRegistration", on_delete=models.PROTECT, related_name="lodging_stays", verbose_name=_("registered worker")
    )
    check_in = models.DateField(_("checked in"), db_index=True)
    check_out = models.DateField(_("checked out"), null=True, blank=True)
    observation_end = models.DateField(_("observation ends"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.STAYING, db_index=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked in by"))

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        ordering = ["-check_in", "-pk"]
        verbose_name = _("lodging occupant")
        verbose_name_plural = _("lodging occupants")
        constraints = [
            models.UniqueConstraint(fields=["registration"], condition=Q(status="staying"), name="occupancy_one_stay_at_a_time"),
            models.CheckConstraint(
                name="occupancy_out_after_in",
                condition=Q(check_out__isnull=True) | Q(check_out__gte=models.F("check_in")),
                violation_error_message=_("The check-out date cannot be before the check-in date."),
            ),
        ]

    def __str__(self):
        return f"{self.registration.masked_name} · {self.lodging}"

    def get_absolute_url(self):
        return self.lodging.get_absolute_url()

    @staticmethod
    def observation_end_for(check_in):
        return check_in + timedelta(days=OBSERVATION_DAYS)


# --- health-check vouchers -----------------------------------------------------------------------------------


class VoucherQuerySet(TownshipRowsQuerySet):
    def scope_clinic(self, user):
        # A clinic sees the vouchers redeemed there; a voucher presented to it is found by its code.
        return self.filter(clinic__accounts__user_id=user.pk)


class HealthVoucher(models.Model):
    """A free health-check voucher (健康券) given to a registered returning worker; redeemed once at a clinic the
    issuing township lists, before it expires."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REDEEMED = "redeemed", _("Redeemed")
        VOID = "void", _("Cancelled")

    code = models.CharField(_("voucher code"), max_length=16, unique=True, default=new_voucher_code, editable=False)
    township = models.ForeignKey("fuyang_portal.Township", on_delete=models.PROTECT, related_name="health_vouchers", verbose_name=_("township"))
    registration = models.OneToOneField(
        "subsidies.WorkerRegistration", on_delete=models.PROTECT, related_name="health_voucher", verbose_name=_("registered worker")
    )
    issued_at = models.DateTimeField(_("issued"), default=clock.now, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    expires_on = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED, db_index=True)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="vouchers", verbose_name=_("redeemed at")
    )
    redeemed_at = models.DateTimeField(_("redeemed"), null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("redeemed by")
    )

    objects = VoucherQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("health-check voucher")
        verbose_name_plural = _("health-check vouchers")
        constraints = [
            models.CheckConstraint(
                name="voucher_redeemed_has_clinic",
                condition=~Q(status="redeemed") | Q(clinic__isnull=False, redeemed_at__isnull=False),
                violation_error_message=_("A redeemed voucher names its clinic."),
            ),
        ]

    def __str__(self):
        return _("Voucher %(code)s · %(name)s") % {"code": self.code, "name": self.registration.masked_name}

    def get_absolute_url(self):
        return key_url("programmes:voucher", self.pk)

    @property
    def expired(self):
        return self.status == self.Status.ISSUED and self.expires_on < clock.today()


# --- car runs, stations, shopping runs -----------------------------------------------------------------------


class CarRun(models.Model):
    """A run of the township's car bringing returning people (专车接送)."""

    township = models.ForeignKey("fuyang_portal.Township", on_delete=models.PROTECT, related_name="car_runs", verbose_name=_("township"))
    run_date = models.DateField(_("date"), db_index=True)
    origin = models.CharField(_("from"), max_length=100)
    destination = models.CharField(_("to"), max_length=100)
    people = models.PositiveSmallIntegerField(_("people carried"), validators=[MinValueValidator(1), MaxValueValidator(60)])
    driver = models.CharField(_("driver"), max_length=50)
    plate = models.CharField(_("licence plate"), max_length=10, blank=True, validators=[validate_plate])
    note = models.CharField(_("note"), max_length=200, blank=True)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("arranged by"))
    created_at = models.DateTimeField(_("logged"), default=clock.now)

    objects = TownshipRowsQuerySet.as_manager()

    class Meta:
        ordering = ["-run_date", "-pk"]
        verbose_name = _("car run")
        verbose_name_plural = _("car runs")
        constraints = [models.CheckConstraint(name="car_run_people_positive", condition=Q(people__gte=1))]

    def __str__(self):
        return f"{self.run_date.isoformat()} {self.origin} → {self.destination}"

    def get_absolute_url(self):
        return reverse("programmes:car-runs") + f"?township={self.township_id}"


class ServiceStation(models.Model):
    """A service station (服务驿站): a place where firms and households get help."""

    township = models.ForeignKey("fuyang_portal.Township", on_delete=models.PROTECT, related_name="service_stations", verbose_name=_("township"))
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("place"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=60)
    services = models.TextField(_("services offered"))
    active = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    created_at = models.DateTimeField(_("opened"), default=clock.now)

    objects = TownshipRowsQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "name"]
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="station_unique_name_in_township")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:stations") + f"?township={self.township_id}"


class ShoppingRun(models.Model):
    """A party member's shopping run (党员代购) for a firm or a household under observation."""

    township = models.ForeignKey("fuyang_portal.Township", on_delete=models.PROTECT, related_name="shopping_runs", verbose_name=_("township"))
    station = models.ForeignKey(
        ServiceStation, on_delete=models.PROTECT, null=True, blank=True, related_name="shopping_runs", verbose_name=_("service station")
    )
    run_date = models.DateField(_("date"), db_index=True)
    for_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="shopping_runs", verbose_name=_("for firm")
    )
    for_household = models.CharField(_("for household"), max_length=100, blank=True)
    items = models.TextField(_("what was bought"))
    runner = models.CharField(_("party member"), max_length=50)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by"))
    created_at = models.DateTimeField(_("logged"), default=clock.now)

    objects = TownshipRowsQuerySet.as_manager()

    class Meta:
        ordering = ["-run_date", "-pk"]
        verbose_name = _("shopping run")
        verbose_name_plural = _("shopping runs")
        constraints = [
            models.CheckConstraint(
                name="shopping_run_for_someone",
                condition=Q(for_enterprise__isnull=False) | ~Q(for_household=""),
                violation_error_message=_("Say for which firm or household."),
            ),
        ]

    def __str__(self):
        return f"{self.run_date.isoformat()} · {self.beneficiary}"

    def get_absolute_url(self):
        return reverse("programmes:shopping-runs") + f"?township={self.township_id}"

    @property
    def beneficiary(self):
        return self.for_enterprise.name if self.for_enterprise_id else self.for_household

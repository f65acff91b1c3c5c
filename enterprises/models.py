"""The firms of the district."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from fuyang_portal import clock
from fuyang_portal.batches import FactsInBatches, rows_for
from fuyang_portal.fields import ClockUpdatedField
from fuyang_portal.identity import EncryptedTextField, lookup_hash, mask_id, mask_name
from fuyang_portal.links import key_url
from fuyang_portal.uploads import DOCUMENT_KINDS, FileCheck, PrivateUploadTo, get_private_storage
from fuyang_portal.validators import normalize_resident_id, validate_credit_code, validate_mobile, validate_plate
from fuyang_portal.visibility import ReferenceQuerySet, ScopedQuerySet, closed


class WithTagNames(FactsInBatches):
    """Firms with ``tag_names`` (their tags' names in the tags' order), read for every 2,000 firms in one statement
    on the link table, the names from the process's reference list: a list's page (and an export) needs the names
    only, not a prefetch building a queryset per firm."""

    def add_facts(self, firms):
        from fuyang_portal import reference

        tags = reference.rows(EnterpriseTag.objects.all())
        position, names = {tag.pk: index for index, tag in enumerate(tags)}, {tag.pk: tag.name for tag in tags}
        links = rows_for(Enterprise.tags.through, ("enterprise", "enterprisetag"), "enterprise", [firm.pk for firm in firms], using=self.queryset.db)
        found = {}
        for firm_id, tag_id in links:
            found.setdefault(firm_id, []).append(tag_id)
        for firm in firms:
            tag_ids = sorted(found.get(firm.pk, ()), key=lambda tag_id: position.get(tag_id, len(position)))
            firm.tag_names = [names.get(tag_id) or str(EnterpriseTag.objects.get(pk=tag_id)) for tag_id in tag_ids]
        return firms


class EnterpriseQuerySet(ScopedQuerySet):
    def with_tag_names(self):
        """Each firm with ``tag_names`` (WithTagNames)."""
        clone = self._chain()
        clone._iterable_class = WithTagNames
        return clone

    def scope_township(self, user):
        return self.filter(township_id=user.township_id)

    def scope_agency(self, user):
        # An agency follows the firms of the township it is bound to (组团捆绑).
        return self.filter(township__paired_agencies=user.agency_id)

    def scope_specialist(self, user):
        # Specialists see the firms actively assigned to them (specialists.Assignment, related_name
        # "specialist_assignments"), today by the business clock.
        today = clock.today()
        mine = self.model._base_manager.filter(
            Q(specialist_assignments__specialist__user_id=user.pk, specialist_assignments__starts_on__lte=today)
            & (Q(specialist_assignments__ends_on__isnull=True) | Q(specialist_assignments__ends_on__gte=today))
        )
        return self.filter(pk__in=mine.values("pk"))

    def scope_enterprise(self, user):
        return self.filter(pk=user.enterprise_id)

    def resumed_as_of(self, moment):
        """Firms with a resumption request approved before ``moment`` (an aware datetime): one query."""
        return self.filter(Exists(ResumptionRequest.objects.approved_before(moment).filter(enterprise=OuterRef("pk"))))

    def resumed_by_end_of(self, day):
        """Firms resumed by the end of ``day`` (a date, Beijing time)."""
        from fuyang_portal.metrics import period_bounds

        return self.resumed_as_of(period_bounds(day, day)[1])

    def with_resumed(self, moment):
        """Annotate ``resumed`` (bool) as of ``moment``, from the firm's own ``resumed_at``: a column of the row,
        not a subquery over every approved request (the firm list and the API's)."""
        return self.annotate(resumed=Case(When(resumed_at__lt=moment, then=Value(True)), default=Value(False)))

    def resumed_filter(self, resumed, moment):
        """The firms resumed (``resumed`` True) or not yet resumed as of ``moment``, by ``resumed_at``."""
        before = Q(resumed_at__lt=moment)
        return self.filter(before) if resumed else self.exclude(before)  # exclude: the never resumed (NULL) too

    def mark_resumed(self, moment):
        """Record ``moment`` as these firms' resumption (the approval services call it with the approval's time)."""
        return self.update(resumed_at=moment)


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类): the letter is stored, the section's name is shown."""

    A = "A", pgettext_lazy("industry", "Agriculture, forestry, animal husbandry and fishery")
    B = "B", pgettext_lazy("industry", "Mining")
    C = "C", pgettext_lazy("industry", "Manufacturing")
    D = "D", pgettext_lazy("industry", "Production and supply of electricity, heat, gas and water")
    E = "E", pgettext_lazy("industry", "Construction")
    F = "F", pgettext_lazy("industry", "Wholesale and retail trade")
    G = "G", pgettext_lazy("industry", "Transport, storage and postal services")
    H = "H", pgettext_lazy("industry", "Accommodation and catering")
    I = "I", pgettext_lazy("industry", "Information transmission, software and information technology services")  # noqa: E741
    J = "J", pgettext_lazy("industry", "Finance")
    K = "K", pgettext_lazy("industry", "Real estate")
    L = "L", pgettext_lazy("industry", "Leasing and business services")
    M = "M", pgettext_lazy("industry", "Scientific research and technical services")
    N = "N", pgettext_lazy("industry", "Water conservancy, environment and public facilities management")
    O = "O", pgettext_lazy("industry", "Resident services, repair and other services")  # noqa: E741
    P = "P", pgettext_lazy("industry", "Education")
    Q = "Q", pgettext_lazy("industry", "Health and social work")
    R = "R", pgettext_lazy("industry", "Culture, sports and entertainment")
    S = "S", pgettext_lazy("industry", "Public administration, social security and social organisations")
    T = "T", pgettext_lazy("industry", "International organisations")


class Scale(models.TextChoices):
    ABOVE_SCALE = "above_scale", _("Above-scale industrial (规上工业)")
    SME = "sme", _("Small or medium enterprise (中小微)")
    INDIVIDUAL = "individual", _("Individual business (个体工商户)")


class EnterpriseTag(models.Model):
    """A label on firms (重点人才企业, 凤凰计划...): reference data every signed-in user reads."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("enterprise tag")
        verbose_name_plural = _("enterprise tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return key_url("enterprises:enterprise", self.pk)


class Enterprise(models.Model):
    """A firm of the district, found by its unified social credit code."""

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code])
    township = models.ForeignKey(
        "fuyang_portal.Township", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("township")
    )
    village = models.ForeignKey(
        "fuyang_portal.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises", verbose_name=_("village")
    )
    community = models.ForeignKey(
        "fuyang_portal.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("community"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, default=Industry.C)
    scale = models.CharField(_("scale"), max_length=12, choices=Scale.choices, db_index=True)
    tags = models.ManyToManyField(EnterpriseTag, blank=True, related_name="enterprises", verbose_name=_("tags"))
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True, validators=[validate_mobile])
    registered_headcount = models.PositiveIntegerField(_("registered headcount"), default=0)
    # When its resumption request was approved (a firm resumes once): written by the approval services in the
    # approval's transaction, so the firm list reads a column instead of searching the approved requests.
    resumed_at = models.DateTimeField(_("resumed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = ClockUpdatedField(_("updated"))

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["township", "scale"], name="enterprise_township_scale_idx"),
            # A township's firms by name, key last: the list's pages read their keys from here alone, however deep.
            models.Index(fields=["township", "name", "id"], name="enterprise_township_name_idx"),
        ]
        constraints = [
            # A firm sits in a village or in a community, not both.
            models.CheckConstraint(
                name="enterprise_one_locality",
                condition=Q(village__isnull=True) | Q(community__isnull=True),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return key_url("enterprises:enterprise", self.pk)

    def clean(self):
        # The village or community must lie in the firm's township (the form, the API, the import and the
        # demo all reach this through the registry service).
        errors = {}
        if self.village_id and self.community_id:
            errors["community"] = _("Choose a village or a community, not both.")
        for field in ("village", "community"):
            place = getattr(self, field) if getattr(self, f"{field}_id") else None
            if place is not None and self.township_id and place.township_id != self.township_id:
                errors[field] = _("%(place)s is not in %(township)s.") % {"place": place, "township": self.township}
        if errors:
            raise ValidationError(errors)


def _plan_field(label, folder):
    return models.FileField(
        label,
        storage=get_private_storage,
        upload_to=PrivateUploadTo(folder),
        validators=[FileCheck(DOCUMENT_KINDS)],
        max_length=200,
        blank=True,
        help_text=_("PDF, Word (DOCX), JPEG or PNG, at most 20 MB."),
    )


class ResumptionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")


AWAITING_REVIEW = (ResumptionStatus.SUBMITTED, ResumptionStatus.RESUBMITTED)


class FirmRowsQuerySet(ScopedQuerySet):
    """Rows that belong to a firm (``firm_field``): visible to whoever sees the firm. The one statement of
    that rule; a model narrows it per role (``scope_agency = closed``) or widens it (``super() | ...``)."""

    firm_field = "enterprise"

    def _firms(self, firms):
        return self.filter(**{f"{self.firm_field}__in": firms})

    def scope_township(self, user):
        return self.filter(**{f"{self.firm_field}__township_id": user.township_id})

    def scope_agency(self, user):
        return self._firms(Enterprise.objects.all().scope_agency(user))

    def scope_specialist(self, user):
        return self._firms(Enterprise.objects.all().scope_specialist(user))

    def scope_enterprise(self, user):
        return self.filter(**{f"{self.firm_field}_id": user.enterprise_id})


class ResumptionRequestQuerySet(FirmRowsQuerySet):
    def approved_before(self, moment):
        return self.filter(status=ResumptionStatus.APPROVED, approved_at__lt=moment)

    def awaiting_review(self):
        return self.filter(status__in=AWAITING_REVIEW)


class ResumptionRequest(models.Model):
    """A firm's request to resume work (复工申请), with its two plans."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="resumption_requests", verbose_name=_("enterprise")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ResumptionStatus.choices, default=ResumptionStatus.DRAFT, db_index=True
    )
    planned_date = models.DateField(_("planned resumption date"))
    staff_local = models.PositiveIntegerField(_("staff returning from within the province"), default=0)
    staff_outside = models.PositiveIntegerField(_("staff returning from outside the province"), default=0)
    masks = models.PositiveIntegerField(_("masks in stock"), default=0)
    thermometers = models.PositiveIntegerField(_("thermometers"), default=0)
    disinfectant_litres = models.PositiveIntegerField(_("disinfectant (litres)"), default=0)
    has_canteen = models.BooleanField(_("runs a canteen"), default=False)
    has_dormitory = models.BooleanField(_("runs a dormitory"), default=False)
    site_arrangements = models.TextField(
        _("site arrangements"), blank=True, help_text=_("Canteen seating, dormitory spacing, isolation room, entry checks.")
    )
    resumption_plan = _plan_field(_("resumption and production plan"), "resumption/plans")
    prevention_plan = _plan_field(_("epidemic prevention plan"), "resumption/prevention")
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reviewed by")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("filed by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = ClockUpdatedField(_("updated"))

    objects = ResumptionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("resumption request")
        verbose_name_plural = _("resumption requests")
        indexes = [models.Index(fields=["status", "submitted_at"], name="resumption_queue_idx")]
        constraints = [
            # A firm resumes once: at most one approved request.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status="approved"),
                name="resumption_one_approved_per_firm",
                violation_error_message=_("This firm already has an approved resumption request."),
            ),
            models.CheckConstraint(
                name="resumption_approved_has_time",
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
            ),
        ]

    def __str__(self):
        return _("Resumption request #%(pk)s · %(firm)s") % {"pk": self.pk, "firm": self.enterprise}

    def get_absolute_url(self):
        return key_url("enterprises:request", self.pk)

    @property
    def staff_total(self):
        return self.staff_local + self.staff_outside

    @property
    def has_both_plans(self):
        return bool(self.resumption_plan) and bool(self.prevention_plan)

    @property
    def is_editable(self):
        return self.status in (ResumptionStatus.DRAFT, ResumptionStatus.RETURNED)


class DailyReportQuerySet(FirmRowsQuerySet):
    def latest_per_firm(self, day=None):
        """Each firm's latest report up to ``day`` (inclusive), in one query."""
        qs = self
        if day is not None:
            qs = qs.filter(date__lte=day)
        newer = DailyReport.objects.filter(enterprise=OuterRef("enterprise"), date__gt=OuterRef("date"))
        if day is not None:
            newer = newer.filter(date__lte=day)
        return qs.filter(~Exists(newer))


class DailyReport(models.Model):
    """A firm's headcount and capacity on one day; at most one per firm per day."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="reports", verbose_name=_("enterprise"))
    date = models.DateField(_("date"), default=clock.today)
    staff_on_site = models.PositiveIntegerField(_("staff on site"))
    staff_away = models.PositiveIntegerField(_("staff still away"))
    capacity_percent = models.PositiveSmallIntegerField(
        _("capacity in use (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reported by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = DailyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "enterprise_id"]
        verbose_name = _("headcount report")
        verbose_name_plural = _("headcount reports")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "date"],
                name="report_one_per_firm_per_day",
                violation_error_message=_("This firm has already reported for this day."),
            ),
            models.CheckConstraint(name="report_capacity_percent", condition=Q(capacity_percent__lte=100)),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return key_url("enterprises:enterprise", self.enterprise_id) + "#reports"


class PassKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle pass")
    EMPLOYEE = "employee", _("Employee pass")


class PassStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


# A pass that blocks a second one for the same plate or person.
ACTIVE_PASS_STATES = (PassStatus.PENDING, PassStatus.ISSUED)


class VehicleType(models.TextChoices):
    CAR = "car", _("Car")
    VAN = "van", _("Van")
    TRUCK = "truck", _("Lorry")
    BUS = "bus", _("Bus or coach")
    OTHER = "other", _("Other")


class HealthCode(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


class PassQuerySet(FirmRowsQuerySet):
    # Passes hold personal data: the district, the firm's township and the firm itself.
    scope_agency = scope_specialist = closed

    def active(self):
        return self.filter(status__in=ACTIVE_PASS_STATES)


class Pass(models.Model):
    """A vehicle pass or an employee pass (通行证), filed by a firm and issued by its township."""

    kind = models.CharField(_("kind"), max_length=10, choices=PassKind.choices, db_index=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="passes", verbose_name=_("enterprise"))
    status = models.CharField(_("status"), max_length=10, choices=PassStatus.choices, default=PassStatus.PENDING, db_index=True)
    number = models.CharField(_("pass number"), max_length=20, unique=True, null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # Vehicle passes
    plate = models.CharField(_("licence plate"), max_length=10, blank=True, validators=[validate_plate])
    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices, blank=True)
    driver_name = models.CharField(_("driver"), max_length=30, blank=True)
    route = models.CharField(_("route"), max_length=200, blank=True)
    # Employee passes
    holder_name = models.CharField(_("name"), max_length=30, blank=True)
    id_number = EncryptedTextField(_("resident ID number"), blank=True)
    id_number_hash = models.CharField(_("ID lookup hash"), max_length=64, blank=True, db_index=True, editable=False)
    origin = models.CharField(_("coming from"), max_length=100, blank=True)
    health_code = models.CharField(_("health code"), max_length=6, choices=HealthCode.choices, blank=True)
    # Both
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    applied_at = models.DateTimeField(_("applied"), default=clock.now)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("filed by")
    )

    objects = PassQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        indexes = [models.Index(fields=["kind", "status", "issued_at"], name="pass_kind_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["plate"],
                condition=Q(kind="vehicle", status__in=["pending", "issued"]),
                name="pass_one_active_per_plate",
                violation_error_message=_("This vehicle already holds an active pass."),
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(kind="employee", status__in=["pending", "issued"]),
                name="pass_one_active_per_person",
                violation_error_message=_("This person already holds an active pass."),
            ),
            models.CheckConstraint(
                name="pass_kind_fields",
                condition=(Q(kind="vehicle") & ~Q(plate="")) | (Q(kind="employee") & ~Q(id_number_hash="") & ~Q(holder_name="")),
            ),
            models.CheckConstraint(name="pass_validity_order", condition=Q(valid_until__gte=F("valid_from"))),
            models.CheckConstraint(
                name="pass_issued_has_number",
                condition=~Q(status="issued") | (Q(number__isnull=False) & Q(issued_at__isnull=False)),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number or '#%s' % self.pk} · {self.holder_display}"

    def get_absolute_url(self):
        return key_url("enterprises:pass", self.pk)

    @property
    def holder_display(self):
        """The plate of a vehicle, or the masked name of a person."""
        return self.plate if self.kind == PassKind.VEHICLE else mask_name(self.holder_name)

    @property
    def masked_id(self):
        return mask_id(self.id_number) if self.id_number else ""

    def is_valid_on(self, day):
        return self.status == PassStatus.ISSUED and self.valid_from <= day <= self.valid_until

    def set_id_number(self, value):
        self.id_number = normalize_resident_id(value)
        self.id_number_hash = lookup_hash(value)


class EnterpriseExportQuerySet(ScopedQuerySet):
    """An export is private to the person who asked for it, whatever their role (the district office too);
    firms do not export the registry."""

    def _mine(self, user):
        return self.filter(requested_by_id=user.pk)

    scope_township = scope_agency = scope_specialist = _mine
    scope_enterprise = closed

    def visible_to(self, user):
        return super().visible_to(user).filter(requested_by_id=user.pk)


class EnterpriseExport(models.Model):
    """An xlsx file of firms, written by a Celery task in the background and downloaded when ready."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_exports", verbose_name=_("requested by")
    )
    query = models.CharField(_("filters"), max_length=500, blank=True, help_text=_("The firm list's filters, as in its address."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), storage=get_private_storage, upload_to=PrivateUploadTo("exports"), blank=True, max_length=200)
    created_at = models.DateTimeField(_("requested"), default=clock.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = EnterpriseExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("firm export")
        verbose_name_plural = _("firm exports")

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"

    def get_absolute_url(self):
        return key_url("enterprises:export", self.pk)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class FirmAccountQuerySet(FirmRowsQuerySet):
    """Accounts of a firm: its own colleagues, its township and the district office see them."""

    scope_agency = scope_specialist = closed


class FirmAccount(models.Model):
    """The firm an enterprise account acts for. Kept here, not on the user model: the core knows no app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="firm_account", verbose_name=_("account")
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("enterprise"))

    objects = FirmAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("firm account")
        verbose_name_plural = _("firm accounts")

    def __str__(self):
        return f"{self.user} · {self.enterprise}"

"""Worker return (来富工作一点通) and the bus-charter subsidy.

Workers (or their employer) register their return; the district office or the firm groups registrations
into charter trips; after a completed trip the firm files a subsidy claim, which the township checks,
the district office decides and finally pays in a payout batch. The rules (rate, window, caps, filing
deadline) live in a versioned policy record. Every state change goes through ``subsidies.services``.
"""

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.models import FirmRowsQuerySet
from fuyang_portal import clock
from fuyang_portal.identity import EncryptedTextField, mask_id, mask_name
from fuyang_portal.links import key_url
from fuyang_portal.uploads import IMAGE_KINDS, FileCheck, PrivateUploadTo, get_private_storage
from fuyang_portal.validators import validate_mobile, validate_plate, validate_resident_id
from fuyang_portal.visibility import PrivateQuerySet, ReferenceQuerySet, closed
from subsidies import regions

FEN = Decimal("0.01")
# The largest invoice a single charter bus could honestly carry (a 55-seat coach across China and back).
MAX_INVOICE_AMOUNT = Decimal("200000.00")
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

validate_invoice_number = RegexValidator(
    r"^(\d{8}|\d{20})$",
    _("An invoice number has 8 digits (paper VAT invoice) or 20 digits (digital invoice)."),
    code="invalid_invoice_number",
)
validate_bank_account = RegexValidator(
    r"^\d{8,30}$", _("A bank account number has 8 to 30 digits."), code="invalid_bank_account"
)


class CharterRowsQuerySet(FirmRowsQuerySet):
    """Rows of a firm's worker return and charter subsidy: the firm, its township and the district office see
    them; agencies and specialists have no part in the programme."""

    scope_agency = scope_specialist = closed


def validate_origin(province, county):
    """The origin of a worker or a bus: a known province, and a county of that province if one is given."""
    if not regions.is_province(province):
        raise ValidationError({"origin_province": _("Unknown province.")})
    if county and not regions.is_county(county):
        raise ValidationError({"origin_county": _("Unknown county.")})
    if county and regions.province_of(county) != province:
        raise ValidationError({"origin_county": _("The county is not in the province chosen.")})


class TravelMode(models.TextChoices):
    SELF_DRIVE = "self_drive", _("Self-drive")
    TRAIN = "train", _("Train")
    COACH = "coach", _("Scheduled coach")
    CHARTER = "charter", _("Needs a charter bus")


class HealthCode(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


def new_reference():
    return "LF" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


class RegistrationQuerySet(CharterRowsQuerySet):
    def not_on_trip(self):
        return self.filter(trip_seat__isnull=True)

    def needing_charter(self):
        return self.filter(travel_mode=TravelMode.CHARTER).not_on_trip()


class WorkerRegistration(models.Model):
    """A worker's intended return to a firm in the district (来富工作一点通)."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("Worker (public form)")
        ENTERPRISE = "enterprise", _("Employer")

    reference = models.CharField(_("reference number"), max_length=12, unique=True, default=new_reference, editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="worker_registrations", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("resident ID number"), validators=[validate_resident_id])
    id_number_hash = models.CharField(_("ID lookup hash"), max_length=64, db_index=True, editable=False)
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile], db_index=True)
    origin_province = models.CharField(_("province of origin"), max_length=6, db_index=True)
    origin_city = models.CharField(_("city of origin"), max_length=6, blank=True)
    origin_county = models.CharField(_("county of origin"), max_length=6, blank=True, db_index=True)
    return_date = models.DateField(_("intended return date"), db_index=True)
    travel_mode = models.CharField(_("travel mode"), max_length=12, choices=TravelMode.choices)
    health_code = models.CharField(_("health code"), max_length=8, choices=HealthCode.choices)
    source = models.CharField(_("registered by"), max_length=12, choices=Source.choices, default=Source.PUBLIC)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("registered at"), default=clock.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-return_date", "-pk"]
        verbose_name = _("worker-return registration")
        verbose_name_plural = _("worker-return registrations")
        indexes = [models.Index(fields=["enterprise", "return_date"], name="registration_firm_date_idx")]

    def __str__(self):
        return f"{self.reference} {mask_name(self.name)}"

    def get_absolute_url(self):
        return key_url("subsidies:registration", self.pk)

    def clean(self):
        validate_origin(self.origin_province, self.origin_county)

    @property
    def masked_id(self):
        return mask_id(self.id_number)

    @property
    def masked_name(self):
        return mask_name(self.name)

    @property
    def origin_display(self):
        return regions.full_name(self.origin_province, self.origin_county)

    @property
    def seat(self):
        try:
            return self.trip_seat
        except TripPassenger.DoesNotExist:
            return None

    @property
    def status_display(self):
        """Where the worker stands, read from the trip they are on (if any)."""
        seat = self.seat
        if seat is None:
            return _("Registered")
        trip = seat.trip
        if trip.status == CharterTrip.Status.COMPLETED:
            return _("Returned on a charter bus") if seat.travelled else _("Did not travel on the planned bus")
        if trip.status == CharterTrip.Status.PLANNED:
            return _("Seat on a charter bus leaving %(date)s") % {"date": trip.departure_date.isoformat()}
        return _("Registered")


class TripQuerySet(CharterRowsQuerySet):
    def counted(self):
        """Completed trips whose subsidy is paid or pending: every completed trip except a rejected claim's."""
        return self.filter(status=CharterTrip.Status.COMPLETED).exclude(claim__status=SubsidyClaim.Status.REJECTED)


class CharterTrip(models.Model):
    """A chartered bus bringing one firm's workers from one origin on one date."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="charter_trips", verbose_name=_("enterprise")
    )
    origin_province = models.CharField(_("province of origin"), max_length=6, db_index=True)
    origin_city = models.CharField(_("city of origin"), max_length=6, blank=True)
    origin_county = models.CharField(_("county of origin"), max_length=6, blank=True)
    departure_date = models.DateField(_("departure date"), db_index=True)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1), MaxValueValidator(80)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("planned by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = TripQuerySet.as_manager()

    class Meta:
        ordering = ["-departure_date", "-pk"]
        verbose_name = _("charter trip")
        verbose_name_plural = _("charter trips")
        constraints = [
            models.CheckConstraint(
                name="trip_arrives_after_departure",
                condition=Q(arrival_date__isnull=True) | Q(arrival_date__gte=models.F("departure_date")),
                violation_error_message=_("The arrival date cannot be before the departure date."),
            )
        ]

    def __str__(self):
        return _("Trip %(id)s: %(origin)s → %(firm)s, %(date)s") % {
            "id": self.pk,
            "origin": self.origin_display,
            "firm": self.enterprise.name,
            "date": self.departure_date.isoformat(),
        }

    def get_absolute_url(self):
        return key_url("subsidies:trip", self.pk)

    def clean(self):
        validate_origin(self.origin_province, self.origin_county)

    @property
    def origin_display(self):
        return regions.full_name(self.origin_province, self.origin_county)

    @property
    def last_day(self):
        return self.arrival_date or self.departure_date


class TripPassengerQuerySet(CharterRowsQuerySet):
    firm_field = "trip__enterprise"


class TripPassenger(models.Model):
    """A registered worker's seat on a trip; a registration holds at most one seat."""

    trip = models.ForeignKey(CharterTrip, on_delete=models.CASCADE, related_name="passengers", verbose_name=_("trip"))
    registration = models.OneToOneField(
        WorkerRegistration, on_delete=models.PROTECT, related_name="trip_seat", verbose_name=_("registration")
    )
    travelled = models.BooleanField(_("travelled"), default=False)

    objects = TripPassengerQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("trip passenger")
        verbose_name_plural = _("trip passengers")

    def __str__(self):
        return str(self.registration)


class PolicyQuerySet(ReferenceQuerySet):
    """The published rules, read by the firms and townships of the programme; only the district office
    revises them (subsidies.policies)."""

    scope_agency = scope_specialist = closed


DEFAULT_POLICY = {
    "rate": Decimal("0.500"),
    "window_start": date(2020, 2, 14),
    "window_end": None,
    "per_trip_cap": Decimal("20000.00"),
    "per_enterprise_cap": Decimal("100000.00"),
    "filing_days": 30,
}


class SubsidyPolicy(models.Model):
    """One version of the charter-subsidy rules. A revision adds a version; old versions are never changed."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    rate = models.DecimalField(
        _("subsidy rate"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the charter fee paid back, e.g. 0.5 for 50%."),
    )
    window_start = models.DateField(_("eligible from"))
    window_end = models.DateField(_("eligible until"), null=True, blank=True, help_text=_("Leave empty for no end."))
    per_trip_cap = models.DecimalField(_("cap per trip (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(FEN)])
    per_enterprise_cap = models.DecimalField(
        _("cap per enterprise (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(FEN)]
    )
    filing_days = models.PositiveSmallIntegerField(
        _("filing deadline (days after arrival)"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    note = models.CharField(_("reason for the change"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )
    created_at = models.DateTimeField(_("in force since"), default=clock.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        get_latest_by = "version"
        verbose_name = _("subsidy policy version")
        verbose_name_plural = _("subsidy policy versions")
        constraints = [
            models.CheckConstraint(
                name="policy_window_ordered",
                condition=Q(window_end__isnull=True) | Q(window_end__gte=models.F("window_start")),
                violation_error_message=_("The window cannot end before it starts."),
            )
        ]

    def __str__(self):
        return _("Policy v%(version)s") % {"version": self.version}

    @property
    def rate_percent(self):
        return (self.rate * 100).normalize()

    def covers(self, day):
        return day >= self.window_start and (self.window_end is None or day <= self.window_end)


class SubsidyClaim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting township check")
        TOWNSHIP_APPROVED = "township_ok", _("Township checked, awaiting district decision")
        RETURNED = "returned", _("Returned for correction")
        DISTRICT_APPROVED = "approved", _("Approved, awaiting payout")
        REJECTED = "rejected", _("Rejected")
        BATCHED = "batched", _("In a payout batch, awaiting transfer")
        PAID = "paid", _("Paid")

    # Claims whose subsidy counts against the firm's cap.
    COMMITTED = (Status.SUBMITTED, Status.TOWNSHIP_APPROVED, Status.DISTRICT_APPROVED, Status.BATCHED, Status.PAID)
    # Claims whose subsidy the district office has granted.
    GRANTED = (Status.DISTRICT_APPROVED, Status.BATCHED, Status.PAID)

    trip = models.OneToOneField(CharterTrip, on_delete=models.PROTECT, related_name="claim", verbose_name=_("trip"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="subsidy_claims", verbose_name=_("enterprise")
    )
    bus_company = models.CharField(_("bus company"), max_length=100)
    plate = models.CharField(_("licence plate"), max_length=10, validators=[validate_plate])
    departure_date = models.DateField(_("departure date"))
    arrival_date = models.DateField(_("arrival date"))
    origin_province = models.CharField(_("province of origin"), max_length=6)
    origin_county = models.CharField(_("county of origin"), max_length=6, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=20, unique=True, validators=[validate_invoice_number])
    invoice_amount = models.DecimalField(
        _("invoice amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(FEN), MaxValueValidator(MAX_INVOICE_AMOUNT)],
    )
    invoice_image = models.FileField(
        _("invoice image"),
        storage=get_private_storage,
        upload_to=PrivateUploadTo("subsidies/invoices"),
        validators=[FileCheck(IMAGE_KINDS, max_bytes=10 * 1024 * 1024)],
        blank=True,
    )
    payee_bank = models.CharField(_("bank"), max_length=100)
    payee_account = models.CharField(_("bank account number"), max_length=30, validators=[validate_bank_account])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    policy = models.ForeignKey(
        SubsidyPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="claims", verbose_name=_("policy version")
    )
    subsidy_amount = models.DecimalField(_("subsidy claimed (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    approved_amount = models.DecimalField(_("subsidy approved (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    findings = models.JSONField(_("pre-check findings"), default=list, blank=True)
    prechecked_at = models.DateTimeField(_("pre-checked at"), null=True, blank=True)
    review_comment = models.TextField(_("last review comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("filed by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = CharterRowsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("charter subsidy claim")
        verbose_name_plural = _("charter subsidy claims")
        indexes = [
            models.Index(fields=["plate", "departure_date"], name="claim_plate_date_idx"),
            # The review queue's order: a page's keys read from the index instead of sorting every claim.
            models.Index(fields=["-created_at", "-id"], name="claim_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="claim_amount_positive", condition=Q(invoice_amount__gt=0), violation_error_message=_("The amount must be positive.")
            ),
            models.CheckConstraint(
                name="claim_arrives_after_departure",
                condition=Q(arrival_date__gte=models.F("departure_date")),
                violation_error_message=_("The arrival date cannot be before the departure date."),
            ),
            models.CheckConstraint(
                name="claim_approved_within_claimed",
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__lte=models.F("subsidy_amount")),
                violation_error_message=_("The approved amount cannot exceed the amount claimed."),
            ),
        ]

    def __str__(self):
        return _("Claim %(id)s · %(firm)s · invoice %(invoice)s") % {
            "id": self.pk,
            "firm": self.enterprise.name,
            "invoice": self.invoice_number,
        }

    def get_absolute_url(self):
        return key_url("subsidies:claim", self.pk)

    @property
    def origin_display(self):
        return regions.full_name(self.origin_province, self.origin_county)

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class PayoutBatch(models.Model):
    """A bank transfer run of approved claims; paid once, with the bank's transfer reference."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting transfer")
        PAID = "paid", _("Paid")

    number = models.CharField(_("batch number"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    transfer_reference = models.CharField(_("bank transfer reference"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("marked paid by")
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        constraints = [
            models.UniqueConstraint(
                fields=["transfer_reference"], condition=~Q(transfer_reference=""), name="payout_transfer_reference_once"
            ),
            models.CheckConstraint(
                name="payout_paid_has_reference",
                condition=~Q(status="paid") | (~Q(transfer_reference="") & Q(paid_at__isnull=False)),
                violation_error_message=_("A paid batch needs its transfer reference."),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return key_url("subsidies:payout", self.pk)


class PayoutItemQuerySet(PrivateQuerySet):
    """The lines of the district office's bank transfers: its own, like the batches."""


class PayoutItem(models.Model):
    """One line of a batch: a charter claim, or another kind of money the district pays through the same batches
    (``source``: a record of an app that registered it with ``services.register_payable``, e.g. a policy award,
    with its payee and purpose copied for the bank file). A claim or a source is in one batch only."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="items", verbose_name=_("batch"))
    claim = models.OneToOneField(
        SubsidyClaim, on_delete=models.PROTECT, null=True, blank=True, related_name="payout_item", verbose_name=_("claim")
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kind of payment")
    )
    source_id = models.PositiveBigIntegerField(_("record paid"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    payee = models.CharField(_("payee"), max_length=100, blank=True)
    payee_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    payee_bank = models.CharField(_("bank"), max_length=100, blank=True)
    payee_account = models.CharField(_("bank account number"), max_length=30, blank=True)
    purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(FEN)])

    objects = PayoutItemQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("payout item")
        verbose_name_plural = _("payout items")
        constraints = [
            models.CheckConstraint(name="payout_item_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="payout_item_claim_or_source",
                condition=Q(claim__isnull=False, source_type__isnull=True, source_id__isnull=True)
                | Q(claim__isnull=True, source_type__isnull=False, source_id__isnull=False),
            ),
            models.UniqueConstraint(fields=["source_type", "source_id"], condition=Q(source_type__isnull=False), name="payout_item_source_once"),
        ]

    def __str__(self):
        return f"{self.batch} · {self.claim_id or self.reference}"

    # The line as the batch page shows it, whichever kind of money it is.
    @property
    def record(self):
        return self.claim if self.claim_id else self.source

    @property
    def line_label(self):
        return f"#{self.claim_id}" if self.claim_id else self.reference

    @property
    def payee_name(self):
        return self.claim.enterprise.name if self.claim_id else self.payee

    @property
    def bank(self):
        return self.claim.payee_bank if self.claim_id else self.payee_bank

    @property
    def account(self):
        return self.claim.payee_account if self.claim_id else self.payee_account

"""Relief policies that find the firm (惠企政策 · 免申即享).

A policy (issuing body, document number, area, mode) has versions; each version holds the eligibility rule
(declarative data over the firm's facts, relief.rules), the benefit formula, the validity window, the period
it pays for and the budget. A version is never edited: a revision adds one. Matching a published 免申即享
version writes a pending award to every eligible firm (one query per policy); the firm confirms its bank
account and the award is paid through the payout batches of the subsidies app (one payout mechanism). A
申请即享 policy is applied for with named documents, checked by the township and decided by the district office,
and its approval writes the award. An award found ineligible after payment gets a recovery record.
Every change goes through ``relief.services``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import FirmRowsQuerySet
from fuyang_portal import clock
from fuyang_portal.links import key_url
from fuyang_portal.uploads import DOCUMENT_KINDS, FileCheck, PrivateUploadTo, get_private_storage
from fuyang_portal.visibility import ScopedQuerySet, closed

FEN = Decimal("0.01")


class Area(models.TextChoices):
    CREDIT = "credit", _("Credit support")
    SOCIAL_INSURANCE = "social_insurance", _("Job retention and social insurance")
    TAX_FEES = "tax_fees", _("Tax and fee relief")
    RENT = "rent", _("Rent relief")
    EXPORT = "export", _("Export support")
    UTILITIES = "utilities", _("Utility costs")
    EMPLOYMENT = "employment", _("Hiring and worker return")
    PREVENTION = "prevention", _("Epidemic prevention costs")
    TALENT = "talent", _("Talent")
    OTHER = "other", _("Other")


class Mode(models.TextChoices):
    AUTO = "auto", _("Paid without application (免申即享)")
    APPLY = "apply", _("On application (申请即享)")


class PolicyQuerySet(ScopedQuerySet):
    """Published and withdrawn policies are public (the catalogue); drafts are the district office's."""

    def scope_township(self, user):
        return self.exclude(status=Policy.Status.DRAFT)

    scope_agency = scope_specialist = scope_enterprise = scope_township

    def published(self):
        return self.filter(status=Policy.Status.PUBLISHED)

    def in_force(self, day=None):
        """Published policies whose current version covers ``day`` (the business day by default)."""
        day = day or clock.today()
        return self.published().filter(
            Q(current_version__valid_from__lte=day), Q(current_version__valid_until__isnull=True) | Q(current_version__valid_until__gte=day)
        )


class Policy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuing body"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, db_index=True)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    current_version = models.ForeignKey(
        "relief.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("version in force")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    illustrative = models.BooleanField(
        _("illustrative figures"), default=False, help_text=_("The amounts and caps are plausible examples, not the published figures.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["issued_on", "code"]
        verbose_name = _("relief policy")
        verbose_name_plural = _("relief policies")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return key_url("relief:policy", self.pk)


class VersionQuerySet(PolicyQuerySet):
    def scope_township(self, user):
        return self.exclude(policy__status=Policy.Status.DRAFT)

    scope_agency = scope_specialist = scope_enterprise = scope_township


class PolicyVersion(models.Model):
    """One version of a policy's terms. Never edited: a revision adds a version."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions", verbose_name=_("policy"))
    number = models.PositiveIntegerField(_("version"))
    summary = models.TextField(_("benefit"), help_text=_("The benefit as the firm reads it."))
    rule = models.JSONField(
        _("eligibility rule"), default=dict, blank=True, help_text=_("Declarative conditions over the firm's facts; empty: every firm.")
    )
    benefit = models.JSONField(_("benefit formula"))
    period = models.CharField(_("period paid for"), max_length=20, help_text=_("e.g. 2020-02 or 2020Q1; one award per firm and period."))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(FEN)])
    documents = models.JSONField(_("documents to attach"), default=list, blank=True, help_text=_("For 申请即享: the names of the documents."))
    note = models.CharField(_("reason for the change"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "-number"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="relief_version_once"),
            models.CheckConstraint(
                name="relief_version_window_ordered",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                violation_error_message=_("The validity cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return _("%(policy)s v%(number)s") % {"policy": self.policy.title, "number": self.number}

    def get_absolute_url(self):
        return self.policy.get_absolute_url()

    def covers(self, day):
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class FirmBankAccount(models.Model):
    """The account a firm confirmed for its awards (the first confirmation asks for it)."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="relief_bank_account", verbose_name=_("enterprise")
    )
    bank = models.CharField(_("bank"), max_length=100)
    account_name = models.CharField(_("account holder"), max_length=100)
    account_number = models.CharField(_("bank account number"), max_length=30)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=clock.now)

    class Queryset(FirmRowsQuerySet):
        scope_agency = scope_specialist = closed

    objects = Queryset.as_manager()

    class Meta:
        verbose_name = _("bank account for awards")
        verbose_name_plural = _("bank accounts for awards")

    def __str__(self):
        return f"{self.bank} ···{self.account_number[-4:]}"

    def get_absolute_url(self):
        return reverse("relief:mine")


class AwardQuerySet(FirmRowsQuerySet):
    def live(self):
        return self.exclude(status=Award.Status.CANCELLED)

    def committed(self):
        """Awards that count against the policy's budget: confirmed, in a batch, paid (or being recovered)."""
        return self.filter(status__in=Award.COMMITTED)


class Award(models.Model):
    """What a firm receives from one policy version for one period."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the firm's confirmation")
        CONFIRMED = "confirmed", _("Confirmed, awaiting payout")
        BATCHED = "batched", _("In a payout batch, awaiting transfer")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")
        RECOVERY = "recovery", _("Paid, found ineligible: being recovered")

    COMMITTED = (Status.CONFIRMED, Status.BATCHED, Status.PAID, Status.RECOVERY)

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="awards", verbose_name=_("policy"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="awards", verbose_name=_("policy version"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="relief_awards", verbose_name=_("enterprise"))
    period = models.CharField(_("period"), max_length=20)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(FEN)])
    basis = models.JSONField(_("how it was computed"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    hold_reason = models.CharField(_("held because"), max_length=300, blank=True)
    run = models.CharField(_("matching run"), max_length=32, blank=True, db_index=True, editable=False)
    payee_bank = models.CharField(_("bank"), max_length=100, blank=True)
    payee_account = models.CharField(_("bank account number"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("awarded at"), default=clock.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, db_index=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("policy award")
        verbose_name_plural = _("policy awards")
        constraints = [
            # Two matchings at once write each award once.
            models.UniqueConstraint(fields=["enterprise", "version", "period"], name="relief_award_once_per_version_period"),
            models.CheckConstraint(name="relief_award_positive", condition=Q(amount__gt=0)),
        ]
        indexes = [
            models.Index(fields=["policy", "status"], name="relief_award_policy_status"),
            # The list's order: one matching writes thousands of awards at one moment, and the key breaks the tie.
            models.Index(fields=["-created_at", "-id"], name="relief_award_newest"),
        ]

    def __str__(self):
        return _("%(policy)s · %(firm)s · %(period)s") % {"policy": self.policy.title, "firm": self.enterprise.name, "period": self.period}

    def get_absolute_url(self):
        return key_url("relief:award", self.pk)

    @property
    def reference(self):
        return f"JL{self.pk:08d}"


class ApplicationQuerySet(FirmRowsQuerySet):
    scope_agency = closed


class Application(models.Model):
    """A firm's application under a 申请即享 policy, with the documents the version names."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting township check")
        TOWNSHIP_APPROVED = "township_ok", _("Township checked, awaiting district decision")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("policy"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="applications", verbose_name=_("policy version"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="relief_applications", verbose_name=_("enterprise")
    )
    period = models.CharField(_("period"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note from the firm"), blank=True)
    review_comment = models.TextField(_("last review comment"), blank=True)
    award = models.OneToOneField(Award, on_delete=models.PROTECT, null=True, blank=True, related_name="application", verbose_name=_("award"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("filed by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        constraints = [models.UniqueConstraint(fields=["enterprise", "version", "period"], name="relief_application_once")]
        indexes = [models.Index(fields=["-created_at", "-id"], name="relief_application_newest")]

    def __str__(self):
        return _("Application %(id)s · %(policy)s · %(firm)s") % {"id": self.pk, "policy": self.policy.title, "firm": self.enterprise.name}

    def get_absolute_url(self):
        return key_url("relief:application", self.pk)

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DocumentQuerySet(ApplicationQuerySet):
    firm_field = "application__enterprise"


class ApplicationDocument(models.Model):
    """One named document of an application (营业执照, 租赁合同...), stored privately."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application"))
    name = models.CharField(_("document"), max_length=60)
    file = models.FileField(
        _("file"),
        storage=get_private_storage,
        upload_to=PrivateUploadTo("relief/documents"),
        validators=[FileCheck(DOCUMENT_KINDS)],
        max_length=200,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["application", "name"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        constraints = [models.UniqueConstraint(fields=["application", "name"], name="relief_document_once")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.application.get_absolute_url()


class RecoveryQuerySet(FirmRowsQuerySet):
    firm_field = "award__enterprise"
    scope_agency = scope_specialist = closed


class Recovery(models.Model):
    """An award found ineligible after payment: the money to be returned."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be recovered")
        RECOVERED = "recovered", _("Recovered")

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="recovery", verbose_name=_("award"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(FEN)])
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reference = models.CharField(_("repayment reference"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("opened by")
    )
    created_at = models.DateTimeField(_("opened at"), default=clock.now)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    objects = RecoveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")

    def __str__(self):
        return _("Recovery of %(award)s") % {"award": self.award}

    def get_absolute_url(self):
        return self.award.get_absolute_url()

"""Labour matching for the 用工荒: firms' vacancies, published by their township, and the partner counties'
candidates, followed from referral to the worker at the gate.

A firm (or its specialist on its behalf) posts a vacancy; the township publishes it on the public board, in
SMS/WeChat texts and on a printed sheet. The labour office of a paired county (锦屏, 缙云...) refers
candidates; the firm accepts or declines each; an accepted candidate becomes a worker-return registration
(来富工作一点通, subsidies) and may ride a charter bus; the firm confirms the arrival and the hire. Every change
goes through ``labour.services``; who may act is ``labour.policies``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import FirmRowsQuerySet
from fuyang_portal import clock
from fuyang_portal.batches import FactsInBatches, rows_for
from fuyang_portal.identity import EncryptedTextField, mask_id, mask_name
from fuyang_portal.links import key_url
from fuyang_portal.roles import Role
from fuyang_portal.validators import validate_mobile, validate_resident_id
from fuyang_portal.visibility import PrivateQuerySet, ReferenceQuerySet, closed
from subsidies import regions
from subsidies.models import HealthCode, TravelMode


def county_id_of(user):
    """The partner county a county account works for (None for any other account)."""
    if user is None or not user.is_authenticated or user.role != Role.COUNTY:
        return None
    account = getattr(user, "county_account", None)
    return account.county_id if account is not None else None


# --- partner counties --------------------------------------------------------------------------------


class PartnerCountyQuerySet(ReferenceQuerySet):
    """The district's list of paired counties: reference data every signed-in account reads."""

    def active(self):
        return self.filter(active=True)


class PartnerCounty(models.Model):
    """A county paired with the district whose labour office refers workers (对口县市)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    region_code = models.CharField(
        _("county code (GB/T 2260)"), max_length=6, unique=True, help_text=_("The county's six-digit code, e.g. 522628 for 锦屏县.")
    )
    pairing = models.CharField(_("pairing"), max_length=60, blank=True, help_text=_("e.g. East–West cooperation, mountain–sea cooperation."))
    contact_mobile = models.CharField(_("labour office mobile"), max_length=11, blank=True, validators=[validate_mobile])
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    objects = PartnerCountyQuerySet.as_manager()

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("partner county")
        verbose_name_plural = _("partner counties")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return key_url("labour:county", self.pk)

    @property
    def province_code(self):
        return regions.province_of(self.region_code)

    @property
    def full_name(self):
        return regions.full_name(self.province_code, self.region_code) if regions.is_county(self.region_code) else self.name


class CountyAccountQuerySet(PrivateQuerySet):
    """Which account works for which county: the district office, and the county's own colleagues."""

    def scope_county(self, user):
        return self.filter(county_id=county_id_of(user))


class CountyAccount(models.Model):
    """The county a partner-county account acts for (a one-to-one on the user, as enterprises.FirmAccount)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="county_account", verbose_name=_("account")
    )
    county = models.ForeignKey(PartnerCounty, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("partner county"))

    objects = CountyAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner county account")
        verbose_name_plural = _("partner county accounts")

    def __str__(self):
        return f"{self.user} · {self.county}"


# --- vacancies ---------------------------------------------------------------------------------------


class Trade(models.TextChoices):
    GENERAL = "general", _("General worker")
    OPERATOR = "operator", _("Machine operator")
    SEWING = "sewing", _("Sewing worker")
    WELDER = "welder", _("Welder")
    ELECTRICIAN = "electrician", _("Electrician")
    FORKLIFT = "forklift", _("Forklift driver")
    DRIVER = "driver", _("Driver")
    INSPECTOR = "inspector", _("Quality inspector")
    WAREHOUSE = "warehouse", _("Warehouse keeper")
    COOK = "cook", _("Cook")
    OTHER = "other", _("Other")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting township review")
    RETURNED = "returned", _("Returned for correction")
    PUBLISHED = "published", _("Published")
    FILLED = "filled", _("Filled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VacancyQuerySet(FirmRowsQuerySet):
    """A firm's vacancies: the firm, its specialists, its township and the district office; a partner county sees
    every vacancy once it has been published (to follow its referrals); agencies have no part in it."""

    scope_agency = closed

    def scope_county(self, user):
        return self.filter(published_at__isnull=False)

    def public(self):
        """The public board: published vacancies, open to anyone without an account."""
        return self.filter(status=VacancyStatus.PUBLISHED)

    def with_candidate_counts(self):
        """Each vacancy with ``holding_count`` (candidates holding a place) and ``arrived_count``
        (WithCandidateCounts)."""
        clone = self._chain()
        clone._iterable_class = WithCandidateCounts
        return clone


class WithCandidateCounts(FactsInBatches):
    """Vacancies with their candidates counted, for every 2,000 vacancies in one grouped statement: a list's page
    counts for its own rows only, without two subqueries per row in its statement."""

    def add_facts(self, vacancies):
        counts = {}
        keys = [vacancy.pk for vacancy in vacancies]
        for vacancy_id, status, n in rows_for(Candidate, ("vacancy", "status"), "vacancy", keys, counted=True, using=self.queryset.db):
            holding, arrived = counts.get(vacancy_id, (0, 0))
            counts[vacancy_id] = (holding + n * (status in HOLDING), arrived + n * (status in ARRIVED))
        for vacancy in vacancies:
            vacancy.holding_count, vacancy.arrived_count = counts.get(vacancy.pk, (0, 0))
        return vacancies


class Vacancy(models.Model):
    """A firm's hiring need (用工需求): a position, how many, on what terms, from when."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("enterprise")
    )
    position = models.CharField(_("position"), max_length=60)
    trade = models.CharField(_("trade"), max_length=12, choices=Trade.choices, default=Trade.GENERAL, db_index=True)
    headcount = models.PositiveSmallIntegerField(_("workers needed"), validators=[MinValueValidator(1), MaxValueValidator(500)])
    skills = models.TextField(_("skills required"), blank=True, max_length=500)
    wage_min = models.PositiveIntegerField(_("wage from (yuan a month)"), validators=[MinValueValidator(1000), MaxValueValidator(50000)])
    wage_max = models.PositiveIntegerField(_("wage up to (yuan a month)"), validators=[MinValueValidator(1000), MaxValueValidator(50000)])
    housing = models.BooleanField(_("housing provided"), default=False)
    meals = models.BooleanField(_("meals provided"), default=False)
    start_date = models.DateField(_("start date"))
    contact_name = models.CharField(_("contact"), max_length=30)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, validators=[validate_mobile])
    status = models.CharField(_("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT, db_index=True)
    review_comment = models.TextField(_("last review comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("posted by")
    )
    created_at = models.DateTimeField(_("posted"), default=clock.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("published by")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [
            models.Index(fields=["status", "trade"], name="vacancy_status_trade_idx"),
            models.Index(fields=["-published_at", "-created_at", "-id"], name="vacancy_newest_idx"),  # the list's order
        ]
        constraints = [
            models.CheckConstraint(
                name="vacancy_wage_ordered",
                condition=Q(wage_max__gte=models.F("wage_min")),
                violation_error_message=_("The top of the wage range cannot be below its bottom."),
            ),
            models.CheckConstraint(name="vacancy_headcount_positive", condition=Q(headcount__gte=1)),
        ]

    def __str__(self):
        return _("%(position)s × %(count)s · %(firm)s") % {"position": self.position, "count": self.headcount, "firm": self.enterprise.name}

    def get_absolute_url(self):
        return key_url("labour:vacancy", self.pk)

    def get_public_url(self):
        return key_url("labour:board-vacancy", self.pk)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.wage_min and self.wage_max and self.wage_max < self.wage_min:
            raise ValidationError({"wage_max": _("The top of the wage range cannot be below its bottom.")})

    @property
    def wage_display(self):
        if self.wage_min == self.wage_max:
            return f"{self.wage_min}"
        return f"{self.wage_min}–{self.wage_max}"

    @property
    def editable(self):
        return self.status in (VacancyStatus.DRAFT, VacancyStatus.RETURNED)


# --- candidates --------------------------------------------------------------------------------------


class CandidateStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    TRAVELLING = "travelling", _("Travelling")
    ARRIVED = "arrived", _("Arrived")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Declined")
    NO_SHOW = "no_show", _("Did not come")


# A candidate holding one of the vacancy's places (the firm may not accept more than it needs).
HOLDING = (CandidateStatus.ACCEPTED, CandidateStatus.TRAVELLING, CandidateStatus.ARRIVED, CandidateStatus.HIRED)
# A referral still in play (for the warning about the same person referred twice).
LIVE = (CandidateStatus.REFERRED, CandidateStatus.ACCEPTED, CandidateStatus.TRAVELLING)
# A worker at the gate.
ARRIVED = (CandidateStatus.ARRIVED, CandidateStatus.HIRED)


class CandidateQuerySet(FirmRowsQuerySet):
    """Candidates hold personal data: the firm they are referred to (and its specialists), its township, the
    district office, and the county that referred them; never another county."""

    firm_field = "vacancy__enterprise"
    scope_agency = closed

    def scope_county(self, user):
        return self.filter(county_id=county_id_of(user))

    def holding(self):
        return self.filter(status__in=HOLDING)


class Candidate(models.Model):
    """A worker referred by a partner county to one vacancy."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("vacancy"))
    county = models.ForeignKey(PartnerCounty, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("partner county"))
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("resident ID number"), validators=[validate_resident_id])
    id_number_hash = models.CharField(_("ID lookup hash"), max_length=64, db_index=True, editable=False)
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    earliest_travel_date = models.DateField(_("earliest travel date"))
    travel_mode = models.CharField(_("travel mode"), max_length=12, choices=TravelMode.choices, default=TravelMode.CHARTER)
    health_code = models.CharField(_("health code"), max_length=8, choices=HealthCode.choices, default=HealthCode.GREEN)
    status = models.CharField(_("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.REFERRED, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    warning = models.CharField(_("warning"), max_length=300, blank=True)
    registration = models.OneToOneField(
        "subsidies.WorkerRegistration", on_delete=models.PROTECT, null=True, blank=True, related_name="labour_candidate",
        verbose_name=_("worker-return registration"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("referred by")
    )
    referred_at = models.DateTimeField(_("referred"), default=clock.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True, db_index=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at", "-pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "id_number_hash"], name="candidate_once_per_vacancy",
                violation_error_message=_("This person is already referred to this vacancy."),
            ),
            models.CheckConstraint(
                name="candidate_arrival_dated",
                condition=~Q(status__in=["arrived", "hired"]) | Q(arrived_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{mask_name(self.name)} · {self.county}"

    def get_absolute_url(self):
        return key_url("labour:candidate", self.pk)

    @property
    def masked_id(self):
        return mask_id(self.id_number)

    @property
    def masked_name(self):
        return mask_name(self.name)

"""Service specialists (服务专员), their firms, visits, tracked projects and the problems (诉求) they handle.

Visibility (fuyang_portal.visibility): the district office sees everything. Rows that belong to a firm follow
the one rule of ``enterprises.models.FirmRowsQuerySet`` (whoever sees the firm sees them); besides, an agency
sees its own specialists' work and the problems assigned (交办) to it, and a specialist the rows they wrote.
What each role may *do* is declared in ``specialists/policies.py``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import FirmRowsQuerySet
from fuyang_portal import clock
from fuyang_portal.links import key_url
from fuyang_portal.uploads import DOCUMENT_KINDS, FileCheck, PrivateUploadTo, get_private_storage
from fuyang_portal.roles import Role
from fuyang_portal.validators import validate_mobile
from fuyang_portal.visibility import ReferenceQuerySet, ScopedQuerySet, closed


def active_on(day=None, prefix=""):
    """Q for assignments active on ``day`` (Beijing date, default the business's today); ``prefix`` is the path
    to Assignment."""
    day = day or clock.today()
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def serves(user, enterprise_id, day=None):
    """Is ``user`` a specialist actively assigned to the firm (on ``day``, default today)?"""
    return bool(
        user is not None
        and user.is_authenticated
        and user.role == Role.SPECIALIST
        and enterprise_id is not None
        and Assignment.objects.filter(active_on(day), specialist__user_id=user.pk, enterprise_id=enterprise_id).exists()
    )


class ServiceDomain(models.Model):
    """What a specialist can help with: water, power, gas, bus, approvals, filing, passes..."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Reference data: every signed-in role reads the list of domains.
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service domain")
        verbose_name_plural = _("service domains")

    def __str__(self):
        return self.name


class SpecialistQuerySet(ScopedQuerySet):
    def scope_township(self, user):
        return self.filter(townships=user.township_id).distinct()

    def scope_agency(self, user):
        return self.filter(agency_id=user.agency_id)

    def scope_specialist(self, user):
        return self.filter(user_id=user.pk)

    def scope_enterprise(self, user):
        return self.filter(pk__in=Assignment.objects.filter(active_on(), enterprise_id=user.enterprise_id).values("specialist_id"))

    def public(self):
        """The public directory (no sign-in): active specialists, whoever asks. A deliberate publication, not a
        scope: the directory shows only name, agency, published mobile, domains and townships served, so the
        firms can find help; everything else about a specialist is read through ``visible_to``."""
        return self.filter(active=True, user__is_active=True)


class Specialist(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="specialist_profile", verbose_name=_("account")
    )
    agency = models.ForeignKey(
        "fuyang_portal.Agency", on_delete=models.PROTECT, related_name="specialists", verbose_name=_("agency of origin")
    )
    published_mobile = models.CharField(_("published mobile"), max_length=11, validators=[validate_mobile])
    domains = models.ManyToManyField(ServiceDomain, related_name="specialists", verbose_name=_("service domains"))
    townships = models.ManyToManyField(
        "fuyang_portal.Township", related_name="specialists", verbose_name=_("townships served")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = SpecialistQuerySet.as_manager()

    class Meta:
        ordering = ["agency__code", "user__full_name"]
        verbose_name = _("service specialist")
        verbose_name_plural = _("service specialists")

    def __str__(self):
        return self.user.display_name

    def get_absolute_url(self):
        return key_url("specialists:specialist", self.pk)


class SpecialistWorkQuerySet(FirmRowsQuerySet):
    """Rows of a firm written by a specialist (assignments, visits, projects): the firm's rows (whoever sees the
    firm), and besides the specialist's own rows and, for an agency, its own specialists' rows."""

    def scope_agency(self, user):
        return super().scope_agency(user) | self.filter(specialist__agency_id=user.agency_id)

    def scope_specialist(self, user):
        return super().scope_specialist(user) | self.filter(specialist__user_id=user.pk)


class AssignmentQuerySet(SpecialistWorkQuerySet):
    def active(self, day=None):
        return self.filter(active_on(day))


class Assignment(models.Model):
    """A specialist serving a firm from ``starts_on`` to ``ends_on`` (open-ended when empty)."""

    specialist = models.ForeignKey(Specialist, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("specialist"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="specialist_assignments", verbose_name=_("enterprise")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("assigned by")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("specialist assignment")
        verbose_name_plural = _("specialist assignments")
        constraints = [
            # Only one open-ended assignment per specialist and firm; overlapping dated periods are refused by
            # services.assign_specialist under a lock on the specialist.
            models.UniqueConstraint(
                fields=["specialist", "enterprise"], condition=Q(ends_on__isnull=True), name="assignment_one_open_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="assignment_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "starts_on"], name="assignment_firm_idx")]

    def __str__(self):
        return f"{self.specialist} → {self.enterprise}"

    @property
    def is_active(self):
        today = clock.today()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class TrackedProject(models.Model):
    """A key project (跟踪项目) a specialist follows."""

    class Stage(models.TextChoices):
        SIGNED = "signed", _("Signed")
        APPROVAL = "approval", _("In approval")
        CONSTRUCTION = "construction", _("Under construction")
        COMMISSIONING = "commissioning", _("Commissioning")
        PRODUCTION = "production", _("In production")

    specialist = models.ForeignKey(Specialist, on_delete=models.PROTECT, related_name="projects", verbose_name=_("specialist"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="tracked_projects", verbose_name=_("enterprise")
    )
    name = models.CharField(_("project name"), max_length=120)
    stage = models.CharField(_("stage"), max_length=15, choices=Stage.choices, default=Stage.SIGNED)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    due_on = models.DateField(_("next step due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = SpecialistWorkQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("tracked project")
        verbose_name_plural = _("tracked projects")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return key_url("specialists:project", self.pk)


class Visit(models.Model):
    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        PHONE = "phone", _("Phone")
        WECHAT = "wechat", _("WeChat")

    specialist = models.ForeignKey(Specialist, on_delete=models.PROTECT, related_name="visits", verbose_name=_("specialist"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="specialist_visits", verbose_name=_("enterprise")
    )
    project = models.ForeignKey(
        TrackedProject, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("tracked project")
    )
    visited_on = models.DateField(_("date"), db_index=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    checked_dual_plan = models.BooleanField(_("dual plan checked"), default=False)
    checked_supplies = models.BooleanField(_("supplies checked"), default=False)
    checked_staff = models.BooleanField(_("staff checked"), default=False)
    checked_production = models.BooleanField(_("production checked"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("logged"), default=clock.now)

    objects = SpecialistWorkQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="visit_firm_day_idx")]

    def __str__(self):
        return f"{self.enterprise} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return key_url("specialists:visit", self.pk)


class Category(models.TextChoices):
    FUNDS = "funds", _("Funds and credit")
    LEGAL = "legal", _("Legal aid")
    LABOUR = "labour", _("Labour and hiring")
    SUPPLIES = "supplies", _("Supplies")
    LOGISTICS = "logistics", _("Logistics and passes")
    APPROVALS = "approvals", _("Approvals")
    ENERGY = "energy", _("Energy and utilities")
    OTHER = "other", _("Other")


DEFAULT_WORKING_DAYS = 5


class DeadlineRule(models.Model):
    """A category's time limits (editable by the district office; every change is a new ``DeadlineRuleVersion``,
    and each problem keeps the version its limits were computed from).

    Sign-for and triage run in office hours of workdays, first handling and handling in working days (the agencies'
    calendar), the callback and the firm's silence before 默认满意 in days on which firms could act. The clock
    pauses only for an approved extension (which moves the deadline), never for a return."""

    category = models.CharField(_("category"), max_length=12, choices=Category.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(60)], help_text=_("to handle an assignment")
    )
    sign_for_hours = models.PositiveSmallIntegerField(
        _("working hours to sign for"), default=2, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    triage_hours = models.PositiveSmallIntegerField(
        _("working hours to triage"), default=8, validators=[MinValueValidator(1), MaxValueValidator(80)],
        help_text=_("for the district office to assign an escalated problem"),
    )
    township_days = models.PositiveSmallIntegerField(
        _("working days for the township's first handling"), default=2, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    callback_days = models.PositiveSmallIntegerField(
        _("days to call the firm back"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("days of the firm's silence before 默认满意"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    reminder_percent = models.PositiveSmallIntegerField(
        _("reminder at this share of the time used (%)"), default=75, validators=[MinValueValidator(10), MaxValueValidator(99)]
    )
    max_extension_days = models.PositiveSmallIntegerField(
        _("longest extension (working days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    # Reference data: every role may read the rules its deadlines come from; the district office edits them.
    objects = ReferenceQuerySet.as_manager()

    LIMIT_FIELDS = (
        "working_days", "sign_for_hours", "triage_hours", "township_days", "callback_days", "auto_close_days",
        "reminder_percent", "max_extension_days",
    )

    class Meta:
        ordering = ["category"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self):
        return f"{self.get_category_display()}: {self.working_days}"


class DeadlineRuleVersion(models.Model):
    """One version of a category's time limits, as it was from ``effective_from``; never edited."""

    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="versions", verbose_name=_("rule"))
    version = models.PositiveIntegerField(_("version"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    sign_for_hours = models.PositiveSmallIntegerField(_("working hours to sign for"))
    triage_hours = models.PositiveSmallIntegerField(_("working hours to triage"))
    township_days = models.PositiveSmallIntegerField(_("working days for the township's first handling"))
    callback_days = models.PositiveSmallIntegerField(_("days to call the firm back"))
    auto_close_days = models.PositiveSmallIntegerField(_("days of the firm's silence before 默认满意"))
    reminder_percent = models.PositiveSmallIntegerField(_("reminder at this share of the time used (%)"))
    max_extension_days = models.PositiveSmallIntegerField(_("longest extension (working days)"))
    # Empty for the first version of a rule seeded with the schema: it has applied from the start.
    effective_from = models.DateTimeField(_("effective from"), null=True, blank=True, default=clock.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "-version"]
        verbose_name = _("deadline rule version")
        verbose_name_plural = _("deadline rule versions")
        constraints = [models.UniqueConstraint(fields=["rule", "version"], name="deadline_rule_version_once")]

    def __str__(self):
        return f"{self.rule.get_category_display()} v{self.version}"


class AgencyHeadQuerySet(ScopedQuerySet):
    def scope_agency(self, user):
        return self.filter(agency_id=user.agency_id)

    scope_township = scope_specialist = scope_enterprise = closed


class AgencyHead(models.Model):
    """The head of an agency (分管领导) who receives the 督办 notice when the agency is late."""

    agency = models.OneToOneField("fuyang_portal.Agency", on_delete=models.CASCADE, related_name="head", verbose_name=_("agency"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("head"))

    objects = AgencyHeadQuerySet.as_manager()

    class Meta:
        ordering = ["agency__code"]
        verbose_name = _("agency head")
        verbose_name_plural = _("agency heads")

    def __str__(self):
        return f"{self.agency}: {self.user}"


class ProblemQuerySet(FirmRowsQuerySet):
    """A firm's problems (whoever sees the firm), and besides: the agency it is assigned to (交办), and the
    specialist it is filed under."""

    def scope_agency(self, user):
        # The lead agency, and each co-handling agency (协办) of the problem.
        parts = ProblemPart.objects.filter(agency_id=user.agency_id).values("problem_id")
        return super().scope_agency(user) | self.filter(agency_id=user.agency_id) | self.filter(pk__in=parts)

    def scope_specialist(self, user):
        return super().scope_specialist(user) | self.filter(specialist__user_id=user.pk)

    def open(self):
        return self.exclude(status__in=Problem.CLOSED_STATES)

    def late_3x(self, today=None):
        """Still with an agency more than three times its handling time after it was first assigned (Signalen's 3×)."""
        return self.filter(status__in=Problem.AGENCY_STATES, late3x_on__lt=today or clock.today())

    def due_soon(self, today=None, days=2):
        """Still with an agency, due from today to the ``days``-th working day after it."""
        from specialists.workdays import add_working_days

        today = today or clock.today()
        return self.filter(status__in=Problem.AGENCY_STATES, deadline__gte=today, deadline__lte=add_working_days(today, days))

    def with_agency(self):
        return self.filter(status__in=Problem.AGENCY_STATES)

    def aggregate_counts(self):
        """The home cards' counts, in one query."""
        S = Problem.Status
        return self.aggregate(
            escalated=models.Count("pk", filter=Q(status=S.ESCALATED)),
            with_agency=models.Count("pk", filter=Q(status__in=Problem.AGENCY_STATES)),
            overdue=models.Count("pk", filter=Q(status__in=Problem.AGENCY_STATES, overdue=True)),
            solved=models.Count("pk", filter=Q(status__in=Problem.SOLVED_STATES)),
            raised=models.Count("pk", filter=Q(status=S.RAISED)),
            resolved=models.Count("pk", filter=Q(status=S.RESOLVED)),
            open=models.Count("pk", filter=~Q(status__in=Problem.CLOSED_STATES)),
            returned=models.Count("pk", filter=Q(status=S.RETURNED)),
            to_call_back=models.Count("pk", filter=Q(status__in=(S.RESOLVED, S.ANSWERED))),
        )


# The district office's queue (problems/queue/): escalations to assign and extensions to decide. Its page
# filters on exactly this condition, so PostgreSQL serves it from the partial index below, already in order
# (measured at 100,000 firms: docs/benchmarks.md).
DISTRICT_QUEUE = Q(status__in=["escalated", "returned"]) | Q(extension="requested", status__in=["assigned", "accepted"])


class Problem(models.Model):
    """A firm's problem (诉求), raised by the firm or its specialist."""

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        TOWNSHIP = "township", _("With the township")
        RESOLVED = "resolved", _("Resolved by the specialist")
        ESCALATED = "escalated", _("Escalated to the district office")
        ASSIGNED = "assigned", _("Assigned to an agency")
        ACCEPTED = "accepted", _("Accepted by the agency")
        RETURNED = "returned", _("Returned by the agency")
        ANSWERED = "answered", _("Answered by the agency")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Not accepted")
        MERGED = "merged", _("Merged into another")

    class Closed(models.TextChoices):
        NONE = "", _("Open")
        FIRM = "firm", _("Confirmed by the firm")
        CALLBACK = "callback", _("Closed after the callback")
        DEFAULT = "default", _("默认满意 (the firm stayed silent)")

    class Satisfaction(models.TextChoices):
        NONE = "", _("Not given")
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class Extension(models.TextChoices):
        NONE = "", _("None")
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    AGENCY_STATES = (Status.ASSIGNED, Status.ACCEPTED)
    # No longer anyone's work: closed by the firm, the callback or the sweep, not accepted, or merged.
    CLOSED_STATES = (Status.CONFIRMED, Status.DECLINED, Status.MERGED)
    # Waiting for the district office's triage: escalated, or returned by an agency.
    TRIAGE_STATES = (Status.ESCALATED, Status.RETURNED)
    # Handled, waiting for the firm's confirmation or the district office's callback.
    HANDLED_STATES = (Status.RESOLVED, Status.ANSWERED)
    # States whose deadline runs: with the specialist, the township (first handling) or an agency.
    DEADLINE_STATES = (Status.RAISED, Status.TOWNSHIP, Status.ASSIGNED, Status.ACCEPTED)
    # "Solved" as the report counts it: resolved by the specialist or confirmed by the firm.
    SOLVED_STATES = (Status.RESOLVED, Status.CONFIRMED)

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="problems", verbose_name=_("enterprise")
    )
    specialist = models.ForeignKey(
        Specialist, on_delete=models.PROTECT, null=True, blank=True, related_name="problems", verbose_name=_("specialist")
    )
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="problems", verbose_name=_("visit"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised"), default=clock.now, db_index=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RAISED, db_index=True)
    rule_version = models.ForeignKey(
        DeadlineRuleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("time limits (version)")
    )
    referred_at = models.DateTimeField(_("referred to the township"), null=True, blank=True)
    triage_due = models.DateTimeField(_("triage due"), null=True, blank=True)

    resolution = models.TextField(_("specialist's resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    escalation_note = models.TextField(_("escalation note"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    agency = models.ForeignKey(
        "fuyang_portal.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="problems", verbose_name=_("agency")
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    first_assigned_at = models.DateTimeField(_("first assigned"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    remind_on = models.DateField(_("reminder due"), null=True, blank=True)
    late3x_on = models.DateField(_("three times late after"), null=True, blank=True)
    sign_for_due = models.DateTimeField(_("sign for by"), null=True, blank=True)
    signed_on_time = models.BooleanField(_("signed for on time"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    answer = models.TextField(_("agency's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    decline_reason = models.TextField(_("reason not accepted"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("merged into")
    )
    extension = models.CharField(_("extension"), max_length=10, choices=Extension.choices, default=Extension.NONE, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extra working days asked"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for extension"), blank=True)
    overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    on_time = models.BooleanField(_("handled on time"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.TextField(_("firm's feedback"), blank=True)
    closed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    closed_how = models.CharField(_("closed"), max_length=10, choices=Closed.choices, default=Closed.NONE, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, default="", blank=True)
    callback_due = models.DateField(_("callback due"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="problem_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "accepted", "answered"]) | Q(agency__isnull=False, deadline__isnull=False),
                name="problem_agency_states_have_agency",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "deadline"], name="problem_agency_queue_idx"),
            models.Index(fields=["escalated_at", "id"], condition=DISTRICT_QUEUE, name="problem_district_queue_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_category_display()} · {self.enterprise}"

    def get_absolute_url(self):
        return key_url("specialists:problem", self.pk)

    @property
    def is_open(self):
        return self.status not in self.CLOSED_STATES

    @property
    def is_late_3x(self):
        return self.status in self.AGENCY_STATES and self.late3x_on is not None and self.late3x_on < clock.today()


class ProblemPart(models.Model):
    """A co-handling agency's part (协办) of a problem: it signs for and answers its part; the lead agency's answer
    (the problem's own) closes the problem, once every part is answered."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned to an agency")
        ACCEPTED = "accepted", _("Accepted by the agency")
        ANSWERED = "answered", _("Answered by the agency")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="parts", verbose_name=_("problem"))
    agency = models.ForeignKey("fuyang_portal.Agency", on_delete=models.PROTECT, related_name="problem_parts", verbose_name=_("co-handling agency"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    assigned_at = models.DateTimeField(_("assigned"), default=clock.now)
    sign_for_due = models.DateTimeField(_("sign for by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    signed_on_time = models.BooleanField(_("signed for on time"), null=True, blank=True)
    answer = models.TextField(_("agency's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )

    class QuerySet(ScopedQuerySet):
        """A part is seen by whoever sees its problem."""

        def _of_visible_problems(self, user):
            return self.filter(problem__in=Problem.objects.visible_to(user).values("pk"))

        scope_township = scope_agency = scope_specialist = scope_enterprise = _of_visible_problems

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["problem", "pk"]
        verbose_name = _("co-handled part")
        verbose_name_plural = _("co-handled parts")
        constraints = [models.UniqueConstraint(fields=["problem", "agency"], name="problem_part_once_per_agency")]

    def __str__(self):
        return f"#{self.problem_id} · {self.agency}"

    def get_absolute_url(self):
        return self.problem.get_absolute_url()


class Callback(models.Model):
    """The district office's callback (回访): the firm's answer by phone."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="callbacks", verbose_name=_("problem"))
    called_at = models.DateTimeField(_("called"), default=clock.now)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("called by"))
    reached = models.BooleanField(_("firm reached"))
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Problem.Satisfaction.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class QuerySet(ScopedQuerySet):
        def _of_visible_problems(self, user):
            return self.filter(problem__in=Problem.objects.visible_to(user).values("pk"))

        scope_township = scope_agency = scope_specialist = scope_enterprise = _of_visible_problems

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["called_at", "pk"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self):
        return f"#{self.problem_id} · {self.called_at:%Y-%m-%d}"


class Supervision(models.Model):
    """A notice the sweep sent about a time limit: a reminder before it, 催办 at it, 督办 to the agency's head one
    working day after it. One row per problem, kind, stage and limit: the sweep run twice sends once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        URGE = "urge", _("催办 (urged)")
        SUPERVISE = "supervise", _("督办 (supervised)")

    class Stage(models.TextChoices):
        SIGN_FOR = "sign_for", _("Sign for")
        TRIAGE = "triage", _("Triage")
        TOWNSHIP = "township", _("Township first handling")
        HANDLING = "handling", _("Handling")
        PART = "part", _("Co-handled part")
        SPECIALIST = "specialist", _("With the specialist")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("problem"))
    agency = models.ForeignKey(
        "fuyang_portal.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="supervisions", verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    limit = models.CharField(_("time limit"), max_length=48)
    at = models.DateTimeField(_("sent"), default=clock.now, db_index=True)

    class QuerySet(ScopedQuerySet):
        def scope_agency(self, user):
            return self.filter(agency_id=user.agency_id)

        def scope_township(self, user):
            return self.filter(problem__enterprise__township_id=user.township_id)

        # A specialist and a firm see the problem, not the notices sent to agencies about it.
        scope_specialist = scope_enterprise = closed

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        constraints = [
            # ``limit`` holds the agency (when there is one) and the limit, so a triage notice (no agency) is unique too.
            models.UniqueConstraint(fields=["problem", "kind", "stage", "limit"], name="supervision_once"),
        ]
        indexes = [models.Index(fields=["agency", "kind", "at"], name="supervision_agency_idx")]

    def __str__(self):
        return f"#{self.problem_id} {self.get_kind_display()} · {self.get_stage_display()}"


class ProblemAttachment(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("problem"))
    file = models.FileField(
        _("file"),
        storage=get_private_storage,
        upload_to=PrivateUploadTo("problems"),
        validators=[FileCheck(DOCUMENT_KINDS)],
    )
    original_name = models.CharField(_("file name"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)

    class QuerySet(ScopedQuerySet):
        """An attachment is seen by whoever sees its problem, and by no one else."""

        def _of_visible_problems(self, user):
            return self.filter(problem__in=Problem.objects.visible_to(user).values("pk"))

        scope_township = scope_agency = scope_specialist = scope_enterprise = _of_visible_problems

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("problem attachment")
        verbose_name_plural = _("problem attachments")

    def __str__(self):
        return self.original_name or self.file.name

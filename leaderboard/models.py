"""The weekly contest (擂台比武): indicator definitions, weekly contests per level, scores and results.

An ``Indicator`` is data the district office edits (each edit writes an ``IndicatorChange`` history row).
A ``ContestWeek`` is one level's contest for one week, in revisions: the district computes a draft,
publishes it (then it is frozen), and a correction is a new revision published with a reason; the
earlier revision is kept, marked superseded. ``Score`` holds one unit's figure on one indicator with its
numerator and denominator; ``UnitResult`` one unit's total, rank, list and movement.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy as _

from fuyang_portal import clock
from fuyang_portal.links import key_url
from fuyang_portal.metrics import Level
from fuyang_portal.uploads import DOCUMENT_KINDS, FileCheck, PrivateUploadTo, get_private_storage
from fuyang_portal.visibility import PrivateQuerySet, ReferenceQuerySet, ScopedQuerySet, closed

WEIGHT_FIELDS = {Level.TOWNSHIP: "weight_township", Level.GROUP: "weight_group", Level.VILLAGE: "weight_village"}
# Ranked units first, best first; unranked ones (too little data) last on every database.
RANK_ORDER = models.F("rank").asc(nulls_last=True)
DEFAULT_LIST_SIZE = {Level.TOWNSHIP: 3, Level.GROUP: 5, Level.VILLAGE: 10}


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from the portal's records")
    ENTERED = "entered", _("Entered by inspectors")


class Basis(models.TextChoices):
    """Why an indicator is in the contest: named by the report the contest follows, or the district's own rule."""

    REPORT = "report", _("Named in the district's contest rules (the report)")
    DISTRICT = "district", _("The district office's own rule")


class IndicatorQuerySet(ReferenceQuerySet):
    """Definitions are reference data: every signed-in role reads them; only the district edits them."""

    def for_level(self, level):
        """The active indicators of ``level``, in order (a list: ten rows, filtered in Python on any database)."""
        return [indicator for indicator in self.filter(active=True) if indicator.applies_to(level)]


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=80)
    description = models.TextField(_("how it is measured"), blank=True)
    levels = models.JSONField(_("levels"), default=list, help_text=_("The contest levels this indicator applies to."))
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    weight_township = models.DecimalField(_("weight (townships)"), max_digits=6, decimal_places=2, default=Decimal("10"))
    weight_group = models.DecimalField(_("weight (groups)"), max_digits=6, decimal_places=2, default=Decimal("10"))
    weight_village = models.DecimalField(_("weight (villages)"), max_digits=6, decimal_places=2, default=Decimal("10"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.COMPUTED)
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices, default=Basis.DISTRICT)
    basis_note = models.CharField(
        _("basis in words"), max_length=200, blank=True, help_text=_("Where the rule comes from, e.g. the report's words.")
    )
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    metric_path = models.CharField(
        _("metric function"),
        max_length=120,
        blank=True,
        help_text=_("Dotted path of the function fn(level, start, end) that computes it; computed indicators only."),
    )
    min_value = models.DecimalField(_("lowest allowed entry"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("highest allowed entry"), max_digits=8, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                name="indicator_weights_not_negative",
                condition=Q(weight_township__gte=0, weight_group__gte=0, weight_village__gte=0),
                violation_error_message=_("A weight cannot be negative."),
            ),
            models.CheckConstraint(
                name="indicator_computed_has_metric",
                condition=~Q(source="computed") | ~Q(metric_path=""),
                violation_error_message=_("A computed indicator needs its metric function."),
            ),
        ]

    def __str__(self):
        # The English name on English pages only.
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh

    @property
    def is_entered(self):
        return self.source == Source.ENTERED

    def weight_for(self, level):
        return getattr(self, WEIGHT_FIELDS[Level(level)])

    def applies_to(self, level):
        return Level(level).value in (self.levels or [])

    def rows_path(self):
        return f"{self.metric_path}_rows" if self.metric_path else ""

    def clean(self):
        errors = {}
        if not self.levels:
            errors["levels"] = _("Choose at least one level.")
        for level in self.levels or []:
            if level not in Level.values:
                errors["levels"] = _("Unknown level “%(level)s”.") % {"level": level}
        for field in WEIGHT_FIELDS.values():
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = _("A weight cannot be negative.")
        if self.source == Source.COMPUTED and not self.metric_path:
            errors["metric_path"] = _("A computed indicator needs its metric function.")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = _("The highest allowed entry is below the lowest.")
        if errors:
            raise ValidationError(errors)

    def snapshot(self):
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "levels": list(self.levels or []),
            "direction": self.direction,
            "weight_township": str(self.weight_township),
            "weight_group": str(self.weight_group),
            "weight_village": str(self.weight_village),
            "source": self.source,
            "basis": self.basis,
            "basis_note": self.basis_note,
            "unit": self.unit,
            "metric_path": self.metric_path,
            "min_value": None if self.min_value is None else str(self.min_value),
            "max_value": None if self.max_value is None else str(self.max_value),
            "active": self.active,
        }


class IndicatorChange(models.Model):
    """One edit of an indicator: the definition as it stood after the edit, who made it and why."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="changes", verbose_name=_("indicator"))
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("definition"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed"), default=clock.now)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    # Who edited a definition, and why, is the district office's own record.
    objects = PrivateQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "-version"]
        verbose_name = _("indicator change")
        verbose_name_plural = _("indicator changes")
        constraints = [models.UniqueConstraint(fields=["indicator", "version"], name="indicator_change_unique_version")]

    def __str__(self):
        return f"{self.indicator.code} v{self.version}"


class LevelSetting(models.Model):
    """Per level: how many units go on each list, and how much data a unit needs to be listed at all."""

    level = models.CharField(_("level"), max_length=8, choices=Level.choices, unique=True)
    list_size = models.PositiveSmallIntegerField(
        _("list size"), validators=[MinValueValidator(1), MaxValueValidator(50)], help_text=_("Units on the red list and on the black list.")
    )
    min_coverage = models.PositiveSmallIntegerField(
        _("minimum data coverage (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A unit whose indicators with data carry less than this share of the weights is kept off both lists."),
    )
    appeal_hours = models.PositiveSmallIntegerField(
        _("appeal window (working hours)"),
        default=8,
        validators=[MaxValueValidator(80)],
        help_text=_("How long a computed draft stays open to the units' objections before it can be published."),
    )

    objects = ReferenceQuerySet.as_manager()  # the rules of the lists, like the definitions

    class Meta:
        ordering = ["level"]
        verbose_name = _("level setting")
        verbose_name_plural = _("level settings")

    def __str__(self):
        return self.get_level_display()


class ContestWeekQuerySet(ScopedQuerySet):
    """The district office sees every revision, drafts included; every other role the published ones. A draft
    is also shown to the units it ranks, for their objections: township staff see every level's draft (their
    township, villages and groups are ranked in them), agency staff the groups' (WeekRowsQuerySet narrows the
    rows to their own units)."""

    def published(self):
        """The published revisions: what every role reads, and what the public page publishes without sign-in."""
        return self.filter(status=ContestWeek.Status.PUBLISHED)

    def scope_township(self, user):
        return self.filter(status__in=[ContestWeek.Status.PUBLISHED, ContestWeek.Status.DRAFT])

    def scope_agency(self, user):
        return self.filter(Q(status=ContestWeek.Status.PUBLISHED) | Q(status=ContestWeek.Status.DRAFT, level=Level.GROUP))

    def scope_specialist(self, user):
        return self.published()

    scope_enterprise = scope_specialist


class ContestWeek(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    week_start = models.DateField(_("week starting"), db_index=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    list_size = models.PositiveSmallIntegerField(_("list size"), default=3)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("computed by")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("published by")
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    appeal_until = models.DateTimeField(
        _("open to objections until"), null=True, blank=True,
        help_text=_("Set when the draft is first computed: the level's appeal window in working hours."),
    )

    objects = ContestWeekQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "level", "-revision"]
        verbose_name = _("contest week")
        verbose_name_plural = _("contest weeks")
        constraints = [
            models.UniqueConstraint(fields=["week_start", "level", "revision"], name="contest_week_unique_revision"),
            models.UniqueConstraint(
                fields=["week_start", "level"], condition=Q(status="draft"), name="contest_week_one_draft"
            ),
            models.UniqueConstraint(
                fields=["week_start", "level"], condition=Q(status="published"), name="contest_week_one_published"
            ),
            models.CheckConstraint(
                name="contest_week_correction_has_reason",
                condition=Q(revision=1) | ~Q(reason=""),
                violation_error_message=_("A correction needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.week_start:%Y-%m-%d} r{self.revision}"

    @property
    def week_end(self):
        from datetime import timedelta

        return self.week_start + timedelta(days=6)

    @property
    def is_frozen(self):
        return self.status != self.Status.DRAFT

    def get_absolute_url(self):
        return key_url("leaderboard:week", self.pk)

    def get_public_url(self):
        return reverse("leaderboard:public-week", args=[self.level, self.week_start.isoformat()])


def own_units(user, type_field="unit_type", id_field="unit_id"):
    """Q of the units a user answers for: township staff their township, its villages and its groups; agency
    staff their agency's groups; anyone else none."""
    from fuyang_portal.models import CommunityGroup, Village
    from fuyang_portal.roles import Role

    if user.role == Role.TOWNSHIP and user.township_id:
        return (
            Q(**{type_field: Level.TOWNSHIP, id_field: user.township_id})
            | Q(**{type_field: Level.VILLAGE, f"{id_field}__in": Village.objects.filter(township_id=user.township_id).values("pk")})
            | Q(**{type_field: Level.GROUP, f"{id_field}__in": CommunityGroup.objects.filter(community__township_id=user.township_id).values("pk")})
        )
    if user.role == Role.AGENCY and user.agency_id:
        return Q(**{type_field: Level.GROUP, f"{id_field}__in": CommunityGroup.objects.filter(agency_id=user.agency_id).values("pk")})
    return Q(pk__in=[])


class WeekRowsQuerySet(ContestWeekQuerySet):
    """Scores and results follow their week: the published weeks' rows for every role, every revision's
    for the district office; a draft's rows for the staff of the units they are about."""

    def published(self):
        return self.filter(week__status=ContestWeek.Status.PUBLISHED)

    def scope_township(self, user):
        return self.filter(Q(week__status=ContestWeek.Status.PUBLISHED) | (Q(week__status=ContestWeek.Status.DRAFT) & own_units(user)))

    scope_agency = scope_township


class Score(models.Model):
    week = models.ForeignKey(ContestWeek, on_delete=models.CASCADE, related_name="scores", verbose_name=_("contest week"))
    unit_type = models.CharField(_("unit type"), max_length=8, choices=Level.choices)
    unit_id = models.PositiveIntegerField(_("unit"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("indicator"))
    raw_value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("0"))
    no_data = models.BooleanField(_("no data"), default=False)

    objects = WeekRowsQuerySet.as_manager()

    class Meta:
        ordering = ["week", "unit_id", "indicator__sort_order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["week", "unit_id", "indicator"], name="score_unique_unit_indicator"),
            models.CheckConstraint(name="score_between_0_and_100", condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100)),
            models.CheckConstraint(name="score_no_data_has_no_score", condition=Q(no_data=False) | Q(score__isnull=True)),
        ]

    def __str__(self):
        return f"{self.week} #{self.unit_id} {self.indicator.code}"


class ListMark(models.TextChoices):
    RED = "red", _("Red list")
    BLACK = "black", _("Black list")
    NONE = "none", _("Neither")


class UnitResult(models.Model):
    week = models.ForeignKey(ContestWeek, on_delete=models.CASCADE, related_name="results", verbose_name=_("contest week"))
    unit_type = models.CharField(_("unit type"), max_length=8, choices=Level.choices)
    unit_id = models.PositiveIntegerField(_("unit"))
    unit_name = models.CharField(_("unit name"), max_length=120)
    township_id = models.PositiveIntegerField(_("township"), null=True, blank=True, db_index=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    coverage = models.DecimalField(_("data coverage (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    eligible = models.BooleanField(_("enough data to be listed"), default=False)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    list_mark = models.CharField(_("list"), max_length=5, choices=ListMark.choices, default=ListMark.NONE)
    previous_rank = models.PositiveIntegerField(_("previous rank"), null=True, blank=True)
    movement = models.IntegerField(_("movement"), null=True, blank=True, help_text=_("Places gained since the previous published week."))

    objects = WeekRowsQuerySet.as_manager()

    class Meta:
        ordering = ["week", RANK_ORDER, "unit_name"]
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        constraints = [models.UniqueConstraint(fields=["week", "unit_id"], name="unit_result_unique_unit")]
        indexes = [models.Index(fields=["unit_type", "unit_id"], name="unit_result_unit_idx")]

    def __str__(self):
        return f"{self.week}: {self.unit_name} #{self.rank or '-'}"


class InspectionScoreQuerySet(ScopedQuerySet):
    """The inspectors' figures are the district office's until the week they count in is published; then
    township staff see those of their own units (the township, its villages and groups). Other roles none."""

    def scope_township(self, user):
        from fuyang_portal.models import CommunityGroup, Village

        published = ContestWeek.objects.published().filter(level=OuterRef("level"), week_start=OuterRef("week_start"))
        return self.filter(
            Q(level=Level.TOWNSHIP, unit_id=user.township_id)
            | Q(level=Level.VILLAGE, unit_id__in=Village.objects.filter(township_id=user.township_id).values("pk"))
            | Q(level=Level.GROUP, unit_id__in=CommunityGroup.objects.filter(community__township_id=user.township_id).values("pk")),
            Exists(published),
        )

    scope_agency = scope_specialist = scope_enterprise = closed


class InspectionScore(models.Model):
    """An entered indicator's figure for one unit and week, from the district's inspectors."""

    week_start = models.DateField(_("week starting"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    unit_id = models.PositiveIntegerField(_("unit"))
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="inspection_scores",
        limit_choices_to={"source": Source.ENTERED},
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("entered by")
    )
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    objects = InspectionScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "level", "unit_id", "indicator__sort_order"]
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        constraints = [
            models.UniqueConstraint(fields=["week_start", "level", "unit_id", "indicator"], name="inspection_score_unique"),
        ]

    def __str__(self):
        return f"{self.week_start} {self.level} #{self.unit_id} {self.indicator.code}={self.value}"



# --- objections to a draft (异议) -----------------------------------------------------------------------


class ObjectionQuerySet(ScopedQuerySet):
    """The district office sees every objection; township and agency staff those about their own units
    (``own_units``); other roles none."""

    def scope_township(self, user):
        return self.filter(own_units(user, "level", "unit_id"))

    scope_agency = scope_township
    scope_specialist = scope_enterprise = closed

    def pending(self):
        return self.filter(status=Objection.Status.OPEN)


class Objection(models.Model):
    """A unit's objection to one of its figures in a week's draft (an indicator's value for that unit), with a
    reason and optional evidence, decided by the district office: accepted (the figure is corrected and the
    week recomputed as a new revision) or rejected with a reason.

    The figure is named by level, week, unit and indicator rather than by its Score row: a recomputation
    replaces the rows, the objection stays."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    week = models.ForeignKey(ContestWeek, on_delete=models.PROTECT, related_name="objections", verbose_name=_("contest week"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    week_start = models.DateField(_("week starting"))
    unit_id = models.PositiveIntegerField(_("unit"))
    unit_name = models.CharField(_("unit name"), max_length=120)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="objections", verbose_name=_("indicator"))
    figure = models.DecimalField(_("figure objected to"), max_digits=14, decimal_places=4, null=True, blank=True)
    proposed_value = models.DecimalField(
        _("correct value (as the unit says)"), max_digits=14, decimal_places=4, null=True, blank=True,
        help_text=_("The value the unit says is right; the district office decides the corrected value."),
    )
    reason = models.TextField(_("reason"), max_length=2000)
    evidence = models.FileField(
        _("evidence"),
        storage=get_private_storage,
        upload_to=PrivateUploadTo("leaderboard/objections"),
        validators=[FileCheck(DOCUMENT_KINDS)],
        blank=True,
        max_length=200,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by"))
    filed_at = models.DateTimeField(_("filed"), default=clock.now)
    corrected_value = models.DecimalField(_("corrected value"), max_digits=14, decimal_places=4, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.TextField(_("reason for the decision"), blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            # One open objection per figure: a second one waits for the first's decision.
            models.UniqueConstraint(
                fields=["level", "week_start", "unit_id", "indicator"], condition=Q(status="open"), name="objection_one_open_per_figure"
            ),
        ]

    def __str__(self):
        return f"{self.unit_name} · {self.indicator} · {self.week_start:%Y-%m-%d}"

    def get_absolute_url(self):
        return key_url("leaderboard:objection", self.pk)


class ScoreOverride(models.Model):
    """The corrected value of a computed figure, from an accepted objection: ``compute_week`` uses it instead
    of the metric's value for that unit, indicator and week (numerator and denominator unknown)."""

    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    week_start = models.DateField(_("week starting"))
    unit_id = models.PositiveIntegerField(_("unit"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("indicator"))
    value = models.DecimalField(_("corrected value"), max_digits=14, decimal_places=4)
    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("objection"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=clock.now)

    # The district office's working record; the units read the corrected figure in the week and their objection.
    objects = PrivateQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "level", "unit_id"]
        verbose_name = _("corrected figure")
        verbose_name_plural = _("corrected figures")
        constraints = [
            models.UniqueConstraint(fields=["level", "week_start", "unit_id", "indicator"], name="score_override_unique"),
        ]

    def __str__(self):
        return f"{self.week_start} {self.level} #{self.unit_id} {self.indicator.code}={self.value}"

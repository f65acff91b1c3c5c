"""The firms of the district."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fuyang_portal.validators import validate_credit_code, validate_mobile
from fuyang_portal.visibility import ScopedQuerySet


class EnterpriseQuerySet(ScopedQuerySet):
    def scope_township(self, user):
        return self.filter(township_id=user.township_id)

    def scope_agency(self, user):
        # An agency follows the firms of the township it is bound to (组团捆绑).
        return self.filter(township__paired_agencies=user.agency_id)

    def scope_specialist(self, user):
        # Specialists see the firms assigned to them; the assignment model lives in specialists/.
        return self.none()

    def scope_enterprise(self, user):
        return self.filter(pk=user.enterprise_id)


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail")
    G = "G", _("G Transport, storage and post")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water conservancy, environment and public facilities")
    O = "O", _("O Resident services, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration and social organisations")
    T = "T", _("T International organisations")


class Scale(models.TextChoices):
    ABOVE_SCALE = "above_scale", _("Above-scale industrial (规上工业)")
    SME = "sme", _("Small or medium enterprise (中小微)")
    INDIVIDUAL = "individual", _("Individual business (个体工商户)")


class EnterpriseTag(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("enterprise tag")
        verbose_name_plural = _("enterprise tags")

    def __str__(self):
        return self.name


class Enterprise(models.Model):
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(fields=["township", "scale"], name="enterprise_township_scale_idx")]
        constraints = [
            # A firm sits in a village or in a community, not both.
            models.CheckConstraint(
                name="enterprise_one_locality",
                condition=Q(village__isnull=True) | Q(community__isnull=True),
            )
        ]

    def __str__(self):
        return self.name

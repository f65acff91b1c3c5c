"""The district's places and bodies: townships, communities, villages, agencies and their pairings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fuyang_portal.links import key_url
from fuyang_portal.visibility import ReferenceQuerySet


class Township(models.Model):
    """One of the 24 townships (镇街): 5 街道 (subdistricts), 13 镇 (towns) and 6 乡 (rural townships)."""

    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")
        TOWN = "town", _("Town (镇)")
        TOWNSHIP = "township", _("Rural township (乡)")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("township")
        verbose_name_plural = _("townships")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return key_url("places:township", self.pk)


class Community(models.Model):
    """An urban community (社区); each is paired with an agency to form a contest group."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="communities", verbose_name=_("township"))
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=50)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="community_unique_name_in_township")]

    def __str__(self):
        return f"{self.township.name}·{self.name}"


class Village(models.Model):
    """An administrative village (行政村)."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("township"))
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=50)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["township__sort_order", "code"]
        verbose_name = _("administrative village")
        verbose_name_plural = _("administrative villages")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="village_unique_name_in_township")]

    def __str__(self):
        return f"{self.township.name}·{self.name}"


class Agency(models.Model):
    """A district agency (区级机关), bound to one township under 组团捆绑."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    name_en = models.CharField(_("English name"), max_length=120)
    paired_township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        related_name="paired_agencies",
        verbose_name=_("paired township"),
        help_text=_("The township this agency is bound to (组团捆绑)."),
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district agency")
        verbose_name_plural = _("district agencies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return key_url("places:township", self.pk)


class CommunityGroup(models.Model):
    """A community-agency group (社区与机关捆绑组团): one of the 50 units of the contest's middle level."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    community = models.OneToOneField(Community, on_delete=models.PROTECT, related_name="group", verbose_name=_("community"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="community_groups", verbose_name=_("agency"))

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("community-agency group")
        verbose_name_plural = _("community-agency groups")

    def __str__(self):
        return f"{self.community.name} + {self.agency.name}"

    @property
    def township(self):
        return self.community.township

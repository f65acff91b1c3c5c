"""Named counters for the numbers people read (batch numbers, references): one locked row per name."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fuyang_portal.visibility import PrivateQuerySet


class Counter(models.Model):
    name = models.CharField(_("name"), max_length=80, primary_key=True)
    value = models.PositiveBigIntegerField(_("last value"), default=0)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.name}: {self.value}"

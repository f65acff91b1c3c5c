from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT = "district", _("District office")
    TOWNSHIP = "township", _("Township staff")
    AGENCY = "agency", _("Agency staff")
    SPECIALIST = "specialist", _("Service specialist")
    ENTERPRISE = "enterprise", _("Enterprise")

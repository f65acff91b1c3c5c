from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT = "district", _("District office")
    TOWNSHIP = "township", _("Township staff")
    AGENCY = "agency", _("Agency staff")
    SPECIALIST = "specialist", _("Service specialist")
    ENTERPRISE = "enterprise", _("Enterprise")
    # Bodies outside the district that work with it: a paired county's labour office, a clinic named by a
    # township. Each account's scope (which county, which clinic) is kept by the app that works with it.
    COUNTY = "county", _("Partner county labour office")
    CLINIC = "clinic", _("Clinic")

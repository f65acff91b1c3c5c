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
    # The three administrators of 等保 2.0 level 3, separated: no account holds two of these duties, and none of
    # them works on the business records.
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Security auditor")


# Administrators sign in with a second factor, as the district office does (fuyang_portal/second_factor.py).
ADMINISTRATORS = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
SECOND_FACTOR_ROLES = (Role.DISTRICT,) + ADMINISTRATORS

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "labour"
    verbose_name = _("Labour matching")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = []

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = _("Relief policies")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = []

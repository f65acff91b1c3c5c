from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Township programmes")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = []

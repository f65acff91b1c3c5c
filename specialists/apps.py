from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpecialistsConfig(AppConfig):
    name = "specialists"
    verbose_name = _("Service specialists")
    default_auto_field = "django.db.models.BigAutoField"

    # Menu entries (fuyang_portal.navigation.NavItem) and home_cards(user) are added here.
    nav_items = []

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies and worker return")
    default_auto_field = "django.db.models.BigAutoField"

    # Menu entries (fuyang_portal.navigation.NavItem) and home_cards(user) are added here.
    nav_items = []

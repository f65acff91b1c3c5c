from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")
    default_auto_field = "django.db.models.BigAutoField"

    # Menu entries (fuyang_portal.navigation.NavItem) and home_cards(user) are added here.
    nav_items = []

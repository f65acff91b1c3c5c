from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaderboardConfig(AppConfig):
    name = "leaderboard"
    verbose_name = _("Weekly contest")
    default_auto_field = "django.db.models.BigAutoField"

    # Menu entries (fuyang_portal.navigation.NavItem) and home_cards(user) are added here.
    nav_items = []

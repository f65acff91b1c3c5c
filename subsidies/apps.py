from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fuyang_portal.navigation import Card, NavItem
from fuyang_portal.roles import Role

FIRMS = (Role.DISTRICT, Role.TOWNSHIP, Role.ENTERPRISE)


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies and worker return")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = [
        NavItem(_("Worker return"), "subsidies:registrations", FIRMS, order=40),
        NavItem(_("Charter trips"), "subsidies:trips", FIRMS, order=41),
        NavItem(_("Charter subsidy claims"), "subsidies:claims", FIRMS, order=42),
        NavItem(_("Payouts"), "subsidies:payouts", (Role.DISTRICT,), order=43),
        NavItem(_("Charter statistics"), "subsidies:statistics", (Role.DISTRICT,), order=44),
    ]

    def home_cards(self, user):
        from fuyang_portal.navigation import role_of
        from subsidies.models import SubsidyClaim, WorkerRegistration

        if role_of(user) not in SubsidyClaim.objects.open_roles():
            return []
        claims = SubsidyClaim.objects.visible_to(user)
        S = SubsidyClaim.Status
        if user.is_district:
            status, label = S.TOWNSHIP_APPROVED, _("Charter claims awaiting district decision")
        elif user.role == Role.TOWNSHIP:
            status, label = S.SUBMITTED, _("Charter claims awaiting township check")
        else:
            status, label = S.RETURNED, _("Charter claims returned for correction")
        waiting = claims.filter(status=status).count()
        needing = WorkerRegistration.objects.visible_to(user).needing_charter().count()
        return [
            Card(label, waiting, reverse("subsidies:claims") + f"?status={status}", tone="warning" if waiting else "primary"),
            Card(_("Workers waiting for a charter seat"), needing, reverse("subsidies:registrations") + "?not_on_trip=true"),
        ]

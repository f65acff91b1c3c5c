from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fuyang_portal.navigation import Card, NavItem
from fuyang_portal.roles import Role

D, T, A, SP, E = Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST, Role.ENTERPRISE


class SpecialistsConfig(AppConfig):
    name = "specialists"
    verbose_name = _("Service specialists")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = [
        NavItem(_("My firms"), "specialists:my-firms", (SP,), 20),
        NavItem(_("Problem queue"), "specialists:queue", (D, T, A, SP, E), 30),
        NavItem(_("Deadline risk"), "specialists:risk", (D,), 31),
        NavItem(_("Visits"), "specialists:visits", (D, T, SP), 32),
        NavItem(_("Tracked projects"), "specialists:projects", (D, T, SP), 33),
        NavItem(_("Specialists"), "specialists:assignments", (D, T), 34),
        NavItem(_("Our specialists"), "specialists:specialists", (E,), 35),
        NavItem(_("Find a specialist"), "specialists:directory", (E,), 90),
    ]

    def home_cards(self, user):
        from specialists.models import Problem

        role = Role.DISTRICT if user.is_superuser else user.role
        problems = Problem.objects.visible_to(user)
        queue = reverse("specialists:queue")
        if role == D:
            counts = problems.aggregate_counts()
            return [
                Card(_("Escalations to assign"), counts["escalated"], queue, tone="warning"),
                Card(_("Overdue assignments"), counts["overdue"], reverse("specialists:problems") + "?overdue=true", tone="danger"),
                Card(_("Problems solved"), counts["solved"], reverse("specialists:problems"), tone="success"),
            ]
        if role == A:
            # An agency also sees its paired township's problems; its cards count what it was assigned.
            counts = problems.filter(agency_id=user.agency_id).aggregate_counts()
            return [
                Card(_("Our open assignments"), counts["with_agency"], queue, tone="warning"),
                Card(_("Overdue assignments"), counts["overdue"], queue, tone="danger"),
            ]
        if role == SP:
            from enterprises.models import Enterprise

            counts = problems.aggregate_counts()
            return [
                Card(_("My firms"), Enterprise.objects.visible_to(user).count(), reverse("specialists:my-firms")),
                Card(_("My open problems"), counts["raised"] + counts["resolved"], queue, tone="warning"),
            ]
        if role in (E, T):
            counts = problems.aggregate_counts()
            return [Card(_("Open problems"), counts["open"], queue, tone="warning")]
        return []

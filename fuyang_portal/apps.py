from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fuyang_portal.navigation import Card, NavItem
from fuyang_portal.roles import Role


class PortalConfig(AppConfig):
    name = "fuyang_portal"
    verbose_name = _("District core")
    default_auto_field = "django.db.models.BigAutoField"

    nav_label = _("District")
    nav_items = [
        NavItem(_("Townships"), "places:townships", (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY), order=90),
        NavItem(_("Agencies and pairings"), "places:agencies", (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY), order=91),
        NavItem(_("Export requests"), "exports:list", (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST, Role.ENTERPRISE, Role.COUNTY, Role.CLINIC, Role.AUDITOR), order=96),
        NavItem(_("Transition log"), "audit-transitions", (Role.DISTRICT, Role.AUDITOR), order=97),
        NavItem(_("Audit log"), "audit", (Role.AUDITOR,), order=98),
        NavItem(_("Administration"), "admin:index", (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR), order=99),
    ]

    def ready(self):
        from fuyang_portal import reference, signals, tables  # noqa: F401  (signals: the sign-in audit)

        reference.connect()
        tables.install_shortcuts()

    def home_cards(self, user):
        from fuyang_portal.models import Agency, CommunityGroup, Notification, Township, Village

        cards = [Card(_("Unread messages"), Notification.objects.visible_to(user).unread().count(), reverse("inbox"), tone="info")]
        if user.is_district:
            cards += [
                Card(_("Townships"), Township.objects.count(), reverse("places:townships")),
                Card(_("Administrative villages"), Village.objects.count(), reverse("places:townships")),
                Card(_("Community-agency groups"), CommunityGroup.objects.count(), reverse("places:agencies")),
                Card(_("District agencies"), Agency.objects.count(), reverse("places:agencies")),
            ]
        elif user.role == Role.TOWNSHIP:
            township = user.township
            cards += [
                Card(_("Villages in %(name)s") % {"name": township.name}, township.villages.count(), township.get_absolute_url()),
                Card(_("Communities in %(name)s") % {"name": township.name}, township.communities.count(), township.get_absolute_url()),
                Card(_("Paired agencies"), township.paired_agencies.count(), township.get_absolute_url()),
            ]
        elif user.role == Role.AGENCY:
            cards += [Card(_("Paired township"), user.agency.paired_township.name, user.agency.paired_township.get_absolute_url())]
        return cards

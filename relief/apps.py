from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fuyang_portal.navigation import Card, NavItem
from fuyang_portal.roles import Role

STAFF = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST)


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = _("Relief policies")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = [
        NavItem(_("Policies for me"), "relief:mine", (Role.ENTERPRISE,), order=50),
        NavItem(_("Relief policies"), "relief:policies", STAFF + (Role.ENTERPRISE,), order=51),
        NavItem(_("Policy awards"), "relief:awards", (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST, Role.ENTERPRISE), order=52),
        NavItem(_("Policy applications"), "relief:applications", (Role.DISTRICT, Role.TOWNSHIP, Role.SPECIALIST, Role.ENTERPRISE), order=53),
        NavItem(_("Firms to nudge"), "relief:nudge", (Role.SPECIALIST, Role.TOWNSHIP, Role.DISTRICT), order=54),
        NavItem(_("Policy reach"), "relief:statistics", (Role.DISTRICT,), order=55),
    ]

    def ready(self):
        from relief import services

        services.register_award_payable()

    def home_cards(self, user):
        from fuyang_portal.navigation import role_of
        from relief.models import Application, Award

        role = role_of(user)
        if role not in Award.objects.open_roles():
            return []
        awards = Award.objects.visible_to(user)
        pending = awards.filter(status=Award.Status.PENDING).count()
        cards = [Card(
            _("Relief awards awaiting confirmation") if role == Role.ENTERPRISE else _("Relief awards not yet confirmed by their firms"),
            pending, reverse("relief:mine") if role == Role.ENTERPRISE else reverse("relief:nudge"), tone="warning" if pending else "primary",
        )]
        if role == Role.DISTRICT:
            confirmed = awards.filter(status=Award.Status.CONFIRMED).count()
            cards.append(Card(_("Confirmed relief awards awaiting payout"), confirmed, reverse("relief:awards") + "?status=confirmed"))
        if role == Role.TOWNSHIP:
            waiting = Application.objects.visible_to(user).filter(status=Application.Status.SUBMITTED).count()
            cards.append(Card(_("Relief applications awaiting township check"), waiting, reverse("relief:applications") + "?status=submitted"))
        return cards

    def todo(self, user):
        """Firm: awards to confirm. Township: applications to check. District: applications to decide, confirmed
        awards to batch."""
        from fuyang_portal.navigation import Todo, TodoKind, capped, role_of
        from relief.models import Application, Award

        role = role_of(user)
        items = []
        if role == Role.ENTERPRISE:
            kind = TodoKind("relief.confirm", _("Relief awards to confirm"), reverse("relief:mine"))
            rows, total = capped(Award.objects.visible_to(user).filter(status=Award.Status.PENDING).select_related("policy").order_by("created_at", "pk"))
            items += [Todo(_("Confirm your award: %(policy)s (%(amount)s yuan)") % {"policy": a.policy.title, "amount": a.amount},
                           a.get_absolute_url(), kind=kind, since=a.created_at, total=total) for a in rows]
        steps = {Role.TOWNSHIP: (Application.Status.SUBMITTED, _("Relief applications to check")),
                 Role.DISTRICT: (Application.Status.TOWNSHIP_APPROVED, _("Relief applications to decide"))}
        if role in steps:
            status, label = steps[role]
            kind = TodoKind(f"relief.{status}", label, reverse("relief:applications") + f"?status={status}")
            rows, total = capped(Application.objects.visible_to(user).filter(status=status).select_related("enterprise", "policy").order_by("submitted_at", "pk"))
            items += [Todo(f"{a.enterprise.name} · {a.policy.title}", a.get_absolute_url(), kind=kind, since=a.submitted_at, total=total) for a in rows]
        if role == Role.DISTRICT:
            waiting = Award.objects.visible_to(user).filter(status=Award.Status.CONFIRMED).count()
            if waiting:
                kind = TodoKind("relief.payout", _("Confirmed relief awards awaiting payout"), reverse("relief:awards") + "?status=confirmed")
                items.append(Todo(_("Put %(count)s confirmed relief awards in a payout batch") % {"count": waiting}, reverse("relief:batch"), kind=kind))
        return items

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

    def todo(self, user):
        """Township: claims awaiting its check. District office: claims awaiting its decision, approved claims not
        yet in a payout batch. Firm: returned claims to correct."""
        from fuyang_portal import policy
        from fuyang_portal.navigation import Todo, TodoKind, capped, role_of
        from subsidies.models import PayoutBatch, SubsidyClaim

        role = role_of(user)
        if role not in SubsidyClaim.objects.open_roles():
            return []
        S = SubsidyClaim.Status
        claims = SubsidyClaim.objects.visible_to(user).select_related("enterprise")
        steps = {
            # role: (status, the workflow action that decides it, kind, label, the page where it is taken)
            Role.TOWNSHIP: (S.SUBMITTED, "township_approve", _("Charter claims to check"), _("Check the charter claim of %(firm)s (%(amount)s yuan)"), None),
            Role.DISTRICT: (S.TOWNSHIP_APPROVED, "district_approve", _("Charter claims to decide"), _("Decide the charter claim of %(firm)s (%(amount)s yuan)"), None),
            Role.ENTERPRISE: (S.RETURNED, "submit", _("Returned charter claims"), _("Correct and resubmit your charter claim (invoice %(invoice)s)"), "subsidies:claim-edit"),
        }
        items = []
        if role in steps:
            status, action, kind_label, label, page = steps[role]
            kind = TodoKind(f"subsidies.{status}", kind_label, reverse("subsidies:claims") + f"?status={status}")
            rows, total = capped(claims.filter(status=status).order_by("submitted_at", "pk"))
            for claim in rows:
                if action in policy.allowed_actions(user, claim):
                    items.append(Todo(
                        label % {"firm": claim.enterprise.name, "amount": claim.subsidy_amount or claim.invoice_amount, "invoice": claim.invoice_number},
                        reverse(page, args=[claim.pk]) if page else claim.get_absolute_url(),
                        kind=kind, since=claim.submitted_at, total=total, hint=claim.review_comment if role == Role.ENTERPRISE else "",
                    ))
        if role == Role.DISTRICT and policy.can(user, "create", model=PayoutBatch) and policy.can(user, "batch", model=SubsidyClaim):
            waiting = claims.filter(status=S.DISTRICT_APPROVED, payout_item__isnull=True).count()
            if waiting:
                kind = TodoKind("subsidies.payout", _("Approved claims awaiting payout"), reverse("subsidies:claims") + f"?status={S.DISTRICT_APPROVED}")
                items.append(Todo(
                    _("Put %(count)s approved claims in a payout batch") % {"count": waiting}, reverse("subsidies:payout-create"), kind=kind,
                ))
        return items

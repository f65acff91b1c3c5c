from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")
    default_auto_field = "django.db.models.BigAutoField"

    @property
    def nav_items(self):
        from fuyang_portal.navigation import NavItem
        from fuyang_portal.roles import Role

        staff = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST)
        # Few entries per role (the menu is shared with the other apps); the rest is reached from these pages.
        return [
            NavItem(_("Enterprises"), "enterprises:list", staff, 20),
            NavItem(_("My firm"), "enterprises:mine", (Role.ENTERPRISE,), 20),
            NavItem(_("Review queue"), "enterprises:queue", (Role.TOWNSHIP,), 21),
            NavItem(_("Resumption"), "enterprises:requests", (Role.ENTERPRISE,), 21),
            NavItem(_("Resumption rates"), "enterprises:stats", (Role.DISTRICT, Role.AGENCY), 22),
            NavItem(_("Daily report"), "enterprises:report-new", (Role.ENTERPRISE,), 23),
            NavItem(_("Passes"), "enterprises:passes", (Role.DISTRICT, Role.TOWNSHIP, Role.ENTERPRISE), 24),
        ]

    def home_cards(self, user):
        from django.db.models import Count, Exists, OuterRef, Q
        from django.urls import reverse
        from fuyang_portal import clock

        from enterprises.models import AWAITING_REVIEW, DailyReport, Enterprise, Pass, PassStatus, ResumptionRequest, Scale
        from fuyang_portal.navigation import Card
        from fuyang_portal.roles import Role

        if not user.is_authenticated:
            return []
        role = Role.DISTRICT if user.is_superuser else user.role
        now = clock.now()
        cards = []
        if role in (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY):
            resumed = Exists(ResumptionRequest.objects.approved_before(now).filter(enterprise=OuterRef("pk")))
            firms = Enterprise.objects.visible_to(user).aggregate(
                total=Count("pk"),
                resumed=Count("pk", filter=Q(resumed)),
                above=Count("pk", filter=Q(scale=Scale.ABOVE_SCALE)),
                above_resumed=Count("pk", filter=Q(resumed, scale=Scale.ABOVE_SCALE)),
            )
            cards.append(Card(_("Firms resumed"), f"{firms['resumed']} / {firms['total']}", reverse("enterprises:stats")))
            cards.append(
                Card(_("Above-scale firms resumed"), f"{firms['above_resumed']} / {firms['above']}", reverse("enterprises:stats"), tone="success")
            )
        if role in (Role.DISTRICT, Role.TOWNSHIP):
            waiting = ResumptionRequest.objects.visible_to(user).filter(status__in=AWAITING_REVIEW).count()
            cards.append(Card(_("Requests to review"), waiting, reverse("enterprises:queue"), tone="warning"))
            passes = Pass.objects.visible_to(user).aggregate(
                issued=Count("pk", filter=Q(issued_at__isnull=False)), pending=Count("pk", filter=Q(status=PassStatus.PENDING))
            )
            cards.append(Card(_("Passes issued"), passes["issued"], reverse("enterprises:passes")))
            cards.append(Card(_("Passes to approve"), passes["pending"], reverse("enterprises:pass-queue"), tone="warning"))
        if role == Role.ENTERPRISE:
            latest = ResumptionRequest.objects.visible_to(user).order_by("-created_at").first()
            cards.append(
                Card(
                    _("My resumption request"),
                    latest.get_status_display() if latest else _("Not filed"),
                    latest.get_absolute_url() if latest else reverse("enterprises:request-new"),
                    hint=latest.return_reason if latest and latest.return_reason else "",
                )
            )
            reported = DailyReport.objects.visible_to(user).filter(date=clock.today()).exists()
            cards.append(
                Card(_("Today's report"), _("Done") if reported else _("Not yet"), reverse("enterprises:report-new"), tone="success" if reported else "danger")
            )
            issued = Pass.objects.visible_to(user).filter(status=PassStatus.ISSUED).count()
            cards.append(Card(_("Passes valid now"), issued, reverse("enterprises:passes")))
        return cards

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
            from enterprises.services import filing_blocker

            # The approved (or awaiting) request wins over any later draft: that is the firm's standing.
            mine = ResumptionRequest.objects.visible_to(user)
            latest = filing_blocker(user.enterprise_id, mine) or mine.order_by("-created_at").first()
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

    def todo(self, user):
        """Township: requests to review (oldest first, due the working day after submission) and passes to
        issue (due the day they should be valid). Firm: a returned request to correct, today's report."""
        from django.db.models import Exists, OuterRef
        from django.urls import reverse
        from django.utils import timezone

        from enterprises.models import AWAITING_REVIEW, DailyReport, Enterprise, Pass, PassStatus, ResumptionRequest, ResumptionStatus
        from fuyang_portal import clock, policy
        from fuyang_portal.navigation import Todo, TodoKind, capped, role_of
        from fuyang_portal.roles import Role

        role = role_of(user)
        items = []
        if role == Role.TOWNSHIP and policy.can(user, "approve", model=ResumptionRequest):
            kind = TodoKind("enterprises.review", _("Resumption requests to review"), reverse("enterprises:queue"))
            rows, total = capped(
                ResumptionRequest.objects.visible_to(user)
                .filter(status__in=AWAITING_REVIEW)
                .select_related("enterprise")
                .order_by("submitted_at", "pk")
            )
            for request in rows:
                if "approve" not in policy.allowed_actions(user, request):
                    continue
                submitted = request.submitted_at and timezone.localtime(request.submitted_at).date()
                items.append(Todo(
                    _("Review the resumption request of %(firm)s") % {"firm": request.enterprise.name},
                    request.get_absolute_url(),
                    due=_next_working_day(submitted) if submitted else None,
                    kind=kind, since=request.submitted_at, total=total,
                    hint=request.get_status_display(),
                ))
        if role == Role.TOWNSHIP and policy.can(user, "issue", model=Pass):
            kind = TodoKind("enterprises.passes", _("Passes to approve"), reverse("enterprises:pass-queue"))
            rows, total = capped(
                Pass.objects.visible_to(user).filter(status=PassStatus.PENDING).select_related("enterprise").order_by("valid_from", "applied_at", "pk")
            )
            for item in rows:
                if "issue" in policy.allowed_actions(user, item):
                    items.append(Todo(
                        _("Approve the %(kind)s for %(holder)s (%(firm)s)")
                        % {"kind": item.get_kind_display(), "holder": item.holder_display, "firm": item.enterprise.name},
                        item.get_absolute_url(), due=item.valid_from, kind=kind, since=item.applied_at, total=total,
                    ))
        if role == Role.ENTERPRISE and policy.can(user, "change", model=ResumptionRequest):
            kind = TodoKind("enterprises.returned", _("Returned resumption requests"), reverse("enterprises:requests"))
            rows, total = capped(
                ResumptionRequest.objects.visible_to(user).filter(status=ResumptionStatus.RETURNED).select_related("enterprise").order_by("updated_at", "pk")
            )
            for request in rows:
                if "resubmit" in policy.allowed_actions(user, request):
                    items.append(Todo(
                        _("Correct and resubmit your resumption request"), reverse("enterprises:request-edit", args=[request.pk]),
                        kind=kind, since=request.updated_at, total=total, hint=request.return_reason,
                    ))
        if role == Role.ENTERPRISE and policy.can(user, "create", model=DailyReport):
            # A resumed firm reports its headcount every day.
            today = clock.today()
            missing = (
                Enterprise.objects.visible_to(user)
                .resumed_as_of(clock.now())
                .exclude(Exists(DailyReport.objects.filter(enterprise=OuterRef("pk"), date=today)))
                .exists()
            )
            if missing:
                kind = TodoKind("enterprises.report", _("Today's headcount report"), reverse("enterprises:report-new"))
                items.append(Todo(_("File today's headcount report"), reverse("enterprises:report-new"), due=today, kind=kind))
        return items


def _next_working_day(day):
    """The first working day after ``day`` by China's official calendar (Monday to Friday for a year it does
    not cover yet)."""
    from datetime import timedelta

    import chinese_calendar

    current = day + timedelta(days=1)
    while True:
        try:
            working = chinese_calendar.is_workday(current)
        except NotImplementedError:
            working = current.weekday() < 5
        if working:
            return current
        current += timedelta(days=1)

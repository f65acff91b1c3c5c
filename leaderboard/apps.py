from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fuyang_portal.navigation import Card, NavItem
from fuyang_portal.roles import Role


class LeaderboardConfig(AppConfig):
    name = "leaderboard"
    verbose_name = _("Weekly contest")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = [
        NavItem(_("Red and black lists"), "leaderboard:public", order=60),
        NavItem(_("Contest weeks"), "leaderboard:weeks", (Role.DISTRICT,), order=61),
        NavItem(_("Inspection scores"), "leaderboard:inspections", (Role.DISTRICT,), order=62),
        NavItem(_("Indicators"), "leaderboard:indicators", (Role.DISTRICT,), order=63),
        NavItem(_("My contest results"), "leaderboard:mine", (Role.TOWNSHIP,), order=61),
    ]

    def home_cards(self, user):
        from django.urls import reverse

        from fuyang_portal import policy

        from .models import ContestWeek, UnitResult

        if not user.is_authenticated:
            return []
        if policy.can(user, "publish", model=ContestWeek):
            drafts = ContestWeek.objects.visible_to(user).filter(status=ContestWeek.Status.DRAFT).count()
            return [Card(_("Contest drafts to publish"), drafts, reverse("leaderboard:weeks") + "?status=draft", tone="warning" if drafts else "success")]
        if user.role == Role.TOWNSHIP:
            week = ContestWeek.objects.visible_to(user).published().filter(level="township").order_by("-week_start").first()
            result = UnitResult.objects.visible_to(user).filter(week=week, unit_id=user.township_id).first() if week else None
            if result is not None and result.rank:
                return [Card(_("Our rank in the weekly contest"), result.rank, reverse("leaderboard:mine"), hint=week.week_start.isoformat())]
        return []

    def todo(self, user):
        """District office: last week's contest, per level, to compute or to publish; due the Monday after it."""
        from datetime import timedelta

        from django.urls import reverse

        from fuyang_portal import clock, policy
        from fuyang_portal.metrics import Level, week_of
        from fuyang_portal.navigation import Todo, TodoKind

        from .models import ContestWeek

        if not (user.is_authenticated and policy.can(user, "compute", model=ContestWeek)):
            return []
        this_monday = week_of(clock.today())[0]
        last_monday = this_monday - timedelta(days=7)
        revisions = {}
        for week in ContestWeek.objects.visible_to(user).filter(week_start=last_monday).exclude(status=ContestWeek.Status.SUPERSEDED):
            revisions.setdefault(week.level, []).append(week)
        kind = TodoKind("leaderboard.weeks", _("Contest weeks to publish"), reverse("leaderboard:weeks"))
        items = []
        for level, level_label in Level.choices:
            weeks = revisions.get(level, [])
            if any(week.status == ContestWeek.Status.PUBLISHED for week in weeks):
                continue
            draft = next((week for week in weeks if week.status == ContestWeek.Status.DRAFT), None)
            values = {"level": level_label, "week": last_monday.isoformat()}
            if draft is None:
                items.append(Todo(_("Compute the contest of the week of %(week)s: %(level)s") % values, reverse("leaderboard:compute"), due=this_monday, kind=kind))
            elif "publish" in policy.allowed_actions(user, draft):
                items.append(Todo(_("Publish the contest of the week of %(week)s: %(level)s") % values, draft.get_absolute_url(), due=this_monday, kind=kind))
        return items

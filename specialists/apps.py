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
        NavItem(_("Agency scorecard"), "specialists:scorecard", (D, A), 31),
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
                Card(_("Returns to review"), counts["returned"], queue, tone="warning"),
                Card(_("Callbacks to make"), counts["to_call_back"], reverse("specialists:problems") + "?status=resolved&status=answered"),
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

    def todo(self, user):
        """District office: escalations to assign (交办) and extensions to decide. Agency: its assigned problems
        to sign for or answer, by deadline. Specialist: its firms' problems to resolve or escalate (those the
        firm reopened among them) and tracked projects' next steps due this week. Firm: answers to confirm."""
        from enterprises.models import Enterprise
        from fuyang_portal import clock, policy
        from fuyang_portal.metrics import week_of
        from fuyang_portal.navigation import Todo, TodoKind, capped, role_of
        from django.db.models import F, Max, Q

        from specialists.models import Problem, TrackedProject, Visit

        S = Problem.Status
        role = role_of(user)
        problems = Problem.objects.visible_to(user).select_related("enterprise")
        action = lambda problem, slug: reverse("specialists:problem-action", args=[problem.pk, slug])  # noqa: E731
        items = []

        def add(kind, rows, total, allowed, make):
            for problem in rows:
                if allowed(problem):
                    items.append(make(problem, kind, total))

        if role == D and policy.can(user, "assign", model=Problem):
            kind = TodoKind("specialists.assign", _("Escalations to assign"), reverse("specialists:queue"))
            rows, total = capped(problems.filter(status=S.ESCALATED).order_by("escalated_at", "pk"))
            add(kind, rows, total, lambda p: "assign" in policy.allowed_actions(user, p), lambda p, k, t: Todo(
                _("Assign problem #%(pk)s of %(firm)s to an agency") % {"pk": p.pk, "firm": p.enterprise.name},
                action(p, "assign"), kind=k, since=p.escalated_at, total=t, hint=p.get_category_display(),
            ))
            kind = TodoKind("specialists.extensions", _("Extensions to decide"), reverse("specialists:queue"))
            rows, total = capped(
                problems.filter(status__in=Problem.AGENCY_STATES, extension=Problem.Extension.REQUESTED).order_by("deadline", "pk")
            )
            add(kind, rows, total, lambda p: "grant_extension" in policy.allowed_actions(user, p), lambda p, k, t: Todo(
                _("Decide the extension asked for problem #%(pk)s of %(firm)s") % {"pk": p.pk, "firm": p.enterprise.name},
                p.get_absolute_url(), due=p.deadline, kind=k, total=t,
            ))
        if role == D and policy.can(user, "callback", model=Problem):
            kind = TodoKind("specialists.returns", _("Returns to review"), reverse("specialists:queue"))
            rows, total = capped(problems.filter(status=S.RETURNED).order_by("returned_at", "pk"))
            add(kind, rows, total, lambda p: "accept_return" in policy.allowed_actions(user, p), lambda p, k, t: Todo(
                _("Review the return of problem #%(pk)s of %(firm)s") % {"pk": p.pk, "firm": p.enterprise.name},
                action(p, "review-return"), kind=k, since=p.returned_at, total=t, hint=p.return_reason[:60],
            ))
            kind = TodoKind("specialists.callbacks", _("Callbacks to make"), reverse("specialists:problems") + "?status=resolved&status=answered")
            rows, total = capped(problems.filter(status__in=Problem.HANDLED_STATES).order_by("callback_due", "pk"))
            add(kind, rows, total, lambda p: True, lambda p, k, t: Todo(
                _("Call %(firm)s back about problem #%(pk)s") % {"pk": p.pk, "firm": p.enterprise.name},
                action(p, "callback"), due=p.callback_due, kind=k, total=t, hint=p.get_category_display(),
            ))
        if role == T and policy.can(user, "pass_up", model=Problem):
            kind = TodoKind("specialists.township", _("Problems referred to the township"), reverse("specialists:queue"))
            rows, total = capped(problems.filter(status=S.TOWNSHIP, enterprise__township_id=user.township_id).order_by("deadline", "pk"))
            add(kind, rows, total, lambda p: True, lambda p, k, t: Todo(
                _("Resolve or pass up problem #%(pk)s of %(firm)s") % {"pk": p.pk, "firm": p.enterprise.name},
                p.get_absolute_url(), due=p.deadline, kind=k, since=p.referred_at, total=t, hint=p.get_category_display(),
            ))
        if role == A and policy.can(user, "answer", model=Problem):
            kind = TodoKind("specialists.agency", _("Problems assigned to us"), reverse("specialists:queue"))
            rows, total = capped(
                problems.filter(agency_id=user.agency_id, status__in=Problem.AGENCY_STATES).order_by("deadline", "assigned_at", "pk")
            )
            labels = {
                S.ASSIGNED: ("accept", _("Sign for problem #%(pk)s of %(firm)s")),
                S.ACCEPTED: ("answer", _("Answer problem #%(pk)s of %(firm)s")),
            }
            add(kind, rows, total, lambda p: labels[p.status][0] in policy.allowed_actions(user, p), lambda p, k, t: Todo(
                labels[p.status][1] % {"pk": p.pk, "firm": p.enterprise.name},
                action(p, labels[p.status][0]), due=p.deadline, kind=k, since=p.assigned_at, total=t, hint=p.get_category_display(),
            ))
        if role == SP and policy.can(user, "resolve", model=Problem):
            # Only the firms the specialist serves today: the policy lets them resolve or escalate nothing else.
            served = Enterprise.objects.visible_to(user)
            kind = TodoKind("specialists.raised", _("Problems to resolve or escalate"), reverse("specialists:queue"))
            rows, total = capped(problems.filter(status=S.RAISED, enterprise__in=served).order_by("raised_at", "pk"))
            add(kind, rows, total, lambda p: True, lambda p, k, t: Todo(
                (_("Problem #%(pk)s reopened by %(firm)s") if p.reopen_count else _("Resolve or escalate problem #%(pk)s of %(firm)s"))
                % {"pk": p.pk, "firm": p.enterprise.name},
                p.get_absolute_url(), kind=k, since=p.raised_at, total=t, hint=p.get_category_display(),
            ))
            if policy.can(user, "create", model=Visit):
                # The firms it serves that it has not visited this week, the longest unvisited first.
                monday, sunday = week_of(clock.today())
                kind = TodoKind("specialists.visits", _("Firms to visit this week"), reverse("specialists:my-firms"))
                last = Max("specialist_visits__visited_on", filter=Q(specialist_visits__specialist__user_id=user.pk))
                rows, total = capped(
                    served.annotate(last_visit=last).filter(Q(last_visit__lt=monday) | Q(last_visit__isnull=True))
                    .order_by(F("last_visit").asc(nulls_first=True), "pk")
                )
                items.extend(
                    Todo(
                        _("Visit %(firm)s") % {"firm": firm.name},
                        reverse("specialists:visit-new") + f"?enterprise={firm.pk}", due=sunday, kind=kind, total=total,
                        hint=_("last visit %(day)s") % {"day": firm.last_visit} if firm.last_visit else _("not visited yet"),
                    )
                    for firm in rows
                )
            if policy.can(user, "change", model=TrackedProject):
                kind = TodoKind("specialists.projects", _("Project steps due"), reverse("specialists:projects"))
                rows, total = capped(
                    TrackedProject.objects.visible_to(user)
                    .filter(specialist__user_id=user.pk, enterprise__in=served, due_on__lte=week_of(clock.today())[1])
                    .exclude(stage=TrackedProject.Stage.PRODUCTION)
                    .order_by("due_on", "pk")
                )
                items.extend(
                    Todo(
                        _("%(project)s: %(step)s") % {"project": project.name, "step": project.next_step or _("next step")},
                        reverse("specialists:project-edit", args=[project.pk]), due=project.due_on, kind=kind, total=total,
                    )
                    for project in rows
                )
        if role == E and policy.can(user, "confirm", model=Problem):
            kind = TodoKind("specialists.confirm", _("Answers to confirm"), reverse("specialists:queue"))
            rows, total = capped(problems.filter(status__in=(S.RESOLVED, S.ANSWERED)).order_by("answered_at", "resolved_at", "pk"))
            add(kind, rows, total, lambda p: "confirm" in policy.allowed_actions(user, p), lambda p, k, t: Todo(
                _("Confirm the answer to problem #%(pk)s") % {"pk": p.pk},
                p.get_absolute_url(), kind=k, since=p.answered_at or p.resolved_at, total=t, hint=p.get_category_display(),
            ))
        return items

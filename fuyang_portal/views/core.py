"""The core pages: home per role, the inbox, places and pairings, the audit log."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Case, CharField, Count, F, Max, Prefetch, Q, Value, When
from django.db.models.functions import Left, StrIndex
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fuyang_portal import clock
from fuyang_portal.discovery import app_modules
from fuyang_portal.filters import AgencyFilter, AuditEventFilter, TownshipFilter, TransitionFilter
from fuyang_portal.models import Agency, AuditEvent, CommunityGroup, Notification, Township, Transition
from fuyang_portal.navigation import cards_for, todos_for
from fuyang_portal.notify import forget_unread_count
from fuyang_portal.roles import Role
from fuyang_portal.tables import AgencyTable, AuditEventTable, TownshipTable, TransitionTable
from fuyang_portal.views.generic import ObjectDetailView, ObjectListView, RoleRequiredMixin

STAFF_ROLES = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)


@login_required
def home(request):
    """The user's work today: the to-do list by urgency, the charts the apps offer this role, the count cards."""
    todos, more = todos_for(request.user)
    charts = []
    for _config, module in app_modules("dashboards"):
        charts.extend(module.charts(request.user))
    return render(request, "fuyang_portal/home.html", {"todos": todos, "todo_more": more, "charts": charts, "cards": cards_for(request.user)})


# Unread messages older than this fold into one line per kind.
STALE_AFTER = timedelta(days=1)
INBOX_SIZE = 100


def _with_kind(notifications):
    """Annotate each message's ``kind``: its title up to the first colon (ASCII or full-width), so "Resumption
    request to review: 某某公司" is of the kind "Resumption request to review"; the whole title when it has none.
    Computed in the database, so that folding is a GROUP BY."""
    return notifications.alias(ascii_colon=StrIndex("title", Value(":")), wide_colon=StrIndex("title", Value("："))).annotate(
        kind=Case(
            When(Q(ascii_colon__gt=0) & (Q(wide_colon=0) | Q(ascii_colon__lt=F("wide_colon"))), then=Left("title", F("ascii_colon") - 1)),
            When(wide_colon__gt=0, then=Left("title", F("wide_colon") - 1)),
            default=F("title"),
            output_field=CharField(),
        )
    )


@login_required
def inbox(request):
    """The user's messages, newest first; unread messages of one kind older than a day fold into one line with
    their count (``?kind=`` lists one kind's messages unfolded). Two queries whatever the inbox holds."""
    mine = _with_kind(Notification.objects.visible_to(request.user))
    kind = request.GET.get("kind", "")
    if kind:
        return render(request, "fuyang_portal/inbox.html", {"entries": mine.filter(kind=kind)[:INBOX_SIZE], "kind": kind})
    # Age by the business clock, like every other "now" of a page.
    stale = Q(read_at__isnull=True, created_at__lt=clock.now() - STALE_AFTER)
    folds = [
        {"folded": True, **row}
        for row in mine.filter(stale).values("kind").annotate(count=Count("pk"), latest=Max("created_at")).filter(count__gt=1).order_by()
    ]
    singles = mine.exclude(stale & Q(kind__in=[row["kind"] for row in folds]))[:INBOX_SIZE]
    entries = sorted([*singles, *folds], key=lambda entry: _created(entry), reverse=True)
    return render(request, "fuyang_portal/inbox.html", {"entries": entries})


def _created(entry):
    return entry["latest"] if isinstance(entry, dict) else entry.created_at


@login_required
@require_POST
def mark_read(request, pk=None):
    notifications = Notification.objects.visible_to(request.user).unread()
    if pk is not None:
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        notifications = notifications.filter(pk=notification.pk)
    if notifications.update(read_at=clock.now()):
        forget_unread_count([request.user.pk])  # the header's count, cached per user
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("inbox")


class TownshipListView(ObjectListView):
    model = Township
    roles = STAFF_ROLES
    table_class = TownshipTable
    filterset_class = TownshipFilter
    title = _("Townships")

    def get_queryset(self):
        return super().get_queryset().annotate(
            village_count=Count("villages", distinct=True),
            community_count=Count("communities", distinct=True),
            agency_count=Count("paired_agencies", distinct=True),
        ).order_by("sort_order", "code")


class TownshipDetailView(ObjectDetailView):
    model = Township
    roles = STAFF_ROLES
    template_name = "fuyang_portal/township_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related(
            "villages",
            Prefetch("communities__group", queryset=CommunityGroup.objects.select_related("agency")),
            "paired_agencies",
        )


class AgencyListView(ObjectListView):
    model = Agency
    roles = STAFF_ROLES
    table_class = AgencyTable
    filterset_class = AgencyFilter
    title = _("Agencies and pairings")

    def get_queryset(self):
        return super().get_queryset().select_related("paired_township").annotate(group_count=Count("community_groups")).order_by("code")


class AuditLogView(ObjectListView):
    model = AuditEvent
    roles = (Role.AUDITOR,)
    table_class = AuditEventTable
    filterset_class = AuditEventFilter
    title = _("Audit log")
    paginate_by = 50
    actions_template = "fuyang_portal/_audit_links.html"


class TransitionLogView(ObjectListView):
    """The other half of the audit trail: every state change (who, when, from what to what, with the comment)."""

    model = Transition
    roles = (Role.DISTRICT, Role.AUDITOR)
    table_class = TransitionTable
    filterset_class = TransitionFilter
    title = _("Transition log")
    paginate_by = 50
    actions_template = "fuyang_portal/_audit_links.html"

    def get_queryset(self):
        return super().get_queryset().select_related("content_type", "actor").order_by("-at", "-pk")

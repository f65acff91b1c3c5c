"""The core pages: home per role, the inbox, places and pairings, the audit log."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fuyang_portal.filters import AgencyFilter, AuditEventFilter, TownshipFilter, TransitionFilter
from fuyang_portal.models import Agency, AuditEvent, CommunityGroup, Notification, Township, Transition
from fuyang_portal.navigation import cards_for
from fuyang_portal.roles import Role
from fuyang_portal.tables import AgencyTable, AuditEventTable, TownshipTable, TransitionTable
from fuyang_portal.views.generic import ObjectDetailView, ObjectListView, RoleRequiredMixin

STAFF_ROLES = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY)


@login_required
def home(request):
    return render(request, "fuyang_portal/home.html", {"cards": cards_for(request.user)})


@login_required
def inbox(request):
    notifications = Notification.objects.visible_to(request.user)[:100]
    return render(request, "fuyang_portal/inbox.html", {"notifications": notifications})


@login_required
@require_POST
def mark_read(request, pk=None):
    notifications = Notification.objects.visible_to(request.user).unread()
    if pk is not None:
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        notifications = notifications.filter(pk=notification.pk)
    notifications.update(read_at=timezone.now())
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
    roles = (Role.DISTRICT,)
    table_class = AuditEventTable
    filterset_class = AuditEventFilter
    title = _("Audit log")
    paginate_by = 50
    actions_template = "fuyang_portal/_audit_links.html"


class TransitionLogView(ObjectListView):
    """The other half of the audit trail: every state change (who, when, from what to what, with the comment)."""

    model = Transition
    roles = (Role.DISTRICT,)
    table_class = TransitionTable
    filterset_class = TransitionFilter
    title = _("Transition log")
    paginate_by = 50
    actions_template = "fuyang_portal/_audit_links.html"

    def get_queryset(self):
        return super().get_queryset().select_related("content_type", "actor").order_by("-at", "-pk")

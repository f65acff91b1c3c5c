"""Pages of the approved exports of personal data (fuyang_portal.export_approvals): the requests (the requester's
own; the district office's all, to decide), the request form a list's export button leads to, one request with
its history, approve / refuse, and the one download."""

import copy

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from fuyang_portal import export_approvals, policy
from fuyang_portal.models import ExportRequest
from fuyang_portal.views.generic import (
    ActionFormView,
    ObjectDetailView,
    ObjectListView,
    ScopedMixin,
)
from fuyang_portal.workflow import ActionRefused

STATUS_FOR = {export_approvals.GONE: 410, ActionRefused.INVALID: 400, ActionRefused.FORBIDDEN: 403, ActionRefused.CONFLICT: 409}


# --- producing the file ------------------------------------------------------------------------------------


def producer(request):
    """``produce(export)`` for the download service: the list page itself answers the export's path, filters and
    format, as the signed-in user (the requester), marked as the approved export so that it streams the file."""

    def produce(export):
        match = resolve(export.path)
        listing = copy.copy(request)
        listing.method = "GET"
        listing.GET = QueryDict(export.query, mutable=True)
        listing.GET[export_approvals.TRIGGER] = export.format
        listing.path = listing.path_info = export.path
        listing.META = {**request.META, "REQUEST_METHOD": "GET", "PATH_INFO": export.path, "QUERY_STRING": listing.GET.urlencode()}
        listing.resolver_match = match
        listing.approved_export = export
        return match.func(listing, *match.args, **match.kwargs)

    return produce


def as_download(response):
    """The file as a one-off stream: never cached, never kept for an idempotent replay (a second copy)."""
    streamed = StreamingHttpResponse(iter([response.content]), content_type=response["Content-Type"])
    streamed["Content-Disposition"] = response["Content-Disposition"]
    streamed["Cache-Control"] = "no-store"
    return streamed


# --- pages -------------------------------------------------------------------------------------------------


class ExportRequestTable(tables.Table):
    id = tables.Column(verbose_name="#", linkify=True)
    # The list's name leads (the card's title on a phone) and opens the request.
    list = tables.Column(verbose_name=_("Exported list"), accessor="view_name", orderable=False,
                         linkify=lambda record: record.get_absolute_url())
    requested_by = tables.Column(verbose_name=_("requested by"), accessor="requested_by__display_name", order_by=("requested_by__username",))
    status = tables.Column(verbose_name=_("status"), accessor="state_display", order_by=("status",))

    class Meta:
        model = ExportRequest
        fields = ("list", "id", "format", "requested_by", "created_at", "status", "decided_by", "expires_at", "downloaded_at")

    def render_list(self, record):
        return export_approvals.list_title(record)


class ExportRequestListView(ObjectListView):
    model = ExportRequest
    title = _("Export requests")
    table_class = ExportRequestTable
    filterset_fields = ["status", "format"]
    export_formats = ()

    def get_queryset(self):
        return super().get_queryset().select_related("requested_by", "decided_by")


class ExportRequestForm(forms.Form):
    path = forms.CharField(widget=forms.HiddenInput, max_length=200)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
    format = forms.ChoiceField(label=_("format"), choices=ExportRequest.Format.choices)
    reason = forms.CharField(label=_("Why do you need this export?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The district office reads this before it approves. Once approved, you may download the "
                                         "file once, within the approval window."))


class ExportRequestCreateView(ScopedMixin, FormView):
    model = ExportRequest
    form_class = ExportRequestForm
    template_name = "exports/request_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.can(request.user, "create", model=ExportRequest):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: self.request.GET.get(name, "") for name in ("path", "query", "format")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        path = form["path"].value() or ""
        view_class = export_approvals.list_view(path)
        context.update(
            title=_("Request an export"), list_title=view_class.list_title() if view_class else None, list_url=path if view_class else "",
            filters=export_approvals.describe_filters(path, form["query"].value()),
            hours=export_approvals.approval_hours(),
        )
        return context

    def form_valid(self, form):
        try:
            export = export_approvals.file_request(self.request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Export requested: the district office is told."))
        return redirect(export)


DECISIONS = {
    "approve": ("exports:approve", _("Approve"), "btn-primary"),
    "refuse": ("exports:refuse", _("Refuse"), "btn-outline-danger"),
}


class ExportRequestDetailView(ObjectDetailView):
    model = ExportRequest
    template_name = "exports/detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("requested_by", "decided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allowed = context["allowed_actions"]
        context.update(
            list_title=export_approvals.list_title(self.object),
            filters=export_approvals.describe_filters(self.object.path, self.object.query),
            action_links=[(reverse(name, args=[self.object.pk]), label, style)
                          for action in allowed if action in DECISIONS for name, label, style in [DECISIONS[action]]],
            can_download="download" in allowed and not self.object.expired,
        )
        return context


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RefusalForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ExportApproveView(ActionFormView):
    model = ExportRequest
    action = "approve"
    form_class = DecisionForm
    title = _("Approve the export")
    success_message = _("Approved: the requester may download it once.")

    def perform(self, obj, form):
        export_approvals.approve(obj, self.request.user, form.cleaned_data["note"])


class ExportRefuseView(ActionFormView):
    model = ExportRequest
    action = "refuse"
    form_class = RefusalForm
    title = _("Refuse the export")
    success_message = _("Refused: the requester is told why.")

    def perform(self, obj, form):
        export_approvals.refuse(obj, self.request.user, form.cleaned_data["note"])


class ExportDownloadView(ScopedMixin, View):
    """POST: the one download (a POST, so no link checker or prefetch spends it)."""

    model = ExportRequest
    http_method_names = ["post"]

    def post(self, request, pk):
        export = get_object_or_404(self.get_queryset(), pk=pk)
        if not policy.can(request.user, "download", export):
            raise PermissionDenied
        try:
            return as_download(export_approvals.download(export, request.user, producer(request)))
        except ActionRefused as refusal:
            return render(request, "fuyang_portal/refused.html", {"message": refusal.message}, status=STATUS_FOR.get(refusal.code, 400))

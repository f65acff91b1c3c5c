"""Generic views every app builds its pages from, each starting from ``visible_to(user)``.

``ObjectListView`` is a django-tables2 table with a django-filter filter, sorting, pagination and csv/xlsx
export (a table declaring ``personal_data = True`` exports only through an approved export request, GB/T 35273
§7.1: fuyang_portal.export_approvals); ``ObjectDetailView`` finds one object in the user's scope (404 outside
it) and shows its history; ``ActionFormView`` runs a service and turns ``ActionRefused`` into a form error.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from fuyang_portal import audit, clock, policy
from fuyang_portal.exports import SafeTableExport
from fuyang_portal.models import AuditEvent, Transition
from fuyang_portal.navigation import role_of
from fuyang_portal.tables import KeysFirstPaginator, quick_selects, with_own_fields
from fuyang_portal.workflow import ActionRefused


class RoleRequiredMixin(LoginRequiredMixin):
    """Limit a page to some roles; other signed-in roles get 403 (the page exists, not for them)."""

    roles = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles is not None and role_of(request.user) not in self.roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedMixin(RoleRequiredMixin):
    """A page of ``model``: roles that see none of its rows get 403, objects outside the user's scope 404.
    ``roles`` defaults to the model's open roles (fuyang_portal.visibility), as in the API."""

    model = None

    def dispatch(self, request, *args, **kwargs):
        if self.roles is None and self.model is not None:
            self.roles = self.model.objects.open_roles()
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class ObjectListView(ScopedMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "fuyang_portal/object_list.html"
    paginate_by = 25
    paginator_class = KeysFirstPaginator  # the table's pages: keys first, then the rows of the page
    export_class = SafeTableExport
    export_formats = ("xlsx", "csv")
    title = None
    actions_template = None  # a template with buttons shown above the table

    @classmethod
    def list_title(cls):
        return cls.title or cls.model._meta.verbose_name_plural

    def get_title(self):
        return self.list_title()

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(with_own_fields(filterset_class))
        quick_selects(filterset.form)
        return filterset

    def get_table_data(self):
        # Only the fields the table's cells read, when the table names them (``row_fields``): a page of a wide
        # model then reads and builds a few of its columns, not all of them.
        data = super().get_table_data()
        fields = getattr(self.table_class, "row_fields", None)
        return data.only(*fields) if fields and isinstance(data, QuerySet) else data

    # The table paginates; the list view must not paginate (and count) the same rows a second time.
    def get_paginate_by(self, queryset):
        return None

    def get_table_kwargs(self):
        # An empty list says so, on a desk and on a phone alike.
        return {"empty_text": _("Nothing to show here.") if not self.request.GET else _("Nothing matches these filters."), **super().get_table_kwargs()}

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if pagination is not False and self.paginate_by:
            pagination["per_page"] = self.paginate_by
        return pagination

    # --- export ---------------------------------------------------------------------------------------

    @classmethod
    def export_needs_approval(cls):
        """Rows of private persons (names, ID numbers, mobiles): the table says so with ``personal_data = True``."""
        return bool(getattr(cls.table_class, "personal_data", False))

    @classmethod
    def export_roles(cls):
        """The roles that may open this list (as ``dispatch`` decides), for an export request filed elsewhere."""
        return cls.roles if cls.roles is not None else cls.model.objects.open_roles()

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats and self.export_needs_approval() and not self.approved_export(export_format):
            return self.ask_for_approval(export_format)
        return super().get(request, *args, **kwargs)

    def approved_export(self, export_format):
        """The approved export request being downloaded: set on the request by the download, never by a client."""
        approved = getattr(self.request, "approved_export", None)
        return approved is not None and approved.format == export_format and approved.path == self.request.path_info

    def ask_for_approval(self, export_format):
        """No file: the export is refused (and audited) and the user is taken to the request form for this list."""
        query = self.request.GET.copy()
        query.pop(self.export_trigger_param, None)
        audit.record(AuditEvent.Kind.EXPORT, self.request, target=self.model._meta.label, outcome=AuditEvent.Outcome.FAILURE,
                     detail=f"{export_format} needs approval {query.urlencode()}")
        messages.info(self.request, _("This list holds personal data: its export needs the district office's approval."))
        params = {"path": self.request.path_info, "query": query.urlencode(), "format": export_format}
        return redirect(reverse("exports:new") + "?" + urlencode(params))

    def render_to_response(self, context, **kwargs):
        # Only the offered formats export; any other ``_export`` value shows the page.
        if self.request.GET.get(self.export_trigger_param) not in self.export_formats:
            return super(ExportMixin, self).render_to_response(context, **kwargs)
        return super().render_to_response(context, **kwargs)

    def get_export_filename(self, export_format):
        return f"{self.model._meta.model_name}-{clock.today():%Y%m%d}.{export_format}"

    def create_export(self, export_format):
        approved = getattr(self.request, "approved_export", None)
        detail = self.request.GET.urlencode() + (f" approved export request {approved.pk}" if approved is not None else "")
        audit.record(AuditEvent.Kind.EXPORT, self.request, target=self.model._meta.label, detail=detail)
        return super().create_export(export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.get_title(), export_formats=self.export_formats, actions_template=self.actions_template)
        return context


class ObjectDetailView(ScopedMixin, DetailView):
    template_name = "fuyang_portal/object_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = Transition.objects.for_object(self.object)
        context["allowed_actions"] = policy.allowed_actions(self.request.user, self.object)
        return context


class PolicyActionMixin:
    """Answers 403 before any input is read unless the policy lets the user take ``action`` on the object
    (``action`` None: no check here, the service decides)."""

    action = None

    def check_action(self, obj):
        if self.action is not None and not policy.can(self.request.user, self.action, obj, model=self.model):
            raise PermissionDenied


class ActionFormView(PolicyActionMixin, ScopedMixin, FormView):
    """A form that calls one service on one object in the user's scope.

    Subclasses set ``model``, ``action`` (the policy's name of what the form does), ``form_class`` and
    implement ``perform(obj, form)``. Out of scope: 404; not allowed: 403, before the form is read; a
    refusal of the service is shown on the form and nothing is changed.
    """

    template_name = "fuyang_portal/action_form.html"
    success_message = None
    title = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if self.roles is None:
                self.roles = self.model.objects.open_roles()
            if role_of(request.user) in self.roles:
                self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
                self.check_action(self.object)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.perform(self.object, form)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def perform(self, obj, form):
        raise NotImplementedError

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, title=self.title)
        return context


class NextInQueueMixin:
    """A review decision (an ActionFormView) followed by the next item of the same queue this user can act on,
    in the queue's order (oldest first), with a message naming what was just done; back to the queue, saying it
    is empty, when nothing is left. Subclasses give ``queue()`` (from ``visible_to``, filtered and ordered as
    the queue page), ``queue_url`` and ``queue_actions`` (the workflow actions that make an item this user's to
    do). ``in_queue()`` False keeps the plain behaviour (back to the object)."""

    queue_url = None
    queue_actions = ()
    lookahead = 20  # candidates read at once; the policy picks the first the user may act on

    def in_queue(self):
        return bool(self.queue_actions)

    def queue(self):
        raise NotImplementedError

    def get_queue_url(self):
        return reverse(self.queue_url)

    def next_in_queue(self):
        user = self.request.user
        for item in self.queue().exclude(pk=self.object.pk)[: self.lookahead]:
            if set(policy.allowed_actions(user, item)) & set(self.queue_actions):
                return item
        return None

    def form_valid(self, form):
        # Decided before the action: the action changes the state the question may depend on.
        self.from_queue = self.in_queue()
        if self.from_queue and self.success_message:
            self.success_message = _("%(object)s — %(done)s") % {"object": self.object, "done": self.success_message}
        return super().form_valid(form)

    def get_success_url(self):
        if not getattr(self, "from_queue", False):
            return super().get_success_url()
        item = self.next_in_queue()
        if item is None:
            messages.info(self.request, _("The queue is empty: nothing else is waiting for you here."))
            return self.get_queue_url()
        messages.info(self.request, _("Next in the queue: %(item)s") % {"item": item})
        return item.get_absolute_url()

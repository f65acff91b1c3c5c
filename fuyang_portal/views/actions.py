"""What the apps' action pages share, beside ``generic.ActionFormView``: the buttons a detail page shows, a
page that asks the policy about a model-level action (typically create) before reading any input, and a form
whose valid input goes to one service call.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView

from fuyang_portal import policy
from fuyang_portal.views.generic import RoleRequiredMixin
from fuyang_portal.workflow import ActionRefused


def allowed_links(user, obj, links):
    """``(action, links[action])`` for each action of ``links`` the policy allows ``user`` on ``obj`` in its
    present state, in the workflow table's order."""
    return [(action, links[action]) for action in policy.allowed_actions(user, obj) if action in links]


def action_links(user, obj, links):
    """The buttons of a detail page: of ``links`` (action → button), those the policy allows now."""
    return [link for _action, link in allowed_links(user, obj, links)]


class ModelPolicyMixin(RoleRequiredMixin):
    """403, before any input is read, unless the policy lets the user take ``policy_action`` on the model
    ``policy_model`` (default: the view's ``model``)."""

    policy_action = "create"
    policy_model = None

    def dispatch(self, request, *args, **kwargs):
        model = self.policy_model or self.model
        if request.user.is_authenticated and not policy.can(request.user, self.policy_action, model=model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StepTableMixin:
    """One page for several workflow actions of a model, chosen by the URL's ``action`` among the keys of
    ``steps``: an action the table does not hold is 404; otherwise ``self.slug`` and ``self.step`` (its entry)
    are set and ``choose_step`` reads the entry, before anything else runs."""

    steps = {}

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in self.steps:
            raise Http404
        self.slug = kwargs["action"]
        self.step = self.steps[self.slug]
        self.choose_step(self.step)
        return super().dispatch(request, *args, **kwargs)

    def choose_step(self, step):
        """Set what the step says: the policy's ``action``, ``title``, ``success_message``..."""


class ServiceFormMixin:
    """A form whose valid input goes to one service call, ``run_service(form)``, which returns the record it
    made or changed. A refusal of the service (ActionRefused) is shown on the form and nothing is changed;
    otherwise the user is told (``announce``) and sent on (``success_url_for``: the record's page)."""

    success_message = None

    def run_service(self, form):
        raise NotImplementedError

    def show_refusal(self, form, refusal):
        form.add_error(None, refusal.message)

    def announce(self, obj):
        if self.success_message:
            messages.success(self.request, self.success_message)

    def success_url_for(self, obj):
        return obj.get_absolute_url()

    def form_valid(self, form):
        try:
            obj = self.run_service(form)
        except ActionRefused as refusal:
            self.show_refusal(form, refusal)
            return self.form_invalid(form)
        self.announce(obj)
        return redirect(self.success_url_for(obj))


class ServiceFormView(ServiceFormMixin, FormView):
    """A page with one form and one service call; subclasses implement ``perform(form)``, returning the record,
    and give ``title``."""

    title = None

    def run_service(self, form):
        return self.perform(form)

    def perform(self, form):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        if self.title is not None:
            kwargs.setdefault("title", self.title)
        return super().get_context_data(**kwargs)


class ObjectServiceFormMixin(ServiceFormMixin):
    """``ServiceFormMixin`` on a ``generic.ActionFormView`` (whose ``perform(obj, form)`` returns nothing): for a
    page that changes how a refusal is shown (``show_refusal``) or what the user is told (``announce``)."""

    def run_service(self, form):
        self.perform(self.object, form)
        return self.object

    def success_url_for(self, obj):
        return self.get_success_url()

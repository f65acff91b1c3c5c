"""Pages of the relief policies. Every page starts from ``visible_to(user)``; every change calls relief.services."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from enterprises.models import Enterprise
from fuyang_portal import clock, policy
from fuyang_portal.navigation import role_of
from fuyang_portal.roles import Role
from fuyang_portal.uploads import serve_private
from fuyang_portal.views.actions import ModelPolicyMixin, ServiceFormView, StepTableMixin, action_links, allowed_links
from fuyang_portal.views.generic import ActionFormView, ObjectDetailView, ObjectListView, RoleRequiredMixin, ScopedMixin
from relief import services, stats
from relief.filters import ApplicationFilter, AwardFilter, PolicyFilter
from relief.forms import (ApplyForm, BatchForm, CommentForm, ConfirmForm, DocumentForm, PolicyForm, ReasonForm,
                          ReviseForm, SettleForm)
from relief.models import Application, ApplicationDocument, Award, FirmBankAccount, Mode, Policy, Recovery
from relief.tables import ApplicationTable, AwardTable, PolicyTable

A = Award.Status
P = Application.Status


def _buttons(user, obj, links):
    """The buttons of the actions the policy allows now; ``links``: action → (url name taking the pk, label, style)."""
    return [(reverse(name, args=[obj.pk]), label, style) for name, label, style in action_links(user, obj, links)]


# --- Public catalogue ------------------------------------------------------------------------------


def catalogue(request):
    """The policies in force, for anyone (no sign-in), built for a phone."""
    items = Policy.objects.in_force().select_related("current_version").order_by("area", "issued_on", "code")
    return render(request, "relief/catalogue.html", {"title": _("Relief policies in force"), "policies": items, "today": clock.today()})


# --- Catalogue (signed in) -------------------------------------------------------------------------


class PolicyListView(ObjectListView):
    model = Policy
    title = _("Relief policies")
    table_class = PolicyTable
    filterset_class = PolicyFilter
    actions_template = "relief/_policy_actions.html"

    def get_queryset(self):
        return super().get_queryset().select_related("current_version")


POLICY_LINKS = {
    "publish": ("relief:policy-publish", _("Publish"), "btn-primary"),
    "withdraw": ("relief:policy-withdraw", _("Withdraw"), "btn-outline-danger"),
}


class PolicyDetailView(ObjectDetailView):
    model = Policy
    template_name = "relief/policy_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("current_version")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        links = _buttons(user, item, POLICY_LINKS)
        if policy.can(user, "revise", item) and item.status != Policy.Status.WITHDRAWN:
            links.append((reverse("relief:policy-revise", args=[item.pk]), _("Revise the terms"), "btn-outline-primary"))
        version = item.current_version
        context.update(
            action_links=links, version=version, versions=item.versions.order_by("-number"),
            rule_json=json.dumps(version.rule, ensure_ascii=False, indent=1), benefit_json=json.dumps(version.benefit, ensure_ascii=False),
            can_match=policy.can(user, "match", item) and item.status == Policy.Status.PUBLISHED and item.mode == Mode.AUTO,
        )
        if role_of(user) == Role.ENTERPRISE:
            firm = Enterprise.objects.get(pk=user.enterprise_id)
            eligible, lines = services.eligible_for(version, firm)
            context.update(
                mine_eligible=eligible, mine_lines=lines,
                mine_award=Award.objects.visible_to(user).live().filter(policy=item).first(),
                mine_application=Application.objects.visible_to(user).filter(policy=item).exclude(status=P.REJECTED).first(),
                can_apply=item.mode == Mode.APPLY and item.status == Policy.Status.PUBLISHED and policy.can(user, "create", model=Application),
            )
        else:
            awards = Award.objects.visible_to(user).filter(policy=item).exclude(status=A.CANCELLED)
            context["figures"] = stats.totals_of(awards)
            if user.is_district:
                budget, spent, confirmed = services.budget_standing([item.pk])[item.pk]
                context["budget"] = {"budget": budget, "spent": spent, "confirmed": confirmed, "left": budget - spent - confirmed}
        return context


class PolicyCreateView(RoleRequiredMixin, ServiceFormView):
    roles = (Role.DISTRICT,)
    form_class = PolicyForm
    template_name = "relief/form.html"
    title = _("New relief policy")
    success_message = _("Policy saved as a draft.")

    def perform(self, form):
        return services.create_policy(self.request.user, **form.cleaned_data)


class PolicyReviseView(ActionFormView):
    model = Policy
    action = "revise"
    form_class = ReviseForm
    title = _("Revise the terms")
    success_message = _("A new version is in force.")

    def get_initial(self):
        v = self.object.current_version
        return {"summary": v.summary, "rule": v.rule, "benefit": v.benefit, "period": v.period, "valid_from": v.valid_from,
                "valid_until": v.valid_until, "budget": v.budget, "documents": "\n".join(v.documents or [])}

    def perform(self, obj, form):
        data = dict(form.cleaned_data)
        services.revise_policy(obj, self.request.user, note=data.pop("note"), **data)


class PolicyPublishView(ActionFormView):
    model = Policy
    action = "publish"
    form_class = CommentForm
    title = _("Publish the policy")
    success_message = _("Published. Eligible firms are being matched.")

    def perform(self, obj, form):
        services.publish_policy(obj, self.request.user)


class PolicyWithdrawView(ActionFormView):
    model = Policy
    action = "withdraw"
    form_class = ReasonForm
    title = _("Withdraw the policy")
    success_message = _("Withdrawn.")

    def perform(self, obj, form):
        services.withdraw_policy(obj, self.request.user, form.cleaned_data["reason"])


class PolicyMatchView(ScopedMixin, View):
    """Run the matching now (the district office; the same task the publication queues)."""

    model = Policy

    def post(self, request, pk):
        item = get_object_or_404(self.get_queryset(), pk=pk)
        if not policy.can(request.user, "match", item):
            raise PermissionDenied
        from django.db import transaction

        from relief.tasks import match_policy

        transaction.on_commit(lambda: match_policy.delay(item.pk), robust=True)
        messages.success(request, _("Matching is running; new awards appear in the award list."))
        return redirect(item)


# --- The firm's page, and the same for its specialist / township ----------------------------------


class StandingsMixin:
    def standings_context(self, firm):
        found = services.standings(firm)
        return {
            "firm": firm,
            "awarded": [s for s in found if s.award is not None],
            "to_apply": [s for s in found if s.award is None and s.eligible and s.policy.mode == Mode.APPLY],
            "not_eligible": [s for s in found if s.award is None and not s.eligible],
            "eligible_waiting": [s for s in found if s.award is None and s.eligible and s.policy.mode == Mode.AUTO],
        }


class MineView(RoleRequiredMixin, StandingsMixin, TemplateView):
    """Policies for me: awards to confirm, policies to apply for, and those the firm does not meet, with why."""

    roles = (Role.ENTERPRISE,)
    template_name = "relief/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        firm = get_object_or_404(Enterprise.objects.visible_to(user), pk=user.enterprise_id)
        context = super().get_context_data(title=_("Policies for me"), **kwargs)
        context.update(self.standings_context(firm))
        context["account"] = FirmBankAccount.objects.visible_to(user).first()
        return context


class FirmStandingsView(RoleRequiredMixin, StandingsMixin, TemplateView):
    """A firm's policies as its specialist, township or the district office sees them."""

    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.AGENCY, Role.SPECIALIST)
    template_name = "relief/mine.html"

    def get_context_data(self, **kwargs):
        firm = get_object_or_404(Enterprise.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        context = super().get_context_data(title=_("Policies for %(firm)s") % {"firm": firm.name}, **kwargs)
        context.update(self.standings_context(firm))
        return context


class NudgeView(ObjectListView):
    """Eligible firms that have not confirmed their award: the specialist's (or township's) calls to make."""

    model = Award
    title = _("Firms to nudge: awards not yet confirmed")
    table_class = AwardTable
    filterset_class = AwardFilter
    roles = (Role.DISTRICT, Role.TOWNSHIP, Role.SPECIALIST, Role.AGENCY)

    def get_queryset(self):
        return super().get_queryset().filter(status=A.PENDING).select_related("enterprise__township", "policy").order_by("created_at", "pk")


# --- Awards ----------------------------------------------------------------------------------------


class AwardListView(ObjectListView):
    model = Award
    title = _("Policy awards")
    table_class = AwardTable
    filterset_class = AwardFilter
    actions_template = "relief/_award_actions.html"

    def get_queryset(self):
        return super().get_queryset().with_references("enterprise__township", "policy")


AWARD_LINKS = {
    "confirm": ("relief:award-confirm", _("Confirm and give the account"), "btn-primary"),
    "cancel": ("relief:award-cancel", _("Cancel the award"), "btn-outline-danger"),
    "recover": ("relief:award-recover", _("Found ineligible: recover"), "btn-outline-danger"),
}


class AwardDetailView(ObjectDetailView):
    model = Award
    template_name = "relief/award_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "policy", "version")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        award, user = self.object, self.request.user
        links = _buttons(user, award, AWARD_LINKS)
        recovery = Recovery.objects.visible_to(user).filter(award=award).first()
        if recovery and "settle" in policy.allowed_actions(user, recovery):
            links.append((reverse("relief:recovery-settle", args=[recovery.pk]), _("Record the repayment"), "btn-outline-primary"))
        eligible, lines = services.eligible_for(award.version, award.enterprise)
        context.update(action_links=links, recovery=recovery, eligible_now=eligible, lines=lines, payout=_payout_of(user, award))
        return context


def _payout_of(user, award):
    """The batch that pays the award (the district office's page)."""
    if not user.is_district:
        return None
    from django.contrib.contenttypes.models import ContentType

    from subsidies.models import PayoutItem

    item = PayoutItem.objects.visible_to(user).filter(source_type=ContentType.objects.get_for_model(Award), source_id=award.pk).select_related("batch").first()
    return item.batch if item else None


class AwardConfirmView(ActionFormView):
    model = Award
    action = "confirm"
    form_class = ConfirmForm
    title = _("Confirm the award")
    success_message = _("Confirmed. The award will be paid in the next payout batch.")

    def get_form_kwargs(self):
        needs = not FirmBankAccount.objects.filter(enterprise_id=self.object.enterprise_id).exists()
        return {**super().get_form_kwargs(), "needs_account": needs}

    def perform(self, obj, form):
        services.confirm_award(obj, self.request.user, **form.cleaned_data)


class AwardCancelView(ActionFormView):
    model = Award
    action = "cancel"
    form_class = ReasonForm
    title = _("Cancel the award")
    success_message = _("Cancelled.")

    def perform(self, obj, form):
        services.cancel_award(obj, self.request.user, form.cleaned_data["reason"])


class AwardRecoverView(ActionFormView):
    model = Award
    action = "recover"
    form_class = ReasonForm
    title = _("Found ineligible after payment: recover")
    success_message = _("The recovery is recorded.")

    def perform(self, obj, form):
        services.open_recovery(obj, self.request.user, form.cleaned_data["reason"])


class RecoverySettleView(ActionFormView):
    model = Recovery
    action = "settle"
    form_class = SettleForm
    title = _("Record the repayment")
    success_message = _("The repayment is recorded.")

    def perform(self, obj, form):
        services.settle_recovery(obj, self.request.user, form.cleaned_data["reference"])


class BatchView(ModelPolicyMixin, ServiceFormView):
    """Put confirmed awards in a payout batch (the subsidies app's batches: one payout mechanism)."""

    roles = (Role.DISTRICT,)
    policy_action, policy_model = "batch", Award
    form_class = BatchForm
    template_name = "relief/form.html"
    title = _("Pay confirmed awards")

    def get_form_kwargs(self):
        queryset = Award.objects.visible_to(self.request.user).filter(status=A.CONFIRMED).select_related("enterprise", "policy").order_by("pk")
        return {**super().get_form_kwargs(), "queryset": queryset}

    def perform(self, form):
        batch, self.held = services.batch_awards(self.request.user, form.cleaned_data["awards"])
        return batch

    def announce(self, batch):
        for reason in self.held.values():
            messages.warning(self.request, reason)
        messages.success(self.request, _("Payout batch %(number)s prepared.") % {"number": batch.number})


# --- Applications ----------------------------------------------------------------------------------


class ApplicationListView(ObjectListView):
    model = Application
    title = _("Policy applications")
    table_class = ApplicationTable
    filterset_class = ApplicationFilter

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "policy")


class ApplyView(ModelPolicyMixin, ScopedMixin, ServiceFormView):
    """A firm starts an application under a 申请即享 policy."""

    model = Policy
    policy_model = Application
    form_class = ApplyForm
    template_name = "relief/form.html"

    def get_context_data(self, **kwargs):
        item = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return super().get_context_data(title=_("Apply: %(policy)s") % {"policy": item.title}, **kwargs)

    def perform(self, form):
        item = get_object_or_404(self.get_queryset().select_related("current_version"), pk=self.kwargs["pk"])
        return services.start_application(self.request.user, item, note=form.cleaned_data["note"])


APPLICATION_LINKS = {
    "submit": ("relief:application-action", _("Submit"), "btn-primary"),
    "township_approve": ("relief:application-action", _("Checked: pass to the district office"), "btn-primary"),
    "township_return": ("relief:application-action", _("Return for correction"), "btn-outline-warning"),
    "district_approve": ("relief:application-action", _("Approve"), "btn-primary"),
    "district_return": ("relief:application-action", _("Return for correction"), "btn-outline-warning"),
    "district_reject": ("relief:application-action", _("Reject"), "btn-outline-danger"),
}


class ApplicationDetailView(ObjectDetailView):
    model = Application
    template_name = "relief/application_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__township", "policy", "version", "award")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        app, user = self.object, self.request.user
        links = [(reverse(name, args=[app.pk, action]), label, style)
                 for action, (name, label, style) in allowed_links(user, app, APPLICATION_LINKS)]
        can_attach = app.editable and policy.can(user, "change", app)
        context.update(
            action_links=links, documents=app.documents.all(), missing=services.missing_documents(app),
            upload_form=DocumentForm(names=app.version.documents) if can_attach else None,
        )
        return context


class ApplicationActionView(StepTableMixin, ActionFormView):
    model = Application
    steps = {
        "submit": (services.submit_application, None, _("Submitted to the township.")),
        "township_approve": (services.township_approve, "comment", _("Passed to the district office.")),
        "township_return": (services.township_return, "reason", _("Returned to the firm.")),
        "district_approve": (services.district_approve, "comment", _("Approved: the award is written.")),
        "district_return": (services.district_return, "reason", _("Returned to the firm.")),
        "district_reject": (services.district_reject, "reason", _("Rejected.")),
    }

    def choose_step(self, step):
        self.action = self.slug
        self.title = APPLICATION_LINKS[self.slug][1]

    def get_form_class(self):
        return ReasonForm if self.step[1] == "reason" else CommentForm

    def perform(self, obj, form):
        func, field, message = self.step
        self.success_message = message
        if field is None:
            func(obj, self.request.user)
        else:
            func(obj, self.request.user, form.cleaned_data.get(field, ""))


class DocumentUploadView(ActionFormView):
    model = Application
    action = "change"
    form_class = DocumentForm
    title = _("Attach a document")
    success_message = _("Attached.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "names": self.object.version.documents}

    def perform(self, obj, form):
        services.attach_document(obj, self.request.user, name=form.cleaned_data["name"], file=form.cleaned_data["file"])


class DocumentView(ScopedMixin, View):
    """A document's file, only through the application's scope."""

    model = ApplicationDocument

    def get(self, request, pk):
        document = get_object_or_404(self.get_queryset(), pk=pk)
        return serve_private(document.file, download_name=f"{document.name}")


# --- Statistics ------------------------------------------------------------------------------------


class StatisticsView(RoleRequiredMixin, TemplateView):
    roles = (Role.DISTRICT,)
    template_name = "relief/statistics.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        policies, townships, weeks = stats.by_policy(user), stats.by_township(user), stats.by_week(user)
        for row in policies:
            row["mode_label"] = Mode(row["policy__mode"]).label
        chart = {
            "policies": [row["policy__title"] for row in policies],
            "policy_paid": [float(row["paid"]) for row in policies],
            "policy_pending": [float(row["pending"]) for row in policies],
            "townships": [row["label"] for row in townships],
            "township_paid": [float(row["paid"]) for row in townships],
            "township_pending": [float(row["pending"]) for row in townships],
            "weeks": [row["week"].isoformat() for row in weeks],
            "week_paid": [float(row["paid"]) for row in weeks],
            "week_awarded": [float(row["awarded"]) for row in weeks],
            "labels": {"paid": str(_("Paid (yuan)")), "pending": str(_("Pending (yuan)")), "awarded": str(_("Awarded (yuan)"))},
        }
        return super().get_context_data(
            title=_("Policy reach"), totals=stats.totals(user), policies=policies, townships=townships, weeks=weeks, chart=chart,
            hours=stats.publication_to_payment(user), **kwargs,
        )

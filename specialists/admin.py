from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from fuyang_portal.admin import ReadOnlyAdmin
from fuyang_portal.workflow import ActionRefused
from specialists import services
from specialists.models import (
    AgencyHead,
    Assignment,
    Callback,
    DeadlineRule,
    DeadlineRuleVersion,
    Problem,
    ProblemAttachment,
    ProblemPart,
    Supervision,
    ServiceDomain,
    Specialist,
    TrackedProject,
    Visit,
)


@admin.register(ServiceDomain)
class ServiceDomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "sort_order")
    search_fields = ("code", "name", "name_en")


@admin.register(Specialist)
class SpecialistAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "agency", "published_mobile", "active")
    list_filter = ("active", "agency", "domains", "townships")
    search_fields = ("user__full_name", "user__username", "published_mobile", "agency__name")
    autocomplete_fields = ("user", "agency")
    filter_horizontal = ("domains", "townships")
    list_select_related = ("user", "agency")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("specialist", "enterprise", "starts_on", "ends_on", "created_by")
    list_filter = ("enterprise__township", "starts_on")
    search_fields = ("specialist__user__full_name", "enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("specialist", "enterprise")
    readonly_fields = ("created_by", "created_at")
    list_select_related = ("specialist__user", "enterprise", "created_by")
    date_hierarchy = "starts_on"

    def has_change_permission(self, request, obj=None):
        return False  # ended through services.end_assignment (the assignments page)

    def save_model(self, request, obj, form, change):
        try:
            created = services.assign_specialist(request.user, obj.specialist, obj.enterprise, obj.starts_on, obj.ends_on)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return
        obj.pk = created.pk


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("visited_on", "enterprise", "specialist", "mode")
    list_filter = ("mode", "visited_on", "enterprise__township")
    search_fields = ("enterprise__name", "specialist__user__full_name", "notes")
    autocomplete_fields = ("enterprise", "specialist", "project")
    list_select_related = ("enterprise", "specialist__user")
    date_hierarchy = "visited_on"


@admin.register(TrackedProject)
class TrackedProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "enterprise", "specialist", "stage", "due_on")
    list_filter = ("stage",)
    search_fields = ("name", "enterprise__name", "specialist__user__full_name")
    autocomplete_fields = ("enterprise", "specialist")
    list_select_related = ("enterprise", "specialist__user")


class DeadlineRuleVersionInline(admin.TabularInline):
    model = DeadlineRuleVersion
    extra = 0
    can_delete = False
    fields = ("version", "effective_from", "changed_by", *DeadlineRule.LIMIT_FIELDS)
    readonly_fields = fields
    ordering = ("-version",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """The time limits per category; every save is a new version (services.change_deadline_rule)."""

    list_display = ("category", "version", *DeadlineRule.LIMIT_FIELDS)
    fields = ("category", "version", *DeadlineRule.LIMIT_FIELDS)
    readonly_fields = ("category", "version")
    inlines = [DeadlineRuleVersionInline]

    def has_add_permission(self, request):
        return False  # one rule per category, seeded by a migration

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.change_deadline_rule(request.user, obj, **{name: getattr(obj, name) for name in DeadlineRule.LIMIT_FIELDS})
        except ActionRefused as refusal:
            messages.error(request, refusal.message)

    def save_related(self, request, form, formsets, change):
        # The versions are written by the service, never by the (read-only) inline.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(AgencyHead)
class AgencyHeadAdmin(admin.ModelAdmin):
    """Who receives an agency's 督办 notices; saved through services.set_agency_head."""

    list_display = ("agency", "user")
    autocomplete_fields = ("agency", "user")
    list_select_related = ("agency", "user")

    def save_model(self, request, obj, form, change):
        try:
            head = services.set_agency_head(request.user, obj.agency, obj.user)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return
        obj.pk = head.pk


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ("at", "problem", "agency", "kind", "stage", "limit")
    list_filter = ("kind", "stage", "agency")
    list_select_related = ("problem__enterprise", "agency")
    date_hierarchy = "at"


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ("called_at", "problem", "reached", "satisfaction", "called_by")
    list_filter = ("reached", "satisfaction")
    list_select_related = ("problem__enterprise", "called_by")


@admin.register(ProblemPart)
class ProblemPartAdmin(ReadOnlyAdmin):
    list_display = ("problem", "agency", "status", "accepted_at", "answered_at")
    list_filter = ("status", "agency")
    list_select_related = ("problem__enterprise", "agency")


class AttachmentInline(admin.TabularInline):
    model = ProblemAttachment
    extra = 0
    fields = ("original_name", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ("pk", "enterprise", "category", "status", "agency", "deadline", "overdue", "rating", "raised_at")
    list_filter = ("status", "category", "overdue", "closed_how", "satisfaction", "extension", "agency", "enterprise__township")
    search_fields = ("description", "enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("enterprise", "specialist", "visit", "raised_by")
    list_select_related = ("enterprise", "agency")
    date_hierarchy = "raised_at"
    inlines = [AttachmentInline]
    # The state and everything the services set are read-only here; the actions call the services.
    readonly_fields = (
        "status", "resolution", "resolved_at", "escalated_at", "agency", "assigned_at", "deadline", "accepted_at", "answer",
        "answered_at", "answered_by", "return_reason", "extension", "extension_days", "extension_reason", "overdue", "on_time",
        "rating", "closed_at", "reopen_count", "rule_version", "referred_at", "triage_due", "first_assigned_at", "remind_on",
        "late3x_on", "sign_for_due", "signed_on_time", "returned_at", "return_count", "decline_reason", "merged_into",
        "closed_how", "satisfaction", "callback_due",
    )
    actions = ["escalate_selected", "grant_extension", "refuse_extension"]

    def has_add_permission(self, request):
        return False  # problems are raised through services.raise_problem (pages, API)

    def has_change_permission(self, request, obj=None):
        return False  # every change is a workflow step: the actions below, or the problem's page

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, fn, done):
        ok = 0
        for problem in queryset:
            try:
                fn(problem)
                ok += 1
            except ActionRefused as refusal:
                messages.error(request, f"#{problem.pk}: {refusal.message}")
        if ok:
            messages.success(request, done % {"n": ok})

    @admin.action(description=_("Escalate to the district office"))
    def escalate_selected(self, request, queryset):
        self._run(request, queryset, lambda p: services.escalate(p, request.user, _("Escalated from the admin")), _("%(n)d escalated."))

    @admin.action(description=_("Grant the requested extension"))
    def grant_extension(self, request, queryset):
        self._run(request, queryset, lambda p: services.decide_extension(p, request.user, True), _("%(n)d extensions granted."))

    @admin.action(description=_("Refuse the requested extension"))
    def refuse_extension(self, request, queryset):
        self._run(request, queryset, lambda p: services.decide_extension(p, request.user, False), _("%(n)d extensions refused."))

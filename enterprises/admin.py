from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from enterprises import services
from enterprises.models import DailyReport, Enterprise, EnterpriseExport, EnterpriseTag, Pass, ResumptionRequest
from fuyang_portal.workflow import ActionRefused


@admin.register(EnterpriseTag)
class EnterpriseTagAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "township", "scale", "industry", "registered_headcount")
    list_filter = ("scale", "industry", "township", "tags")
    search_fields = ("name", "credit_code", "legal_representative")
    autocomplete_fields = ("township", "village", "community")
    filter_horizontal = ("tags",)
    list_select_related = ("township",)


@admin.register(ResumptionRequest)
class ResumptionRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "enterprise", "status", "planned_date", "submitted_at", "approved_at")
    list_filter = ("status", "enterprise__township", "enterprise__scale")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    date_hierarchy = "created_at"
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    # States change only through the services (the township's review pages and the API).
    readonly_fields = ("status", "submitted_at", "approved_at", "reviewed_by", "return_reason", "created_by", "created_at")


@admin.register(DailyReport)
class DailyReportAdmin(admin.ModelAdmin):
    list_display = ("date", "enterprise", "staff_on_site", "staff_away", "capacity_percent")
    list_filter = ("date", "enterprise__township", "enterprise__scale")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    date_hierarchy = "date"
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    readonly_fields = ("reported_by", "created_at")


@admin.register(Pass)
class PassAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "number", "holder_display", "masked_id", "enterprise", "status", "valid_from", "valid_until")
    list_filter = ("kind", "status", "enterprise__township", "health_code")
    search_fields = ("number", "plate", "enterprise__name")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    # The ID number is never shown here in full (the pass page unmasks it, with an audit record).
    exclude = ("id_number",)
    readonly_fields = (
        "kind", "status", "number", "masked_id", "applied_at", "issued_at", "issued_by", "revoked_at", "revoke_reason", "created_by",
    )
    actions = ["revoke_selected"]

    @admin.display(description=_("resident ID number"))
    def masked_id(self, obj):
        return obj.masked_id

    @admin.action(description=_("Revoke the selected passes"))
    def revoke_selected(self, request, queryset):
        done = 0
        for pass_ in queryset:
            try:
                services.revoke_pass(pass_, request.user, str(_("Revoked by the district office.")))
                done += 1
            except ActionRefused as refusal:
                self.message_user(request, f"{pass_}: {refusal.message}", messages.WARNING)
        self.message_user(request, _("%(count)d passes revoked.") % {"count": done})

    def has_add_permission(self, request):
        # Passes are filed by firms through the service, which checks duplicates under lock.
        return False


@admin.register(EnterpriseExport)
class EnterpriseExportAdmin(admin.ModelAdmin):
    list_display = ("pk", "requested_by", "status", "rows_done", "rows_total", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("requested_by__username", "query")
    list_select_related = ("requested_by",)
    readonly_fields = ("requested_by", "query", "status", "rows_total", "rows_done", "file", "created_at", "finished_at")

    def has_add_permission(self, request):
        return False


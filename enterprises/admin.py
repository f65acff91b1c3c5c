from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises import services
from enterprises.models import (
    DailyReport,
    Enterprise,
    EnterpriseExport,
    EnterpriseTag,
    Pass,
    ResumptionRequest,
)
from fuyang_portal.admin import ReadOnlyAdmin
from fuyang_portal.masking import MaskedMobileAdmin
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

    def save_model(self, request, obj, form, change):
        # Through the registry service, as the pages and the API: validated, locked, with its history row. The
        # form has already run the model's validators, so a refusal here is a race (a code taken meanwhile).
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "tags"}
        tags = form.cleaned_data.get("tags")
        try:
            if change:
                saved = services.change_firm(obj, request.user, tags=tags, **data)
            else:
                fields = {name: value for name, value in form.cleaned_data.items() if name != "tags"}
                saved = services.register_firm(request.user, tags=tags or (), **fields)
        except (ValidationError, ActionRefused) as error:
            raise ValidationError(getattr(error, "message", error))
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The service has set the tags (and recorded the change); the admin saves nothing of its own.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(ResumptionRequest)
class ResumptionRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "enterprise", "status", "planned_date", "submitted_at", "approved_at")
    list_filter = ("status", "enterprise__township", "enterprise__scale")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    date_hierarchy = "created_at"
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    # States change only through the services (the township's review pages and the API).
    readonly_fields = ("status", "submitted_at", "approved_at", "reviewed_by", "return_reason", "created_by", "created_at")


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    list_display = ("date", "enterprise", "staff_on_site", "staff_away", "capacity_percent")
    list_filter = ("date", "enterprise__township", "enterprise__scale")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    date_hierarchy = "date"
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    readonly_fields = ("reported_by", "created_at")


@admin.register(Pass)
class PassAdmin(MaskedMobileAdmin, ReadOnlyAdmin):
    list_display = ("pk", "kind", "number", "holder_display", "masked_id", "enterprise", "status", "valid_from", "valid_until")
    list_filter = ("kind", "status", "enterprise__township", "health_code")
    search_fields = ("number", "plate", "enterprise__name")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    # The ID number is never shown here in full (the pass page unmasks it, with an audit record).
    exclude = ("id_number", "mobile")
    readonly_fields = (
        "kind", "status", "number", "masked_id", "masked_mobile", "applied_at", "issued_at", "issued_by", "revoked_at", "revoke_reason", "created_by",
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


@admin.register(EnterpriseExport)
class EnterpriseExportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "requested_by", "status", "rows_done", "rows_total", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("requested_by__username", "query")
    list_select_related = ("requested_by",)
    readonly_fields = ("requested_by", "query", "status", "rows_total", "rows_done", "file", "created_at", "finished_at")


from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from fuyang_portal.admin import ReadOnlyAdmin
from fuyang_portal.workflow import ActionRefused
from relief import services
from relief.models import Application, ApplicationDocument, Award, FirmBankAccount, Policy, PolicyVersion, Recovery


class VersionInline(admin.TabularInline):
    model = PolicyVersion
    has_add_permission = has_change_permission = has_delete_permission = ReadOnlyAdmin.has_add_permission
    extra = 0
    fields = ("number", "summary", "period", "valid_from", "valid_until", "budget", "note", "created_at")
    readonly_fields = fields


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    """Policies are written on the policy pages (services); the admin reads them and can re-run the matching."""

    list_display = ("code", "title", "issuer", "issued_on", "area", "mode", "status", "illustrative")
    list_filter = ("area", "mode", "status")
    search_fields = ("code", "title", "document_number")
    inlines = [VersionInline]
    actions = ["match_now"]

    @admin.action(description=_("Match the firms now"))
    def match_now(self, request, queryset):
        created = sum(services.match_policy(item.pk).created for item in queryset)
        messages.success(request, _("%(n)s new awards.") % {"n": created})


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise", "policy", "period", "amount", "status", "hold_reason", "created_at", "paid_at")
    list_filter = ("status", "policy", "enterprise__township")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise", "policy")
    raw_id_fields = ("enterprise", "policy", "version")
    actions = ["batch"]

    @admin.action(description=_("Put in a payout batch"))
    def batch(self, request, queryset):
        try:
            batch, held = services.batch_awards(request.user, list(queryset))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return
        for reason in held.values():
            messages.warning(request, reason)
        messages.success(request, _("Payout batch %(number)s prepared.") % {"number": batch.number})


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    has_add_permission = has_change_permission = has_delete_permission = ReadOnlyAdmin.has_add_permission
    extra = 0
    readonly_fields = ("name", "uploaded_at")
    exclude = ("file",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise", "policy", "period", "status", "amount", "submitted_at")
    list_filter = ("status", "policy")
    search_fields = ("enterprise__name",)
    list_select_related = ("enterprise", "policy")
    raw_id_fields = ("enterprise", "policy", "version", "award", "created_by")
    inlines = [DocumentInline]


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyAdmin):
    list_display = ("award", "amount", "status", "reason", "created_at", "settled_at")
    list_filter = ("status",)
    raw_id_fields = ("award", "created_by")


@admin.register(FirmBankAccount)
class FirmBankAccountAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "bank", "account_name", "confirmed_at")
    search_fields = ("enterprise__name",)
    raw_id_fields = ("enterprise", "confirmed_by")

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from fuyang_portal.admin import ReadOnlyAdmin
from fuyang_portal.masking import MaskedMobileAdmin
from subsidies import services
from subsidies.models import (
    CharterTrip,
    PayoutBatch,
    PayoutItem,
    SubsidyClaim,
    SubsidyPolicy,
    TripPassenger,
    WorkerRegistration,
)


@admin.register(WorkerRegistration)
class WorkerRegistrationAdmin(MaskedMobileAdmin, ReadOnlyAdmin):
    list_display = ("reference", "masked_name", "enterprise", "origin_province", "origin_county", "return_date", "travel_mode", "health_code", "source")
    list_filter = ("travel_mode", "health_code", "source", "origin_province")
    search_fields = ("reference", "mobile", "enterprise__name")
    list_select_related = ("enterprise",)
    raw_id_fields = ("enterprise", "created_by")
    date_hierarchy = "return_date"
    # The ID number is never shown in the admin: it is seen masked, and in full only through the audited page.
    exclude = ("id_number", "mobile")
    readonly_fields = ("reference", "id_number_hash", "masked_id", "masked_mobile")


class TripPassengerInline(admin.TabularInline):
    has_add_permission = has_change_permission = has_delete_permission = ReadOnlyAdmin.has_add_permission
    model = TripPassenger
    raw_id_fields = ("registration",)
    extra = 0
    readonly_fields = ("travelled",)


@admin.register(CharterTrip)
class CharterTripAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise", "origin_province", "origin_county", "departure_date", "arrival_date", "seats", "status")
    list_filter = ("status", "origin_province")
    search_fields = ("enterprise__name",)
    list_select_related = ("enterprise",)
    raw_id_fields = ("enterprise", "planned_by")
    readonly_fields = ("status",)
    inlines = [TripPassengerInline]


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(ReadOnlyAdmin):
    """Versions are read here; a new one is added on the policy page (services.revise_policy)."""

    list_display = ("version", "rate", "window_start", "window_end", "per_trip_cap", "per_enterprise_cap", "filing_days", "created_by", "created_at")


@admin.register(SubsidyClaim)
class SubsidyClaimAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise", "departure_date", "plate", "invoice_number", "invoice_amount", "subsidy_amount", "approved_amount", "status")
    list_filter = ("status", "enterprise__township")
    search_fields = ("invoice_number", "plate", "enterprise__name", "bus_company")
    list_select_related = ("enterprise",)
    raw_id_fields = ("trip", "enterprise", "created_by", "policy")
    readonly_fields = ("status", "subsidy_amount", "approved_amount", "policy", "findings", "prechecked_at", "submitted_at", "decided_at", "review_comment")
    actions = ["run_precheck"]

    @admin.action(description=_("Run the pre-check again"))
    def run_precheck(self, request, queryset):
        for claim in queryset:
            services.precheck(claim.pk, again=True)
        messages.success(request, _("Pre-check done."))


class PayoutItemInline(admin.TabularInline):
    model = PayoutItem
    extra = 0
    raw_id_fields = ("claim",)
    readonly_fields = ("claim", "amount")
    has_add_permission = has_change_permission = has_delete_permission = ReadOnlyAdmin.has_add_permission


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "transfer_reference", "created_at", "paid_at")
    list_filter = ("status",)
    search_fields = ("number", "transfer_reference")
    readonly_fields = ("status", "transfer_reference", "paid_by", "paid_at", "created_by")
    inlines = [PayoutItemInline]

"""Labour records in the admin: read only (every write goes through labour.services); the ID numbers are never
shown here. Two admin actions call the services: publish submitted vacancies, withdraw vacancies."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from fuyang_portal.admin import ReadOnlyAdmin
from fuyang_portal.masking import MaskedMobileAdmin
from fuyang_portal.workflow import ActionRefused
from labour import services
from labour.models import Candidate, CountyAccount, PartnerCounty, Vacancy


def _run(modeladmin, request, queryset, service, done):
    count = 0
    for obj in queryset:
        try:
            service(obj, actor=request.user)
            count += 1
        except ActionRefused as refusal:
            modeladmin.message_user(request, f"{obj}: {refusal.message}", messages.WARNING)
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(PartnerCounty)
class PartnerCountyAdmin(ReadOnlyAdmin):
    list_display = ("name", "region_code", "pairing", "contact_mobile", "active")
    list_filter = ("active",)
    search_fields = ("name", "region_code")


@admin.register(CountyAccount)
class CountyAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "county")
    list_select_related = ("user", "county")
    raw_id_fields = ("user",)


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise", "position", "trade", "headcount", "wage_min", "wage_max", "start_date", "status", "published_at")
    list_filter = ("status", "trade", "housing", "meals")
    search_fields = ("enterprise__name", "position")
    list_select_related = ("enterprise",)
    raw_id_fields = ("enterprise", "created_by", "published_by")
    actions = ["publish", "withdraw"]

    @admin.action(description=_("Publish the chosen submitted vacancies"))
    def publish(self, request, queryset):
        _run(self, request, queryset, services.publish_vacancy, _("%(count)s vacancies published."))

    @admin.action(description=_("Withdraw the chosen vacancies"))
    def withdraw(self, request, queryset):
        _run(self, request, queryset, services.withdraw_vacancy, _("%(count)s vacancies withdrawn."))


@admin.register(Candidate)
class CandidateAdmin(MaskedMobileAdmin, ReadOnlyAdmin):
    list_display = ("id", "masked_name", "masked_id", "county", "vacancy", "status", "earliest_travel_date", "arrived_on")
    list_filter = ("status", "county", "travel_mode")
    search_fields = ("mobile", "vacancy__enterprise__name")
    list_select_related = ("county", "vacancy__enterprise")
    raw_id_fields = ("vacancy", "registration", "referred_by")
    exclude = ("id_number", "name", "mobile")
    readonly_fields = ("masked_name", "masked_id", "masked_mobile", "id_number_hash")

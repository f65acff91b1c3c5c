"""The admin shows the programmes' records; every create and change goes through programmes.services."""

from django.contrib import admin

from fuyang_portal.admin import ReadOnlyAdmin
from programmes.models import (CarRun, Clinic, ClinicAccount, Finding, HealthVoucher, HotlineCall, HotlineCoverage,
                               ItemUpdate, Lodging, Occupancy, ServiceStation, ShoppingRun, WorkItem, WorkList)


@admin.register(Clinic)
class ClinicAdmin(ReadOnlyAdmin):
    list_display = ("name", "township", "phone", "active")
    list_filter = ("township", "active")
    search_fields = ("name",)
    list_select_related = ("township",)


@admin.register(ClinicAccount)
class ClinicAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "clinic")
    list_select_related = ("user", "clinic")


@admin.register(WorkList)
class WorkListAdmin(ReadOnlyAdmin):
    list_display = ("title", "township", "community", "village", "created_at")
    list_filter = ("township",)
    list_select_related = ("township", "community", "village")


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ("work_list", "number", "title", "category", "indicator_code", "responsible_unit", "responsible_person", "deadline", "status")
    list_filter = ("status", "category", "work_list__township")
    search_fields = ("title", "responsible_unit")
    list_select_related = ("work_list__township", "responsible_person")


@admin.register(ItemUpdate)
class ItemUpdateAdmin(ReadOnlyAdmin):
    list_display = ("item", "created_at", "author", "status_after")
    list_select_related = ("item", "author")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("item", "inspected_on", "outcome", "points", "rectify_by", "status", "rectified_on")
    list_filter = ("status", "outcome")
    list_select_related = ("item",)


@admin.register(HotlineCall)
class HotlineCallAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "township", "caller_enterprise", "topic", "status", "response_minutes", "problem")
    list_filter = ("township", "topic", "status")
    list_select_related = ("township", "caller_enterprise")


@admin.register(HotlineCoverage)
class HotlineCoverageAdmin(ReadOnlyAdmin):
    list_display = ("day", "township", "hours", "staff")
    list_filter = ("township",)
    list_select_related = ("township",)


@admin.register(Lodging)
class LodgingAdmin(ReadOnlyAdmin):
    list_display = ("name", "township", "kind", "capacity", "active")
    list_filter = ("township", "kind")
    search_fields = ("name",)
    list_select_related = ("township",)


@admin.register(Occupancy)
class OccupancyAdmin(ReadOnlyAdmin):
    list_display = ("lodging", "registration", "check_in", "check_out", "observation_end", "status")
    list_filter = ("status",)
    list_select_related = ("lodging", "registration")


@admin.register(HealthVoucher)
class HealthVoucherAdmin(ReadOnlyAdmin):
    list_display = ("code", "township", "registration", "issued_at", "expires_on", "status", "clinic", "redeemed_at")
    list_filter = ("status", "township")
    search_fields = ("code",)
    list_select_related = ("township", "registration", "clinic")


@admin.register(CarRun)
class CarRunAdmin(ReadOnlyAdmin):
    list_display = ("run_date", "township", "origin", "destination", "people", "driver")
    list_filter = ("township",)
    list_select_related = ("township",)


@admin.register(ServiceStation)
class ServiceStationAdmin(ReadOnlyAdmin):
    list_display = ("name", "township", "place", "hours", "active")
    list_select_related = ("township",)


@admin.register(ShoppingRun)
class ShoppingRunAdmin(ReadOnlyAdmin):
    list_display = ("run_date", "township", "station", "for_enterprise", "for_household", "runner")
    list_select_related = ("township", "station", "for_enterprise")

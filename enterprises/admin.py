from django.contrib import admin

from enterprises.models import Enterprise, EnterpriseTag


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

"""Admin for the contest. Definitions and list sizes are saved through the services (new version, history
row, checks); weeks change state only through admin actions that call the services; scores are read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from fuyang_portal.admin import ReadOnlyMixin
from fuyang_portal.workflow import ActionRefused

from . import services
from .models import ContestWeek, Indicator, IndicatorChange, InspectionScore, LevelSetting, Objection, Score, ScoreOverride, UnitResult


class IndicatorChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = IndicatorChange
    fields = ("version", "changed_at", "changed_by", "reason", "snapshot")
    readonly_fields = fields
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("sort_order", "code", "name_zh", "name_en", "source", "direction", "weight_township", "weight_group", "weight_village", "active", "version")
    list_display_links = ("code", "name_zh")
    list_filter = ("source", "direction", "active")
    search_fields = ("code", "name_zh", "name_en")
    readonly_fields = ("version", "updated_at", "code", "source")
    inlines = [IndicatorChangeInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        try:
            services.update_indicator(obj, request.user, changes, reason=str(_("Edited in the admin")))
        except ActionRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)


@admin.register(LevelSetting)
class LevelSettingAdmin(admin.ModelAdmin):
    """Saved through the service (range checks, history row); the three levels are never added or removed."""

    list_display = ("level", "list_size", "min_coverage")
    readonly_fields = ("level",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.update_level_setting(obj.level, request.user, list_size=obj.list_size, min_coverage=obj.min_coverage)
        except ActionRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)


@admin.register(ContestWeek)
class ContestWeekAdmin(admin.ModelAdmin):
    list_display = ("week_start", "level", "revision", "status", "computed_at", "published_at", "published_by")
    list_filter = ("level", "status")
    search_fields = ("reason",)
    date_hierarchy = "week_start"
    readonly_fields = ("week_start", "level", "revision", "status", "list_size", "computed_at", "computed_by", "published_at", "published_by", "reason", "created_at", "appeal_until")
    actions = ["recompute", "publish"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, action):
        done = 0
        for week in queryset:
            try:
                action(week)
                done += 1
            except ActionRefused as refusal:
                self.message_user(request, f"{week}: {refusal.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)s weeks done.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Recompute the selected drafts"))
    def recompute(self, request, queryset):
        self._run(request, queryset, lambda week: services.compute_week(week.level, week.week_start, actor=request.user))

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request, queryset):
        self._run(request, queryset, lambda week: services.publish_week(week, request.user))


@admin.register(Score)
class ScoreAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("week", "unit_type", "unit_id", "indicator", "raw_value", "numerator", "denominator", "score", "no_data")
    list_filter = ("unit_type", "no_data", "indicator", "week__status")
    search_fields = ("unit_id",)
    list_select_related = ("week", "indicator")


@admin.register(UnitResult)
class UnitResultAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("week", "unit_name", "total", "rank", "list_mark", "movement", "eligible")
    list_filter = ("unit_type", "list_mark", "eligible", "week__status")
    search_fields = ("unit_name",)
    list_select_related = ("week",)


@admin.register(InspectionScore)
class InspectionScoreAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Entered on the inspection sheet (which checks range and frozen weeks); read-only here."""

    list_display = ("week_start", "level", "unit_id", "indicator", "value", "entered_by", "updated_at")
    list_filter = ("level", "indicator", "week_start")
    search_fields = ("unit_id", "note")
    list_select_related = ("indicator", "entered_by")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Filed and decided through leaderboard/appeals.py (the week page and the API); read-only here."""

    list_display = ("week_start", "level", "unit_name", "indicator", "figure", "proposed_value", "status", "filed_by", "filed_at", "decided_at")
    list_filter = ("status", "level", "indicator")
    search_fields = ("unit_name", "reason", "decision")
    list_select_related = ("indicator", "filed_by")


@admin.register(ScoreOverride)
class ScoreOverrideAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Written by accepting an objection; read-only here."""

    list_display = ("week_start", "level", "unit_id", "indicator", "value", "objection", "created_by", "created_at")
    list_filter = ("level", "indicator")
    list_select_related = ("indicator", "created_by", "objection")

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from fuyang_portal import audit
from fuyang_portal.duties import ACCOUNT_FIELDS
from fuyang_portal.workflow import record
from fuyang_portal.models import (
    Agency,
    AuditEvent,
    Community,
    CommunityGroup,
    ExportRequest,
    Notification,
    OutboxMessage,
    SmsMessage,
    Township,
    Transition,
    User,
    Village,
)

admin.site.site_header = _("Fuyang Enterprise Service Portal administration")
admin.site.site_title = _("Fuyang portal admin")


class ReadOnlyMixin:
    """Records the admin only shows: logs written by the portal, and business records whose every create and
    change goes through their app's services (which check the policy, validate and write the history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "township", "agency", "is_active", "last_login")
    list_filter = ("role", "is_active", "township")
    search_fields = ("username", "full_name", "mobile", "email")
    autocomplete_fields = ("township", "agency")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role and scope"), {"fields": ("role", "township", "agency", "full_name", "mobile")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Role and scope"), {"fields": ("role", "township", "agency", "full_name", "mobile")}),)

    def get_readonly_fields(self, request, obj=None):
        # Each administrator changes only the fields of its duty (fuyang_portal/duties.py); the superuser, all.
        allowed = ACCOUNT_FIELDS.get(request.user.role)
        if request.user.is_superuser or allowed is None:
            return super().get_readonly_fields(request, obj)
        every = [name for _title, options in (self.fieldsets if obj else self.add_fieldsets) for name in options["fields"]]
        return [name for name in every if name not in allowed and not (obj is None and name in ("password1", "password2"))]

    def save_model(self, request, obj, form, change):
        # The admin is one more door: its creates and edits leave the same history row as the services'; a change of
        # role, scope or lock is a permission change in the audit log.
        super().save_model(request, obj, form, change)
        record(obj, actor=request.user, action="change" if change else "create", state=obj.role,
               comment=", ".join(form.changed_data))
        granted = [name for name in form.changed_data if name in ("role", "township", "agency", "is_active", "is_staff", "is_superuser")]
        if granted:
            audit.record(AuditEvent.Kind.PERMISSION, request, target=f"user:{obj.pk} {obj.username}",
                         detail=", ".join(f"{name}={getattr(obj, name)}" for name in granted))


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "sort_order")
    list_filter = ("kind",)
    search_fields = ("name", "name_en", "code")


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "township")
    list_filter = ("township",)
    search_fields = ("name", "code")


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "township")
    list_filter = ("township",)
    search_fields = ("name", "code")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "paired_township")
    list_filter = ("paired_township",)
    search_fields = ("name", "name_en", "code")


@admin.register(CommunityGroup)
class CommunityGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "community", "agency")
    list_filter = ("agency__paired_township",)
    search_fields = ("code", "community__name", "agency__name")
    list_select_related = ("community__township", "agency")


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ("at", "content_type", "object_id", "action", "from_state", "to_state", "actor")
    list_filter = ("content_type", "action")
    search_fields = ("object_id", "comment", "actor__username")
    list_select_related = ("content_type", "actor")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "title", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "__str__", "delivered_at")
    list_filter = ("delivered_at",)


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "mobile", "body", "status", "attempts", "sent_at")
    list_filter = ("status", "backend")
    search_fields = ("mobile", "body")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only for everyone, the superuser included: no row of the audit log is changed or removed by hand."""

    list_display = ("seq", "at", "kind", "username", "role", "ip_address", "target", "outcome")
    list_filter = ("kind", "outcome", "role")
    search_fields = ("username", "target", "detail")

    def get_queryset(self, request):
        return AuditEvent.objects.visible_to(request.user)


@admin.register(ExportRequest)
class ExportRequestAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "requested_by", "view_name", "format", "status", "decided_by", "expires_at", "downloaded_at")
    list_filter = ("status", "format")
    search_fields = ("requested_by__username", "view_name", "reason")
    list_select_related = ("requested_by", "decided_by")

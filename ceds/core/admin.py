from django.contrib import admin

from ceds.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only from the application's side."""

    list_display = ["at", "actor", "action", "object_repr", "city"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__email"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

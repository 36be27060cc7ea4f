from django.contrib import admin
from django.http import HttpRequest

from kawal.web.actionlog.models import ActionLog


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "organisation", "ip", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_id")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

from django.contrib import admin

from kawal.web.voters.models import AuditRun, VoterList


@admin.register(VoterList)
class VoterListAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "stage",
        "wilayah",
        "source_name",
        "organisation",
        "status",
        "loaded",
        "rejected",
        "created_at",
    )
    readonly_fields = ("snapshot", "rows_in", "loaded", "rejected", "status", "progress", "step", "error")


@admin.register(AuditRun)
class AuditRunAdmin(admin.ModelAdmin):
    list_display = ("id", "voter_list", "created_at", "threshold")

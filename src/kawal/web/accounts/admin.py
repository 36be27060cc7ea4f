from django.contrib import admin

from kawal.web.accounts.models import Invitation, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "wilayah", "partner_of")
    list_filter = ("kind",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "wilayah", "rw", "rt", "active")
    list_filter = ("role", "organisation")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("code", "organisation", "role", "wilayah", "created_by", "expires_at", "used_by")

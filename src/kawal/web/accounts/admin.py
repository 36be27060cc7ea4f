from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kawal.web.accounts.models import Accreditation, ApiToken, Invitation, Membership, Organisation
from kawal.web.accounts.throttle import ThrottledAdminAuthenticationForm
from kawal.web.actionlog.models import record

# The admin's login goes through the same throttled backend as /masuk/; this form only gives the same message.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "wilayah", "partner_of")
    list_filter = ("kind",)


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):  # issue 17: an Ormas's accreditation as pemantau
    list_display = ("organisation", "number", "issuer", "valid_from", "valid_until")
    list_filter = ("issuer",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "wilayah", "rw", "rt", "active")
    list_filter = ("role", "organisation")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("code", "organisation", "role", "wilayah", "created_by", "expires_at", "used_by")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "expires_at", "revoked")
    list_filter = ("revoked",)
    readonly_fields = ("user", "name", "key_hash", "created_at", "last_used_at", "expires_at")  # issued by command
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the clear key is shown once, by `kawal manage create_token`

    @admin.action(description="Cabut token terpilih / Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = sum(ApiToken.revoke_all(token.user, token.pk) for token in queryset.filter(revoked=False))
        record("api_token.revoked", request=request, count=count)

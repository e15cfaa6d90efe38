from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ceds.accounts.models import CityRole, Invitation, RegionRole, User


class CityRoleInline(admin.TabularInline):
    model = CityRole
    extra = 0
    autocomplete_fields = ["city"]


class RegionRoleInline(admin.TabularInline):
    model = RegionRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "secretariat_role", "is_active", "is_demo", "last_login"]
    list_filter = ["secretariat_role", "is_active", "is_demo", "city_roles__role", "region_roles__region"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [CityRoleInline, RegionRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Roles"), {"fields": ["secretariat_role", "is_active", "is_staff", "is_superuser", "is_demo"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(CityRole)
class CityRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role", "granted_at"]
    list_filter = ["role", "city__region"]
    search_fields = ["user__email", "city__name"]
    autocomplete_fields = ["user", "city"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "kind",
        "city",
        "city_role",
        "region",
        "secretariat_role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked",
    ]
    list_filter = ["kind", "revoked", "city_role"]
    search_fields = ["email", "city__name"]
    readonly_fields = ["token_hash", "accepted_at", "created_at"]

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ceds.accounts.models import CityRole, Invitation, RegionRole, User
from ceds.privacy import personal_data


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
    actions = ["erase_personal_data"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Roles"), {"fields": ["secretariat_role", "is_active", "is_staff", "is_superuser", "is_demo"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    @admin.action(description=_("Erase the personal data of the selected departed users"))
    def erase_personal_data(self, request, queryset):
        if request.POST.get("confirmed") != "yes":  # irreversible: show what will happen first
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Erase personal data?"),
                "users": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/accounts/erase_confirm.html", context)
        erased = 0
        for user in queryset:
            try:
                personal_data.erase(request.user, user)
            except PermissionDenied:
                self.message_user(request, gettext("Only a secretariat admin may erase accounts."), messages.ERROR)
                return
            except ValidationError as error:
                self.message_user(request, f"{user.email}: {error.messages[0]}", messages.WARNING)
            else:
                erased += 1
        self.message_user(
            request,
            gettext("Accounts erased: %(n)d.") % {"n": erased},
            messages.SUCCESS,
        )


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

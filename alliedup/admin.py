"""Django admin for platform operators (superusers). It runs with scopes disabled
(CooperativeScopeMiddleware), so it sees every cooperative: keep it to operators."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from alliedup.models import AuditEvent, Cooperative, CooperativeRole, Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class RoleInline(admin.TabularInline):
    model = CooperativeRole
    fk_name = "cooperative"
    extra = 0
    autocomplete_fields = ["user"]
    exclude = ["granted_by"]


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "is_active", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "cooperative", "action", "actor", "object_repr"]
    list_filter = ["cooperative"]
    search_fields = ["action", "object_repr"]

    def has_change_permission(self, request, obj=None):  # append-only
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "cooperative", "created_at", "accepted_at"]
    list_filter = ["cooperative", "role"]

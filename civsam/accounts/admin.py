from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import EidLink, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("organisation",)


class EidLinkInline(admin.TabularInline):
    """Whether the account has an e-ID, and since when; never its hash. Read-only: the person links
    and unlinks it themself, through the services that write the audit log."""

    model = EidLink
    fields = ("created_at", "last_used_at")
    readonly_fields = ("created_at", "last_used_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleAssignmentInline, EidLinkInline]

from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Read-only in the admin: edits go through the registry pages so that they are audited."""

    list_display = ("name", "orgnr", "legal_form", "municipality", "is_public", "is_demo")
    list_filter = ("legal_form", "municipality", "is_public", "is_demo")
    search_fields = ("name", "orgnr")
    list_select_related = ("legal_form", "municipality")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

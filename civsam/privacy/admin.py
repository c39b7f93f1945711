from django.contrib import admin

from .models import RetentionRun, SubjectAccessRequest


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """Read-only: runs are written by apply_retention."""

    list_display = ("started_at", "finished_at", "dry_run", "counts", "unhandled")
    list_filter = ("dry_run",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are handled on /integritet/registerutdrag/, where each step is logged."""

    list_display = ("requested_at", "reference", "handled_by", "exported_at")
    search_fields = ("reference",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

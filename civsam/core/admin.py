"""Admin for reference data and a read-only view of the audit log.

Domain records (organisations, plans) are edited through Civsam's own pages, whose services write
the audit log; the admin shows reference data and the log itself.
"""

from django.contrib import admin

from .models import ActivityClass, AuditEntry, LegalForm, Municipality, Principle, SocietalRole


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "county_name", "population", "population_date")
    search_fields = ("code", "name")


@admin.register(LegalForm)
class LegalFormAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "name_en", "is_civil_society")


@admin.register(ActivityClass, Principle, SocietalRole)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "name_en", "sort_order")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "object_id", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

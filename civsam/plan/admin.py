from django.contrib import admin

from .models import (
    Consultation,
    FocusArea,
    FollowUpReport,
    Indicator,
    IndicatorTarget,
    Initiative,
    InitiativeStatus,
    Plan,
    PriorityArea,
)


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


class PriorityAreaInline(admin.TabularInline):
    model = PriorityArea
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_sv", "start_year", "end_year", "status")
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "title_sv")
    list_filter = ("plan",)
    inlines = [PriorityAreaInline]


# --- Follow-up configuration: statuses are set up here by the coordinator. Day-to-day writes
# (initiatives, indicators and their values, reports) go through the site's own pages and services.


@admin.register(InitiativeStatus)
class InitiativeStatusAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "name_en", "kind", "default_progress", "sort_order")
    list_editable = ("default_progress", "sort_order")


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """View only: indicators, targets and values are kept on the indicator pages, whose services write
    the audit log and keep the value history."""

    list_display = ("code", "name_sv", "plan", "unit", "direction", "kind", "computation")
    list_filter = ("plan", "kind")
    search_fields = ("code", "name_sv")
    raw_id_fields = ("initiative",)
    inlines = [IndicatorTargetInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the indicator page's "Ta bort" goes through services.indicator_delete


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "progress", "start_date", "end_date", "verified_at")
    list_filter = ("status",)
    search_fields = ("title", "ref")
    raw_id_fields = ("lead_organisation", "partner_organisations", "parent")
    readonly_fields = ("verified_at", "verified_by", "created_by")


@admin.register(FollowUpReport)
class FollowUpReportAdmin(admin.ModelAdmin):
    list_display = ("plan", "year", "status", "published_at")
    readonly_fields = ("snapshot", "published_at", "published_by", "published_text", "status")


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "deadline", "status")

from django.contrib import admin

from .models import FocusArea, Plan, PriorityArea


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

"""Read-only admin: the services own every write (audit log, permissions, derived fields)."""

from django.contrib import admin

from .models import CallSubscription, Funder, FundingCall, FundingSource, GrantDecision, GrantFigure, GrantImportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Funder)
class FunderAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "slug", "municipality")
    list_filter = ("kind",)
    search_fields = ("name", "slug")


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "funder", "kind", "is_active", "reference_key")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")


@admin.register(FundingCall)
class FundingCallAdmin(ReadOnlyAdmin):
    list_display = ("title", "source", "schedule", "status", "deadline")
    list_filter = ("status", "schedule")


@admin.register(GrantDecision)
class GrantDecisionAdmin(ReadOnlyAdmin):
    list_display = ("case_number", "funder", "recipient", "amount_granted", "decision_date")
    list_select_related = ("funder", "recipient")
    search_fields = ("case_number",)
    show_full_result_count = False


@admin.register(GrantImportRun)
class GrantImportRunAdmin(ReadOnlyAdmin):
    list_display = ("filename", "funder", "at", "created", "updated", "unmatched")


@admin.register(CallSubscription)
class CallSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("email", "organisation", "created_at")
    exclude = ("token",)


@admin.register(GrantFigure)
class GrantFigureAdmin(ReadOnlyAdmin):
    list_display = ("dimension", "key", "year", "grant_form", "amount_granted")
    list_filter = ("dimension", "year")

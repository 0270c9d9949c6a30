from django.contrib import admin

from billing.models import MonthlyUsage, PlanChange


@admin.register(PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "from_plan", "to_plan", "source", "changed_by"]
    list_filter = ["source", "to_plan"]
    search_fields = ["organization__name"]
    list_select_related = ["organization", "changed_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonthlyUsage)
class MonthlyUsageAdmin(admin.ModelAdmin):
    list_display = ["organization", "period", "used"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]
    readonly_fields = ["organization", "period", "used"]

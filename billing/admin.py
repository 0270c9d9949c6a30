"""Billing admin: read-only mirrors of Stripe state, searchable by organization and customer id.

Subscriptions and events change only through Stripe (webhooks); plans are granted from the
organization admin, through ``plan_grant``, so history is kept.
"""

from django.contrib import admin

from billing.models import BillingCustomer, MonthlyUsage, PlanChange, StripeEvent, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "from_plan", "to_plan", "source", "changed_by"]
    list_filter = ["source", "to_plan"]
    search_fields = ["organization__name", "organization__billing_customer__stripe_customer_id"]
    list_select_related = ["organization", "changed_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BillingCustomer)
class BillingCustomerAdmin(ReadOnlyAdmin):
    list_display = ["organization", "stripe_customer_id", "created_at"]
    search_fields = ["organization__name", "stripe_customer_id"]
    list_select_related = ["organization"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = [
        "organization",
        "plan",
        "status",
        "current_period_end",
        "cancel_at_period_end",
        "past_due_since",
        "stripe_customer_id",
        "stripe_subscription_id",
    ]
    list_filter = ["status", "plan", "cancel_at_period_end"]
    search_fields = ["organization__name", "stripe_customer_id", "stripe_subscription_id"]
    list_select_related = ["organization"]
    date_hierarchy = "created_at"


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = [
        "processed_at",
        "event_id",
        "type",
        "outcome",
        "organization",
        "stripe_customer_id",
        "created",
    ]
    list_filter = ["outcome", "type", "livemode"]
    search_fields = ["event_id", "organization__name", "stripe_customer_id"]
    list_select_related = ["organization"]
    date_hierarchy = "processed_at"


@admin.register(MonthlyUsage)
class MonthlyUsageAdmin(admin.ModelAdmin):
    list_display = ["organization", "period", "used"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]
    readonly_fields = ["organization", "period", "used"]

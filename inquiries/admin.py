"""Admin for inquiries: patient fields are deferred from list pages; changes go through services."""

from django.contrib import admin, messages

from inquiries.models import CallbackDelivery, Inquiry, InquirySettings, InquiryTransition
from inquiries.services import (
    InvalidTransition,
    inquiry_cancel,
    inquiry_settings_update_callback,
)

ENCRYPTED_FIELDS = ("patient_name", "dob", "member_id", "diagnosis_codes", "results")


class InquiryTransitionInline(admin.TabularInline):
    model = InquiryTransition
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "source", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "status", "provider", "line", "created_at"]
    list_filter = ["status", "provider", "line"]
    search_fields = ["id", "external_id", "provider_reference", "organization__name"]
    list_select_related = ["organization"]
    inlines = [InquiryTransitionInline]
    actions = ["cancel_selected"]
    # Patient data stays out of the admin: staff read it in the app, where each view is
    # audited. Everything is read-only: the state machine owns the status.
    fields = readonly_fields = [
        "id",
        "organization",
        "line",
        "status",
        "summary",
        "provider",
        "provider_reference",
        "vendor_status",
        "created_at",
        "submitted_at",
        "completed_at",
        "created_by",
        "claimed_by",
        "type",
        "insurance",
        "npi",
        "external_id",
        "desired_completion_date",
        "benefits_query",
        "benefits_codes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*ENCRYPTED_FIELDS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # view only: fields are read-only and the state machine owns the status

    @admin.action(description="Cancel selected open inquiries")
    def cancel_selected(self, request, queryset) -> None:
        cancelled = 0
        for inquiry in queryset.defer(*ENCRYPTED_FIELDS):
            try:
                inquiry_cancel(inquiry=inquiry, source="admin", actor=request.user)
                cancelled += 1
            except InvalidTransition:
                continue
        self.message_user(request, f"Cancelled {cancelled} inquiry(ies).", messages.SUCCESS)


@admin.register(InquirySettings)
class InquirySettingsAdmin(admin.ModelAdmin):
    list_display = ["organization", "provider", "callback_url", "updated_at"]
    list_filter = ["provider"]
    search_fields = ["organization__name", "callback_url"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    exclude = ["callback_secret"]  # shown to the organization's owners on its settings page

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if "callback_url" in form.changed_data:
            # Through the service, so a signing secret exists and the change is audited.
            inquiry_settings_update_callback(
                organization=obj.organization, callback_url=obj.callback_url, actor=request.user
            )


@admin.register(CallbackDelivery)
class CallbackDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event_id", "inquiry", "attempt", "status_code", "error"]
    list_filter = ["status_code"]
    search_fields = ["event_id", "inquiry__id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

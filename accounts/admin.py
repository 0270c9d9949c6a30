from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import ApiKey, AuditEvent, Membership, Organization, User
from accounts.services import api_key_revoke
from billing.plans import Plan
from billing.services import plan_grant


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "created_at"]
    list_filter = ["plan"]
    search_fields = ["name", "memberships__user__email"]
    inlines = [MembershipInline]
    readonly_fields = ["plan"]  # plans change through plan_grant only, so history is kept
    actions = ["grant_free", "grant_pro", "grant_practice"]

    def _grant(self, request, queryset, plan: str) -> None:
        for organization in queryset:
            plan_grant(organization=organization, plan=plan, changed_by=request.user)
        self.message_user(request, f"Granted {plan} to {queryset.count()} organization(s).")

    @admin.action(description="Grant the Free plan")
    def grant_free(self, request, queryset) -> None:
        self._grant(request, queryset, Plan.FREE)

    @admin.action(description="Grant the Pro plan")
    def grant_pro(self, request, queryset) -> None:
        self._grant(request, queryset, Plan.PRO)

    @admin.action(description="Grant the Practice plan")
    def grant_practice(self, request, queryset) -> None:
        self._grant(request, queryset, Plan.PRACTICE)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organization",
        "display_prefix",
        "created_at",
        "last_used_at",
        "status",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "organization__name"]
    list_select_related = ["organization"]
    readonly_fields = [
        "organization",
        "prefix",
        "hashed_key",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    actions = ["revoke_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # keys are shown once, so they are created where the user can copy them

    @admin.display(description="status")
    def status(self, obj: ApiKey) -> str:
        return "active" if obj.is_active else "revoked"

    @admin.action(description="Revoke selected keys")
    def revoke_selected(self, request, queryset) -> None:
        revoked = 0
        for api_key in queryset.active().select_related("organization"):
            api_key_revoke(api_key=api_key, revoked_by=request.user)
            revoked += 1
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["organization__name", "actor__email", "target_id"]
    list_select_related = ["organization", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

from django.urls import path

from accounts import member_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("api-keys/", views.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", views.api_key_revoke_view, name="api_key_revoke"),
    path("members/", member_views.members, name="members"),
    path("audit/", views.audit_log, name="audit_log"),
    path("members/<int:membership_id>/role/", member_views.member_role, name="member_role"),
    path("members/<int:membership_id>/remove/", member_views.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        member_views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "invitations/accept/<str:token>/",
        member_views.invitation_accept_view,
        name="invitation_accept",
    ),
    path(
        "organizations/<int:organization_id>/switch/",
        member_views.organization_switch,
        name="organization_switch",
    ),
]

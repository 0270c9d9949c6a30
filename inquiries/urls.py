from django.urls import path

from inquiries import apis, views

app_name = "inquiries"


class LineConverter:
    """A Health Harbor product line in a path: mental_health, dental or medical."""

    regex = "mental_health|dental|medical"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


urlpatterns = [
    path("", views.inquiry_list_view, name="list"),
    path("new/", views.inquiry_create_view, name="create"),
    path("queue/", views.work_queue_view, name="queue"),
    path("settings/", views.inquiry_settings_view, name="settings"),
    path("<uuid:inquiry_id>/", views.inquiry_detail_view, name="detail"),
    path("<uuid:inquiry_id>/cancel/", views.inquiry_cancel_view, name="cancel"),
    path("<uuid:inquiry_id>/work/", views.work_item_view, name="work"),
    path(
        "healthharbor/webhook", apis.HealthHarborWebhookApi.as_view(), name="healthharbor_webhook"
    ),
]

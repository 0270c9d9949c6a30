from django.urls import path, re_path

from extraction import views

app_name = "extraction"

urlpatterns = [
    path("extract/", views.workspace, name="workspace"),
    path("history/", views.history, name="history"),
    path("history/<uuid:extraction_id>/", views.history_detail, name="detail"),
    re_path(
        r"^history/(?P<extraction_id>[0-9a-f-]{36})/export\.(?P<file_format>csv|json)$",
        views.history_export,
        name="export",
    ),
]

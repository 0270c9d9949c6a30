from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from billing.apis import UsageApi
from billing.views import pricing
from claimlens import health
from claimlens.errors import api_not_found, json_or_html_404, json_or_html_500
from extraction.apis import ExtractApi, ExtractionDetailApi, ExtractionListApi, ScrubApi

# Each endpoint answers with or without a trailing slash.
api_v1 = [
    re_path(r"^extract/?$", ExtractApi.as_view(), name="extract"),
    re_path(r"^scrub/?$", ScrubApi.as_view(), name="scrub"),
    re_path(r"^extractions/?$", ExtractionListApi.as_view(), name="extractions"),
    re_path(
        r"^extractions/(?P<extraction_id>[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})/?$",
        ExtractionDetailApi.as_view(),
        name="extraction",
    ),
    re_path(r"^usage/?$", UsageApi.as_view(), name="usage"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
]

urlpatterns = [
    path("", TemplateView.as_view(template_name="landing.html"), name="landing"),
    path("pricing", pricing, name="pricing"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api:schema"), name="api_docs"),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("accounts.urls")),
    path("", include("extraction.urls")),
    path("billing/", include("billing.urls")),
    path("admin/", admin.site.urls),
    # Unknown API paths answer the documented JSON 404, also with DEBUG on.
    re_path(r"^api/", api_not_found),
]

handler404 = json_or_html_404
handler500 = json_or_html_500

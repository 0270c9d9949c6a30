from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from billing.apis import UsageApi
from billing.views import pricing
from claimlens import health
from claimlens.api_views import route_by_method
from claimlens.errors import api_not_found, json_or_html_404, json_or_html_500
from extraction.apis import ExtractApi, ExtractionDetailApi, ExtractionListApi, ScrubApi
from inquiries import apis as inquiry_apis
from inquiries.urls import LineConverter

register_converter(LineConverter, "line")

UUID = r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"

# Each extraction endpoint answers with or without a trailing slash.
api_v1 = [
    re_path(r"^extract/?$", ExtractApi.as_view(), name="extract"),
    re_path(r"^scrub/?$", ScrubApi.as_view(), name="scrub"),
    re_path(r"^extractions/?$", ExtractionListApi.as_view(), name="extractions"),
    re_path(
        rf"^extractions/(?P<extraction_id>{UUID})/?$",
        ExtractionDetailApi.as_view(),
        name="extraction",
    ),
    re_path(r"^usage/?$", UsageApi.as_view(), name="usage"),
    path(
        "inquiries",
        route_by_method(
            get=inquiry_apis.InquiryListApi.as_view(), post=inquiry_apis.InquiryCreateApi.as_view()
        ),
        name="inquiries",
    ),
    path("inquiries/<str:inquiry_id>", inquiry_apis.InquiryDetailApi.as_view(), name="inquiry"),
    path(
        "inquiries/<str:inquiry_id>/cancel",
        inquiry_apis.InquiryCancelApi.as_view(),
        name="inquiry_cancel",
    ),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
]

# Drop-in compatibility with Health Harbor's paths, for clients written against it.
api_v0 = [
    path(
        "<line:line>/inquiries",
        route_by_method(
            get=inquiry_apis.InquiryListCompatApi.as_view(),
            post=inquiry_apis.InquiryCreateCompatApi.as_view(),
        ),
        name="inquiries",
    ),
    path(
        "<line:line>/inquiries/<str:inquiry_id>",
        inquiry_apis.InquiryDetailApi.as_view(),
        name="inquiry",
    ),
]

urlpatterns = [
    path("", TemplateView.as_view(template_name="landing.html"), name="landing"),
    path("pricing", pricing, name="pricing"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/v0/", include((api_v0, "api_v0"), namespace="api_v0")),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api:schema"), name="api_docs"),
    path("inquiries/", include("inquiries.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("accounts.urls")),
    path("billing/", include("billing.urls")),
    path("", include("extraction.urls")),
    path("admin/", admin.site.urls),
    # Unknown API paths answer the documented JSON 404, also with DEBUG on.
    re_path(r"^api/", api_not_found),
]

handler404 = json_or_html_404
handler500 = json_or_html_500

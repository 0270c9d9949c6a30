from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import TemplateView

from billing.apis import UsageApi
from claimlens import health
from claimlens.api_views import route_by_method
from inquiries import apis as inquiry_apis
from inquiries.urls import LineConverter

register_converter(LineConverter, "line")

api_v1 = [
    path("usage", UsageApi.as_view(), name="usage"),
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
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/v0/", include((api_v0, "api_v0"), namespace="api_v0")),
    path("inquiries/", include("inquiries.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

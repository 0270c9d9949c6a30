from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from billing.apis import UsageApi
from billing.views import pricing
from claimlens import health

api_v1 = [
    path("usage", UsageApi.as_view(), name="usage"),
]

urlpatterns = [
    path("", TemplateView.as_view(template_name="landing.html"), name="landing"),
    path("pricing", pricing, name="pricing"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("accounts.urls")),
    path("billing/", include("billing.urls")),
    path("admin/", admin.site.urls),
]

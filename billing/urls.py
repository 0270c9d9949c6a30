from django.urls import path

from billing import views
from billing.apis import StripeWebhookApi

app_name = "billing"

urlpatterns = [
    path("", views.billing_overview, name="overview"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/success/", views.checkout_success, name="checkout_success"),
    path("checkout/cancel/", views.checkout_cancel, name="checkout_cancel"),
    path("portal/", views.portal, name="portal"),
    path("stripe/webhook", StripeWebhookApi.as_view(), name="stripe_webhook"),
]

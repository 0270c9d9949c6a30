from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.quota import usage_snapshot
from billing.services import stripe_event_process
from claimlens.api_views import OrganizationApiView, rate_limit_headers


class UsageApi(OrganizationApiView):
    """This month's extractions against the plan's limit."""

    class OutputSerializer(serializers.Serializer):
        plan = serializers.CharField()
        limit = serializers.IntegerField()
        used = serializers.IntegerField()
        remaining = serializers.IntegerField()
        reset_at = serializers.DateTimeField()

        class Meta:
            ref_name = "Usage"

    @extend_schema(responses=OutputSerializer, summary="Monthly usage")
    def get(self, request: Request) -> Response:
        usage = usage_snapshot(organization=request.user.organization)
        return Response(self.OutputSerializer(usage).data, headers=rate_limit_headers(usage))


class StripeWebhookApi(APIView):
    """``POST /billing/stripe/webhook``: Stripe's events, authenticated by their signature.

    No API key and no CSRF token (``APIView.as_view`` exempts it): the ``Stripe-Signature``
    header over the raw body is the credential. The body is read raw, never parsed by DRF, so
    the bytes verified are the bytes Stripe signed. Any 2xx tells Stripe to stop retrying.
    """

    authentication_classes: list = []
    permission_classes: list = []

    class OutputSerializer(serializers.Serializer):
        received = serializers.BooleanField(default=True)
        id = serializers.CharField(source="event_id")
        type = serializers.CharField()
        outcome = serializers.CharField()

    @extend_schema(exclude=True)  # Stripe's endpoint, not part of the public API
    def post(self, request: Request) -> Response:
        result = stripe_event_process(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
        return Response(self.OutputSerializer(result).data)

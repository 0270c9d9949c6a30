from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from billing.quota import usage_snapshot
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

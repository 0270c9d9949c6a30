from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import PlanAllowsApi
from billing.quota import usage_snapshot
from claimlens.api_views import rate_limit_headers


class UsageApi(APIView):
    """``GET /api/v1/usage``: this month's extractions against the plan's limit."""

    permission_classes = [*APIView.permission_classes, PlanAllowsApi]

    class OutputSerializer(serializers.Serializer):
        plan = serializers.CharField()
        limit = serializers.IntegerField()
        used = serializers.IntegerField()
        remaining = serializers.IntegerField()
        reset_at = serializers.DateTimeField()

    def get(self, request: Request) -> Response:
        usage = usage_snapshot(organization=request.user.organization)
        return Response(self.OutputSerializer(usage).data, headers=rate_limit_headers(usage))

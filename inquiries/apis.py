"""Benefits inquiry API: /api/v1/inquiries and the drop-in /api/v0/{line}/inquiries paths.

Field names, shapes and ``MM-DD-YYYY`` dates follow the contract document
(``shared/seeds/benefits-inquiry-api.txt``). The v0 views are the v1 views on Health Harbor's
paths (see ``claimlens/urls.py``), so a client written for Health Harbor works unchanged.
"""

import hashlib
import hmac
import json
import logging
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import audit_record
from claimlens.api import ERROR_BODY, ApplicationError
from claimlens.api_views import OrganizationApiView
from inquiries import services
from inquiries.models import InquiryType, Line, Status
from inquiries.representation import INQUIRY_DOCUMENT_SCHEMA, inquiry_document
from inquiries.results import CONTRACT_DATE_FORMAT
from inquiries.selectors import inquiry_get_for_org, inquiry_list
from inquiries.validators import (
    clean_diagnosis_codes,
    clean_procedure_codes,
    validate_benefits_query,
    validate_insurance,
    validate_npi,
    validate_tax_id,
)

logger = logging.getLogger(__name__)


class ContractDateField(serializers.DateField):
    """A date written ``MM-DD-YYYY``, as everywhere in the contract."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            format=CONTRACT_DATE_FORMAT, input_formats=[CONTRACT_DATE_FORMAT], **kwargs
        )
        self.error_messages["invalid"] = "Use MM-DD-YYYY."


class StringOrListField(serializers.Field):
    """``benefits_query``: one value or a list of values, kept in the form it was sent."""

    default_error_messages = {"invalid": "Send a string or a list of strings."}

    def to_internal_value(self, data: Any) -> str | list[str]:
        if isinstance(data, str) and data.strip():
            return data.strip().upper()
        if isinstance(data, list) and data and all(isinstance(item, str) for item in data):
            return [item.strip().upper() for item in data]
        self.fail("invalid")

    def to_representation(self, value: Any) -> Any:
        return value


def _optional_text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _optional_bool() -> serializers.BooleanField:
    return serializers.BooleanField(required=False, allow_null=True, default=None)


class InquiryCreateApi(OrganizationApiView):
    """``POST /api/v1/inquiries``: 201 ``{"inquiry_id": ...}``; fulfilment runs in Celery."""

    # The v0 compatibility routes pass the line in the path (and answer 200, see urls.py).
    line: str | None = None
    created_status = HTTPStatus.CREATED

    class InputSerializer(serializers.Serializer):
        line = serializers.ChoiceField(choices=Line.choices, default=Line.MENTAL_HEALTH)
        type = serializers.ChoiceField(choices=InquiryType.choices, default=InquiryType.BENEFITS)
        desired_completion_date = ContractDateField()
        patient_name = serializers.CharField(max_length=200)
        dob = ContractDateField()
        member_id = serializers.CharField(max_length=80)
        group_id = _optional_text(50)
        insurance = serializers.CharField(max_length=40, validators=[validate_insurance])
        insurance_in_network = _optional_bool()
        npi = serializers.CharField(max_length=10, validators=[validate_npi])
        tax_id = _optional_text(9, validators=[validate_tax_id])
        external_id = _optional_text(100)
        diagnosis_codes = serializers.ListField(
            child=serializers.CharField(max_length=10), required=False, default=list, max_length=12
        )
        claims_date_of_service = ContractDateField(required=False, allow_null=True, default=None)
        claim_number = _optional_text(50)
        is_specialist = _optional_bool()
        place_of_service = _optional_text(40)
        benefits_query = StringOrListField()
        benefits_codes = serializers.ListField(
            child=serializers.CharField(max_length=10), required=False, default=list, max_length=50
        )

        def validate_dob(self, value):
            if value > timezone.localdate():
                raise serializers.ValidationError("A date of birth cannot be in the future.")
            return value

        def validate_diagnosis_codes(self, value: list[str]) -> list[str]:
            return clean_diagnosis_codes(value)

        def validate_benefits_codes(self, value: list[str]) -> list[str]:
            return clean_procedure_codes(value)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            line = self.context.get("line") or attrs["line"]
            attrs["line"] = line
            query = attrs["benefits_query"]
            try:
                validate_benefits_query(
                    line=line,
                    queries=[query] if isinstance(query, str) else query,
                    codes=attrs["benefits_codes"],
                )
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"benefits_query": exc.messages}) from exc
            return attrs

    def post(self, request: Request, line: str | None = None) -> Response:
        serializer = self.InputSerializer(data=request.data, context={"line": line})
        serializer.is_valid(raise_exception=True)
        inquiry = services.inquiry_create(
            organization=request.user.organization,
            created_by=None,
            source="api",
            **serializer.validated_data,
        )
        return Response({"inquiry_id": str(inquiry.pk)}, status=self.created_status)


class InquiryListApi(OrganizationApiView):
    """``GET /api/v1/inquiries``: filters ``status`` (comma-separated), ``external_id``,
    ``created_from``/``created_to`` (MM-DD-YYYY, inclusive); ``limit``/``offset`` pages."""

    class FilterSerializer(serializers.Serializer):
        status = serializers.CharField(required=False, default="")
        external_id = serializers.CharField(required=False, default="", max_length=100)
        created_from = ContractDateField(required=False, default=None)
        created_to = ContractDateField(required=False, default=None)

        def validate_status(self, value: str) -> list[str]:
            statuses = [item.strip().upper() for item in value.split(",") if item.strip()]
            unknown = [item for item in statuses if item not in Status.values]
            if unknown:
                raise serializers.ValidationError(
                    f"Unknown status {', '.join(unknown)}; use {', '.join(Status.values)}."
                )
            return statuses

    class Pagination(LimitOffsetPagination):
        default_limit = 50
        max_limit = 200

    def get(self, request: Request, line: str | None = None) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        organization = request.user.organization
        inquiries = inquiry_list(
            organization=organization,
            statuses=filters.validated_data["status"],
            external_id=filters.validated_data["external_id"],
            created_from=filters.validated_data["created_from"],
            created_to=filters.validated_data["created_to"],
            line=line or "",
        )
        paginator = self.Pagination()
        page = paginator.paginate_queryset(inquiries, request, view=self)
        _audit_listed(request, count=len(page))
        return paginator.get_paginated_response([inquiry_document(item) for item in page])


def _audit_listed(request: Request, *, count: int) -> None:
    """A list returns patient identifiers too: one audit row per request, ids not repeated."""
    audit_record(
        organization=request.user.organization,
        actor=None,
        action="inquiry.listed",
        detail={"via": "api", "api_key": request.user.api_key.pk, "count": count},
    )


class InquiryDetailApi(OrganizationApiView):
    """``GET /api/v1/inquiries/{id}``: the contract's retrieve shape. Each read is audited."""

    @extend_schema(summary="Retrieve an inquiry", responses={200: INQUIRY_DOCUMENT_SCHEMA})
    def get(self, request: Request, inquiry_id: str, line: str | None = None) -> Response:
        inquiry = inquiry_get_for_org(
            organization=request.user.organization, inquiry_id=inquiry_id, line=line or ""
        )
        services.inquiry_record_view(
            inquiry=inquiry, actor=None, via="api", api_key=request.user.api_key.pk
        )
        return Response(inquiry_document(inquiry))


class InquiryCancelApi(OrganizationApiView):
    """``POST /api/v1/inquiries/{id}/cancel``: an open inquiry becomes CANCELLED; a final one
    answers 409 ``invalid_transition``."""

    @extend_schema(
        summary="Cancel an inquiry",
        request=None,
        responses={200: INQUIRY_DOCUMENT_SCHEMA, 409: ERROR_BODY},
    )
    def post(self, request: Request, inquiry_id: str) -> Response:
        inquiry = inquiry_get_for_org(organization=request.user.organization, inquiry_id=inquiry_id)
        services.inquiry_cancel(inquiry=inquiry, source="api")
        return Response(inquiry_document(inquiry))


class InquiryListCompatApi(InquiryListApi):
    """``GET /api/v0/{line}/inquiries``: Health Harbor's list, a JSON array (``limit`` default
    200, ``external_id`` filter)."""

    def get(self, request: Request, line: str | None = None) -> Response:
        response = super().get(request, line=line)
        return Response(response.data["results"])

    class Pagination(LimitOffsetPagination):
        default_limit = 200
        max_limit = 1000


class InquiryCreateCompatApi(InquiryCreateApi):
    """``POST /api/v0/{line}/inquiries``: 200 ``{"inquiry_id": ...}`` like the upstream (a
    FastAPI service, whose POSTs answer 200 by default; its exact status is unconfirmed)."""

    created_status = HTTPStatus.OK


class HealthHarborWebhookApi(APIView):
    """``POST /inquiries/healthharbor/webhook``: Health Harbor's batched status updates.

    Authenticated by ``X-HealthHarbor-Signature``, the hex HMAC-SHA256 of the raw body with
    HEALTHHARBOR_WEBHOOK_SECRET (the vendor's signed string and encoding are unconfirmed:
    integrations.md §6.5; polling stays on as the reconciler). A bad signature is 400 and
    changes nothing. Applying the same update twice is harmless, so duplicates are fine.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)  # the upstream's callback, not part of our public API
    def post(self, request: Request) -> Response:
        raw = request.body
        if not _healthharbor_signature_ok(raw, request.headers.get("X-HealthHarbor-Signature")):
            logger.warning("healthharbor webhook: bad or missing signature")
            raise ApplicationError("invalid_signature", "The signature does not match the body.")
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApplicationError("invalid_json", "The request body is not valid JSON.") from exc
        updated = services.healthharbor_webhook_receive(payload=payload)
        return Response({"received": True, "updated": updated})


def _healthharbor_signature_ok(raw: bytes, header: str | None) -> bool:
    secret = settings.HEALTHHARBOR_WEBHOOK_SECRET
    if not secret or not header:
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    given = header.strip().removeprefix("sha256=").lower()
    return hmac.compare_digest(expected, given)

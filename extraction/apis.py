"""The extraction API: ``/api/v1/extract``, ``/api/v1/scrub`` and stored extractions."""

from http import HTTPStatus
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from claimlens.api import ApplicationError
from claimlens.api_views import OrganizationApiView, rate_limit_headers
from extraction import openapi_examples
from extraction.fields import (
    SURROGATE_CODE,
    NoteField,
    ParameterChoiceField,
    StrictBooleanField,
)
from extraction.parameters import DEFAULTS, MAX_NOTE_CHARS, ExtractionParameters
from extraction.selectors import extraction_get_for_org, extractions_for_org
from extraction.services import extraction_run, note_scrub


def _require_object(data: Any) -> None:
    if not isinstance(data, dict):
        raise ApplicationError("invalid_json", "The request body must be a JSON object.")


class NoteInputSerializer(serializers.Serializer):
    """The ``note`` field both note endpoints take, with its documented error codes."""

    class Meta:
        ref_name = "Note"  # "Request" is appended for request bodies

    note = NoteField()

    def validate_note(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("blank", code="blank")
        return value

    @staticmethod
    def contract_error(errors: dict[str, list]) -> ApplicationError:
        """Map serializer errors to the reference's codes: note errors first, then parameters."""
        if "note" in errors:
            if any(getattr(error, "code", "") == "max_length" for error in errors["note"]):
                return ApplicationError(
                    "note_too_long",
                    f"Note exceeds the {MAX_NOTE_CHARS:,} character limit.",
                )
            if any(getattr(error, "code", "") == SURROGATE_CODE for error in errors["note"]):
                return ApplicationError(
                    "invalid_json",
                    "The note holds an unpaired UTF-16 surrogate escape (\\ud800-\\udfff), "
                    "which is not text; send the note as valid Unicode.",
                )
            return ApplicationError(
                "missing_note", "The 'note' field is required and must be a non-empty string."
            )
        details = "; ".join(f"{field} {' '.join(map(str, msgs))}" for field, msgs in errors.items())
        return ApplicationError("invalid_parameter", f"Invalid parameter: {details}.")

    def validated(self) -> dict[str, Any]:
        if not self.is_valid():
            raise self.contract_error(self.errors)
        return self.validated_data


class ExtractApi(OrganizationApiView):
    """Code one clinical note: E/M, ICD-10-CM, CPT, HCPCS and quality codes, with reasons."""

    class InputSerializer(NoteInputSerializer):
        class Meta:
            ref_name = "Extract"  # "Request" is appended for request bodies

        payer = ParameterChoiceField("payer", required=False, allow_null=True)
        patient_type = ParameterChoiceField("patient_type", required=False, allow_null=True)
        visit_type = ParameterChoiceField("visit_type", required=False, allow_null=True)
        specialty = ParameterChoiceField("specialty", required=False, allow_null=True)
        phi_scrub = StrictBooleanField(required=False, allow_null=True)

    @extend_schema(
        summary="Extract codes from a clinical note",
        request=InputSerializer,
        responses={
            200: openapi_examples.EXTRACT_RESPONSE_SCHEMA,
            502: openapi_examples.error("The model's reply could not be parsed"),
            503: openapi_examples.error("The model is unavailable; retry after Retry-After"),
        },
        examples=[
            OpenApiExample("Request", value=openapi_examples.EXTRACT_REQUEST, request_only=True),
            OpenApiExample("Response", value=openapi_examples.EXTRACT_RESPONSE, response_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        _require_object(request.data)
        data = self.InputSerializer(data=request.data).validated()
        parameters = ExtractionParameters(
            **{name: data.get(name) or default for name, default in DEFAULTS.items()}
        )
        phi_scrub = data.get("phi_scrub")
        principal = request.user
        outcome = extraction_run(
            organization=principal.organization,
            note=data["note"],
            parameters=parameters,
            phi_scrub=True if phi_scrub is None else phi_scrub,
            api_key=principal.api_key,
        )
        return Response(outcome.body, headers=rate_limit_headers(outcome.usage))


class ScrubThrottle(SimpleRateThrottle):
    """Per-organization requests a minute: scrubbing does not count against the monthly quota."""

    scope = "scrub"

    def get_cache_key(self, request: Request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.user.organization.pk}


class ScrubApi(OrganizationApiView):
    """Remove identifiers (HIPAA Safe Harbor) from a note, without coding it."""

    throttle_classes = [ScrubThrottle]

    class OutputSerializer(serializers.Serializer):
        class RedactionSerializer(serializers.Serializer):
            kind = serializers.CharField()
            start = serializers.IntegerField()
            end = serializers.IntegerField()

        scrubbed_note = serializers.CharField()
        redactions = RedactionSerializer(many=True)

        class Meta:
            ref_name = "ScrubResult"

    @extend_schema(
        summary="Scrub PHI from a note",
        request=NoteInputSerializer,
        responses=inline_serializer(
            name="ScrubResponse",
            fields={
                "result": OutputSerializer(),
                "meta": inline_serializer(
                    name="ScrubMeta", fields={"note_chars": serializers.IntegerField()}
                ),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        _require_object(request.data)
        data = NoteInputSerializer(data=request.data).validated()
        result = note_scrub(note=data["note"])
        return Response({"result": result, "meta": {"note_chars": len(data["note"])}})


class ExtractionPagination(PageNumberPagination):
    """Pages of 25 by default; a ``page_size`` that is not 1 to 100 is a 400, not ignored."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not values[0].isdigit() or not 1 <= int(values[0]) <= 100:
            raise ApplicationError(
                "invalid_parameter", "page_size must be a whole number from 1 to 100."
            )
        return int(values[0])


class ExtractionListApi(OrganizationApiView):
    """The organization's stored extractions, newest first."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField(source="public_id")
        created_at = serializers.DateTimeField()
        status = serializers.CharField()
        error_code = serializers.CharField()
        source = serializers.CharField()
        engine = serializers.CharField()
        model = serializers.CharField()
        payer = serializers.CharField()
        patient_type = serializers.CharField()
        visit_type = serializers.CharField()
        specialty = serializers.CharField()
        phi_scrubbed = serializers.BooleanField()
        latency_ms = serializers.IntegerField()
        codes = serializers.ListField(child=serializers.CharField(), source="code_list")

        class Meta:
            ref_name = "ExtractionSummary"

    @extend_schema(
        operation_id="extractions_list",
        summary="List stored extractions",
        parameters=[
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1}, description="Page number, from 1"
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": 100},
                description="Rows a page, 25 by default",
            ),
        ],
        responses=inline_serializer(
            name="ExtractionPage",
            fields={
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": OutputSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        queryset = extractions_for_org(organization=request.user.organization).defer(
            "scrubbed_note", "result"
        )
        paginator = ExtractionPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ExtractionDetailApi(OrganizationApiView):
    """One stored extraction, with its result exactly as it was returned."""

    class OutputSerializer(ExtractionListApi.OutputSerializer):
        scrubbed_note = serializers.CharField()
        result = serializers.JSONField()

        class Meta:
            ref_name = "Extraction"

    @extend_schema(summary="Retrieve a stored extraction", responses=OutputSerializer)
    def get(self, request: Request, extraction_id) -> Response:
        extraction = extraction_get_for_org(
            organization=request.user.organization, public_id=extraction_id
        )
        return Response(self.OutputSerializer(extraction).data, status=HTTPStatus.OK)

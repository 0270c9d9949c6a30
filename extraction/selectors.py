"""Reads of stored extractions, always scoped to one organization."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization
from extraction.models import Extraction


def extractions_for_org(*, organization: Organization) -> QuerySet[Extraction]:
    return Extraction.objects.filter(organization=organization).order_by("-created_at", "-pk")


def extraction_get_for_org(*, organization: Organization, public_id) -> Extraction:
    """Another organization's id, a missing id and a malformed id all give the same 404."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404("No such extraction") from exc
    extraction = extractions_for_org(organization=organization).filter(public_id=public_id).first()
    if extraction is None:
        raise Http404("No such extraction")
    return extraction


def extractions_filtered(
    *,
    organization: Organization,
    date_from=None,
    date_to=None,
    payer: str = "",
    visit_type: str = "",
    code: str = "",
) -> QuerySet[Extraction]:
    """History filters: date range (inclusive, UTC days), payer, visit type, code or prefix."""
    queryset = extractions_for_org(organization=organization).defer("scrubbed_note", "result")
    if date_from:
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(created_at__date__lte=date_to)
    if payer:
        queryset = queryset.filter(payer=payer)
    if visit_type:
        queryset = queryset.filter(visit_type=visit_type)
    if code:
        queryset = queryset.filter(codes__icontains=f" {code.strip().upper()}")
    return queryset

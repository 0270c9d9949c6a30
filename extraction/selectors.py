"""Reads of stored extractions, always scoped to one organization."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization
from extraction.models import Extraction


def extractions_for_org(*, organization: Organization) -> QuerySet[Extraction]:
    return Extraction.objects.filter(organization=organization).order_by("-created_at", "-pk")


def extraction_get_for_org(*, organization: Organization, public_id) -> Extraction:
    """Another organization's id and a missing id both give the same 404."""
    extraction = extractions_for_org(organization=organization).filter(public_id=public_id).first()
    if extraction is None:
        raise Http404("No such extraction")
    return extraction

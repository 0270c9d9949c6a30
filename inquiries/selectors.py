"""Reads of inquiries, always scoped to one organization: another organization's id is a 404."""

import uuid
from datetime import UTC, date, datetime, time

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization
from inquiries.models import CallbackDelivery, Inquiry, InquirySettings, Provider, Status


def inquiry_list(
    *,
    organization: Organization,
    statuses: list[str] | None = None,
    external_id: str = "",
    created_from: date | None = None,
    created_to: date | None = None,
    line: str = "",
) -> QuerySet[Inquiry]:
    """An organization's inquiries, newest first; created dates are whole UTC days, inclusive."""
    inquiries = Inquiry.objects.for_organization(organization)
    if statuses:
        inquiries = inquiries.filter(status__in=statuses)
    if external_id:
        inquiries = inquiries.filter(external_id=external_id)
    if created_from:
        inquiries = inquiries.filter(
            created_at__gte=datetime.combine(created_from, time.min, tzinfo=UTC)
        )
    if created_to:
        inquiries = inquiries.filter(
            created_at__lte=datetime.combine(created_to, time.max, tzinfo=UTC)
        )
    if line:
        inquiries = inquiries.filter(line=line)
    return inquiries.order_by("-created_at", "-pk")


def inquiry_get_for_org(
    *, organization: Organization, inquiry_id: str | uuid.UUID, line: str = ""
) -> Inquiry:
    """One inquiry of this organization; a malformed, missing or foreign id raises Http404."""
    try:
        pk = uuid.UUID(str(inquiry_id))
    except ValueError as exc:
        raise Http404("No such inquiry") from exc
    inquiries = Inquiry.objects.for_organization(organization).select_related("organization")
    if line:
        inquiries = inquiries.filter(line=line)
    try:
        return inquiries.get(pk=pk)
    except Inquiry.DoesNotExist as exc:
        raise Http404("No such inquiry") from exc


def inquiry_work_queue(*, organization: Organization) -> QuerySet[Inquiry]:
    """Manual inquiries waiting for a staff call or being worked, oldest first."""
    return (
        Inquiry.objects.for_organization(organization)
        .filter(provider=Provider.MANUAL, status__in=[Status.PENDING, Status.IN_PROGRESS])
        .select_related("claimed_by")
        .order_by("desired_completion_date", "created_at")
    )


def inquiry_settings_for(*, organization: Organization) -> InquirySettings | None:
    return InquirySettings.objects.filter(organization=organization).first()


def callback_deliveries_for(*, organization: Organization, limit: int = 20) -> list:
    return list(
        CallbackDelivery.objects.filter(inquiry__organization=organization).order_by(
            "-created_at", "-pk"
        )[:limit]
    )

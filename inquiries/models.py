"""Benefits inquiries: what was asked, where it stands, what the payer said.

An inquiry's status changes only through :func:`inquiries.services.inquiry_transition`, which
checks :data:`ALLOWED_TRANSITIONS` and writes an :class:`InquiryTransition` row. Patient
identifiers, diagnoses and results are encrypted at rest (``claimlens.crypto``).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organization
from claimlens.crypto import EncryptedJSONField, EncryptedTextField
from claimlens.db import TimeStampedModel
from inquiries.public_http import validate_public_callback_url


class Status(models.TextChoices):
    PENDING = "PENDING", "Pending"
    SCHEDULED = "SCHEDULED", "Scheduled"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    SUCCESS = "SUCCESS", "Success"
    FAILED = "FAILED", "Failed"
    CANCELLED = "CANCELLED", "Cancelled"


FINAL_STATUSES = frozenset({Status.SUCCESS, Status.FAILED, Status.CANCELLED})

# The whole state machine. A final state has no way out; IN_PROGRESS may go back to PENDING
# only when a staff member releases a claimed inquiry in the manual queue.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset(
        {Status.SCHEDULED, Status.IN_PROGRESS, Status.SUCCESS, Status.FAILED, Status.CANCELLED}
    ),
    Status.SCHEDULED: frozenset(
        {Status.IN_PROGRESS, Status.SUCCESS, Status.FAILED, Status.CANCELLED}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.PENDING, Status.SUCCESS, Status.FAILED, Status.CANCELLED}
    ),
    Status.SUCCESS: frozenset(),
    Status.FAILED: frozenset(),
    Status.CANCELLED: frozenset(),
}


class Line(models.TextChoices):
    """Health Harbor's product lines; each has its own benefits_query values."""

    MENTAL_HEALTH = "mental_health", "Mental health"
    DENTAL = "dental", "Dental"
    MEDICAL = "medical", "Medical"


class InquiryType(models.TextChoices):
    BENEFITS = "BENEFITS", "Benefits"
    CLAIMS_STATUS = "CLAIMS_STATUS", "Claims status"
    UNKNOWN = "UNKNOWN", "Unknown"


class Provider(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox (test member ids)"
    MANUAL = "manual", "Manual (staff call the payer)"
    X12 = "x12", "X12 270/271 eligibility"
    HEALTHHARBOR = "healthharbor", "Health Harbor"


class InquiryQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization) -> "InquiryQuerySet":
        return self.filter(organization=organization)

    def open(self) -> "InquiryQuerySet":
        return self.exclude(status__in=FINAL_STATUSES)


class Inquiry(TimeStampedModel):
    """One benefits check for one patient, as the contract's ``request`` object describes it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="inquiries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    line = models.CharField(max_length=20, choices=Line.choices, default=Line.MENTAL_HEALTH)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    summary = models.CharField(max_length=500, blank=True)

    # Fulfilment: who answers it, the upstream's id and raw status, and staff work.
    provider = models.CharField(max_length=20, choices=Provider.choices)
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)
    vendor_status = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The request, with the contract's field names. Identifiers are encrypted.
    type = models.CharField(
        max_length=20, choices=InquiryType.choices, default=InquiryType.BENEFITS
    )
    desired_completion_date = models.DateField()
    patient_name = EncryptedTextField()
    dob = EncryptedTextField(help_text="ISO date, encrypted")
    member_id = EncryptedTextField()
    group_id = models.CharField(max_length=50, blank=True)
    insurance = models.CharField(max_length=40)
    insurance_in_network = models.BooleanField(null=True, blank=True)
    npi = models.CharField(max_length=10)
    tax_id = models.CharField(max_length=9, blank=True)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)
    diagnosis_codes = EncryptedJSONField(default=list)
    claims_date_of_service = models.DateField(null=True, blank=True)
    claim_number = models.CharField(max_length=50, blank=True)
    is_specialist = models.BooleanField(null=True, blank=True)
    place_of_service = models.CharField(max_length=40, blank=True)
    # Kept as sent (a string or a list) so the retrieve response echoes what was asked.
    benefits_query = models.JSONField(default=list)
    benefits_codes = models.JSONField(default=list)

    # The payer's answer in the contract's ``results`` shape (inquiries/results.py).
    results = EncryptedJSONField(null=True, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "inquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="inquiry_status_valid"
            ),
            models.CheckConstraint(condition=Q(line__in=Line.values), name="inquiry_line_valid"),
            models.CheckConstraint(
                condition=Q(provider__in=Provider.values), name="inquiry_provider_valid"
            ),
        ]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"inquiry {self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def date_of_birth(self) -> date | None:
        return date.fromisoformat(self.dob) if self.dob else None

    @property
    def benefits_queries(self) -> list[str]:
        """``benefits_query`` as a list, whichever form it was sent in."""
        query = self.benefits_query
        return [query] if isinstance(query, str) else list(query or [])


class InquiryTransition(models.Model):
    """One status change: from, to, when, and who or what made it."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    source = models.CharField(max_length=40, help_text="api, web, admin, sandbox, healthharbor…")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status__in=Status.values) & Q(to_status__in=Status.values),
                name="inquiry_transition_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} ({self.source})"


class InquirySettings(TimeStampedModel):
    """An organization's inquiry settings: its provider and its completion callback URL."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="inquiry_settings"
    )
    provider = models.CharField(
        max_length=20,
        choices=Provider.choices,
        blank=True,
        help_text="Empty: the INQUIRY_PROVIDER setting decides.",
    )
    callback_url = models.URLField(
        max_length=500, blank=True, validators=[validate_public_callback_url]
    )
    callback_secret = EncryptedTextField(blank=True, default="")

    class Meta:
        verbose_name = "inquiry settings"
        verbose_name_plural = "inquiry settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(provider="") | Q(provider__in=Provider.values),
                name="inquiry_settings_provider_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"inquiry settings for {self.organization}"


class CallbackDelivery(models.Model):
    """One attempt to POST a completion callback, whatever happened."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64, db_index=True)
    url = models.URLField(max_length=500)
    attempt = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "callback deliveries"

    def __str__(self) -> str:
        return f"{self.event_id} attempt {self.attempt}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

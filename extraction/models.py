"""Stored extractions: what was asked, by whom, what came back. Never the raw note."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from claimlens.crypto import EncryptedJSONField, EncryptedTextField
from claimlens.db import TimeStampedModel
from extraction.parameters import PatientType, Payer, Specialty, VisitType


class ExtractionStatus(models.TextChoices):
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ExtractionSource(models.TextChoices):
    API = "api", "API"
    WEB = "web", "Web"


def _choices(enum) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


class Extraction(TimeStampedModel):
    """One extraction request of an organization.

    The note is kept only in scrubbed form and encrypted, like the result (whose evidence
    quotes come from the note). ``codes`` holds the plain code strings so history can be
    searched by code without decrypting anything.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="extractions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=ExtractionSource.choices)
    payer = models.CharField(max_length=20, choices=_choices(Payer))
    patient_type = models.CharField(max_length=20, choices=_choices(PatientType))
    visit_type = models.CharField(max_length=20, choices=_choices(VisitType))
    specialty = models.CharField(max_length=30, choices=_choices(Specialty))
    phi_scrubbed = models.BooleanField()
    engine = models.CharField(max_length=20)
    model = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=ExtractionStatus.choices)
    error_code = models.CharField(max_length=50, blank=True)
    latency_ms = models.PositiveIntegerField()
    note_chars = models.PositiveIntegerField()
    scrubbed_note = EncryptedTextField(blank=True)
    note_purged_at = models.DateTimeField(null=True, blank=True)
    result = EncryptedJSONField(null=True, blank=True)
    codes = models.TextField(
        blank=True, help_text="Every code of the result, space-separated and space-padded."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExtractionStatus.values), name="extraction_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ExtractionSource.values), name="extraction_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"extraction {self.public_id} ({self.status})"

    @property
    def code_list(self) -> list[str]:
        return self.codes.split()

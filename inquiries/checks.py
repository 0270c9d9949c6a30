"""Startup checks: an inquiry provider that cannot work is found at boot, not at first use."""

from django.conf import settings
from django.core import checks

from inquiries.models import Provider


@checks.register()
def check_inquiry_provider(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    provider = settings.INQUIRY_PROVIDER
    if provider not in Provider.values:
        return [
            checks.Error(
                f"INQUIRY_PROVIDER={provider!r} is not one of {', '.join(Provider.values)}.",
                id="inquiries.E001",
            )
        ]
    messages: list[checks.CheckMessage] = []
    if provider == Provider.HEALTHHARBOR:
        if not (settings.HEALTHHARBOR_USERNAME and settings.HEALTHHARBOR_PASSWORD):
            messages.append(
                checks.Error(
                    "INQUIRY_PROVIDER=healthharbor needs HEALTHHARBOR_USERNAME and "
                    "HEALTHHARBOR_PASSWORD.",
                    id="inquiries.E002",
                )
            )
        if not settings.HEALTHHARBOR_WEBHOOK_SECRET:
            messages.append(
                checks.Warning(
                    "HEALTHHARBOR_WEBHOOK_SECRET is empty: webhooks are refused and inquiries "
                    "finish by polling only.",
                    id="inquiries.W001",
                )
            )
    if provider == Provider.X12 and not settings.X12_ENDPOINT_URL:
        messages.append(
            checks.Error("INQUIRY_PROVIDER=x12 needs X12_ENDPOINT_URL.", id="inquiries.E003")
        )
    return messages

"""Fulfilment providers, chosen per organization (InquirySettings) or by INQUIRY_PROVIDER."""

from inquiries.models import Provider
from inquiries.providers.base import (
    InquiryProvider,
    Outcome,
    ProviderRejected,
    ProviderUnavailable,
)

__all__ = [
    "InquiryProvider",
    "Outcome",
    "ProviderRejected",
    "ProviderUnavailable",
    "get_provider",
]


def get_provider(name: str) -> InquiryProvider:
    # Imported on use: the X12 and Health Harbor modules are only needed where configured.
    if name == Provider.SANDBOX:
        from inquiries.providers.sandbox import SandboxProvider

        return SandboxProvider()
    if name == Provider.MANUAL:
        from inquiries.providers.manual import ManualProvider

        return ManualProvider()
    if name == Provider.X12:
        from inquiries.providers.x12 import X12Provider

        return X12Provider()
    if name == Provider.HEALTHHARBOR:
        from inquiries.providers.healthharbor import HealthHarborProvider

        return HealthHarborProvider()
    raise ValueError(f"unknown inquiry provider {name!r}")

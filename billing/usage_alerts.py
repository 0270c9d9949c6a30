"""Usage e-mails to owners and admins at 80% and 100% of the monthly limit (Celery beat)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organization, Role
from billing.models import MonthlyUsage
from billing.plans import limits_for
from billing.quota import month_start, next_reset

# Usage e-mails, highest threshold first: reaching 100% in one step sends only that mail.
USAGE_ALERT_THRESHOLDS = ((100, "alerted_100_at"), (80, "alerted_80_at"))


def _usage_alert_mail(organization: Organization, percent: int, used: int, limit: int) -> None:
    recipients = list(
        organization.memberships.filter(role__in=[Role.OWNER, Role.ADMIN]).values_list(
            "user__email", flat=True
        )
    )
    if not recipients:
        return
    reset = next_reset()
    if percent >= 100:
        subject = f"ClaimLens: {organization.name} has used all {limit:,} extractions this month"
        body = (
            f"{organization.name} has used all {limit:,} extractions of the "
            f"{organization.get_plan_display()} plan this month. New extractions are refused "
            f"until the counter resets on {reset:%-d %B %Y} (UTC).\n\n"
            f"Upgrade for a higher limit: {settings.SITE_URL}/pricing\n"
        )
    else:
        subject = f"ClaimLens: {organization.name} has used {percent}% of this month's extractions"
        body = (
            f"{organization.name} has used {used:,} of {limit:,} extractions this month. "
            f"The counter resets on {reset:%-d %B %Y} (UTC).\n\n"
            f"Plans: {settings.SITE_URL}/pricing\n"
        )
    send_mail(subject, body, None, recipients)


def usage_alerts_send(*, now=None) -> int:
    """E-mail owners and admins when this month's usage reaches 80% and 100% of the limit.

    Each mail goes out at most once a month: the marker is claimed with a conditional UPDATE
    before sending, so two beat runs at once cannot both send it.
    """
    now = now or timezone.now()
    sent = 0
    pending = (
        MonthlyUsage.objects.filter(period=month_start(now))
        .filter(Q(alerted_80_at__isnull=True) | Q(alerted_100_at__isnull=True))
        .select_related("organization")
    )
    for usage in pending:
        limit = limits_for(usage.organization.plan).monthly_extractions
        for percent, marker in USAGE_ALERT_THRESHOLDS:
            if usage.used * 100 < limit * percent:
                continue
            if getattr(usage, marker) is None:
                claimed = MonthlyUsage.objects.filter(
                    pk=usage.pk, **{f"{marker}__isnull": True}
                ).update(**{marker: now, "alerted_80_at": Coalesce("alerted_80_at", Value(now))})
                if claimed:
                    _usage_alert_mail(usage.organization, percent, usage.used, limit)
                    sent += 1
            break
    return sent

from celery import shared_task

from billing.usage_alerts import usage_alerts_send


@shared_task
def send_usage_alerts() -> int:
    """Every 15 minutes (Celery beat): 80% and 100% usage e-mails, once a month each."""
    return usage_alerts_send()

from celery import shared_task

from extraction.services import extraction_purge_expired_notes


@shared_task
def purge_expired_notes() -> int:
    """Daily (Celery beat): stored notes past each organization's retention period."""
    return extraction_purge_expired_notes()

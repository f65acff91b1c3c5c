"""Celery tasks of the enterprises app: thin wrappers around services, idempotent."""

from celery import shared_task

from enterprises import services


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def expire_lapsed_passes():
    """Issued passes whose validity has ended become expired (a second run finds none)."""
    return services.expire_lapsed_passes()

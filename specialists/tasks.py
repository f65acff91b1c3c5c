"""Celery tasks of the specialists app: thin wrappers around services, idempotent."""

from celery import shared_task

from specialists import services


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, ignore_result=False)
def sweep_overdue():
    """Flag overdue assignments and remind agencies and the district office (dedupe keys: running twice notifies once)."""
    return services.sweep_overdue()

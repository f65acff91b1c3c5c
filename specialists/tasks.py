"""Celery tasks of the specialists app: thin wrappers around services, idempotent."""

from celery import shared_task

from specialists import services


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, ignore_result=False)
def sweep_overdue():
    """The loop's sweep: flags what is late, sends reminders, 催办 and 督办 notices once each (Supervision rows),
    and closes as 默认满意 what the firm left unanswered. Running twice notifies once."""
    return services.sweep_overdue()

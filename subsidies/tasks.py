"""Celery tasks of the subsidies app: thin, idempotent wrappers around services."""

from celery import shared_task

from subsidies import services


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def precheck_claim(claim_id):
    """Pre-check a submitted claim and store the findings on it; running it again stores the same findings."""
    found = services.precheck(claim_id)
    return None if found is None else len(found)

"""Celery tasks of the relief app: thin, idempotent wrappers around services (a second run writes nothing)."""

from celery import shared_task

from relief import services


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def match_policy(policy_id):
    """Match one published 免申即享 policy to every firm; returns the number of awards written."""
    return services.match_policy(policy_id).created


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def match_all_policies():
    """The periodic sweep: firms whose data changed since the last run (a report, a resumption, a tag) meet the
    rules now and get their awards. One query per policy; idempotent."""
    return sum(result.created for result in services.match_all())

"""Celery tasks of the enterprises app: thin wrappers around services, idempotent."""

from celery import shared_task

from enterprises import services


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, ignore_result=False)
def expire_lapsed_passes():
    """Issued passes whose validity has ended become expired (a second run finds none). A system sweep over
    every firm's passes, acting for no user."""
    return services.expire_lapsed_passes()


@shared_task(acks_late=True)
def export_enterprises(export_id):
    """Write a requested firm export (enterprises.exports); a failure marks it failed for the page to say so."""
    from enterprises import exports
    from enterprises.models import EnterpriseExport

    # The export row is the requester's; the rows written come from ``visible_to(requester)`` (exports.firms_for).
    export = EnterpriseExport.objects.filter(pk=export_id).select_related("requested_by").first()
    if export is None or export.status == EnterpriseExport.Status.DONE:
        return 0
    try:
        return exports.write(export)
    except Exception:
        EnterpriseExport.objects.filter(pk=export_id).update(status=EnterpriseExport.Status.FAILED)
        raise

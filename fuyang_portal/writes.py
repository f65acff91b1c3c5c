"""Steps the apps' services share when they write records: a record's own validation as a refusal, and inserting
many rows at once."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fuyang_portal.workflow import ActionRefused


def validate_or_refuse(instance, **kwargs):
    """Run the model's validators (``full_clean``; uniqueness is left to the database unless asked for); their
    messages become one ActionRefused(INVALID), so the page and the API show them alike."""
    kwargs.setdefault("validate_unique", False)
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise ActionRefused(" ".join(str(m) for m in error.messages), ActionRefused.INVALID) from None


def insert_all(model, rows, *, reread, conflict=None, batch_size=None):
    """Insert ``rows`` of ``model`` in one statement (per ``batch_size``) and return them with their keys;
    ``reread()`` fetches them where the database does not return new keys. ``conflict``: the refusal when a unique
    constraint stops the insert (another request was first); without it the error goes up."""
    if conflict is None:
        created = model.objects.bulk_create(rows, batch_size=batch_size)
    else:
        try:
            with transaction.atomic():
                created = model.objects.bulk_create(rows, batch_size=batch_size)
        except IntegrityError:
            raise ActionRefused(conflict, ActionRefused.CONFLICT) from None
    if any(row.pk is None for row in created):
        created = list(reread())
    return created

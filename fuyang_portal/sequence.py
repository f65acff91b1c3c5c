"""Concurrency-safe numbering: ``next_value("payout-batch-20200224")`` gives 1, 2, 3… once each, however many
transactions ask at once (the counter row is locked until the asking transaction ends)."""

from django.db import IntegrityError, transaction

from fuyang_portal.models import Counter


def next_value(name):
    with transaction.atomic():
        counter = Counter.objects.select_for_update().filter(name=name).first()
        if counter is None:
            try:
                # A savepoint: of two first callers one inserts, the other finds the row and waits on its lock.
                with transaction.atomic():
                    counter = Counter.objects.create(name=name, value=0)
            except IntegrityError:
                counter = Counter.objects.select_for_update().get(name=name)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value

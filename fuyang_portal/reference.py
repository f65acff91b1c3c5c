"""The district's reference lists (townships, villages, communities, agencies, firm tags), read once per process.

Nearly every list's filter offers some of them, and they change a few times a year, through the admin. A process keeps
each plain listing (no filter of its own, so the same rows for every user) and reads it again when its model's
version number, kept in the shared cache, has moved: every save or delete of one of these models increases it (at
once and again when the change commits), so every node sees a change on its next page. An entry is also read again
after settings.REFERENCE_LIST_SECONDS, whatever happened (0: read on every page). The rows handed out are shared:
callers only read them."""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

REFERENCE_MODELS = frozenset({
    "fuyang_portal.Township", "fuyang_portal.Village", "fuyang_portal.Community", "fuyang_portal.Agency", "enterprises.EnterpriseTag",
})
_rows = {}  # (label, database, ordering...) -> (version, read at, rows)
_lock = threading.Lock()


def _version_key(label):
    return f"reference-version:{label}"


def is_plain(queryset):
    """The model's rows, all of them, as model instances: what every user's filter shows alike."""
    query = queryset.query
    return not (
        query.where or query.select_related or query.annotations or query.extra or query.is_sliced or query.distinct
        or query.combinator or query.values_select or query.deferred_loading[0] or queryset._prefetch_related_lookups
        or queryset._iterable_class.__name__ != "ModelIterable"
    )


def rows(queryset):
    """``list(queryset)``, from the process's copy when it is a plain listing of a reference model."""
    label = queryset.model._meta.label
    if label not in REFERENCE_MODELS or not is_plain(queryset):
        return list(queryset)
    max_age = getattr(settings, "REFERENCE_LIST_SECONDS", 0)
    if max_age <= 0:
        return list(queryset)
    query = queryset.query
    key = (label, queryset.db, tuple(map(str, query.order_by)), query.default_ordering, query.standard_ordering)
    version = cache.get(_version_key(label), 0)
    found = _rows.get(key)
    if found is not None and found[0] == version and time.monotonic() - found[1] < max_age:
        return found[2]
    listed = list(queryset)
    with _lock:
        _rows[key] = (version, time.monotonic(), listed)
    return listed


def forget(label=None):
    """Drop the process's copies (of one model, or all)."""
    with _lock:
        for key in [key for key in _rows if label is None or key[0] == label]:
            del _rows[key]


def changed(label):
    """A reference model's rows changed: every process reads them again."""
    forget(label)
    try:
        cache.incr(_version_key(label))
    except ValueError:  # no version yet
        cache.add(_version_key(label), 1, timeout=None) or cache.incr(_version_key(label))


def _on_change(sender, **kwargs):
    label = sender._meta.label
    if label in REFERENCE_MODELS:
        changed(label)
        # Again once committed: a copy read inside the writing transaction (seeing its rows early) is dropped too.
        transaction.on_commit(lambda: changed(label))


def connect():
    post_save.connect(_on_change, dispatch_uid="reference-save")
    post_delete.connect(_on_change, dispatch_uid="reference-delete")

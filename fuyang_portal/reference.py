"""The district's reference lists (townships, villages, communities, agencies, firm tags, relief policies), read
once per process.

Nearly every list's filter offers some of them, and they change a few times a year (through the admin; policies
when the district publishes them). A process keeps each plain listing (no filter of its own, so the same rows for
every user) and reads it again when its model's version number, kept in the shared cache, has moved: every save or
delete of one of these models increases it (at once and again when the change commits), so every node sees a
change on its next page. An entry is also read again after settings.REFERENCE_LIST_SECONDS, whatever happened (0:
read on every page). The rows handed out are shared: callers only read them. Lists set their rows' relations to
these models from the same copies (``with_references``) instead of joining them."""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.db.models.signals import post_delete, post_save

REFERENCE_MODELS = frozenset({
    "fuyang_portal.Township", "fuyang_portal.Village", "fuyang_portal.Community", "fuyang_portal.Agency", "enterprises.EnterpriseTag",
    "relief.Policy",
})
_rows = {}  # (label, database, ordering...) -> (version, read at, rows)
_keyed = {}  # model -> (the rows as listed, the same rows by key)
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


def kept():
    """Whether processes keep copies of the reference lists (settings.REFERENCE_LIST_SECONDS above 0)."""
    return getattr(settings, "REFERENCE_LIST_SECONDS", 0) > 0


def is_kept(queryset):
    """Whether ``rows(queryset)`` hands out the process's copy (the same list for every user until a change)."""
    return kept() and queryset.model._meta.label in REFERENCE_MODELS and is_plain(queryset)


def rows(queryset):
    """``list(queryset)``, from the process's copy when it is a plain listing of a reference model."""
    if not is_kept(queryset):
        return list(queryset)
    label, max_age, query = queryset.model._meta.label, settings.REFERENCE_LIST_SECONDS, queryset.query
    key = (label, queryset.db, tuple(map(str, query.order_by)), query.default_ordering, query.standard_ordering)
    version = cache.get(_version_key(label), 0)
    found = _rows.get(key)
    if found is not None and found[0] == version and time.monotonic() - found[1] < max_age:
        return found[2]
    listed = list(queryset)
    with _lock:
        _rows[key] = (version, time.monotonic(), listed)
    return listed



def by_key(model):
    """The model's rows by key, from the process's copy (rebuilt with it): for setting relations, not for lists."""
    listed = rows(model._default_manager.all())
    found = _keyed.get(model)
    if found is None or found[0] is not listed:
        found = (listed, {row.pk: row for row in listed})
        _keyed[model] = found
    return found[1]


def attach(instances, paths):
    """Set the relation at the end of each path ("township", "enterprise__township") of ``instances`` to the
    reference model's row from the process's copy. The steps before the last must be loaded already (joined);
    a key the copy does not hold is left for Django to read when it is used."""
    for path in paths:
        *steps, name = path.split("__")
        owners = instances
        for step in steps:
            owners = [owner for owner in (getattr(owner, step) for owner in owners) if owner is not None]
        if not owners:
            continue
        field = owners[0]._meta.get_field(name)
        rows_by_key = by_key(field.related_model)
        for owner in owners:
            key = getattr(owner, field.attname)
            if key is None:
                field.set_cached_value(owner, None)
            elif key in rows_by_key:
                field.set_cached_value(owner, rows_by_key[key])


class WithReferencesQuerySet(QuerySet):
    """``with_references(*paths)``: like ``select_related`` for relations to reference rows, which are set from
    the process's copy after the rows are read instead of joined into the statement. A list's page then reads
    fewer columns and builds no township or village per row."""

    _references = ()

    def with_references(self, *paths):
        if not kept():  # no copies kept: joined as usual
            return self.select_related(*paths)
        # The steps before a reference row (a claim's firm) are joined; the reference row itself is set afterwards.
        # (select_related() without a name would join every relation.)
        steps = {path.rsplit("__", 1)[0] for path in paths if "__" in path}
        clone = self.select_related(*steps) if steps else self._chain()
        clone._references = (*self._references, *paths)
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._references = self._references
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._references and issubclass(self._iterable_class, ModelIterable):
            attach(self._result_cache, self._references)


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

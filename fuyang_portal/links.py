"""A record's own address, built without a ``reverse()`` per row: a list page links 25 to 100 rows, and
Django's reverse (resolver lookups, argument checks, quoting) cost more than the row's other cells together."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# The URL configuration and script prefix while a list writes its rows (same_addresses): each is a context-local
# lookup that costs more than the rest of key_url, and neither changes within a page.
_fixed_parts = ContextVar("fixed_url_parts", default=None)

# A key no table reaches, reversed once per view name; the address of key n is that one with n put in its place.
_MARK = "918273645546372819"


@lru_cache(maxsize=512)
def _address_with_mark(viewname, urlconf, prefix):
    address = reverse(viewname, args=[int(_MARK)], urlconf=urlconf)
    if address.count(_MARK) != 1:  # a pattern that changes its argument: nothing to reuse
        return None
    return address


def _url_parts():
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@contextmanager
def same_addresses():
    """Within the block, key_url uses the URL configuration and script prefix read at its start."""
    token = _fixed_parts.set(_url_parts())
    try:
        yield
    finally:
        _fixed_parts.reset(token)


def key_url(viewname, key):
    """``reverse(viewname, args=[key])`` for a view taking one whole-number key, from an address reversed once."""
    urlconf, prefix = _fixed_parts.get() or _url_parts()
    address = _address_with_mark(viewname, urlconf, prefix)
    if address is None or not isinstance(key, int):
        return reverse(viewname, args=[key], urlconf=urlconf)
    return address.replace(_MARK, str(key))

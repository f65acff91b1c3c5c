"""A record's own address, built without a ``reverse()`` per row: a list page links 25 to 100 rows, and
Django's reverse (resolver lookups, argument checks, quoting) cost more than the row's other cells together."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# A key no table reaches, reversed once per view name; the address of key n is that one with n put in its place.
_MARK = "918273645546372819"


@lru_cache(maxsize=512)
def _address_with_mark(viewname, urlconf, prefix):
    address = reverse(viewname, args=[int(_MARK)], urlconf=urlconf)
    if address.count(_MARK) != 1:  # a pattern that changes its argument: nothing to reuse
        return None
    return address


def key_url(viewname, key):
    """``reverse(viewname, args=[key])`` for a view taking one whole-number key, from an address reversed once."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    address = _address_with_mark(viewname, urlconf, get_script_prefix())
    if address is None or not isinstance(key, int):
        return reverse(viewname, args=[key], urlconf=urlconf)
    return address.replace(_MARK, str(key))

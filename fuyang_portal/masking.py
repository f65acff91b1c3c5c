"""Private persons' mobiles shown masked (GB/T 35273 §7.2): 138****5678 to everyone but the record's owner.

The owner is the account the record belongs to: the firm that filed it (``record.enterprise_id``: a pass, a
worker-return registration) or the partner county that referred it (``record.county_id``: a candidate). Anyone
else, staff included, sees the mask; the full number is seen through the record's audited unmask, beside the
ID number. Pages (the template tag ``mobile_for``), tables and their exports (``MobileColumn``) and the API
(``MobileField``) all ask ``shown_mobile``, so that they answer alike.
"""

import re

import django_tables2 as tables
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fuyang_portal.roles import Role

_MOBILE = re.compile(r"^1\d{10}$")
_SEPARATORS = re.compile(r"[\s-]")


def mask_mobile(value):
    """13812345678 → 138****5678. Anything that is not an 11-digit mobile is hidden whole (one * a character)."""
    value = _SEPARATORS.sub("", str(value or ""))
    if _MOBILE.match(value):
        return value[:3] + "****" + value[-4:]
    return "*" * len(value)


def owns(user, record):
    """True for the account the record belongs to: its firm's own account, or the county office that referred it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.ENTERPRISE:
        firm = getattr(record, "enterprise_id", None)
        return firm is not None and user.enterprise_id == firm
    if user.role == Role.COUNTY:
        # The county account row is kept by the labour app (a one-to-one named ``county_account`` on the user).
        account = getattr(user, "county_account", None)
        county = getattr(record, "county_id", None)
        return account is not None and county is not None and account.county_id == county
    return False


def shown_mobile(user, record, value):
    """``value``, the record's mobile, as ``user`` may see it: in full to the owner, masked to anyone else."""
    value = value or ""
    return value if owns(user, record) else mask_mobile(value)


def _user_of(request):
    return getattr(request, "user", None)


class MobileField(serializers.CharField):
    """A private person's mobile in an API answer: in full to the record's owner, masked otherwise (no request
    in the serializer's context: masked). Written like any CharField."""

    def get_attribute(self, instance):
        return shown_mobile(_user_of(self.context.get("request")), instance, super().get_attribute(instance))


class MobileColumn(tables.Column):
    """A private person's mobile in a list, on a phone's card and in the export: as ``shown_mobile`` decides for
    the user the table is built for (none: masked)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)  # sorting by a hidden value would disclose its order
        super().__init__(*args, **kwargs)

    def render(self, value, record, table):
        # Column.value (the export) renders through here too.
        return shown_mobile(_user_of(getattr(table, "request", None)), record, value)


class MaskedMobileAdmin:
    """Admin pages show the mobile masked (list ``masked_mobile`` in ``readonly_fields`` and ``mobile`` in ``exclude``)."""

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj):
        return mask_mobile(obj.mobile)

"""Private persons' mobiles on pages (``{% load masking %}``); who sees what is decided in fuyang_portal/masking.py."""

from django import template

from fuyang_portal.masking import mask_mobile as _mask_mobile
from fuyang_portal.masking import shown_mobile

register = template.Library()


@register.filter
def mask_mobile(value):
    """``{{ number|mask_mobile }}``: 138****5678, whoever looks."""
    return _mask_mobile(value)


@register.simple_tag(takes_context=True)
def mobile_for(context, record, field="mobile"):
    """``{% mobile_for object %}``: the record's mobile in full to its owner (the signed-in user), masked to others."""
    request = context.get("request")
    return shown_mobile(getattr(request, "user", None), record, getattr(record, field, ""))

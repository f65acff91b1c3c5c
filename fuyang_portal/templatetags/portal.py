from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from fuyang_portal.tables import rendered_form_key

register = template.Library()

SELECTS = {"select", "selectmultiple", "nullbooleanselect"}
# Groups of checkboxes or radios: the attrs would land on the wrapper, so they are styled by CSS instead.
GROUPS = {"checkboxselectmultiple", "radioselect"}


@register.filter
def bs(field):
    """Render a form field's widget with Bootstrap's classes and its error state."""
    widget_type = field.widget_type
    if widget_type in GROUPS:
        return field.as_widget()
    if widget_type == "checkbox":
        css = "form-check-input"
    elif widget_type in SELECTS:
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id_for_label}-error"
    return field.as_widget(attrs=attrs)


# A process's rendered filter forms, by everything they show (rendered_form_key): a list's filter is the same on
# every page of it, and its selects of townships and agencies cost more than the rows of the page.
RENDERED_FILTERS = {}
RENDERED_FILTERS_MAX = 500


@register.simple_tag
def filter_fields(form):
    """A list's filter form: each visible field in its column with its label, box and errors (the markup the list
    template's loop wrote), in Python: the loop cost a template lookup per attribute of every field. Kept in
    RENDERED_FILTERS when its key says what it shows."""
    named = rendered_form_key(form)
    if named is not None:
        key, lists = named
        try:
            found = RENDERED_FILTERS.get(key)
        except TypeError:  # a value or attribute that cannot be a key
            found, named = None, None
        if found is not None and all(kept is current for kept, current in zip(found[0], lists, strict=True)):
            return found[1]
    markup = filter_fields_html(form)
    if named is not None:
        if len(RENDERED_FILTERS) >= RENDERED_FILTERS_MAX:
            RENDERED_FILTERS.clear()
        RENDERED_FILTERS[key] = (lists, markup)  # the lists held, so that their ids in the key stay theirs
    return markup


def filter_fields_html(form):
    parts = []
    for field in form.visible_fields():
        errors = "".join(f'<div class="invalid-feedback d-block" role="alert">{escape(error)}</div>' for error in field.errors)
        parts.append(
            f'<div class="col-12 col-sm-6 col-lg-3">\n<label class="form-label" for="{escape(field.id_for_label)}">'
            f"{conditional_escape(field.label)}</label>\n{bs(field)}\n{errors}</div>"
        )
    return mark_safe("\n".join(parts))


# What the transition log's action codes mean, for people reading a record's history.
ACTION_LABELS = {
    "create": _("Created"),
    "update": _("Updated"),
    "register": _("Registered"),
    "submit": _("Submitted"),
    "resubmit": _("Resubmitted"),
    "approve": _("Approved"),
    "return": _("Returned"),
    "issue": _("Issued"),
    "revoke": _("Revoked"),
    "expire": _("Expired"),
    "raise": _("Raised"),
    "resolve": _("Resolved by the specialist"),
    "escalate": _("Escalated to the district office"),
    "assign": _("Assigned to an agency"),
    "accept": _("Accepted by the agency"),
    "answer": _("Answered"),
    "confirm": _("Confirmed by the firm"),
    "reopen": _("Reopened"),
    "request_extension": _("Extension requested"),
    "grant_extension": _("Extension granted"),
    "refuse_extension": _("Extension refused"),
    "appoint": _("Appointed"),
    "activate": _("Activated"),
    "deactivate": _("Deactivated"),
    "plan": _("Planned"),
    "add_passengers": _("Passengers added"),
    "complete": _("Completed"),
    "cancel": _("Cancelled"),
    "township_approve": _("Approved by the township"),
    "township_return": _("Returned by the township"),
    "district_approve": _("Approved by the district office"),
    "district_return": _("Returned by the district office"),
    "district_reject": _("Rejected by the district office"),
    "pay": _("Paid"),
    "mark_paid": _("Marked paid"),
    "revise": _("Revised"),
    "compute": _("Computed"),
    "recompute": _("Recomputed"),
    "publish": _("Published"),
    "correct": _("Corrected"),
    "open_correction": _("Correction opened"),
    "supersede": _("Superseded"),
    "reopen_to_agency": _("Reopened for the agency"),
    "flag_overdue": _("Flagged overdue"),
    "end": _("Ended"),
    "change": _("Changed"),
    "attach": _("File attached"),
    "add_account": _("Account added"),
    # The problem's closed loop.
    "refer_to_township": _("Referred to the township"),
    "township_resolve": _("Resolved by the township"),
    "pass_up": _("Passed up to the district office"),
    "accept_return": _("Return accepted, reassigned"),
    "overrule_return": _("Return overruled"),
    "decline": _("Not accepted"),
    "merge": _("Merged into another problem"),
    "absorb": _("Took in a duplicate"),
    "callback": _("Called back"),
    "callback_reopen": _("Reopened after the callback"),
    "callback_unreached": _("Callback: not reached"),
    "auto_close": _("Closed automatically"),
    "from_hotline": _("Raised from a hotline call"),
    # Relief policies and awards.
    "withdraw": _("Withdrawn"),
    "hold": _("Held"),
    "batch": _("Put in a payout batch"),
    "recover": _("Recovery opened"),
    "settle": _("Recovery settled"),
    # Labour matching.
    "fill": _("Filled"),
    "depart": _("On the way"),
    "arrive": _("Arrived"),
    "hire": _("Hired"),
    "no_show": _("Did not come"),
    # Township programmes.
    "report": _("Progress reported"),
    "inspect": _("Inspected"),
    "rectify": _("Rectification confirmed"),
    "close_follow_up": _("Follow-up answered"),
    "raise_problem": _("Raised as a problem"),
    "check_out": _("Checked out"),
    "redeem": _("Redeemed"),
    "void": _("Cancelled"),
    # Approved exports.
    "refuse": _("Refused"),
    "download": _("Downloaded"),
    # The contest's objections.
    "reject": _("Rejected"),
    "close-appeals": _("Objection window closed early"),
    "object": _("Objection filed"),
}
# Where one action name means something else for a model: (app label, model, action) -> label.
MODEL_ACTION_LABELS = {
    ("leaderboard", "objection", "accept"): _("Objection accepted, figure corrected"),
    ("leaderboard", "objection", "reject"): _("Objection rejected"),
    ("leaderboard", "contestweek", "revise"): _("Replaced by a revision after an objection"),
}


def _state_labels(content_type):
    model = content_type.model_class()
    try:
        field = model._meta.get_field("status")
    except Exception:  # a model without a status field logs its own codes
        return {}
    return {str(value): label for value, label in (field.choices or [])}


@register.simple_tag
def describe_transition(step):
    """(action, from, to) of a transition log row in the reader's language."""
    states = _state_labels(step.content_type)
    return {
        "action": MODEL_ACTION_LABELS.get(
            (step.content_type.app_label, step.content_type.model, step.action), ACTION_LABELS.get(step.action, step.action)
        ),
        "from": states.get(step.from_state, step.from_state),
        "to": states.get(step.to_state, step.to_state),
    }


@register.simple_tag
def idempotency_field(form=None):
    """A fresh Idempotency-Key for a form that writes, so a phone that sends it twice writes once
    (fuyang_portal/idempotency.py). Forms that sign in say ``idempotent = False``: a sign-in is not replayed."""
    import uuid

    from django.utils.html import format_html

    from fuyang_portal.idempotency import FIELD

    if form is not None and not getattr(form, "idempotent", True):
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)

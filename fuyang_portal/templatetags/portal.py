from django import template

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

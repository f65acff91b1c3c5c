from django import template

register = template.Library()

SELECTS = {"select", "selectmultiple", "nullbooleanselect"}
CHECKS = {"checkbox", "checkboxselectmultiple", "radioselect"}


@register.filter
def bs(field):
    """Render a form field's widget with Bootstrap's classes and its error state."""
    widget_type = field.widget_type
    if widget_type in CHECKS:
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

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value, indicator):
    """A raw value in the indicator's unit: ratios as percentages, others with two decimals."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if indicator.unit == "%":
        return f"{value * 100:.1f}%"
    suffix = indicator.unit if indicator.unit and indicator.unit != "%" else ""
    return f"{value:.2f}{suffix}"


@register.filter
def dec(value, places=2):
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):.{int(places)}f}"


@register.filter
def num(value):
    """A count as a whole number, any other figure with two decimals."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"

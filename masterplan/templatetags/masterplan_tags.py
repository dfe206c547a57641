from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

register = template.Library()

DASH = "—"


@register.filter
def rupiah(value):
    """Whole Rupiah the Indonesian way: ``Rp 1.250.000`` (``—`` when there is none)."""
    if value is None or value == "":
        return DASH
    return f"Rp {intcomma(int(value))}"


@register.filter
def percent(value):
    """A per cent figure with one decimal, in the reader's format: ``62,5%``."""
    if value is None or value == "":
        return DASH
    return f"{floatformat(value, 1)}%"


@register.filter
def amount(value):
    """A target or realisation without trailing zeros: ``12``, ``12,5``, ``1.250``."""
    if value is None or value == "":
        return DASH
    value = Decimal(value)
    places = min(max(-value.normalize().as_tuple().exponent, 0), 2)
    return floatformat(value, f"{places}g")


@register.filter
def bar(value):
    """A progress bar's value for ``aria-valuenow``: 0–100 with a decimal point, in any language."""
    if value is None:
        return "0"
    return f"{min(max(float(value), 0.0), 100.0):.1f}"

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def width_class(value) -> str:
    """The class of static/css/portal.css that makes a bar ``value`` per cent wide.

    The Content-Security-Policy allows no style attributes, so a width is one of 101 classes
    (whole per cents, 0–100; nothing known is 0).
    """
    if value is None or value == "":
        return "width-pct-0"
    percent = min(max(Decimal(str(value)), Decimal(0)), Decimal(100))
    return f"width-pct-{percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)}"
